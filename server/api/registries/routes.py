"""Spreadsheet import/export of the registries."""

from __future__ import annotations

from flask import Response, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...services.registry_io import (
    SPECS,
    ImportFailed,
    ImportStale,
    export_registry,
    import_registry,
    preview_registry,
)
from ...services.registry_io.template import registry_template
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


class ChangeSchema(Schema):
    key = fields.String(metadata={"description": "统一社会信用代码、执法证号等主键"})
    name = fields.String()
    columns = fields.List(fields.List(fields.String()), attribute="fields", data_key="fields",
                          metadata={"description": "[列名, 原值, 新值]"})


class PreviewSchema(Schema):
    kind = fields.String()
    label = fields.String()
    filename = fields.String()
    created = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()
    new = fields.List(fields.Nested(ChangeSchema))
    changes = fields.List(fields.Nested(ChangeSchema))
    header_rows = fields.List(fields.Integer())
    absent_columns = fields.List(fields.String(), metadata={
        "description": "文件中没有的列：现有记录的这些字段保持不变"})
    ignored_columns = fields.List(fields.String())
    token = fields.String(metadata={"description": "导入时原样提交，确认导入的正是预览的内容"})
    message = fields.String()


class UploadSchema(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary"}, required=True)


class ApplySchema(Schema):
    """The file again and the token of its preview, in one multipart body."""

    file = fields.Raw(metadata={"type": "string", "format": "binary"}, required=True)
    token = fields.String(required=True, metadata={"description": "预览返回的 token"})


class ExportQuery(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx", "csv"]))


def _refused(exc: ImportFailed):
    abort(422, message=f"导入失败，文件未作任何更改（{len(exc.errors)}处错误）",
          errors={"rows": exc.errors})


@blp.route("/<any(" + ",".join(SPECS) + "):kind>/import/preview", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(UploadSchema, location="files")
@blp.response(200, PreviewSchema)
def preview_file(files, kind):
    """What importing the file would create and change; changes nothing."""
    upload = request.files["file"]
    try:
        preview = preview_registry(kind, upload.read(), upload.filename or "upload.xlsx")
    except ImportFailed as exc:
        _refused(exc)
    return {**preview.__dict__, "message": preview.summary()}


@blp.route("/<any(" + ",".join(SPECS) + "):kind>/import", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(ApplySchema, location="files")
@blp.response(200, ImportResultSchema)
def import_file(form, kind):
    """Apply a previewed import: the same file and the preview's token."""
    upload = request.files["file"]
    try:
        result = import_registry(kind, upload.read(), upload.filename or "upload.xlsx",
                                 actor_name(), expect=form["token"])
    except ImportFailed as exc:
        _refused(exc)
    except ImportStale as exc:
        abort(409, message=exc.message)
    return {**result.__dict__, "message": result.summary()}


@blp.route("/<any(" + ",".join(SPECS) + "):kind>/template")
@roles_required(*STAFF)
@blp.response(200, content_type=MIME["xlsx"])
def template_file(kind):
    """A blank spreadsheet with the headers, text-formatted code columns and notes."""
    label = SPECS[kind].label
    return Response(registry_template(kind), mimetype=MIME["xlsx"], headers={
        "Content-Disposition": f"attachment; filename={kind}-template.xlsx; "
                               f"filename*=UTF-8''{_quote(label)}-模板.xlsx"})


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
