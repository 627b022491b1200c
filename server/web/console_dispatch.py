"""Console: dispatch status per team and per tablet (last sync, unsynced counts)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from shared.enums import Role
from shared.lifecycle import VisitStatus

from ..extensions import db
from ..models import DeviceToken, Task, User, Visit, VisitMember
from ..models.sync import Dispatch, DispatchEvent, SyncRecord
from . import add_nav
from .console import bp, login_required

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
VISIT_STATUS = {s.value: s.label for s in VisitStatus}


@bp.app_template_filter("visit_status")
def visit_status(code: str) -> str:
    return VISIT_STATUS.get(code, code)


def dispatch_status(task_no: str | None = None) -> tuple[list[dict], list[dict]]:
    """(teams, tablets): one row per dispatched visit and one per inspector device."""
    query = (sa.select(Dispatch).join(Visit, Dispatch.visit_id == Visit.id)
             .options(selectinload(Dispatch.visit).selectinload(Visit.members)
                      .selectinload(VisitMember.inspector),
                      selectinload(Dispatch.visit).selectinload(Visit.enterprise))
             .order_by(Dispatch.dispatched_at.desc(), Dispatch.id))
    if task_no:
        query = query.join(Task, Dispatch.task_id == Task.id).where(Task.task_no == task_no)
    dispatches = db.session.execute(query).scalars().all()
    uploaded = set(db.session.execute(sa.select(SyncRecord.visit_id)).scalars())
    teams, open_by_inspector = [], defaultdict(int)
    for d in dispatches:
        v = d.visit
        live = d.withdrawn_at is None
        teams.append({"visit_id": v.id, "task_no": v.task.task_no,
                      "enterprise": v.enterprise.name,
                      "team": [(m.inspector.name, m.leader) for m in v.members],
                      "notice_no": d.notice_no, "dispatched_at": d.dispatched_at,
                      "withdrawn": not live, "status": v.status,
                      "uploaded": v.id in uploaded})
        if live and v.id not in uploaded:
            for inspector_id in d.team:
                open_by_inspector[inspector_id] += 1
    tablets = []
    tokens = db.session.execute(
        sa.select(DeviceToken).join(User).where(User.role == Role.INSPECTOR.value)
        .options(selectinload(DeviceToken.user).selectinload(User.inspector))
        .order_by(DeviceToken.last_seen_at.desc())).scalars().all()
    for t in tokens:
        inspector = t.user.inspector
        since = sa.true() if t.last_seen_at is None else DispatchEvent.created_at > t.last_seen_at
        waiting = db.session.scalar(sa.select(sa.func.count()).select_from(DispatchEvent).where(
            DispatchEvent.inspector_id == (inspector.id if inspector else -1), since))
        tablets.append({"device_id": t.device_id, "user": t.user.display_name or t.user.username,
                        "last_seen": t.last_seen_at, "revoked": t.revoked_at is not None,
                        "to_download": waiting,
                        "to_upload": open_by_inspector.get(inspector.id, 0) if inspector else 0})
    return teams, tablets


@bp.route("/dispatch")
@login_required(*STAFF)
def dispatch():
    task_no = request.args.get("task") or None
    teams, tablets = dispatch_status(task_no)
    return render_template("console/dispatch.html", teams=teams, tablets=tablets, task_no=task_no)


@bp.route("/visits/<int:visit_id>/withdraw", methods=["POST"])
@login_required(Role.ADMIN, Role.DISPATCHER)
def visit_withdraw(visit_id: int):
    """Take one dispatched visit back from its team's tablets (a reason is required)."""
    from ..services.dispatch import withdraw_visit

    withdraw_visit(visit_id, g.user.username, request.form.get("reason") or "")
    flash("已撤回该检查对象，检查组平板下次同步时移除")
    return redirect(request.referrer or url_for("console.dispatch"))


add_nav("console.dispatch", "派发与同步", *STAFF)
