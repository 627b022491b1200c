"""Console: plans and tasks, and the draw ceremony (commit → pool → run → record).

The work is done by ``services.plans``, ``services.draw`` and
``services.dispatch``; these views only call them and show what they return.
"""

from __future__ import annotations

from datetime import datetime

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
RECORD_READERS = (*STAFF, Role.AUDITOR)  # full records: staff and the auditor (监督)


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
                                  request.form.get("reason") or None,
                                  plan_no=request.form.get("plan_no") or None,
                                  plan_name=request.form.get("plan_name") or None)
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
    from ..services import draw as draws

    freeze = draws.pending_freeze(task)
    records = db.session.execute(sa.select(DrawRecord).where(
        DrawRecord.task_id == task.id).order_by(DrawRecord.id)).scalars().all()
    latest = records[-1] if records else None
    summary = draws.summary(latest) if latest else None
    problems = None
    if freeze is None and latest is None and request.args.get("check"):
        problems = _call_quiet(draws.check_task, task_no)
    return render_template("console/task.html", task=task, freeze=freeze, records=records,
                           summary=summary, visits=current_visits(task),
                           pool=draws.pool_preview(task_no),
                           attempts=draws.attempts(task_no),
                           rules=draws.effective_rules(task.rules), problems=problems,
                           now=draws.clock(), local_text=draws.local_text,
                           person_name=draws.person_name,
                           local_iso=lambda text: draws.local_text(datetime.fromisoformat(text)),
                           draw_type=DrawType(task.draw_type).label,
                           office=g.user.role in (r.value for r in OFFICE))


def _call_quiet(fn, *args):
    from ..services.plans import PlanError

    try:
        return fn(*args)
    except PlanError as exc:
        return [{"uscc": None, "name": None, "rule": "", "message": exc.message}]


@bp.route("/tasks/<task_no>/freeze", methods=["POST"])
@login_required(*OFFICE)
def task_freeze(task_no: str):
    """Step ① of the ceremony: 冻结 (refused with every infeasible enterprise listed)."""
    from ..services import draw as draws
    from ..services.plans import PlanError

    kind = "redraw" if request.form.get("kind") == "redraw" else "draw"
    lottery = {"draw_no": request.form.get("lottery_draw"),
               "draw_time": request.form.get("lottery_time")}
    try:
        f = draws.freeze_task(task_no, g.user.username, kind=kind,
                              reason=request.form.get("reason") or None,
                              source=request.form.get("source") or None, lottery=lottery)
    except PlanError as exc:
        flash(exc.message)
    else:
        flash(f"已冻结（第{f.id}次尝试）：快照哈希{f.snapshot_hash[:16]}…，"
              f"种子承诺值{f.seed_commitment[:16]}…，已在公开页面公示")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/draw", methods=["POST"])
@login_required(*OFFICE)
def task_draw(task_no: str):
    """Step ③: draw with the promised public value (fetched, or pasted here)."""
    from ..services import draw as draws
    from ..services.plans import PlanError

    try:
        given = None
        if (request.form.get("beacon") or "").strip():
            given = draws.parse_beacon(request.form["beacon"])
        elif (request.form.get("numbers") or "").strip():
            given = {"numbers": request.form["numbers"]}
        rec = draws.draw_frozen(task_no, g.user.username, beacon=given)
    except PlanError as exc:
        flash(exc.message)
    else:
        flash(f"抽取完成：记录{rec.id}，可抽取对象{rec.pool_size}户，"
              f"抽中{len(rec.result.get('visits', []))}户")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/rules", methods=["POST"])
@login_required(*OFFICE)
def task_rules(task_no: str):
    """The task's rules, changed with a reason (logged; a frozen draw keeps its own)."""
    from ..services import draw as draws
    from ..services.plans import PlanError

    form = request.form
    changes = {
        "composition": draws.composition(bool(form.get("longgang"))),
        "field_match": bool(form.get("field_match")),
        "recuse_own_street": bool(form.get("recuse_own_street")),
        "recuse_previous": bool(form.get("recuse_previous")),
        "expert_specialty_match": bool(form.get("expert_specialty_match")),
        "experts_required": bool(form.get("experts_required")),
        "exclude_drawn_in_plan": bool(form.get("exclude_drawn_in_plan")),
    }
    try:
        for key, label in (("general_items", "一般事项抽取数"),
                           ("experts_per_visit", "每户专家人数"),
                           ("yearly_cap", "每户年度检查上限")):
            text = (form.get(key) or "").strip()
            if text:
                if not text.isdigit():
                    raise PlanError(422, f"{label}应为整数")
                changes[key] = int(text)
            elif key == "yearly_cap":
                changes[key] = None
        draws.set_rules(task_no, changes, g.user.username, form.get("reason"))
    except PlanError as exc:
        flash(exc.message)
    else:
        flash("抽取规则已修改并记入计划变更记录")
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
@login_required(*RECORD_READERS)
def record_download(record_id: int):
    """The full record for ``flask draw verify`` (staff only: it holds credit classes)."""
    from ..services import draw as draws

    rec = db.session.get(DrawRecord, record_id)
    if rec is None:
        abort(404)
    return Response(draws.export_record(rec), mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=draw-record-{record_id}.json"})


@bp.route("/specialties", methods=["GET", "POST"])
@login_required(*STAFF)
def specialties():
    """专家专业对照表: how the bureau reads experts' written 专业 (recorded in each freeze)."""
    from shared.enums import Industry

    from ..services import draw as draws
    from ..services.plans import PlanError

    office = g.user.role in (r.value for r in OFFICE)
    if request.method == "POST":
        if not office:
            abort(403)
        try:
            draws.set_specialty(request.form.get("word", ""),
                                request.form.getlist("industries"), g.user.username)
        except PlanError as exc:
            flash(exc.message)
        else:
            flash(f"已保存“{request.form.get('word', '').strip()}”的对照，此后的冻结按此抽取专家")
        return redirect(url_for("console.specialties"))
    labels = {m.value: m.label for m in Industry}
    return render_template("console/specialties.html", mapping=draws.specialty_map(),
                           labels=labels, office=office)


add_nav("console.plans", "计划与抽取", *STAFF)
