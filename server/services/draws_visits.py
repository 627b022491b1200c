"""Visits and team members from a draw result (bulk Core inserts), joint merging."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from shared.draw import merge_joint

from ..extensions import db
from ..models import DrawRecord, Enterprise, Inspector, Task, Visit
from ..models._types import utcnow
from ..models.draw import VisitMember
from .draws_inputs import expert_names
from .registry_io.importer import bulk_insert

_CHUNK = 5000  # bound parameters per IN (…) – SQLite allows 32,766


def enterprise_ids(usccs: Iterable[str]) -> dict[str, int]:
    wanted = list(usccs)
    out: dict[str, int] = {}
    for i in range(0, len(wanted), _CHUNK):
        out.update(db.session.execute(sa.select(Enterprise.uscc, Enterprise.id).where(
            Enterprise.uscc.in_(wanted[i:i + _CHUNK]))).all())
    return out


def inspector_ids() -> dict[str, int]:
    return dict(db.session.execute(sa.select(Inspector.cert_no, Inspector.id)).all())


def visit_team(visit: Visit) -> tuple[list[str], str | None]:
    certs = [m.inspector.cert_no for m in visit.members]
    leader = next((m.inspector.cert_no for m in visit.members if m.leader), None)
    return sorted(certs), leader


def _sibling_visits(siblings: list[Task], ids: list[int]) -> dict[int, Visit]:
    if not siblings or not ids:
        return {}
    rows = db.session.execute(sa.select(Visit).where(
        Visit.current.is_(True), Visit.task_id.in_([t.id for t in siblings]),
        Visit.enterprise_id.in_(ids))).scalars()
    return {v.enterprise_id: v for v in rows}


def store_visits(rec: DrawRecord, task: Task, siblings: list[Task],
                 visits: list[dict[str, Any]], item_version: int | None) -> None:
    """One current visit per drawn enterprise; joint siblings' visits are merged (一企一表).

    A sibling task that already drew the same enterprise has a current visit;
    it is superseded by one merged visit (union of teams, experts and items,
    the first task's leader – ``shared.draw.merge_joint``) in this record.
    """
    ids = enterprise_ids(v["uscc"] for v in visits)
    certs = inspector_ids()
    names = expert_names({e for v in visits for e in v["experts"]})
    earlier = _sibling_visits(siblings, list(ids.values()))
    now = utcnow()
    rows, teams = [], []
    for v in visits:
        eid = ids[v["uscc"]]
        mine = {"uscc": v["uscc"], "inspectors": v["inspectors"], "leader": v["leader"],
                "experts": [names[e] for e in v["experts"]], "items": v["items"]}
        joint: list[str] = []
        old = earlier.get(eid)
        if old is not None:
            old_tasks = old.joint_task_nos or [old.task.task_no]
            inspectors, leader = visit_team(old)
            before = {"uscc": v["uscc"], "inspectors": inspectors, "leader": leader,
                      "experts": old.expert_names or [], "items": old.item_codes or []}
            mine = merge_joint({min(old_tasks): {"visits": [before]},
                                task.task_no: {"visits": [mine]}})[0]
            joint = sorted({*old_tasks, task.task_no})
            old.current = False
        rows.append({"task_id": task.id, "draw_record_id": rec.id, "enterprise_id": eid,
                     "joint_task_nos": joint, "item_version": item_version,
                     "item_codes": mine["items"], "expert_names": mine["experts"],
                     "status": "drawn", "current": True, "created_at": now, "updated_at": now})
        teams.append((mine["inspectors"], mine["leader"]))
    if not rows:
        return
    db.session.flush()
    table = Visit.__table__
    # An untyped executemany (JSON encoded once, not per bound parameter), then the
    # ids read back by (record, enterprise) – unique – is several times cheaper
    # than INSERT … RETURNING in batches on 30,000 visits.
    bulk_insert(table, rows)
    visit_id = dict(db.session.execute(sa.select(table.c.enterprise_id, table.c.id).where(
        table.c.draw_record_id == rec.id)).all())
    members = [{"visit_id": visit_id[row["enterprise_id"]], "inspector_id": certs[c],
                "leader": c == leader}
               for row, (team, leader) in zip(rows, teams, strict=True) for c in team]
    bulk_insert(VisitMember.__table__, members)


def stored_visits(rec: DrawRecord) -> list[dict[str, Any]]:
    """The visits a record created, with whether each is still current (three queries)."""
    rows = db.session.execute(
        sa.select(Visit.id, Enterprise.uscc, Enterprise.name, Visit.expert_names,
                  Visit.item_codes, Visit.joint_task_nos, Visit.current, Visit.draw_record_id)
        .join(Enterprise, Enterprise.id == Visit.enterprise_id)
        .where(Visit.draw_record_id == rec.id).order_by(Visit.id)).all()
    teams: dict[int, list[tuple[str, bool]]] = {}
    for visit_id, cert, leader in db.session.execute(
            sa.select(VisitMember.visit_id, Inspector.cert_no, VisitMember.leader)
            .join(Inspector, Inspector.id == VisitMember.inspector_id)
            .join(Visit, Visit.id == VisitMember.visit_id)
            .where(Visit.draw_record_id == rec.id)):
        teams.setdefault(visit_id, []).append((cert, leader))
    out = []
    for vid, uscc, name, experts, items, joint, current, record_id in rows:
        team = teams.get(vid, [])
        out.append({"uscc": uscc, "name": name, "inspectors": sorted(c for c, _ in team),
                    "leader": next((c for c, lead in team if lead), None),
                    "experts": experts or [], "items": items or [],
                    "joint_task_nos": joint or [], "current": current,
                    "draw_record_id": record_id})
    return out
