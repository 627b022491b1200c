"""Console: plans and tasks, and the draw ceremony (commit → pool → run → record).

The work is done by ``services.plans``, ``services.draws`` and
``services.dispatch``; these views only call them and show what they return.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from shared.enums import DrawType, Role

from ..extensions import db
from ..models import DrawRecord, Plan, Task
from ..services.publication import current_visits
from . import add_nav
from .console import bp, login_required

OFFICE = (Role.ADMIN, Role.DISPATCHER)
STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)


def _task(task_no: str) -> Task:
    task = db.session.execute(sa.select(Task).filter_by(task_no=task_no)).scalar_one_or_none()
    if task is None:
        abort(404)
    return task


@bp.route("/plans", methods=["GET", "POST"])
@login_required(*STAFF)
def plans():
    report = None
    if request.method == "POST":
        if g.user.role not in (r.value for r in OFFICE):
            return render_template("console/forbidden.html"), 403
        from ..services.plans import PlanError, import_plans
        from ..services.registry_io import ImportFailed

        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise ValueError("请选择要导入的文件")
            result = import_plans(upload.read(), upload.filename, g.user.username,
                                  request.form.get("reason") or None)
            report = {"ok": True, "message": result.summary(), "errors": []}
        except ImportFailed as exc:
            report = {"ok": False, "message": f"导入失败，未作任何更改（{len(exc.errors)}处错误）",
                      "errors": exc.errors}
        except (PlanError, ValueError) as exc:  # both carry Chinese messages
            report = {"ok": False, "message": f"导入失败：{getattr(exc, 'message', exc)}",
                      "errors": []}
    rows = db.session.execute(sa.select(Plan).order_by(Plan.year.desc(), Plan.plan_no)).scalars()
    return render_template("console/plans.html", plans=list(rows), report=report,
                           draw_type=lambda c: DrawType(c).label)


@bp.route("/plans/<plan_no>/publish", methods=["POST"])
@login_required(*OFFICE)
def plan_publish(plan_no: str):
    from ..services.plans import get_plan, publish_plan

    plan = publish_plan(get_plan(plan_no), g.user.username)
    flash(f"计划{plan.plan_no}已发布，并在公开页面公示")
    return redirect(url_for("console.plans"))


@bp.route("/tasks/<task_no>")
@login_required(*STAFF)
def task(task_no: str):
    task = _task(task_no)
    from ..services import draws

    pending = draws.has_pending_commitment(task)
    records = db.session.execute(sa.select(DrawRecord).where(
        DrawRecord.task_id == task.id).order_by(DrawRecord.id)).scalars().all()
    latest = records[-1] if records else None
    summary = draws.summary(latest) if latest else None
    return render_template("console/task.html", task=task, pending=pending, records=records,
                           summary=summary, visits=current_visits(task),
                           pool=_pool_preview(task, latest),
                           draw_type=DrawType(task.draw_type).label,
                           office=g.user.role in (r.value for r in OFFICE))


def _pool_preview(task: Task, record: DrawRecord | None) -> dict:
    """Step ② of the ceremony: after a draw, the pool its record froze; before
    it, the pool as it stands now, built by the draw service's own inputs."""
    if record is not None:
        result = record.result or {}
        return {"frozen": True, "size": record.pool_size, "excluded": result.get("excluded", []),
                "strata": result.get("strata", {}), "error": None}
    from collections import Counter

    from shared.draw import build_pool

    from ..services.draws import task_for_draw
    from ..services.draws_inputs import joint_siblings, load_context, load_pool_rows
    from ..services.draws_rules import split_rules

    try:
        rules, _params, joint = split_rules(task.rules)
        siblings = joint_siblings(task, joint)
        eligible, excluded = build_pool(load_pool_rows(task.target_filter),
                                        task_for_draw(task, siblings), rules,
                                        load_context(task, siblings, rules))
    except ValueError as exc:
        return {"frozen": False, "size": 0, "excluded": [], "strata": {}, "error": str(exc)}
    classes = dict(zip(eligible["columns"], eligible["values"], strict=False)).get(
        "credit_class", [])
    return {"frozen": False, "size": len(eligible["values"][0]) if eligible["values"] else 0,
            "excluded": excluded, "strata": dict(sorted(Counter(classes).items())),
            "error": None}


@bp.route("/tasks/<task_no>/commit", methods=["POST"])
@login_required(*OFFICE)
def task_commit(task_no: str):
    from ..services import draws

    task = draws.commit_seed(_task(task_no))
    flash(f"已生成随机种子并公布承诺值：{task.seed_commitment}")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/draw", methods=["POST"])
@login_required(*OFFICE)
def task_draw(task_no: str):
    from ..services import draws

    kind = "redraw" if request.form.get("kind") == "redraw" else "draw"
    rec = draws.run_task_draw(task_no, g.user.username, kind=kind,
                              reason=request.form.get("reason") or None)
    flash(f"抽取完成：记录{rec.id}，可抽取对象{rec.pool_size}户，"
          f"抽中{len(rec.result.get('visits', []))}户")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/dispatch", methods=["POST"])
@login_required(*OFFICE)
def task_dispatch(task_no: str):
    from ..services.dispatch import dispatch_task

    result = dispatch_task(task_no, g.user.username)
    flash(f"已派发{len(result.dispatched)}户，撤回{len(result.withdrawn)}户，"
          f"调整{len(result.reassigned)}户")
    return redirect(url_for("console.dispatch", task=task_no))


@bp.route("/records/<int:record_id>.json")
@login_required(*STAFF)
def record_download(record_id: int):
    """The full record for ``flask draw verify`` (staff only: it holds credit classes)."""
    from ..services import draws

    rec = db.session.get(DrawRecord, record_id)
    if rec is None:
        abort(404)
    return Response(draws.export_record(rec), mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=draw-record-{record_id}.json"})


add_nav("console.plans", "计划与抽取", *STAFF)
