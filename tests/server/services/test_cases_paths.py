"""The other ways out of a case: transfer (移送), a recused 复查 team, a redraw that
cancels a case, unannounced visits, and the pages that must keep working with
re-inspection tasks in the database."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import g

from server.extensions import db
from server.models.case import Case
from server.services import case_observe, cases, dispatch
from server.services.followup import FollowupError
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _clock(app, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


def inspected_case(client, *, unannounced: bool = False, orders=None):
    a, b = f.make_inspector(), f.make_inspector()
    task = f.make_sync_task(unannounced=unannounced)
    visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
    cases.ensure_cases()
    dispatch.dispatch_task(task.task_no, "d")
    rec, blobs = s.inspection_record(visit, orders=orders)
    s.sync(client, s.tablet(a), rec, blobs)
    return next(c for c in cases.all_cases() if c.visit_id == visit.id)


def test_transfer_needs_an_authority_and_legal_review(ctx, client):
    case = inspected_case(client, orders=[
        {"kind": "transfer", "deadline": None, "measures": "", "transfer_to": "县公安局"}])
    with pytest.raises(FollowupError) as err:
        cases.act(case.id, "escalate", "d", "dispatcher", "涉嫌犯罪", to="transfer")
    assert err.value.status == 422 and "移送机关" in err.value.message
    cases.act(case.id, "escalate", "d", "dispatcher", "涉嫌重大责任事故罪", to="transfer",
              transfer_to="县公安局")
    assert case.state == "inspected" and case.pending["params"]["transfer_to"] == "县公安局"
    with pytest.raises(FollowupError):
        cases.act(case.id, "close", "d", "dispatcher")  # nothing else while review pends
    cases.review(case.id, True, "reviewer1", "同意移送")
    assert case.state == "transferred" and case.hazards[0].status == "escalated"
    assert [e.to_state for e in case.events][-2:] == ["inspected", "transferred"]
    assert case.events[-1].review["by"] == "reviewer1"


def test_recused_reinspection_team_needs_a_reason_and_no_conflict(ctx, client):
    case = inspected_case(client)
    cases.act(case.id, "issue_orders", "d", "dispatcher")
    c, d = f.make_inspector(), f.make_inspector(conflicts=[case.enterprise.uscc])
    with pytest.raises(FollowupError) as err:
        cases.act(case.id, "schedule_reinspection", "d", "dispatcher", "",
                  team=[c.cert_no, case.visit.members[0].inspector.cert_no])
    assert "回避" in err.value.message
    with pytest.raises(FollowupError) as err:
        cases.act(case.id, "schedule_reinspection", "d", "dispatcher", "原组员休假",
                  team=[c.cert_no, d.cert_no])
    assert "利害关系" in err.value.message
    keep = case.visit.members[0].inspector
    cases.act(case.id, "schedule_reinspection", "d", "dispatcher", "刘芳休假，由他人复查",
              team=[keep.cert_no, c.cert_no])
    re = case.reinspections[0]
    assert {m.inspector.cert_no for m in re.visit.members} == {keep.cert_no, c.cert_no}
    assert re.visit.task.task_no.endswith("-FC") and re.due_on == date(2024, 3, 23)
    # The 复查 assignment is an append-only record that says what it is, and
    # `flask draw export` hands it out like any record.
    import json

    from server.models import DrawRecord
    from server.services.draw import export_record

    rec = db.session.get(DrawRecord, re.visit.draw_record_id)
    exported = json.loads(export_record(rec))
    assert rec.kind == "reinspection" and exported["meta"]["record_id"] == rec.id
    assert exported["inspectors"] == [keep.cert_no, c.cert_no]
    assert "不是随机抽取" in exported["note"]


def test_redraw_cancels_an_uninspected_case(ctx):
    task = f.make_sync_task()
    visit = f.make_sync_visit(task)
    case = cases.all_cases()[0]
    visit.current = False  # what a redraw does to the replaced visit
    db.session.commit()
    case_observe.after_draw()  # …and then tells the cases
    db.session.refresh(case)
    assert case.state == "cancelled" and case.events[-1].reason.startswith("重新抽取")
    assert cases.all_cases("drawn") == []


def test_unannounced_visit_is_notified_at_the_door(ctx, client):
    case = inspected_case(client, unannounced=True, orders=[])
    assert [e.to_state for e in case.events] == ["drawn", "notified", "inspected", "closed"]
    assert "暗查" in case.events[1].reason


def test_pages_still_render_with_reinspection_tasks(ctx, client, app):
    case = inspected_case(client)
    cases.act(case.id, "issue_orders", "d", "dispatcher")
    cases.act(case.id, "schedule_reinspection", "d", "dispatcher")
    case.task.plan.status = "published"
    db.session.commit()
    from server.services.accounts import create_user

    create_user("boss", "admin", "Guo-wd-2026#", display_name="郭卫东")
    login_as = client.post("/console/login", data={
        "username": "boss", "password": "Guo-wd-2026#",
        "csrf_token": _csrf(client)})
    assert login_as.status_code == 302
    from server.web import NAV

    for endpoint, _label, _roles in NAV:
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint)
        resp = client.get(url, follow_redirects=True)
        assert resp.status_code == 200 and "/console/login" not in resp.request.path, url
    for url in ("/public/", "/public/tasks", "/public/results", "/public/plans",
                f"/public/tasks/{case.task.task_no}"):
        assert client.get(url).status_code == 200, url
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1  # 复查 is no new case


def _csrf(client) -> str:
    client.get("/console/login")
    with client.session_transaction() as sess:
        sess.setdefault("csrf", "t")
        return sess["csrf"]
