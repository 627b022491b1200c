"""Console: plans and tasks, and the draw ceremony (commit → pool → run → record).

The work is done by ``services.plans``, ``services.draw`` and
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

        g.refused_as = "导入失败"  # a PlanError goes to the one handler with these words
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise PlanError(422, "请选择要导入的文件")
        try:  # bad rows are not a refusal: they are listed on the page, row by row
            result = import_plans(upload.read(), upload.filename, g.user.username,
                                  request.form.get("reason") or None,
                                  plan_no=request.form.get("plan_no") or None,
                                  plan_name=request.form.get("plan_name") or None)
            report = {"ok": True, "message": result.summary(), "errors": []}
        except ImportFailed as exc:
            report = {"ok": False, "message": f"导入失败，未作任何更改（{len(exc.errors)}处错误）",
                      "errors": exc.errors}
    rows = db.session.execute(sa.select(Plan).order_by(Plan.year.desc(), Plan.plan_no)).scalars()
    return render_template("console/plans.html", plans=list(rows), report=report,
                           draw_type=lambda c: DrawType(c).label,
                           draw_types=[(d.value, d.label) for d in DrawType])


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
    from ..services import draw_public
    from ..services.dispatch import today as dispatch_today

    freeze = draws.pending_freeze(task)
    records = db.session.execute(sa.select(DrawRecord).where(
        DrawRecord.task_id == task.id).order_by(DrawRecord.id)).scalars().all()
    latest = records[-1] if records else None
    summary = draws.summary(latest) if latest else None
    problems = None
    if freeze is None and latest is None and request.args.get("check"):
        problems = draws.check_task(task_no)
    rules = draws.effective_rules(task.rules)
    return render_template("console/task.html", task=task, freeze=freeze, records=records,
                           freeze_no=draws.attempt_no(freeze) if freeze else None,
                           privacy_notes=draw_public.privacy_notes(task),
                           summary=summary, p=_drawn_page(task), workload=workload(task),
                           rules_text=rules_text(task),
                           pool=draws.pool_preview(task_no),
                           attempts=draws.attempts(task_no),
                           rules=rules, problems=problems,
                           hosts_text=draws.format_hosts(rules.get("host_departments")),
                           now=draws.clock(),
                           draw_type=DrawType(task.draw_type).label,
                           window_ended=task.window_end < dispatch_today(),
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
    from shared.enums import Industry

    from ..services.draw import effective_rules

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
    if r.get("host_departments"):
        out.append("主办科室按行业：" + "；".join(
            f"{Industry.parse(k).label}由{v}主办" for k, v in r["host_departments"].items()))
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


@bp.route("/tasks/<task_no>/freeze", methods=["POST"])
@login_required(*OFFICE)
def task_freeze(task_no: str):
    """Step ① of the ceremony: 冻结 (refused with every infeasible enterprise listed)."""
    from ..services import draw as draws

    kind = "redraw" if request.form.get("kind") == "redraw" else "draw"
    lottery = {"draw_no": request.form.get("lottery_draw"),
               "draw_time": request.form.get("lottery_time")}
    f = draws.freeze_task(task_no, g.user.username, kind=kind,
                          reason=request.form.get("reason") or None,
                          source=request.form.get("source") or None, lottery=lottery)
    flash(f"已冻结（第{draws.freeze_summary(f)['seq']}次尝试）：快照哈希{f.snapshot_hash[:16]}…，"
          f"种子承诺值{f.seed_commitment[:16]}…，已在公开页面公示")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/draw", methods=["POST"])
@login_required(*OFFICE)
def task_draw(task_no: str):
    """Step ③: draw with the promised public value (fetched, or pasted here)."""
    from ..services import draw as draws

    given = None
    if (request.form.get("beacon") or "").strip():
        given = draws.parse_beacon(request.form["beacon"])
    elif (request.form.get("numbers") or "").strip():
        given = {"numbers": request.form["numbers"]}
    rec = draws.draw_frozen(task_no, g.user.username, beacon=given)
    flash(f"抽取完成：记录{rec.id}，可抽取对象{rec.pool_size}户，"
          f"抽中{len(rec.result.get('visits', []))}户")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/rules", methods=["POST"])
@login_required(*OFFICE)
def task_rules(task_no: str):
    """The task's rules, changed with a reason (logged; a frozen draw keeps its own)."""
    from ..services import draw as draws
    from ..services.plans import PlanError, get_task

    form = request.form
    current = draws.effective_rules(get_task(task_no).rules)["composition"]
    strict = bool(form.get("longgang"))
    changes = {
        "field_match": bool(form.get("field_match")),
        "recuse_own_street": bool(form.get("recuse_own_street")),
        "recuse_previous": bool(form.get("recuse_previous")),
        "expert_specialty_match": bool(form.get("expert_specialty_match")),
        "experts_required": bool(form.get("experts_required")),
        "exclude_drawn_in_plan": bool(form.get("exclude_drawn_in_plan")),
    }
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
    # The switch only changes the composition when it is flipped: a stricter
    # one set from the plan spreadsheet (属地2人,局1人) stays as it is.
    if strict != bool(current["street_pool"] or current["bureau_pool"]):
        changes["composition"] = draws.composition(strict)
    try:
        hosts = draws.parse_hosts(form.get("host_departments"))
    except ValueError as exc:  # a 主办科室 cell naming no industry
        raise PlanError(422, str(exc)) from None
    changes["host_departments"] = hosts or None
    draws.set_rules(task_no, changes, g.user.username, form.get("reason"))
    flash("抽取规则已修改并记入计划变更记录")
    return redirect(url_for("console.task", task_no=task_no))


@bp.route("/tasks/<task_no>/dispatch", methods=["GET", "POST"])
@login_required(*OFFICE)
def task_dispatch(task_no: str):
    """派发 in two steps: the page says what will happen (how many visits, to which
    inspectors, how many 通知书 numbers are issued – they cannot be taken back);
    only its confirming POST, carrying the preview's token, dispatches."""
    from ..models import Inspector
    from ..services.dispatch import dispatch_task, preview_dispatch

    preview = preview_dispatch(task_no)
    token = request.form.get("token") if request.method == "POST" else None
    if token is None or token != preview.token or not preview.steps:
        names = dict(db.session.execute(sa.select(Inspector.id, Inspector.name).where(
            Inspector.id.in_(preview.inspector_ids))).all())
        return render_template("console/dispatch_confirm.html", preview=preview, names=names,
                               changed=token is not None and bool(preview.steps))
    result = dispatch_task(task_no, g.user.username, expect=token)
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
    return Response(draws.export_record(rec), mimetype="application/json",
                    headers=attachment(f"摇号记录-{record_id}.json",
                                       f"draw-record-{record_id}.json"))


@bp.route("/specialties", methods=["GET", "POST"])
@login_required(*STAFF)
def specialties():
    """专家专业对照表: how the bureau reads experts' written 专业 (recorded in each freeze)."""
    from shared.enums import Industry

    from ..services import draw as draws

    office = g.user.role in (r.value for r in OFFICE)
    if request.method == "POST":
        if not office:
            abort(403)
        draws.set_specialty(request.form.get("word", ""),
                            request.form.getlist("industries"), g.user.username)
        flash(f"已保存“{request.form.get('word', '').strip()}”的对照，此后的冻结按此抽取专家")
        return redirect(url_for("console.specialties"))
    labels = {m.value: m.label for m in Industry}
    return render_template("console/specialties.html", mapping=draws.specialty_map(),
                           labels=labels, office=office)


add_nav("console.plans", "计划与抽取", *STAFF)
