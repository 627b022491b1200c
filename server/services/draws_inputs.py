"""What a draw reads from the database, shaped for ``shared.draw``.

The pool is the hot path (a registry may hold a million rows): one Core
``SELECT`` of only the columns the pool and the filter need, with the
filter's plain equality/flag clauses pushed into SQL, and no ``ORDER BY``:
ordering by USCC makes SQLite walk the unique index and fetch half the table
by random access (measured 2–3× the plain read in bench/draw_1m.py), while
``build_pool`` sorts the projected tuples itself.  ``build_pool`` then
applies the whole filter again – the database only narrows, the pure code
decides – so SQL and Python can never disagree about who was eligible.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from shared.draw import DrawContext, parse_filter
from shared.draw.gcpause import gc_paused
from shared.draw.parse import EQ, FLAG
from shared.enums import Industry

from ..extensions import db
from ..models import CheckItem, Enterprise, Expert, Inspector, ItemListVersion, Task, Visit
from ..models.draw import VisitMember

E = Enterprise.__table__
# shared pool key → registry column (the registry calls 特殊作业 special_work).
REGISTRY_COLUMN = {"id": "id", "uscc": "uscc", "name": "name", "credit_class": "credit_class",
           "industry": "industry", "street": "street", "needs_expert": "needs_expert",
           "status": "status", "affiliation": "affiliation", "scale": "scale",
           "risk_level": "risk_level", "blacklisted": "blacklisted",
           "major_hazard": "major_hazard", "special_ops": "special_work",
           "registries": "registries"}
_BASE_KEYS = ("id", "uscc", "name", "credit_class", "industry", "street", "needs_expert",
              "status")


def pool_query(scope: str | None) -> tuple[sa.Select, list[str]]:
    """The narrowed registry ``SELECT`` for a task's 抽查对象范围, and its row keys."""
    clauses = parse_filter(scope)
    keys = list(_BASE_KEYS) + [c.key for c in clauses if c.key not in _BASE_KEYS]
    keys = list(dict.fromkeys(keys))
    stmt = sa.select(*[E.c[REGISTRY_COLUMN[k]] for k in keys])
    for clause in clauses:
        col = E.c[REGISTRY_COLUMN[clause.key]]
        if clause.kind == EQ:
            stmt = stmt.where(col.in_(list(clause.values)))
        elif clause.kind == FLAG and set(clause.values) == {True}:
            stmt = stmt.where(col.is_(True))
        elif clause.kind == FLAG and set(clause.values) == {False}:
            stmt = stmt.where(sa.or_(col.is_(False), col.is_(None)))
        # ANY (JSON lists) and CONTAINS (names) are left to build_pool.
    return stmt, keys


def load_pool_rows(scope: str | None) -> list[dict[str, Any]]:
    stmt, keys = pool_query(scope)
    with gc_paused():  # half a million dicts and no cycles: skip the collector's passes
        # .all() is one fetchall(); iterating the result would call fetchone() per row.
        rows = db.session.connection().execute(stmt).all()
        return [dict(zip(keys, row, strict=True)) for row in rows]


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


def load_inspectors() -> list[dict[str, Any]]:
    # The registry has no 辅助人员 flag: everyone in it holds a 执法证 (auxiliary False).
    return [{"cert_no": i.cert_no, "name": i.name, "cert_expiry": i.cert_expiry,
             "department": i.department, "street": i.street, "fields": i.fields or [],
             "duty": i.duty_status, "auxiliary": False, "conflicts": i.conflicts or []}
            for i in db.session.execute(sa.select(Inspector)).scalars()]


def _industries(text: str | None) -> list[str]:
    """专业 is free text; the industries it names (煤矿、工贸 …) are what the draw matches."""
    out = []
    for word in (text or "").replace("，", "、").replace(",", "、").replace(";", "、").split("、"):
        try:
            out.append(Industry.parse(word.strip()).value)
        except ValueError:
            continue
    return out


def load_experts() -> list[dict[str, Any]]:
    return [{"id": str(e.id), "name": e.name, "specialties": _industries(e.specialty),
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
