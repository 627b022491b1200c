"""Console: plans and tasks, and the draw ceremony (commit → pool → run → record).

The work is done by ``services.plans``, ``services.draws`` and
``services.dispatch``; these views only call them and show what they return.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.orm import contains_eager, selectinload

from shared.enums import DrawType, Role

from ..extensions import db
from ..models import DrawRecord, Enterprise, Plan, Task, Visit, VisitMember
from . import add_nav
from .console import bp, login_required
from .download import attachment
from .labels import item_names
from .listing import ordered, paged, xlsx

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
                           draw_type=lambda c: DrawType(c).label,
                           draw_types=[(d.value, d.label) for d in DrawType])


@bp.route("/plans/<plan_no>/publish", methods=["POST"])
@login_required(*OFFICE)
def plan_publish(plan_no: str):
    from ..services.plans import PlanError, get_plan, publish_plan

    try:
        plan = publish_plan(get_plan(plan_no), g.user.username)
        flash(f"计划{plan.plan_no}已发布，并在公开页面公示")
    except PlanError as exc:
        flash(exc.message)
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
                           summary=summary, p=_drawn_page(task), rules=rules_text(task),
                           workload=workload(task),
                           pool=_pool_preview(task, latest),
                           draw_type=DrawType(task.draw_type).label,
                           office=g.user.role in (r.value for r in OFFICE))


def _drawn_query(task: Task) -> sa.Select:
    """The task's current visits, with the joint visits (一企一表) a sibling task
    merged it into – the same rows as ``current_visits``, as one query to page."""
    joint = [vid for vid, nos in db.session.execute(
        sa.select(Visit.id, Visit.joint_task_nos).join(Task, Visit.task_id == Task.id)
        .where(Task.plan_id == task.plan_id, Task.id != task.id, Visit.current.is_(True),
               sa.func.length(sa.cast(Visit.joint_task_nos, sa.String)) > 2))
        if task.task_no in (nos or [])]
    mine = Visit.task_id == task.id
    return (sa.select(Visit).join(Enterprise, Enterprise.id == Visit.enterprise_id)
            .where(Visit.current.is_(True), sa.or_(mine, Visit.id.in_(joint)) if joint else mine)
            .options(contains_eager(Visit.enterprise),
                     selectinload(Visit.members).selectinload(VisitMember.inspector)))


DRAWN_SORTS = {"order": Visit.id, "enterprise": Enterprise.name, "street": Enterprise.street,
               "status": Visit.status}


def rules_text(task: Task) -> list[str]:
    """The task's team rules as the bureau reads them (effective values)."""
    from ..services.draws_rules import effective_rules

    if task.is_reinspection:
        return ["整改复查由原检查组承担（回避除外），不随机抽取"]
    r = effective_rules(task.rules)
    comp = r.get("composition") or {}
    out = [f"每户检查人数{task.team_size}人"]
    if comp.get("street_pool") or comp.get("bureau_pool"):
        out.append(f"其中属地（街道二级库）{comp.get('street_pool', 0)}人、"
                   f"局机关（一级库）{comp.get('bureau_pool', 0)}人")
    flags = (("field_match", "执法领域须与企业行业相符"),
             ("recuse_own_street", "本街道人员回避（所所交叉）"),
             ("recuse_previous", "上次检查人员回避"),
             ("exclude_drawn_in_plan", "本计划已抽中的企业不再抽取"),
             ("expert_specialty_match", "专家专业须与企业行业相符"))
    out += [label for key, label in flags if r.get(key)]
    if r.get("yearly_cap"):
        out.append(f"每户每年最多检查{r['yearly_cap']}次")
    if r.get("experts_required"):
        out.append(f"每户配专家{r.get('experts_per_visit', 1)}名")
    if r.get("joint_group"):
        out.append(f"联合检查组：{r['joint_group']}（一业一查）")
    return out


def workload(task: Task) -> list[tuple[str, str, int, int]]:
    """(name, 执法证号, visits, as leader) per officer of the task's current draw."""
    from ..models import Inspector

    drawn = _drawn_query(task).with_only_columns(Visit.id).order_by(None).subquery()
    rows = db.session.execute(
        sa.select(Inspector.name, Inspector.cert_no, sa.func.count(),
                  sa.func.sum(sa.case((VisitMember.leader.is_(True), 1), else_=0)))
        .join(VisitMember, VisitMember.inspector_id == Inspector.id)
        .where(VisitMember.visit_id.in_(sa.select(drawn.c.id)))
        .group_by(Inspector.id, Inspector.name, Inspector.cert_no)
        .order_by(sa.func.count().desc(), Inspector.cert_no)).all()
    return [(n, c, int(k), int(lead or 0)) for n, c, k, lead in rows]


def _drawn_page(task: Task):
    return paged(_drawn_query(task), DRAWN_SORTS, "order", Visit.id)


@bp.route("/tasks/<task_no>/drawn.xlsx")
@login_required(*STAFF)
def task_drawn_export(task_no: str):
    from .console_dispatch import VISIT_STATUS

    task = _task(task_no)
    rows = db.session.scalars(ordered(_drawn_query(task), DRAWN_SORTS, "order", Visit.id))
    return xlsx(f"抽取名单-{task.task_no}", ["单位名称", "统一社会信用代码", "属地", "检查组",
                                          "专家", "检查事项", "状态"],
                ([v.enterprise.name, v.enterprise.uscc, v.enterprise.street or "",
                  "、".join(m.inspector.name + ("（组长）" if m.leader else "")
                           for m in v.members), "、".join(v.expert_names or []),
                  "、".join(item_names(v.item_version, v.item_codes)),
                  VISIT_STATUS.get(v.status, v.status)] for v in rows))


@bp.route("/tasks/<task_no>/sheet")
@login_required(*STAFF)
def task_sheet(task_no: str):
    """The drawn list as a sheet to print and sign: 见证/监督 lines at the foot."""
    task = _task(task_no)
    records = db.session.execute(sa.select(DrawRecord).where(
        DrawRecord.task_id == task.id).order_by(DrawRecord.id)).scalars().all()
    visits = db.session.scalars(_drawn_query(task).order_by(Visit.id)).all()
    return render_template("console/task_sheet.html", task=task, visits=visits,
                           record=records[-1] if records else None,
                           bureau=current_app.config.get("BUREAU_NAME", ""))


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
    try:
        rec = draws.run_task_draw(task_no, g.user.username, kind=kind,
                                  reason=request.form.get("reason") or None)
    except draws.DrawFailed as exc:
        flash(exc.message)
    else:
        flash(f"抽取完成：记录{rec.id}，可抽取对象{rec.pool_size}户，"
              f"抽中{len(rec.result.get('visits', []))}户")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/dispatch", methods=["POST"])
@login_required(*OFFICE)
def task_dispatch(task_no: str):
    from ..services.dispatch import DispatchError, dispatch_task

    try:
        result = dispatch_task(task_no, g.user.username)
    except DispatchError as exc:
        flash(exc.message)
    else:
        from ..services.cases import ensure_cases

        ensure_cases()  # each dispatched enterprise has its case (and its 通知书) now
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
    return Response(draws.export_record(rec), mimetype="application/json",
                    headers=attachment(f"摇号记录-{record_id}.json",
                                       f"draw-record-{record_id}.json"))


add_nav("console.plans", "计划与抽取", *STAFF)
