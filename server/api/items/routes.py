"""随机抽查事项清单 endpoints (read-only; changes come by import, as new versions)."""

import sqlalchemy as sa
from flask_smorest import abort

from ...auth import ALL_ROLES, roles_required
from ...extensions import db
from ...models import CheckItem, ItemListVersion
from .. import Blueprint
from ..pagination import like_any, page_of
from .schemas import ItemPage, ItemQuery, ItemVersionSchema

blp = Blueprint("items", __name__, url_prefix="/api/v1/items", description="随机抽查事项清单")


@blp.route("")
@roles_required(*ALL_ROLES)
@blp.arguments(ItemQuery, location="query")
@blp.response(200, ItemPage)
def list_items(args):
    version = _version(args.get("version"))
    query = sa.select(CheckItem).where(CheckItem.version_id == (version.id if version else -1))
    query = query.order_by(CheckItem.code)
    if args.get("category"):
        query = query.where(CheckItem.category == args["category"])
    if args.get("industry"):
        query = query.where(
            sa.cast(CheckItem.industries, sa.String).like(f'%"{args["industry"]}"%'))
    if args.get("q"):
        query = query.where(like_any([CheckItem.name, CheckItem.code, CheckItem.legal_basis],
                                     args["q"]))
    page = page_of(query, args["page"], args["per_page"], db.session)
    page["version"] = version.number if version else None
    return page


@blp.route("/versions")
@roles_required(*ALL_ROLES)
@blp.response(200, ItemVersionSchema(many=True))
def list_versions():
    return db.session.execute(
        sa.select(ItemListVersion).order_by(ItemListVersion.number)).scalars().all()


def _version(number: int | None) -> ItemListVersion | None:
    query = sa.select(ItemListVersion)
    if number is None:
        query = query.order_by(ItemListVersion.number.desc()).limit(1)
    else:
        query = query.where(ItemListVersion.number == number)
    version = db.session.execute(query).scalar_one_or_none()
    if number is not None and version is None:
        abort(404, message=f"事项清单版本{number}不存在")
    return version
