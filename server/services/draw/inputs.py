"""What a draw reads besides the pool: earlier draws, officers, experts, items.

Shaped for ``shared.draw`` (plain dicts and lists); the pool itself is read
by :mod:`.registry`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from shared.draw import DrawContext
from shared.draw.snapshot import DEFAULT_RULES
from shared.enums import DrawAttemptStatus

from ...extensions import db
from ...models import (
    CheckItem,
    DrawFreeze,
    Enterprise,
    Expert,
    Inspector,
    ItemListVersion,
    Task,
    Visit,
)
from ...models.draw import VisitMember


def joint_siblings(task: Task, joint_group: str | None) -> list[Task]:
    """Other tasks of the same plan in the same 联合检查组 (task_no order)."""
    if not joint_group:
        return []
    others = db.session.execute(
        sa.select(Task).where(Task.plan_id == task.plan_id, Task.id != task.id)
        .order_by(Task.task_no)).scalars()
    return [t for t in others if (t.rules or {}).get("joint_group") == joint_group]


def _drawn_in_plan(plan_id: int, skip_task_ids: Iterable[int]) -> sa.Select:
    return (sa.select(Enterprise.uscc).distinct()
            .select_from(Visit)
            .join(Enterprise, Enterprise.id == Visit.enterprise_id)
            .join(Task, Task.id == Visit.task_id)
            .where(Visit.current.is_(True), Task.plan_id == plan_id,
                   Visit.task_id.notin_(list(skip_task_ids))))


def load_context(task: Task, siblings: list[Task], rules: dict[str, Any]) -> DrawContext:
    """Earlier draws of the plan, this year's inspections, previous inspectors.

    Joint siblings and the task itself (a redraw replaces it) are not
    "earlier rounds": their enterprises are meant to be drawn together.
    """
    skip = [task.id, *(t.id for t in siblings)]
    drawn = set(db.session.execute(_drawn_in_plan(task.plan_id, skip)).scalars())
    counts: dict[str, int] = {}
    if rules.get("yearly_cap") is not None:
        year = task.window_start.year
        stmt = (sa.select(Enterprise.uscc, sa.func.count(Visit.id))
                .join(Enterprise, Enterprise.id == Visit.enterprise_id)
                .join(Task, Task.id == Visit.task_id)
                .where(Visit.current.is_(True), Visit.task_id.notin_(skip),
                       Task.window_start >= date(year, 1, 1),
                       Task.window_start <= date(year, 12, 31))
                .group_by(Enterprise.uscc))
        counts = dict(db.session.execute(stmt).all())
    previous: dict[str, list[str]] = {}
    if rules.get("recuse_previous"):
        stmt = (sa.select(Enterprise.uscc, Visit.id, Inspector.cert_no)
                .join(Enterprise, Enterprise.id == Visit.enterprise_id)
                .join(VisitMember, VisitMember.visit_id == Visit.id)
                .join(Inspector, Inspector.id == VisitMember.inspector_id)
                .where(Visit.current.is_(True), Visit.task_id != task.id)
                .order_by(Visit.created_at, Visit.id))
        latest: dict[str, tuple[int, list[str]]] = {}
        for uscc, visit_id, cert in db.session.execute(stmt):
            if uscc not in latest or latest[uscc][0] != visit_id:
                latest[uscc] = (visit_id, [])
            latest[uscc][1].append(cert)
        previous = {u: certs for u, (_v, certs) in latest.items()}
    return DrawContext(drawn_in_plan=frozenset(drawn), inspections_this_year=counts,
                       previous_inspectors=previous)


def undrawn_rounds(task: Task, siblings: list[Task], rules: dict[str, Any]
                   ) -> list[tuple[Task, DrawFreeze]]:
    """Other tasks frozen but not yet drawn, with their pending freeze, whose
    result this task's pool depends on.

    The pool excludes enterprises drawn in earlier rounds of the plan (and
    counts this year's inspections for the yearly cap); a task frozen but not
    drawn has no result yet, and the snapshot is fixed at the freeze, so an
    enterprise in both pools could be drawn twice (长子: 已经抽查过的对象，不再
    列为下一轮随机抽查对象).  The freeze compares the pools (freeze.py).  Joint
    siblings are drawn together and do not exclude each other.
    """
    exclude = rules.get("exclude_drawn_in_plan", DEFAULT_RULES["exclude_drawn_in_plan"])
    capped = rules.get("yearly_cap") is not None
    if not exclude and not capped:
        return []
    depends = []
    if exclude:
        depends.append(Task.plan_id == task.plan_id)
    if capped:
        year = task.window_start.year
        depends.append(sa.and_(Task.window_start >= date(year, 1, 1),
                               Task.window_start <= date(year, 12, 31)))
    stmt = (sa.select(Task, DrawFreeze).join(DrawFreeze, DrawFreeze.task_id == Task.id)
            .where(DrawFreeze.status == DrawAttemptStatus.PENDING.value,
                   Task.id.notin_([task.id, *(t.id for t in siblings)]), sa.or_(*depends))
            .order_by(Task.task_no, DrawFreeze.id))
    return [(t, f) for t, f in db.session.execute(stmt).all()]


def load_inspectors() -> list[dict[str, Any]]:
    # The registry has no 辅助人员 flag: everyone in it holds a 执法证 (auxiliary False).
    return [{"cert_no": i.cert_no, "name": i.name, "cert_expiry": i.cert_expiry,
             "department": i.department, "street": i.street, "fields": i.fields or [],
             "duty": i.duty_status, "auxiliary": False, "conflicts": i.conflicts or []}
            for i in db.session.execute(sa.select(Inspector)).scalars()]


def _specialties(text: str | None) -> list[str]:
    """专业 as written, one entry per listed specialty (“煤矿安全、粉尘防爆”).
    An industry's own name is kept too; the snapshot's specialty map says
    which industries the other words cover."""
    words = re.split(r"[、，,;；/\s]+", text or "")
    return sorted({w.strip() for w in words if w.strip()})


def load_experts() -> list[dict[str, Any]]:
    return [{"id": str(e.id), "name": e.name, "specialties": _specialties(e.specialty),
             "org": e.organization, "conflicts": e.conflicts or []}
            for e in db.session.execute(sa.select(Expert)).scalars()]


def expert_names(ids: Iterable[str]) -> dict[str, str]:
    wanted = [int(i) for i in ids]
    if not wanted:
        return {}
    rows = db.session.execute(sa.select(Expert.id, Expert.name, Expert.organization)
                              .where(Expert.id.in_(wanted)))
    return {str(i): f"{name}（{org}）" if org else name for i, name, org in rows}


def load_items() -> tuple[list[dict[str, Any]], int | None]:
    """The latest version of the item list, as the draw sees it, and its number."""
    number = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
    if number is None:
        return [], None
    rows = db.session.execute(
        sa.select(CheckItem).join(ItemListVersion).where(ItemListVersion.number == number)
    ).scalars()
    return [{"no": i.code, "name": i.name, "category": i.category,
             "industries": i.industries or []} for i in rows], number
