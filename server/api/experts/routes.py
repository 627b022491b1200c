"""专家库 endpoints."""

import sqlalchemy as sa
from flask_smorest import abort

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...extensions import db
from ...models import Expert
from ...services.registry_rows import create_row, update_row
from .. import Blueprint
from ..pagination import like_any, page_of
from .schemas import ExpertPage, ExpertQuery, ExpertSchema

blp = Blueprint("experts", __name__, url_prefix="/api/v1/experts", description="专家库")


@blp.route("")
@roles_required(*STAFF)
@blp.arguments(ExpertQuery, location="query")
@blp.response(200, ExpertPage)
def list_experts(args):
    query = sa.select(Expert).order_by(Expert.name, Expert.organization)
    if args.get("q"):
        query = query.where(
            like_any([Expert.name, Expert.specialty, Expert.organization], args["q"]))
    return page_of(query, args["page"], args["per_page"], db.session)


@blp.route("", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(ExpertSchema)
@blp.response(201, ExpertSchema)
def create_expert(data):
    exists = sa.select(Expert.id).filter_by(name=data["name"], organization=data["organization"])
    if db.session.execute(exists).first():
        abort(409, message=f"专家{data['name']}（{data['organization']}）已存在")
    return create_row("experts", Expert, data, actor_name())


@blp.route("/<int:expert_id>", methods=["PATCH"])
@roles_required(*OFFICE)
@blp.arguments(ExpertSchema(partial=True))
@blp.response(200, ExpertSchema)
def update_expert(data, expert_id):
    obj = db.session.get(Expert, expert_id)
    if obj is None:
        abort(404, message="未找到该专家")
    return update_row("experts", obj, data, actor_name())
