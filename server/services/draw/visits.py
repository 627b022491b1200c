"""Visits and team members from a draw result (bulk Core inserts), joint merging."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from itertools import chain
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from shared.draw import merge_joint

from ...extensions import db
from ...models import DrawRecord, Enterprise, Inspector, Task, Visit
from ...models._types import utcnow
from ...models.draw import VisitMember
from .inputs import expert_names

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


def json_list(values: list[str]) -> str:
    if not values:
        return "[]"
    # A JSON array of strings without a JSONEncoder per call (json.dumps builds
    # one each time: ~10 µs × 3 columns × 30,000 visits).
    return "[" + ",".join(map(encode_basestring, values)) + "]"


def bulk_insert(table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Rows of plain tuples, values already converted, in one bulk operation of the
    driver: ``COPY … FROM STDIN`` on PostgreSQL (where 34,000 visits and 68,000
    members by ``executemany`` took 1.5 s of a 3.6 s draw), multi-row ``INSERT``
    statements on SQLite.

    SQLAlchemy's per-row parameter processing cost more than the insert itself
    on 30,000 visits and 60,000 members.  Column names are ours, never input.
    """
    conn = db.session.connection()
    cursor = conn.connection.driver_connection.cursor()  # SQLAlchemy's wrapper cost ~30 %
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        _insert_values(cursor, f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ",
                       len(columns), rows)
    finally:
        cursor.close()


def _insert_values(cursor: Any, head: str, width: int, rows: list[tuple[Any, ...]]) -> None:
    """SQLite: ``VALUES (…), (…), …`` of up to ``_ROWS_PER_INSERT`` rows a statement.

    ``executemany`` runs one statement per row, each opening a cursor on the
    table, its indexes and every foreign key's parent table again; a statement
    of many rows opens them once (34,000 visits and 68,000 members: 0.29 s →
    0.21 s).  Bound variables stay under the library's limit (32,766 since 3.32).
    """
    limit = cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(_ROWS_PER_INSERT, limit // width))
    one = "(" + ", ".join(["?"] * width) + ")"
    full = head + ", ".join([one] * per)  # the same text each time: prepared once
    for i in range(0, len(rows), per):
        chunk = rows[i:i + per]
        sql = full if len(chunk) == per else head + ", ".join([one] * len(chunk))
        cursor.execute(sql, list(chain.from_iterable(chunk)))


_ROWS_PER_INSERT = 2000


def next_ids(table: sa.Table, n: int) -> list[int]:
    """The ids *n* new rows of *table* will carry, known before they are inserted
    so that the rows that refer to them are built without reading them back.

    SQLite: the caller's transaction holds the write lock (it has written, or
    began ``IMMEDIATE``), so no one else adds rows until it commits.
    PostgreSQL: taken from the table's own sequence, which ``COPY`` then carries.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        first = (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
        return list(range(first, first + n))
    return list(db.session.scalars(sa.text(
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
    ), {"table": table.name, "n": n}))


_VISIT_COLUMNS = ("id", "task_id", "draw_record_id", "item_version", "status", "current",
                  "created_at", "updated_at", "enterprise_id", "joint_task_nos", "item_codes",
                  "expert_names", "host_department")


def store_visits(rec: DrawRecord, task: Task, siblings: list[Task],
                 visits: list[dict[str, Any]], item_version: int | None,
                 ids: dict[str, int] | None = None) -> None:
    """One current visit per drawn enterprise; joint siblings' visits are merged (一企一表).

    *ids* maps USCC → enterprise id when the caller has it from the pool
    read.  A sibling task that already drew the same enterprise has a current
    visit; it is superseded by one merged visit (union of teams, experts and
    items, the first task's leader – ``shared.draw.merge_joint``) in this record.
    """
    if not visits:
        return
    if ids is None:
        ids = enterprise_ids(v["uscc"] for v in visits)
    certs = inspector_ids()
    names = expert_names({e for v in visits for e in v["experts"]})
    # In enterprise order, each index on enterprise_id grows at its right edge
    # instead of at random places (measured 1.8× faster on 34,000 visits).
    drawn = sorted(((ids[v["uscc"]], v) for v in visits), key=itemgetter(0))
    earlier = _sibling_visits(siblings, [eid for eid, _ in drawn])
    now = utcnow()
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    stamp = now.isoformat(sep=" ") if sqlite else now
    true, false = (1, 0) if sqlite else (True, False)
    common = (task.id, rec.id, item_version, "drawn", true, stamp, stamp)
    department, as_json = task.department, _json_lists()
    rows, teams = [], []
    db.session.flush()  # the record (and its lock on SQLite) before next_ids
    for visit_id, (eid, v) in zip(next_ids(Visit.__table__, len(drawn)), drawn, strict=True):
        old = earlier.get(eid) if earlier else None
        if old is None:  # the usual case: no joint sibling drew this enterprise yet
            experts = as_json([names[e] for e in v["experts"]]) if v["experts"] else "[]"
            rows.append((visit_id, *common, eid, "[]", as_json(v["items"]), experts,
                         v.get("host_department") or department))
            teams.append((visit_id, v["inspectors"], v["leader"]))
        else:
            joint, inspectors, leader, experts, items = _merged(old, task, v, names)
            rows.append((visit_id, *common, eid, json_list(joint), json_list(items),
                         json_list(experts), v.get("host_department") or department))
            teams.append((visit_id, inspectors, leader))
    db.session.flush()  # the superseded siblings' visits, before their successors
    bulk_insert(Visit.__table__, _VISIT_COLUMNS, rows)
    bulk_insert(VisitMember.__table__, ("visit_id", "inspector_id", "leader"), [
        (visit_id, certs[c], true if c == leader else false)
        for visit_id, team, leader in teams for c in team])


def _json_lists() -> Callable[[list[str]], str]:
    """``json_list`` remembering what it wrote: a county draw's 34,000 visits
    share some 700 item lists and a few dozen expert pairs."""
    written: dict[tuple[str, ...], str] = {}

    def as_json(values: list[str]) -> str:
        key = tuple(values)
        text = written.get(key)
        if text is None:
            text = written[key] = json_list(values)
        return text
    return as_json


def _merged(old: Visit, task: Task, v: dict[str, Any], names: dict[str, str],
            ) -> tuple[list[str], list[str], str | None, list[str], list[str]]:
    """A joint sibling's current visit of the same enterprise and this draw's, as
    one (``shared.draw.merge_joint``); the old visit stops being current."""
    old_tasks = old.joint_task_nos or [old.task.task_no]
    old_team, old_leader = visit_team(old)
    merged = merge_joint({
        min(old_tasks): {"visits": [{"uscc": v["uscc"], "inspectors": old_team,
                                     "leader": old_leader, "experts": old.expert_names or [],
                                     "items": old.item_codes or []}]},
        task.task_no: {"visits": [{"uscc": v["uscc"], "inspectors": v["inspectors"],
                                   "leader": v["leader"],
                                   "experts": [names[e] for e in v["experts"]],
                                   "items": v["items"]}]}})[0]
    old.current = False
    return (sorted({*old_tasks, task.task_no}), merged["inspectors"], merged["leader"],
            merged["experts"], merged["items"])


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
