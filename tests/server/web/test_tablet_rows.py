"""Outside test finding 22: two logins from one tablet listed it twice on
/console/dispatch (one row 吊销, one 已吊销, same figures). Logging in again
replaces the tablet's token; the screen lists each tablet once, as it is now."""

from __future__ import annotations

import re

from shared.enums import Role
from tests.server import factories as f


def test_a_tablet_logged_in_twice_is_listed_once(app, client, login):
    with app.app_context():
        f.make_user(Role.INSPECTOR, username="insp2", password="password123",
                    inspector=f.make_inspector(name="傅娜明"))
    for _ in range(2):
        resp = client.post("/api/v1/auth/token", json={
            "username": "insp2", "password": "password123", "device_id": "tab-insp2"})
        assert resp.status_code == 201
    login(Role.DISPATCHER)
    page = client.get("/console/dispatch").get_data(as_text=True)
    rows = [r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if "tab-insp2" in r]
    assert len(rows) == 1
    assert "已吊销" not in rows[0]  # the current token, not the replaced one
