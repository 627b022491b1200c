"""``GET /api/v1/blobs/<sha256>``: an earlier hazard's photo, for a 复查 on the tablet –
served to an inspector holding a package that shows that hazard, to nobody else."""

from __future__ import annotations

from datetime import date

import pytest
from flask import g

from server.services import cases, dispatch
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _fresh_caller(app, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


def test_an_earlier_hazards_photo_goes_to_the_team_only(ctx, client):
    a, b, other = f.make_inspector(), f.make_inspector(), f.make_inspector()
    task = f.make_sync_task()
    visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
    cases.ensure_cases()
    dispatch.dispatch_task(task.task_no, "dispatcher1")
    rec, blobs = s.inspection_record(visit, photos=2)
    s.sync(client, s.tablet(a), rec, blobs)
    body = s.call(client, "GET", "/api/v1/sync/pull", s.tablet(a)).json
    (pkg,) = body["packages"]
    (hazard,) = pkg["history"]["open_hazards"]
    on_hazard = [x["sha256"] for x in rec["attachments"] if x["hazard_id"]]
    assert hazard["photos"] == on_hazard and len(on_hazard) == 2

    resp = s.call(client, "GET", f"/api/v1/blobs/{on_hazard[0]}", s.tablet(b))
    assert resp.status_code == 200 and s.sha(resp.data) == on_hazard[0]
    assert s.call(client, "GET", f"/api/v1/blobs/{on_hazard[0]}",
                  s.tablet(other)).status_code == 404  # not on the team  # fmt: skip
    signature = rec["signatures"][0]["sha256"]  # held, but no hazard's photo
    assert s.call(client, "GET", f"/api/v1/blobs/{signature}", s.tablet(a)).status_code == 404
    assert s.call(client, "GET", "/api/v1/blobs/nothex", s.tablet(a)).status_code == 400
