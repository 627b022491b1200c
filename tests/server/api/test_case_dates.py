"""Dates a case is given are checked by the case service, so the API obeys the
same rules as the console: a 下达日期/企业报告日期 not in the future nor before the
inspection, a 复查期限 not in the past, and a 整改指令 never dated before the order
numbered before it (文号 and dates in step). A refusal changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models.case import Case
from server.models.document import CaseDocument
from server.services import dispatch
from shared.enums import Role
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _bureau_day(fresh_caller, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))


def _dated(rec: dict, day: str) -> dict:
    """The same record, inspected on *day* (Beijing)."""
    old = rec["started_at"][:10]
    for key in ("started_at", "finished_at"):
        rec[key] = rec[key].replace(old, day)
    for h in rec["hazards"]:
        h["created_at"] = h["created_at"].replace(old, day)
    return rec


@pytest.fixture
def two_cases(ctx, client):
    """Two inspected cases of one task: ``late`` inspected 03-10, ``early`` 03-05."""
    a, b = f.make_inspector(), f.make_inspector()
    task = f.make_sync_task()
    visits = [f.make_sync_visit(task, [a, b], codes=s.CODES) for _ in range(2)]
    dispatch.dispatch_task(task.task_no, "dispatcher1")
    for seed, (visit, day) in enumerate(zip(visits, ("2024-03-10", "2024-03-05"),
                                            strict=True), start=1):
        rec, blobs = s.inspection_record(visit, seed=seed)
        s.sync(client, s.tablet(a), _dated(rec, day), blobs)
    dispatch.today = lambda: date(2024, 3, 12)  # monkeypatched back by the fixture
    late, early = (db.session.scalar(sa.select(Case.id).where(Case.visit_id == v.id))
                   for v in visits)
    return {"late": late, "early": early, "office": s.staff(Role.DISPATCHER)}


def _act(client, w, case_id: int, **body):
    return s.call(client, "POST", f"/api/v1/cases/{case_id}/transitions", w["office"], json=body)


def _orders(case_id: int) -> list[tuple[str, date]]:
    db.session.expire_all()
    return [(d.number, d.issued_on) for d in db.session.scalars(sa.select(CaseDocument).where(
        CaseDocument.case_id == case_id, CaseDocument.kind == "rectification_order"))]


def test_an_order_dated_before_the_one_numbered_before_it_is_refused(client, two_cases):
    w = two_cases
    assert _act(client, w, w["late"], action="issue_orders").status_code == 200
    assert _orders(w["late"]) == [("（示）应急责改〔2024〕1号", date(2024, 3, 10))]

    refused = _act(client, w, w["early"], action="issue_orders")
    assert refused.status_code == 409
    message = refused.json["message"]
    assert "日期2024-03-05早于上一号（示）应急责改〔2024〕1号的日期2024-03-10" in message
    assert "不早于2024-03-10" in message
    assert _orders(w["early"]) == []
    assert db.session.get(Case, w["early"]).state == "inspected"

    # Given a date in step, it is issued – and the refused attempt left no gap.
    ok = _act(client, w, w["early"], action="issue_orders", issued_on="2024-03-11")
    assert ok.status_code == 200, ok.json
    assert _orders(w["early"]) == [("（示）应急责改〔2024〕2号", date(2024, 3, 11))]


@pytest.mark.parametrize(("body", "words"), [
    ({"action": "issue_orders", "issued_on": "2024-03-13"}, "下达日期2024-03-13不能晚于今天"),
    ({"action": "issue_orders", "issued_on": "2024-03-09"}, "不能早于检查日期2024-03-10"),
])
def test_an_impossible_order_date_is_refused_on_the_api(client, two_cases, body, words):
    resp = _act(client, two_cases, two_cases["late"], **body)
    assert resp.status_code == 422 and words in resp.json["message"]
    assert _orders(two_cases["late"]) == []


@pytest.mark.parametrize(("body", "words"), [
    ({"action": "report_rectification", "reported_on": "2030-01-01"}, "不能晚于今天（2024-03-12）"),
    ({"action": "report_rectification", "reported_on": "2024-03-09"},
     "企业报告日期2024-03-09不能早于检查日期2024-03-10"),
])
def test_the_enterprise_report_date_rule_holds_on_the_api(client, two_cases, body, words):
    w = two_cases
    assert _act(client, w, w["late"], action="issue_orders").status_code == 200
    resp = _act(client, w, w["late"], **body)
    assert resp.status_code == 422 and words in resp.json["message"]
    case = db.session.get(Case, w["late"])
    db.session.refresh(case)
    assert case.state == "orders_issued"
    assert [h.reported_on for h in case.hazards] == [None]


def test_a_reinspection_due_in_the_past_is_refused_on_the_api(client, two_cases):
    w = two_cases
    assert _act(client, w, w["late"], action="issue_orders").status_code == 200
    assert _act(client, w, w["late"], action="report_rectification",
                reported_on="2024-03-12").status_code == 200
    resp = _act(client, w, w["late"], action="schedule_reinspection", due_on="2024-03-11")
    assert resp.status_code == 422
    assert "复查期限2024-03-11不能早于今天（2024-03-12）" in resp.json["message"]
    assert db.session.get(Case, w["late"]).reinspections == []


def test_an_order_dated_after_its_own_deadline_is_refused(client, two_cases, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 25))
    resp = _act(client, two_cases, two_cases["late"], action="issue_orders",
                issued_on="2024-03-21")  # the record's deadline is 2024-03-20
    assert resp.status_code == 422
    assert "整改期限2024-03-20早于下达日期2024-03-21" in resp.json["message"]
    assert _orders(two_cases["late"]) == []
