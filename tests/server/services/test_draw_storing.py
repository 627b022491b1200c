"""What the server stores after a draw's selection: rows written in bulk
(``draw.visits.bulk_insert``) and the cases opened for the new visits
(``cases.ensure_cases``), value by value, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import DrawRecord, Visit, VisitMember
from server.models.case import Case, CaseEvent
from server.services import cases, dispatch
from server.services.draw.visits import bulk_insert, next_ids
from tests.server import factories as f

DAY = date(2024, 3, 4)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: DAY)


def _probe() -> sa.Table:
    table = sa.Table("bulk_probe", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("name", sa.Text), sa.Column("flag", sa.Boolean),
                     sa.Column("n", sa.Integer))
    table.create(db.session.connection())
    return table


def _probe_rows(count: int) -> list[tuple]:
    sqlite = db.engine.dialect.name == "sqlite"
    true, false = (1, 0) if sqlite else (True, False)
    names = ["检查员", "O'Brien", 'say "hi"', "", None, "a,b\tc\nd"]
    return [(i, names[i % len(names)], true if i % 3 else false, i * 7 - 5000)
            for i in range(1, count + 1)]


def _stored(table: sa.Table) -> list[tuple]:
    return [(i, name, None if flag is None else int(flag), n) for i, name, flag, n in
            db.session.execute(sa.select(table).order_by(table.c.id)).all()]


def _as_read(rows: list[tuple]) -> list[tuple]:
    return [(i, name, int(flag), n) for i, name, flag, n in rows]


def test_bulk_insert_stores_every_row_across_its_statements(ctx):
    """4,321 rows: on SQLite two full 2,000-row statements and the rest."""
    table = _probe()
    rows = _probe_rows(4321)
    bulk_insert(table, ("id", "name", "flag", "n"), rows)
    assert _stored(table) == _as_read(rows)


@pytest.mark.parametrize("backend", ["sqlite"])  # the limit on bound variables is SQLite's
def test_bulk_insert_keeps_under_the_bound_variable_limit(ctx):
    """A SQLite built with a lower limit (999 before 3.32) gets shorter statements."""
    table = _probe()
    raw = db.session.connection().connection.driver_connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 50)  # 12 rows of 4 a statement
    try:
        rows = _probe_rows(101)
        bulk_insert(table, ("id", "name", "flag", "n"), rows)
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)
    assert _stored(table) == _as_read(rows)


def test_next_ids_come_after_every_stored_id(ctx):
    f.make_sync_visit(f.make_sync_task())  # its case opens
    db.session.execute(sa.update(Case).values(state="drawn"))  # takes SQLite's write lock
    given = next_ids(Case.__table__, 3)
    assert len(set(given)) == 3 and given == sorted(given)
    assert min(given) > db.session.scalar(sa.select(sa.func.max(Case.id)))


def _visit(task, team, *, current: bool = True) -> Visit:
    """A drawn visit as store_visits leaves it, without opening its case."""
    record = db.session.scalar(sa.select(DrawRecord).where(DrawRecord.task_id == task.id))
    visit = Visit(task_id=task.id, draw_record_id=record.id,
                  enterprise_id=f.make_enterprise().id, item_codes=["WH-01"], status="drawn",
                  current=current)
    visit.members = [VisitMember(inspector_id=i.id, leader=k == 0) for k, i in enumerate(team)]
    db.session.add(visit)
    db.session.commit()
    return visit


def test_cases_open_for_new_current_visits_with_number_team_and_event(ctx):
    a, b, c = (f.make_inspector() for _ in range(3))
    task, other = f.make_sync_task(), f.make_sync_task()
    follow_up = f.make_sync_task(rules={"reinspection_of": "AJ2024-00001"})
    visits = [_visit(task, [b, a]), _visit(other, [c]), _visit(task, [a, c, b])]
    _visit(task, [a], current=False)  # replaced before its case opened
    _visit(follow_up, [c])  # a 复查 visit belongs to its case
    unstaffed = _visit(other, [])  # no team (yet): no 承办人

    assert cases.ensure_cases() == 4
    opened = db.session.scalars(sa.select(Case).order_by(Case.id)).all()
    assert [x.visit_id for x in opened] == [v.id for v in visits + [unstaffed]]
    assert [x.handlers for x in opened] == [[b.name, a.name], [c.name], [a.name, c.name, b.name],
                                             []]
    for case in opened:
        visit = db.session.get(Visit, case.visit_id)
        assert case.case_no == f"AJ2024-{case.id:05d}"
        assert (case.task_id, case.enterprise_id) == (visit.task_id, visit.enterprise_id)
        assert (case.state, case.opened_on, case.retention) == ("drawn", DAY, "30年")
        assert (case.findings, case.major_findings, case.dossier_version) == (0, 0, 0)
        assert case.outcome is None and case.pending is None and case.archive_no is None
        assert case.created_at == case.updated_at
        events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert [(e.seq, e.actor, e.role, e.action, e.from_state, e.to_state, e.reason, e.data,
                 e.review) for e in events] == [
            (1, "system", None, "open", "drawn", "drawn",
             f"随机抽取产生检查对象（抽取记录第{visit.draw_record_id}号）", {}, None)]

    assert cases.ensure_cases() == 0  # nothing new: nothing opened twice
    later = _visit(task, [c, a])
    assert cases.ensure_cases() == 1
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == later.id))
    assert case.id == opened[-1].id + 1 and case.case_no == f"AJ2024-{case.id:05d}"
    assert case.handlers == [c.name, a.name]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)) == 5


def test_a_visit_not_yet_flushed_gets_its_case_too(ctx):
    """The caller's pending visits count (as when ensure_cases read through the session)."""
    a = f.make_inspector()
    task = f.make_sync_task()
    record = db.session.scalar(sa.select(DrawRecord).where(DrawRecord.task_id == task.id))
    visit = Visit(task_id=task.id, draw_record_id=record.id, enterprise_id=f.make_enterprise().id,
                  item_codes=[], status="drawn", members=[VisitMember(inspector_id=a.id)])
    db.session.add(visit)
    assert cases.ensure_cases() == 1
    assert db.session.scalar(sa.select(Case.handlers).where(Case.visit_id == visit.id)) == [a.name]
