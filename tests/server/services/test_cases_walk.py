"""Must-show 1: a case walked from the draw to 销号 through every state, with the
re-inspection dispatched to the tablet and its record synced back through the
sync API; and a case escalated to a penalty case after 法制审核."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import g

from server.extensions import db
from server.models import Dispatch, DispatchEvent, Enterprise
from server.models.case import BlacklistProposal, Case, CaseEvent, EnterpriseCredit
from server.models.document import CaseDocument
from server.services import cases, dispatch
from server.services.enterprise_file import package_history
from shared.enums import Role
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _fresh_caller(app, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def world(ctx):
    a, b = f.make_inspector(name="张明"), f.make_inspector(name="刘芳")
    task = f.make_sync_task()
    visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
    return {"task": task, "visit": visit, "a": a, "b": b, "tablet": s.tablet(a),
            "dispatcher": s.staff(Role.DISPATCHER), "reviewer": s.staff(Role.REVIEWER),
            "archivist": s.staff(Role.ARCHIVIST)}


def states(case_id: int) -> list[str]:
    rows = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id)
                              .order_by(CaseEvent.seq))
    return [e.to_state for e in rows if e.to_state != e.from_state or e.action == "open"]


def post(client, url, headers, body):
    resp = s.call(client, "POST", url, headers, json=body)
    assert resp.status_code == 200, resp.json
    return resp.json


def get_case(client, w, case_id):
    resp = s.call(client, "GET", f"/api/v1/cases/{case_id}", w["dispatcher"])
    assert resp.status_code == 200, resp.json
    return resp.json


def test_case_walks_from_draw_to_closing_with_a_synced_reinspection(client, world):
    w = world
    listed = s.call(client, "GET", "/api/v1/cases", w["dispatcher"]).json
    assert [c["state"] for c in listed] == ["drawn"]
    case_id = listed[0]["id"]

    dispatch.dispatch_task(w["task"].task_no, "dispatcher1")
    assert get_case(client, w, case_id)["state"] == "notified"

    rec, blobs = s.inspection_record(w["visit"], photos=3)
    s.sync(client, w["tablet"], rec, blobs)
    body = get_case(client, w, case_id)
    assert body["state"] == "inspected" and body["findings"] == 1
    assert [d["kind"] for d in body["documents"]] == ["inspection_record"]
    history = package_history(w["visit"].enterprise_id)  # what the next tablet visit shows
    (hazard,) = history["open_hazards"]
    assert (hazard["description"], hazard["deadline"]) == ("危化品库房未设置机械通风", "2024-03-20")
    assert hazard["level"] in ("general", "major") and hazard["orders"]  # what a 复查 checks
    assert body["documents"][0]["number"] == "（示）应急检记〔2024〕1号"

    body = post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                {"action": "issue_orders"})
    assert body["state"] == "orders_issued"
    order = next(d for d in body["documents"] if d["kind"] == "rectification_order")
    assert order["number"] == "（示）应急责改〔2024〕1号"
    assert body["hazards"][0]["deadline"] == "2024-03-20"

    # A report dated after today is refused by the API as by the console (one rule).
    future = s.call(client, "POST", f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                    json={"action": "report_rectification", "reported_on": "2024-03-18"})
    assert future.status_code == 422 and "不能晚于今天（2024-03-04）" in future.json["message"]
    assert get_case(client, w, case_id)["state"] == "orders_issued"  # nothing changed
    dispatch.today = lambda: date(2024, 3, 18)  # monkeypatched back by the fixture
    body = post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                {"action": "report_rectification", "reported_on": "2024-03-18",
                 "reason": "企业书面报告已安装机械通风"})
    assert body["state"] == "rectification_reported"

    # Closing now is refused: the hazard is still open until a re-inspection says so.
    early = s.call(client, "POST", f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                   json={"action": "close"})
    assert early.status_code == 409

    body = post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                {"action": "schedule_reinspection", "due_on": "2024-03-25"})
    assert body["state"] == "reinspection"
    case = db.session.get(Case, case_id)
    re = case.reinspections[0]
    # Dispatched like any task, to the same team: each member's tablet has an event.
    assert db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == re.visit_id))
    told = set(db.session.scalars(sa.select(DispatchEvent.inspector_id).where(
        DispatchEvent.visit_id == re.visit_id)))
    assert told == {w["a"].id, w["b"].id}
    pulled = s.call(client, "GET", "/api/v1/sync/pull", w["tablet"]).json
    package = next(p for p in pulled["packages"] if p["visit_id"].endswith(f"{re.visit_id:06d}"))
    assert [i["code"] for i in package["items"]] == ["WH-02"]

    re_rec, re_blobs = s.reinspection_record(re.visit, rectified=True)
    re_rec["items"] = [i for i in re_rec["items"] if i["code"] == "WH-02"]
    s.sync(client, w["tablet"], re_rec, re_blobs)
    body = get_case(client, w, case_id)
    assert body["state"] == "reinspected"
    assert body["hazards"][0]["status"] == "rectified"
    assert any(d["kind"] == "reinspection_opinion" for d in body["documents"])

    dispatch.today = lambda: date(2024, 3, 22)
    body = post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                {"action": "close", "reason": "复查合格，予以销号"})
    assert body["state"] == "closed" and body["closed_on"] == "2024-03-22"

    assert states(case_id) == ["drawn", "notified", "inspected", "orders_issued",
                               "rectification_reported", "reinspection", "reinspected", "closed"]
    events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id)).all()
    assert all(e.actor and e.at and e.reason for e in events)  # who, when, why
    ent = db.session.get(Enterprise, case.enterprise_id)
    assert ent.last_inspected == date(2024, 3, 5) and ent.major_hazard is False
    credit = db.session.get(EnterpriseCredit, ent.id)
    assert (credit.cases_closed, credit.findings, credit.open_hazards) == (1, 1, 0)
    assert package_history(ent.id) == {
        "previous_results": [{"date": "2024-03-05", "outcome": "corrected"}], "open_hazards": []}


def test_major_hazard_close_waits_for_legal_review(client, world):
    w = world
    dispatch.dispatch_task(w["task"].task_no, "d")
    rec, blobs = s.inspection_record(w["visit"], major=True, orders=[
        {"kind": "fixed_on_site", "deadline": None, "measures": "", "transfer_to": ""}])
    s.sync(client, w["tablet"], rec, blobs)
    case_id = cases.all_cases()[0].id
    body = post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                {"action": "close", "reason": "重大隐患已当场整改"})
    assert body["state"] == "inspected" and body["pending_review"]["action"] == "close"
    assert s.call(client, "POST", f"/api/v1/cases/{case_id}/review", w["dispatcher"],
                  json={"approve": True}).status_code == 403
    body = post(client, f"/api/v1/cases/{case_id}/review", w["reviewer"],
                {"approve": True, "note": "同意销号"})
    assert body["state"] == "closed"
    closing = db.session.scalar(sa.select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.to_state == "closed"))
    assert closing.review["note"] == "同意销号" and closing.review["by"].startswith("reviewer")


def test_failed_reinspection_escalates_to_penalty_after_legal_review(client, world, app):
    w = world
    app.config["BLACKLIST_RULE"] = {"penalty_cases": 1}
    dispatch.dispatch_task(w["task"].task_no, "d")
    rec, blobs = s.inspection_record(w["visit"], photos=1)
    s.sync(client, w["tablet"], rec, blobs)
    case_id = cases.all_cases()[0].id
    post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
         {"action": "issue_orders"})
    post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
         {"action": "schedule_reinspection"})
    re = db.session.get(Case, case_id).reinspections[0]
    re_rec, re_blobs = s.reinspection_record(re.visit, rectified=False)
    re_rec["items"] = [{**re_rec["items"][0], "code": "WH-02"}]
    re_rec["hazards"][0]["item_code"] = "WH-02"
    s.sync(client, w["tablet"], re_rec, re_blobs)
    assert get_case(client, w, case_id)["hazards"][0]["status"] == "open"

    # A penalty without a reason, or before review, changes nothing.
    bad = s.call(client, "POST", f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                 json={"action": "escalate", "to": "penalty"})
    assert bad.status_code == 422
    body = post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
                {"action": "escalate", "to": "penalty", "reason": "逾期未整改，拟立案处罚"})
    assert body["state"] == "reinspected" and body["pending_review"]
    rejected = post(client, f"/api/v1/cases/{case_id}/review", w["reviewer"],
                    {"approve": False, "note": "证据不足，补充复查照片"})
    assert rejected["state"] == "reinspected" and rejected["pending_review"] is None
    post(client, f"/api/v1/cases/{case_id}/transitions", w["dispatcher"],
         {"action": "escalate", "to": "penalty", "reason": "逾期未整改，证据已补充"})
    body = post(client, f"/api/v1/cases/{case_id}/review", w["reviewer"],
                {"approve": True, "note": "符合立案条件"})
    assert body["state"] == "penalty" and body["outcome"] == "penalty"
    assert states(case_id) == ["drawn", "notified", "inspected", "orders_issued",
                               "reinspection", "reinspected", "penalty"]
    assert body["hazards"][0]["status"] == "escalated"
    ent = db.session.get(Case, case_id).enterprise
    assert ent.major_hazard is False and ent.blacklisted is False
    proposal = db.session.scalar(sa.select(BlacklistProposal))
    assert proposal.status == "pending" and "立案处罚" in proposal.reason
    resp = s.call(client, "POST", f"/api/v1/cases/blacklist-proposals/{proposal.id}/review",
                  w["reviewer"], json={"approve": True, "note": "列入黑名单"})
    assert resp.status_code == 200
    db.session.refresh(ent)
    assert ent.blacklisted is True


def test_no_findings_closes_itself_and_overdue_lists_late_rectification(client, world):
    w = world
    dispatch.dispatch_task(w["task"].task_no, "d")
    rec, blobs = s.inspection_record(w["visit"], orders=[])
    s.sync(client, w["tablet"], rec, blobs)
    case = cases.all_cases()[0]
    assert case.state == "closed"
    assert states(case.id) == ["drawn", "notified", "inspected", "closed"]
    kinds = [d.kind for d in db.session.scalars(sa.select(CaseDocument).where(
        CaseDocument.case_id == case.id))]
    assert kinds == ["inspection_record", "closing"]

    other = f.make_sync_visit(w["task"], [w["a"], w["b"]], codes=s.CODES)
    dispatch.dispatch_task(w["task"].task_no, "d")
    rec2, blobs2 = s.inspection_record(other, seed=7)
    s.sync(client, w["tablet"], rec2, blobs2)
    late = next(c for c in cases.all_cases() if c.visit_id == other.id)
    cases.act(late.id, "issue_orders", "d", "dispatcher")
    assert s.call(client, "GET", "/api/v1/cases/overdue", w["dispatcher"]).json == []
    dispatch.today = lambda: date(2024, 3, 25)  # monkeypatched back by the fixture
    rows = s.call(client, "GET", "/api/v1/cases/overdue", w["dispatcher"]).json
    assert [(r["case_id"], r["kind"], r["days_overdue"]) for r in rows] == [
        (late.id, "rectification", 5)]


def test_document_numbers_have_no_gaps_when_a_transaction_rolls_back(ctx):
    from server.services.case_documents import next_number

    assert next_number("rectification_order", 2024) == (1, "（示）应急责改〔2024〕1号")
    db.session.commit()
    next_number("rectification_order", 2024)
    db.session.rollback()  # the number goes back with the document that failed
    assert next_number("rectification_order", 2024)[0] == 2
    assert next_number("inspection_record", 2024)[0] == 1
    assert next_number("rectification_order", 2025)[0] == 1
