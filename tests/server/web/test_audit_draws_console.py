"""监督核验 (console): the receipts sheet prints each 回执码 in groups of eight
(spec §12.2, outside finding 21), and the page says in Chinese that who ran a
draw, when and why are not covered by the check (outside finding 12)."""

from __future__ import annotations

import csv
import io
import re

from server.services import draw as svc
from shared.enums import Role
from tests.server.services.test_draws_world import make_task, make_world


def test_receipts_are_grouped_in_eights_and_the_scope_is_said(app, client, login):
    with app.app_context():
        world = make_world(12)
        make_task(world.plan, "T1", ratio="50%")
        rec_id = svc.run_task_draw("T1", "tester").id
    login(Role.AUDITOR)
    page = client.get("/console/audit/draws").get_data(as_text=True)
    assert "操作人、操作时间和原因" in page and "改动它们不会被复算发现" in page
    resp = client.get(f"/console/audit/records/{rec_id}/receipts.csv")
    assert resp.status_code == 200
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 12
    for r in rows:
        assert re.fullmatch(r"[0-9a-f]{8}( [0-9a-f]{8}){7}", r["回执码"]), r["回执码"]
