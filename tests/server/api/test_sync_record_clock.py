"""A record dated in the future (a tablet clock set ahead) is refused where it
arrives: a Chinese reason saying the tablet's clock seems wrong and what to do,
nothing stored, the visit unchanged. A few minutes of drift are tolerated
(``SYNC_CLOCK_TOLERANCE_MINUTES``); a date after the bureau's today never is.
The server stands just after midnight in Beijing, when UTC is still on the day
before: the bureau's day is the one that counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import SyncRecord, Visit
from server.services import dispatch
from server.services.sync import record_clock
from shared.enums import Role
from shared.schemas import canonical_json
from tests.server import factories as f

# 2024-03-05 00:05 in Beijing; in UTC still 2024-03-04.
JUST_AFTER_MIDNIGHT = datetime(2024, 3, 4, 16, 5, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("fresh_caller")  # app context kept across requests


@pytest.fixture
def world(ctx, monkeypatch):
    """One visit with two photos, drawn 2024-02-29, dispatched 2024-03-04; the
    server's clock at 2024-03-05 00:05 Beijing."""
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))
    monkeypatch.setattr(record_clock, "server_now", lambda: JUST_AFTER_MIDNIGHT)
    lead, second = f.make_inspector(), f.make_inspector()
    visit = f.make_sync_visit(f.make_sync_task(), [lead, second])
    dispatch.dispatch_task(visit.task.task_no, "test")
    token = f.make_token(Role.INSPECTOR, inspector=lead)
    return {"visit": visit, "auth": {"Authorization": f"Bearer {token}"}}


def _record(visit, at: str, **only: str) -> dict:
    """Every time of the record at *at*; *only* moves one kind of time elsewhere."""
    rec = f.make_record_payload(visit, photos=[f.make_jpeg(1), f.make_jpeg(2)])
    rec["started_at"] = rec["finished_at"] = at
    for key, sub in (("items", "checked_at"), ("attachments", "taken_at"),
                     ("signatures", "signed_at"), ("trail", "at")):
        for entry in rec[key]:
            entry[sub] = only.get(sub, at)
    return rec


def _put(client, w, rec: dict):
    return client.put(f"/api/v1/records/{rec['uuid']}", data=canonical_json(rec), headers={
        **w["auth"], "Content-Type": "application/json; charset=utf-8"})


def _stored(visit_id: int) -> tuple[int, str]:
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(SyncRecord).where(
        SyncRecord.visit_id == visit_id))
    return count, db.session.get(Visit, visit_id).status


def test_a_record_dated_hours_ahead_is_refused_with_a_clock_reason(client, world):
    resp = _put(client, world, _record(world["visit"], "2024-03-05T09:30:00+08:00"))
    assert resp.status_code == 422, resp.json
    message = resp.json["message"]
    assert "2024-03-05 09:30晚于服务器当前时间2024-03-05 00:05" in message  # Beijing, not UTC
    assert "平板的时钟似乎不准" in message and "服务器未保存" in message
    assert "日期、时间和时区" in message and "记录仍保存在平板上" in message
    assert resp.json["errors"]["started_at"]
    assert _stored(world["visit"].id) == (0, "notified")


def test_just_after_midnight_a_record_of_the_new_bureau_day_is_accepted(client, world):
    """00:01 Beijing on 03-05 is today for the bureau, though UTC says 03-04."""
    resp = _put(client, world, _record(world["visit"], "2024-03-05T00:01:00+08:00"))
    assert resp.status_code == 201, resp.json
    assert _stored(world["visit"].id) == (1, "inspected")


def test_a_few_minutes_of_drift_are_tolerated(client, world):
    resp = _put(client, world, _record(world["visit"], "2024-03-05T00:12:00+08:00"))
    assert resp.status_code == 201, resp.json


def test_the_tolerance_is_configurable(client, world, app):
    app.config["SYNC_CLOCK_TOLERANCE_MINUTES"] = 5
    try:
        resp = _put(client, world, _record(world["visit"], "2024-03-05T00:12:00+08:00"))
    finally:
        app.config["SYNC_CLOCK_TOLERANCE_MINUTES"] = 10
    assert resp.status_code == 422, resp.json
    assert _stored(world["visit"].id) == (0, "notified")


def test_tomorrows_date_is_refused_even_within_the_tolerance(client, world, monkeypatch):
    """At 23:58 Beijing a tablet three minutes fast writes 00:01 of the next day:
    the record would carry tomorrow's date."""
    monkeypatch.setattr(record_clock, "server_now",
                        lambda: datetime(2024, 3, 5, 15, 58, tzinfo=UTC))  # 23:58 Beijing
    resp = _put(client, world, _record(world["visit"], "2024-03-06T00:01:00+08:00"))
    assert resp.status_code == 422, resp.json
    assert "晚于服务器当前时间2024-03-05 23:58" in resp.json["message"]
    assert _stored(world["visit"].id) == (0, "notified")


@pytest.mark.parametrize(("sub", "named", "key"), [
    ("taken_at", "证据的拍摄时间", "attachments.1.taken_at"),
    ("signed_at", "签名时间", "signatures.2.signed_at"),
])
def test_one_future_photo_or_signature_time_is_enough(client, world, sub, named, key):
    rec = _record(world["visit"], "2024-03-04T22:00:00+08:00",
                  **{sub: "2024-03-05T08:00:00+08:00"})
    resp = _put(client, world, rec)
    assert resp.status_code == 422, resp.json
    assert f"检查记录的{named}2024-03-05 08:00晚于" in resp.json["message"]
    assert key in resp.json["errors"]
    assert _stored(world["visit"].id) == (0, "notified")
