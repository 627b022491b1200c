"""执法检查人员名录库 endpoints."""

import sqlalchemy as sa
from flask_smorest import abort

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...extensions import db
from ...models import Inspector
from ...services.registry_rows import create_row, update_row
from .. import Blueprint
from ..pagination import like_any, page_of
from .schemas import InspectorPage, InspectorQuery, InspectorSchema, InspectorUpdateSchema

blp = Blueprint("inspectors", __name__, url_prefix="/api/v1/inspectors",
                description="执法检查人员名录库")


@blp.route("")
@roles_required(*STAFF)
@blp.arguments(InspectorQuery, location="query")
@blp.response(200, InspectorPage)
def list_inspectors(args):
    query = sa.select(Inspector).order_by(Inspector.cert_no)
    for name in ("street", "department", "duty_status"):
        if name in args:
            query = query.where(getattr(Inspector, name) == args[name])
    if args.get("q"):
        query = query.where(like_any([Inspector.name, Inspector.cert_no], args["q"]))
    if args.get("field"):
        query = query.where(sa.cast(Inspector.fields, sa.String).like(f'%"{args["field"]}"%'))
    if args.get("valid_on"):
        query = query.where(Inspector.cert_expiry >= args["valid_on"])
    return page_of(query, args["page"], args["per_page"], db.session)


@blp.route("", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(InspectorSchema)
@blp.response(201, InspectorSchema)
def create_inspector(data):
    if db.session.execute(sa.select(Inspector.id).filter_by(cert_no=data["cert_no"])).first():
        abort(409, message=f"执法证号{data['cert_no']}已存在")
    return create_row("inspectors", Inspector, data, actor_name())


@blp.route("/<cert_no>")
@roles_required(*STAFF)
@blp.response(200, InspectorSchema)
def get_inspector(cert_no):
    return _get(cert_no)


@blp.route("/<cert_no>", methods=["PATCH"])
@roles_required(*OFFICE)
@blp.arguments(InspectorUpdateSchema(partial=True))
@blp.response(200, InspectorSchema)
def update_inspector(data, cert_no):
    return update_row("inspectors", _get(cert_no), data, actor_name())


def _get(cert_no: str) -> Inspector:
    obj = db.session.execute(sa.select(Inspector).filter_by(cert_no=cert_no)).scalar_one_or_none()
    if obj is None:
        abort(404, message=f"未找到执法证号为{cert_no}的执法人员")
    return obj
