"""计划审核 over the API: the tasks imported as printed, and their confirmation."""

from __future__ import annotations

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...services import plan_review
from ...services import plans as svc
from .routes import blp
from .schemas import ReviewRowSchema, ReviewSchema, TaskSchema


@blp.route("/plans/<plan_no>/review")
@roles_required(*STAFF)
@blp.response(200, ReviewRowSchema(many=True))
def review_plan(plan_no):
    """Each task with its printed cells, the proposals and what is confirmed."""
    return plan_review.review_rows(svc.get_plan(plan_no))


@blp.route("/tasks/<task_no>/review", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(ReviewSchema)
@blp.response(200, TaskSchema)
def review_task(data, task_no):
    """Confirm a printed task's structured ratio, filter and items."""
    reason = data.pop("reason", None)
    return plan_review.confirm_task(svc.get_task(task_no), data, actor_name(), reason)
