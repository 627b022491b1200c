"""BUREAU_TIMEZONE is honoured wherever the bureau's day is taken: the app's
configuration is read when the day is needed, not once when a module is imported."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import g

from server import create_app
from server.extensions import db
from server.localtime import bureau_tz, local_time
from server.models import PublicationResult
from server.models.case import Case
from server.services import cases, deadlines, dispatch
from tests.server import factories as f
from tests.server.services import test_cases_support as s

# 25 hours apart: whatever the time, Kiritimati's day is later than Pago Pago's.
EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def test_the_bureau_day_is_taken_in_the_configured_zone(ctx):
    ctx.config["BUREAU_TIMEZONE"] = EAST
    east = dispatch.today(), deadlines.bureau_today()
    ctx.config["BUREAU_TIMEZONE"] = WEST
    west = dispatch.today(), deadlines.bureau_today()
    assert east[0] > west[0] and east[1] > west[1]


def test_times_are_shown_in_the_configured_zone(ctx):
    ctx.config["BUREAU_TIMEZONE"] = "America/New_York"
    assert local_time("2024-03-05T03:00:00+00:00") == "2024-03-04 22:00"
    ctx.config["BUREAU_TIMEZONE"] = "Asia/Shanghai"
    assert local_time("2024-03-05T03:00:00+00:00") == "2024-03-05 11:00"


@pytest.mark.parametrize("zone, day", [("Asia/Shanghai", date(2024, 3, 5)),
                                       ("America/New_York", date(2024, 3, 4))])
def test_an_inspection_day_and_its_publication_deadline_follow_the_zone(
        ctx, client, zone, day):
    # The record is finished at 2024-03-05 11:00 Beijing time = 03-04 22:00 in New York.
    ctx.config["BUREAU_TIMEZONE"] = zone
    a, b = f.make_inspector(name="张明"), f.make_inspector(name="刘芳")
    with f.bureau_day(date(2024, 3, 4)):  # drawn and dispatched before the record
        task = f.make_sync_task()
        visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
        cases.ensure_cases()
        dispatch.dispatch_task(task.task_no, "dispatcher")
    rec, blobs = s.inspection_record(visit, orders=[])
    s.sync(client, s.tablet(a), rec, blobs)
    g.pop("user", None)
    db.session.expire_all()
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))
    assert case.inspected_on == day
    result = db.session.scalar(sa.select(PublicationResult).where(
        PublicationResult.visit_id == visit.id))
    assert result.inspected_on == day  # the 一公开 deadline counts from this day
    assert deadlines.publication_deadline(result.inspected_on).due > day


def test_a_script_outside_the_app_reads_the_environment(monkeypatch):
    monkeypatch.setenv("BUREAU_TIMEZONE", WEST)
    assert str(bureau_tz()) == WEST
    monkeypatch.delenv("BUREAU_TIMEZONE")
    assert str(bureau_tz()) == "Asia/Shanghai"


def test_an_unknown_zone_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="不是有效的时区名称"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'z.db'}",
                    "EVIDENCE_DIR": str(tmp_path / "evidence"), "TESTING": True,
                    "BUREAU_TIMEZONE": "Asia/Beijing"})
