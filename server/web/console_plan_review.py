"""Console: 计划审核 – confirm the structured ratio, filter and items of each
task imported as the plan prints it (services/plan_review.py does the work)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from shared.enums import Role

from ..api.plans.schemas import ReviewSchema
from ..services import plan_review as review
from ..services.accounts import person_name
from ..services.plans import get_plan, get_task
from .console import bp, login_required
from .form_text import load_form

OFFICE = (Role.ADMIN, Role.DISPATCHER)
STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)


@bp.route("/plans/<plan_no>/review")
@login_required(*STAFF)
def plan_review(plan_no: str):
    plan = get_plan(plan_no)  # an unknown plan: the one handler's 404 page, in Chinese
    return render_template("console/plan_review.html", plan=plan,
                           rows=review.review_rows(plan), items=review.item_choices(),
                           person=person_name)


@bp.route("/tasks/<task_no>/review", methods=["POST"])
@login_required(*OFFICE)
def task_review(task_no: str):
    # A refusal (PlanError) goes to the one handler: back to the review page with it.
    task = get_task(task_no)
    plan_no = task.plan.plan_no
    codes = [c for c in request.form.getlist("item_codes") if c]
    values = load_form(ReviewSchema(only=("ratio", "target_filter", "item_codes")), {
        "ratio": request.form.get("ratio", ""),
        "target_filter": request.form.get("target_filter", ""),
        "item_codes": codes,
    })  # bounded as the API bounds them
    review.confirm_task(task, values, g.user.username, request.form.get("reason") or None)
    flash(f"任务{task_no}的比例、范围和事项已确认")
    return redirect(url_for("console.plan_review", plan_no=plan_no))
