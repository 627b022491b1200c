"""A record dated before its draw or its dispatch is refused where it arrives
(the sync API): a clear Chinese reason, nothing stored, the visit unchanged.
Days are the bureau's calendar days (Asia/Shanghai), so a record started at
07:30 Beijing on the day of a 01:00 UTC dispatch the evening before is fine."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask import g

from server.extensions import db
from server.models import DrawRecord, SyncRecord, Visit
from server.models.sync import Dispatch
from server.services import dispatch
from shared.enums import Role
from shared.schemas import canonical_json
from tests.server import factories as f

pytestmark = pytest.mark.usefixtures("fresh_caller")  # app context kept across requests


@pytest.fixture
def world(ctx, monkeypatch):
    """One visit, drawn 2024-02-29 (09:00 Beijing), dispatched 2024-03-04."""
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))
    lead, second = f.make_inspector(), f.make_inspector()
    visit = f.make_sync_visit(f.make_sync_task(), [lead, second])
    dispatch.dispatch_task(visit.task.task_no, "test")
    token = f.make_token(Role.INSPECTOR, inspector=lead)
    return {"visit": visit, "auth": {"Authorization": f"Bearer {token}"}}


def _put(client, w, started: str, finished: str):
    rec = f.make_record_payload(w["visit"])
    rec["started_at"], rec["finished_at"] = started, finished
    for item in rec["items"]:
        item["checked_at"] = started
    return rec, client.put(f"/api/v1/records/{rec['uuid']}", data=canonical_json(rec), headers={
        **w["auth"], "Content-Type": "application/json; charset=utf-8"})


def _stored(visit_id: int) -> tuple[int, str]:
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(SyncRecord).where(
        SyncRecord.visit_id == visit_id))
    return count, db.session.get(Visit, visit_id).status


@pytest.mark.parametrize(("started", "what", "shown"), [
    ("2024-02-20T09:30:00+08:00", "抽取", "2024-02-29 09:00"),   # before the draw
    ("2024-03-02T09:30:00+08:00", "派发", "2024-03-04"),         # drawn, not yet sent
])
def test_record_dated_before_the_draw_or_dispatch_is_refused_in_chinese(
        client, world, started, what, shown):
    rec, resp = _put(client, world, started, started.replace("09:30", "11:00"))
    assert resp.status_code == 422, resp.json
    message = resp.json["message"]
    assert f"早于该检查任务的{what}时间" in message and shown in message
    assert "服务器未保存" in message and "T" not in message.split("时间")[1][:17]
    assert resp.json["errors"]["started_at"]
    assert _stored(world["visit"].id) == (0, "notified")  # nothing stored, nothing moved


def test_the_bureau_day_decides_not_the_utc_day(client, world):
    """Dispatched at 2024-03-04 (Beijing); a record started 2024-03-03T23:30Z is
    07:30 on 03-04 in Beijing: the same day, accepted. In UTC it would look a day
    early."""
    sent = db.session.scalar(sa.select(Dispatch.dispatched_at).where(
        Dispatch.visit_id == world["visit"].id))
    drawn = db.session.scalar(sa.select(DrawRecord.created_at).where(
        DrawRecord.id == world["visit"].draw_record_id))
    assert drawn == datetime(2024, 2, 29, 1, 0)  # 09:00 Beijing
    assert sent.date() in (date(2024, 3, 3), date(2024, 3, 4))  # UTC of a Beijing 03-04
    _rec, resp = _put(client, world, "2024-03-03T23:30:00+00:00", "2024-03-04T01:00:00+00:00")
    assert resp.status_code == 201, resp.json
    assert _stored(world["visit"].id) == (1, "inspected")


def test_a_reinspection_record_dated_before_the_reinspection_was_ordered_is_refused(
        client, ctx, monkeypatch):
    """复查 visits have their own assignment record: its time is their 'draw'."""
    from server.models.case import Case
    from server.services import cases
    from tests.server.services import test_cases_support as s

    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))
    lead, second = f.make_inspector(), f.make_inspector()
    visit = f.make_sync_visit(f.make_sync_task(), [lead, second], codes=s.CODES)
    dispatch.dispatch_task(visit.task.task_no, "test")
    s.sync(client, s.tablet(lead), *s.inspection_record(visit))
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))
    cases.act(case.id, "issue_orders", "test", "dispatcher")
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 18))
    cases.act(case.id, "report_rectification", "test", "dispatcher", reported_on=date(2024, 3, 18))
    cases.act(case.id, "schedule_reinspection", "test", "dispatcher", due_on=date(2024, 3, 25))
    re_visit = db.session.get(Case, case.id).reinspections[0].visit
    again, _blobs = s.reinspection_record(re_visit, photos=0)
    again["started_at"] = "2024-03-10T09:00:00+08:00"  # the 复查 was ordered on 03-18
    g.pop("user", None)
    resp = client.put(f"/api/v1/records/{again['uuid']}", data=canonical_json(again), headers={
        **s.tablet(lead), "Content-Type": "application/json; charset=utf-8"})
    assert resp.status_code == 422, resp.json
    assert "早于该检查任务的抽取时间2024-03-18" in resp.json["message"]
    assert _stored(re_visit.id)[0] == 0


def test_a_deadline_before_the_inspection_day_is_refused(client, world):
    from tests.server.services import test_cases_support as s

    rec, _blobs = s.inspection_record(world["visit"])
    rec["hazards"][0]["orders"][0]["deadline"] = "2024-03-04"  # inspected 2024-03-05
    g.pop("user", None)
    resp = client.put(f"/api/v1/records/{rec['uuid']}", data=canonical_json(rec), headers={
        **world["auth"], "Content-Type": "application/json; charset=utf-8"})
    assert resp.status_code == 422
    assert "整改期限2024-03-04早于检查日期2024-03-05" in resp.json["message"]
    assert _stored(world["visit"].id) == (0, "notified")
