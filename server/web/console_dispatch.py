"""Console: dispatch status per visit and per tablet (last sync, unsynced counts),
withdrawing one or several visits, and the printed 随机抽查通知书."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import contains_eager, selectinload

from shared.enums import Role
from shared.lifecycle import VisitStatus

from ..extensions import db
from ..models import DeviceToken, Enterprise, Task, User, Visit, VisitMember
from ..models.case import Case
from ..models.sync import Dispatch, DispatchEvent, SyncRecord
from ..services.accounts import tablet_numbers
from ..services.deadlines import bureau_today
from . import add_nav
from .console import bp, login_required
from .download import attachment
from .listing import ordered, paged, search, wants_export, xlsx

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
OFFICE = (Role.ADMIN, Role.DISPATCHER)
VISIT_STATUS = {s.value: s.label for s in VisitStatus}
NO_NOTICE = "暗查，不告知"  # an unannounced visit has no notice and no number
SORTS = {"dispatched": Dispatch.dispatched_at, "enterprise": Enterprise.name,
         "task": Task.task_no,
         # 应急抽通〔2026〕3号 before 〔2026〕10号: by year and number, not as text.
         "notice": (Dispatch.notice_year, Dispatch.notice_seq)}


@bp.app_template_filter("visit_status")
def visit_status(code: str) -> str:
    return VISIT_STATUS.get(code, code)


def _uploaded():
    return sa.exists().where(SyncRecord.visit_id == Dispatch.visit_id)


def _query(args) -> sa.Select:
    query = (sa.select(Dispatch).join(Visit, Dispatch.visit_id == Visit.id)
             .join(Enterprise, Enterprise.id == Visit.enterprise_id)
             .join(Task, Task.id == Visit.task_id)
             .options(contains_eager(Dispatch.visit).contains_eager(Visit.enterprise),
                      contains_eager(Dispatch.visit).contains_eager(Visit.task),
                      contains_eager(Dispatch.visit).selectinload(Visit.members)
                      .selectinload(VisitMember.inspector)))
    if args.get("task"):
        query = query.where(Task.task_no == args["task"])
    if args.get("q"):
        query = query.where(search((Enterprise.name, Enterprise.uscc, Dispatch.notice_no,
                                    Task.task_no), args["q"]))
    if args.get("status") in VISIT_STATUS:
        query = query.where(Visit.status == args["status"])
    if args.get("record") == "yes":
        query = query.where(_uploaded())
    elif args.get("record") == "no":
        query = query.where(~_uploaded())
    if args.get("late") == "1":  # the task's window has ended (杜绝回填超期)
        query = query.where(Task.window_end < bureau_today())
    if args.get("withdrawn") == "yes":
        query = query.where(Dispatch.withdrawn_at.is_not(None))
    elif args.get("withdrawn") != "all":
        query = query.where(Dispatch.withdrawn_at.is_(None))
    return query


def _tablets() -> list[dict]:
    """One row per tablet (device and inspector): last sync, changes waiting, visits
    not uploaded.  A device that logged in again holds several tokens (the older
    ones revoked): it is still one tablet, 有效 while any of its tokens is."""
    open_visits = dict(db.session.execute(
        sa.select(VisitMember.inspector_id, sa.func.count())
        .join(Dispatch, Dispatch.visit_id == VisitMember.visit_id)
        .where(Dispatch.withdrawn_at.is_(None), ~_uploaded())
        .group_by(VisitMember.inspector_id)).all())
    newest = (sa.select(sa.func.max(DeviceToken.id))
              .group_by(DeviceToken.user_id, DeviceToken.device_id))
    tokens = db.session.execute(
        sa.select(DeviceToken).join(User).where(User.role == Role.INSPECTOR.value,
                                                DeviceToken.id.in_(newest))
        .options(selectinload(DeviceToken.user).selectinload(User.inspector))
        .order_by(DeviceToken.last_seen_at.desc().nulls_last(), DeviceToken.id.desc())
        .limit(500)).scalars().all()
    tablets = []
    by_device: dict[tuple[str, int], dict] = {}
    for t in tokens:
        seen = by_device.get((t.device_id, t.user_id))
        if seen is not None:  # newest sync first: the row is there, its state may widen
            seen["revoked"] = seen["revoked"] and t.revoked_at is not None
            continue
        inspector = t.user.inspector
        since = sa.true() if t.last_seen_at is None else DispatchEvent.created_at > t.last_seen_at
        waiting = db.session.scalar(sa.select(sa.func.count()).select_from(DispatchEvent).where(
            DispatchEvent.inspector_id == (inspector.id if inspector else -1), since))
        name = t.user.display_name or (inspector.name if inspector else None) or "执法人员"
        row = {"device_id": t.device_id, "user": name,
               "last_seen": t.last_seen_at, "revoked": t.revoked_at is not None,
               "to_download": waiting,
               "to_upload": open_visits.get(inspector.id, 0) if inspector else 0}
        by_device[(t.device_id, t.user_id)] = row
        tablets.append(row)
    return tablets


def _row(d: Dispatch, uploaded: set[int]) -> list:
    v = d.visit
    team = "、".join(m.inspector.name + ("（组长）" if m.leader else "") for m in v.members)
    return [v.task.task_no, v.enterprise.name, v.enterprise.uscc, team,
            d.notice_no or NO_NOTICE,
            d.dispatched_at, VISIT_STATUS.get(v.status, v.status),
            "已回传" if v.id in uploaded else "未回传", d.withdrawn_reason or ""]


def _uploaded_of(dispatches) -> set[int]:
    ids = [d.visit_id for d in dispatches]
    return set(db.session.scalars(sa.select(SyncRecord.visit_id).where(
        SyncRecord.visit_id.in_(ids)))) if ids else set()


@bp.route("/dispatch")
@login_required(*STAFF)
def dispatch():
    query = _query(request.args)
    if wants_export():
        from ..localtime import local_time

        rows = list(db.session.scalars(ordered(query, SORTS, "-dispatched", Dispatch.id)))
        done = _uploaded_of(rows)
        return xlsx("派发", ["任务编号", "检查对象", "统一社会信用代码", "检查组", "告知书文号",
                           "派发时间", "检查状态", "检查记录", "撤回理由"],
                    ([*r[:5], local_time(r[5]), *r[6:]] for r in (_row(d, done) for d in rows)))
    page = paged(query, SORTS, "-dispatched", Dispatch.id)
    cases = dict(db.session.execute(sa.select(Case.visit_id, Case.id).where(
        Case.visit_id.in_([d.visit_id for d in page.rows]))).all()) if page.rows else {}
    return render_template("console/dispatch.html", p=page, uploaded=_uploaded_of(page.rows),
                           cases=cases, tablets=_tablets(), args=request.args,
                           numbers=tablet_numbers(),
                           statuses=list(VISIT_STATUS.items()),
                           office=g.user.role in {r.value for r in OFFICE})


@bp.route("/visits/<int:visit_id>/withdraw", methods=["POST"])
@login_required(*OFFICE)
def visit_withdraw(visit_id: int):
    """Take one dispatched visit back from its team's tablets (a reason is required)."""
    from ..services.dispatch import withdraw_visit

    withdraw_visit(visit_id, g.user.username, request.form.get("reason") or "")
    flash("已撤回该检查对象，检查组平板下次同步时移除")
    return redirect(request.referrer or url_for("console.dispatch"))


@bp.route("/visits/withdraw", methods=["POST"])
@login_required(*OFFICE)
def visits_withdraw():
    """Several visits at once with one reason; each is withdrawn on its own."""
    from ..services.dispatch import DispatchError, withdraw_visit

    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    reason = (request.form.get("reason") or "").strip()
    if not ids or not reason:
        flash("请勾选要撤回的检查对象并填写撤回理由")
        return redirect(request.referrer or url_for("console.dispatch"))
    done, refused = 0, []
    for visit_id in ids:
        try:
            withdraw_visit(visit_id, g.user.username, reason)
            done += 1
        except DispatchError as exc:
            refused.append(exc.message)
    flash(f"已撤回{done}户" + (f"；{len(refused)}户未撤回：{refused[0]}" if refused else ""))
    return redirect(request.referrer or url_for("console.dispatch"))


@bp.route("/visits/<int:visit_id>/notice.pdf")
@login_required(*STAFF)
def visit_notice(visit_id: int):
    """The 随机抽查通知书 for one enterprise, to print or send."""
    from ..services.draw_documents import render_notice

    if db.session.get(Visit, visit_id) is None:
        abort(404, description="该检查对象不存在，没有通知书")
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit_id))
    if case is not None and case.task.unannounced:
        abort(404, description="暗查任务不事先告知，没有随机抽查通知书")
    made = render_notice(case) if case is not None else None
    if made is None:
        abort(404, description="该检查对象尚未派发，没有通知书")
    number, _day, pdf = made
    return Response(pdf, mimetype="application/pdf",
                    headers=attachment(f"随机抽查通知书-{case.enterprise.name}.pdf",
                                       f"notice-{visit_id}.pdf", inline=True))


add_nav("console.dispatch", "派发与同步", *STAFF)
