"""Console: plans and tasks created and edited by hand (not only imported).

The plan service does every check (the draw's own parsers for ratio, scope and
dates) and records every change of a published plan with its reason; a drawn
task is never edited here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for

from shared.enums import DrawType, Role
from shared.text import clean_name

from ..api.plans.schemas import PlanSchema, TaskSchema
from ..services import plans as service
from ..services.errors import ServiceError
from .console import bp, login_required, refused_as
from .form_text import day_problem, load_form

OFFICE = (Role.ADMIN, Role.DISPATCHER)


class FormError(ServiceError):
    """A form field that cannot be read (a date, a number): refused like a service
    refusal, by the one handler, with the view's words (``refused_as``)."""

    status = 422


def _day(form, name: str, label: str) -> date:
    try:
        return date.fromisoformat(form.get(name, "").strip())
    except ValueError:
        raise FormError(day_problem(form.get(name, ""), label)) from None


def _task_values(form) -> dict[str, Any]:
    values = {
        "name": clean_name(form.get("name")), "draw_type": form.get("draw_type", ""),
        "ratio": form.get("ratio", "").strip(), "item_scope": form.get("item_scope", "").strip(),
        "target_filter": form.get("target_filter", "").strip() or None,
        "department": clean_name(form.get("department")) or None,
        "joint_departments": [clean_name(x) for x in
                              form.get("joint_departments", "").replace("，", "、")
                              .replace(",", "、").split("、") if clean_name(x)],
        "window_start": _day(form, "window_start", "开始日期"),
        "window_end": _day(form, "window_end", "结束日期"),
        "unannounced": form.get("unannounced") == "1",
    }
    if not values["name"]:
        raise FormError("请填写任务名称")
    if values["draw_type"] not in {d.value for d in DrawType}:
        raise FormError("请选择抽查类型")
    try:
        values["team_size"] = int(form.get("team_size") or 2)
    except ValueError:
        raise FormError("每户检查人数应为整数") from None
    return _bounded(values)


# The fields the task form edits, bounded as the API bounds them (TaskSchema).
_TASK_FIELDS = ("name", "draw_type", "ratio", "item_scope", "target_filter", "department",
                "joint_departments", "window_start", "window_end", "team_size", "unannounced")


def _bounded(values: dict[str, Any]) -> dict[str, Any]:
    fields = tuple(k for k in _TASK_FIELDS + ("task_no",) if k in values)
    plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    return load_form(TaskSchema(only=fields), {k: plain[k] for k in fields})


@bp.route("/plans/new", methods=["POST"])
@login_required(*OFFICE)
@refused_as("未新建")
def plan_new():
    form = request.form
    try:
        year = int(form.get("year", ""))
    except ValueError:
        raise FormError("年度应为四位数字") from None
    plan_no, name = clean_name(form.get("plan_no")), clean_name(form.get("name"))
    if not plan_no or not name:
        raise FormError("请填写计划编号和计划名称")
    values = load_form(PlanSchema(only=("plan_no", "name", "year")),
                       {"plan_no": plan_no, "name": name, "year": year})
    plan = service.create_plan(values, g.user.username)
    flash(f"已新建计划{plan.plan_no}，请添加抽查任务后发布")
    return redirect(url_for("console.plans"))


@bp.route("/plans/<plan_no>/tasks", methods=["POST"])
@login_required(*OFFICE)
@refused_as("未添加")
def task_new(plan_no: str):
    form = request.form
    plan = service.get_plan(plan_no)
    task_no = clean_name(form.get("task_no"))
    if not task_no:
        raise FormError("请填写任务编号")
    values = _bounded({"task_no": task_no, **_task_values(form)})
    service.create_task(plan, values, g.user.username, form.get("reason") or None)
    flash(f"已添加任务{values['task_no']}" + ("，计划需重新发布" if plan.status == "changed"
                                            else ""))
    return redirect(url_for("console.plans"))


@bp.route("/tasks/<task_no>/edit", methods=["GET", "POST"])
@login_required(*OFFICE)
@refused_as("未保存")
def task_edit(task_no: str):
    task = service.get_task(task_no)
    if request.method == "POST":  # a refusal: back to this form, by the one handler
        service.update_task(task, _task_values(request.form), g.user.username,
                            request.form.get("reason") or None)
        flash(f"已保存任务{task.task_no}")
        return redirect(url_for("console.task", task_no=task.task_no))
    return render_template("console/task_edit.html", task=task, drawn=service.is_drawn(task),
                           draw_types=[(d.value, d.label) for d in DrawType])
