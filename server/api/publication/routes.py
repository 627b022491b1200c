"""一公开 API: propose results, legal review (法制审核), the deadline board."""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from shared.enums import Outcome, Role
from shared.lifecycle import ResultStatus

from ...auth import actor_name, roles_required
from ...extensions import db
from ...models import PublicationResult
from ...services import publication as pub
from ...services.deadlines import bureau_today, deadline_view
from .. import Blueprint
from ..fields import one_of

blp = Blueprint("publication", __name__, url_prefix="/api/v1/publication",
                description="检查结果公开（法制审核）")

READERS = (Role.ADMIN, Role.DISPATCHER, Role.REVIEWER, Role.ARCHIVIST)


class ResultSchema(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    enterprise_name = fields.String()
    uscc = fields.String()
    inspected_on = fields.Date()
    item_codes = fields.List(fields.String())
    outcome = fields.String()
    status = fields.String()
    revision = fields.Integer(metadata={"description": "版本号：审核通过时须写明所审阅的版本"})
    proposed_by = fields.String()
    reviewed_by = fields.String(allow_none=True)
    review_note = fields.String(allow_none=True)
    published_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "公开期限（工作日）"})
    deadline_status = fields.String(allow_none=True)
    warnings = fields.List(fields.String())


class ProposeSchema(Schema):
    visit_id = fields.Integer(required=True)
    outcome = fields.String(required=True, validate=one_of(
        Outcome.choices() + [o.label for o in Outcome], [o.label for o in Outcome]))
    inspected_on = fields.Date(required=True)
    item_codes = fields.List(fields.String(), load_default=list)


class ReviewSchema(Schema):
    note = fields.String(load_default=None, allow_none=True)


class ApproveSchema(ReviewSchema):
    revision = fields.Integer(required=True, strict=True, validate=validate.Range(min=1),
                              metadata={"description": "所审阅结果的版本号（列表中的revision）"})


class ListQuery(Schema):
    status = fields.String(load_default="pending",
                           validate=one_of(ResultStatus.choices(),
                                           [r.label for r in ResultStatus]))


def _dump(result: PublicationResult) -> dict:
    out = {c: getattr(result, c) for c in ResultSchema._declared_fields if hasattr(result, c)}
    out["warnings"], out["deadline_status"] = [], None
    if result.status != "approved":
        view = deadline_view(result.inspected_on, bureau_today())
        out.update(due_on=view.due, deadline_status=view.status.value, warnings=view.warnings)
    return out


@blp.route("/results")
@roles_required(*READERS)
@blp.arguments(ListQuery, location="query")
@blp.response(200, ResultSchema(many=True))
def list_results(args):
    rows = db.session.execute(sa.select(PublicationResult).where(
        PublicationResult.status == args["status"]).order_by(
        PublicationResult.inspected_on, PublicationResult.id)).scalars()
    return [_dump(r) for r in rows]


@blp.route("/results", methods=["POST"])
@roles_required(Role.ADMIN, Role.DISPATCHER)
@blp.arguments(ProposeSchema)
@blp.response(201, ResultSchema)
def propose(data):
    return _dump(pub.propose_result(data["visit_id"], data["outcome"], data["inspected_on"],
                                    data["item_codes"], actor_name()))


@blp.route("/results/<int:result_id>/approve", methods=["POST"])
@roles_required(Role.REVIEWER)
@blp.arguments(ApproveSchema)
@blp.response(200, ResultSchema)
def approve(data, result_id):
    return _dump(pub.approve_result(result_id, actor_name(), revision=data["revision"],
                                    note=data.get("note")))


@blp.route("/results/<int:result_id>/reject", methods=["POST"])
@roles_required(Role.REVIEWER)
@blp.arguments(ReviewSchema)
@blp.response(200, ResultSchema)
def reject(data, result_id):
    return _dump(pub.reject_result(result_id, actor_name(), data.get("note") or ""))
