"""Spreadsheet import/export of the registries."""

from __future__ import annotations

from flask import Response, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...services.registry_io import SPECS, ImportFailed, export_registry, import_registry
from .. import Blueprint

blp = Blueprint("registries", __name__, url_prefix="/api/v1/registries",
                description="名录库导入导出")

KINDS = "|".join(SPECS)
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ImportResultSchema(Schema):
    kind = fields.String()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    item_version = fields.Integer(allow_none=True)
    message = fields.String()


class UploadSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"}, required=True)


class ExportQuery(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx", "csv"]))


@blp.route("/<any(" + ",".join(SPECS) + "):kind>/import", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(UploadSchema, location="files")
@blp.response(200, ImportResultSchema)
@blp.alt_response(422, description="文件中有错误行；整个文件未导入")
def import_file(files, kind):
    upload = request.files["file"]
    data = upload.read()
    try:
        result = import_registry(kind, data, upload.filename or "upload.xlsx", actor_name())
    except ImportFailed as exc:
        abort(422, message=f"导入失败，文件未作任何更改（{len(exc.errors)}处错误）",
              errors={"rows": exc.errors})
    return {**result.__dict__, "message": result.summary()}


@blp.route("/<any(" + ",".join(SPECS) + "):kind>/export")
@roles_required(*STAFF)
@blp.arguments(ExportQuery, location="query")
@blp.response(200, content_type=MIME["xlsx"])
def export_file(args, kind):
    fmt = args["format"]
    filename = f"{kind}.{fmt}"
    body = export_registry(kind, filename)
    label = SPECS[kind].label
    return Response(body, mimetype=MIME[fmt], headers={
        "Content-Disposition": f"attachment; filename={filename}; "
                               f"filename*=UTF-8''{_quote(label)}.{fmt}"})


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text)
