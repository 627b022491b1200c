"""工作台: each role's to-dos with counts, each a link to the list that shows them.

Counts only (one aggregate query each), so the page stays fast at any size.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from shared.enums import Role

from ..extensions import db
from ..models import (
    Enterprise,
    Expert,
    Inspector,
    ItemListVersion,
    PublicationResult,
    Task,
    Visit,
    VisitMember,
)
from ..models.case import BlacklistProposal, Case, CaseEvent, CaseHazard, Reinspection
from ..models.sync import Dispatch, SyncRecord
from ..services.deadlines import bureau_today, load_calendar, publication_deadline

# Findings without 整改指令 this many days after the inspection count as late (长子 按时完成).
ORDERS_GRACE_DAYS = 3


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def _publication_counts(today) -> tuple[int, int]:
    """(overdue, due within 3 working days) among results waiting for review."""
    days = db.session.execute(sa.select(PublicationResult.inspected_on, sa.func.count())
                              .where(PublicationResult.status.in_(("pending", "rejected")))
                              .group_by(PublicationResult.inspected_on)).all()
    cal, late, soon = load_calendar(), 0, 0
    for day, n in days:
        due = publication_deadline(day, calendar=cal).due
        status = cal.deadline_status(due, today, 3).value
        late += n if status == "overdue" else 0
        soon += n if status == "due_soon" else 0
    return late, soon


def todos(role: str, user) -> list[dict]:
    """[{label, count, url args, level}] for *role*; zero counts are kept (it is
    reassuring to see 0 overdue) but shown quietly."""
    today = bureau_today()
    out: list[dict] = []

    def add(label, count, endpoint, level="", **args):
        out.append({"label": label, "count": count, "endpoint": endpoint, "args": args,
                    "level": level if count else ""})

    if role in (Role.ADMIN.value, Role.DISPATCHER.value):
        late_rect = _count(sa.select(CaseHazard.id).join(Case).where(
            CaseHazard.status == "open", CaseHazard.deadline < today,
            CaseHazard.reported_on.is_(None), Case.state == "orders_issued"))
        late_re = _count(sa.select(Reinspection.id).join(Case).where(
            Reinspection.done_on.is_(None), Reinspection.due_on < today,
            Case.state == "reinspection"))
        add("整改或复查逾期", late_rect + late_re, "console.cases", "bad", late="1")
        uploaded = sa.exists().where(SyncRecord.visit_id == Dispatch.visit_id)
        add("检查时间已过仍未回传记录", _count(
            sa.select(Dispatch.id).join(Visit, Visit.id == Dispatch.visit_id)
            .join(Task, Task.id == Visit.task_id)
            .where(Dispatch.withdrawn_at.is_(None), ~uploaded, Task.window_end < today)),
            "console.dispatch", "bad", record="no", late="1")
        since = today - timedelta(days=ORDERS_GRACE_DAYS)
        add(f"发现问题超过{ORDERS_GRACE_DAYS}天未下达整改指令", _count(
            sa.select(Case.id).where(Case.state == "inspected", Case.findings > 0,
                                     Case.inspected_on < since)),
            "console.cases", "bad", state="inspected", findings="1")
        add("检查记录已回传、待办理", _count(sa.select(Case.id).where(
            Case.state == "inspected", Case.pending.is_(None))), "console.cases",
            state="inspected")
        finished = sa.select(CaseEvent.case_id).where(
            CaseEvent.action.in_(("penalty_executed", "transfer_received")))
        add("立案处罚、移送待登记结果", _count(sa.select(Case.id).where(
            Case.state.in_(("penalty", "transferred")), Case.id.not_in(finished))),
            "console.cases", "soon", escalated="open")
        add("法制审核退回、待修改的公开结果", _count(sa.select(PublicationResult.id).where(
            PublicationResult.status == "rejected")), "console.publication", "soon",
            review="rejected")
    if role in (Role.REVIEWER.value, Role.ADMIN.value, Role.DISPATCHER.value):
        late, soon = _publication_counts(today)
        add("检查结果公开已逾期", late, "console.publication", "bad", due="overdue")
        add("检查结果3个工作日内到期", soon, "console.publication", "soon", due="due_soon")
    if role == Role.REVIEWER.value:
        add("待法制审核的检查结果", _count(sa.select(PublicationResult.id).where(
            PublicationResult.status == "pending")), "console.publication", review="pending")
        add("待法制审核的案件（转处罚/移送、重大隐患销号）", _count(sa.select(Case.id).where(
            Case.pending.is_not(None))), "console.cases", "soon", review="1")
        add("待审核的黑名单建议", _count(sa.select(BlacklistProposal.id).where(
            BlacklistProposal.status == "pending")), "console.cases")
    if role == Role.ARCHIVIST.value:
        add("已办结待归档的案件", _count(sa.select(Case.id).where(
            Case.state.in_(("closed", "penalty", "transferred")))), "console.cases", "soon",
            state="closed")
        add("已归档案卷", _count(sa.select(Case.id).where(Case.state == "archived")),
            "console.cases", state="archived")
    if role == Role.INSPECTOR.value and user.inspector_id:
        mine = sa.select(VisitMember.visit_id).where(VisitMember.inspector_id == user.inspector_id)
        uploaded = sa.exists().where(SyncRecord.visit_id == Dispatch.visit_id)
        add("派给我、尚未回传检查记录的企业", _count(sa.select(Dispatch.id).where(
            Dispatch.visit_id.in_(mine), Dispatch.withdrawn_at.is_(None), ~uploaded)), "")
    return out


def counts() -> dict[str, int | None]:
    return {
        "enterprises": db.session.scalar(sa.select(sa.func.count(Enterprise.id))),
        "inspectors": db.session.scalar(sa.select(sa.func.count(Inspector.id))),
        "experts": db.session.scalar(sa.select(sa.func.count(Expert.id))),
        "item_version": db.session.scalar(sa.select(sa.func.max(ItemListVersion.number))),
        "expired_certs": db.session.scalar(sa.select(sa.func.count(Inspector.id)).where(
            Inspector.cert_expiry < bureau_today())),
    }
