"""检查对象名录库 endpoints."""

import sqlalchemy as sa
from flask_smorest import abort

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...extensions import db
from ...models import Enterprise
from ...services.registry_rows import create_row, update_row
from .. import Blueprint
from ..pagination import like_any, page_of
from .schemas import EnterprisePage, EnterpriseQuery, EnterpriseSchema, EnterpriseUpdateSchema

blp = Blueprint("enterprises", __name__, url_prefix="/api/v1/enterprises",
                description="检查对象名录库")

_EXACT = ("industry", "street", "risk_level", "credit_class", "scale", "status",
          "blacklisted", "major_hazard", "needs_expert")


@blp.route("")
@roles_required(*STAFF)
@blp.arguments(EnterpriseQuery, location="query")
@blp.response(200, EnterprisePage)
def list_enterprises(args):
    query = sa.select(Enterprise).order_by(Enterprise.uscc)
    for name in _EXACT:
        if name in args:
            query = query.where(getattr(Enterprise, name) == args[name])
    if args.get("q"):
        query = query.where(like_any([Enterprise.name, Enterprise.uscc], args["q"]))
    if args.get("registry"):
        query = query.where(
            sa.cast(Enterprise.registries, sa.String).like(f'%"{args["registry"]}"%'))
    return page_of(query, args["page"], args["per_page"], db.session)


@blp.route("", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(EnterpriseSchema)
@blp.response(201, EnterpriseSchema)
def create_enterprise(data):
    if db.session.execute(sa.select(Enterprise.id).filter_by(uscc=data["uscc"])).first():
        abort(409, message=f"统一社会信用代码{data['uscc']}已存在")
    return create_row("enterprises", Enterprise, data, actor_name())


@blp.route("/<uscc>")
@roles_required(*STAFF)
@blp.response(200, EnterpriseSchema)
def get_enterprise(uscc):
    return _get(uscc)


@blp.route("/<uscc>", methods=["PATCH"])
@roles_required(*OFFICE)
@blp.arguments(EnterpriseUpdateSchema(partial=True))
@blp.response(200, EnterpriseSchema)
def update_enterprise(data, uscc):
    return update_row("enterprises", _get(uscc), data, actor_name())


def _get(uscc: str) -> Enterprise:
    obj = db.session.execute(sa.select(Enterprise).filter_by(uscc=uscc)).scalar_one_or_none()
    if obj is None:
        abort(404, message=f"未找到统一社会信用代码为{uscc}的单位")
    return obj
