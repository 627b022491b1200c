"""Docs that match the product, and one row per tablet (outside findings 21, 22).

* docs/console.md lists every screen once, documents the enterprise import
  columns exactly as the importer accepts them (aliases included), and names
  only public addresses that answer;
* a tablet that logged in twice (its first token revoked) is one row.
"""

from __future__ import annotations

import re
from pathlib import Path

from server.extensions import db
from server.models import DeviceToken
from server.services.registry_io.specs import ENTERPRISES
from shared.enums import Role
from tests.server import factories as f

DOCS = Path(__file__).resolve().parents[3] / "docs"


def _table_after(text: str, first_header: str) -> list[list[str]]:
    start = text.index(f"| {first_header} |")
    rows = []
    for line in text[start:].splitlines():
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[2:]  # header and rule


def test_the_screens_table_lists_each_screen_once():
    rows = _table_after((DOCS / "console.md").read_text(), "screen")
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert {"名录库", "计划与抽取", "派发与同步", "公开审核", "统计看板",
            "用户与设备"} <= set(names)


def test_the_enterprise_columns_are_documented_as_the_importer_reads_them():
    rows = _table_after((DOCS / "console.md").read_text(), "column")
    documented = {r[0]: (tuple(a.strip() for a in r[1].split(",") if a.strip()), r[2] == "yes")
                  for r in rows}
    accepted = {c.header: (c.aliases, c.required) for c in ENTERPRISES.columns}
    assert documented == accepted


def test_public_addresses_in_the_docs_answer(ctx, client):
    text = (DOCS / "console.md").read_text() + (DOCS / "draw.md").read_text()
    assert "/public/records/" not in text  # never existed: public files are by hash
    for path in sorted(set(re.findall(r"`(/public/[a-z./-]+)`", text))):
        assert client.get(path).status_code == 200, path


def test_a_tablet_that_logged_in_twice_is_one_row(ctx, client, login):
    inspector = f.make_inspector(name="傅娜明")
    f.make_user(Role.INSPECTOR, inspector=inspector, username="insp-twice")
    for _ in range(2):
        resp = client.post("/api/v1/auth/token", json={
            "username": "insp-twice", "password": "password123", "device_id": "tab-insp2"})
        assert resp.status_code == 201, resp.json
    login(Role.DISPATCHER)
    page = client.get("/console/dispatch").get_data(as_text=True)
    tablets = page[page.index('id="tablets"'):]
    # One row, named for a person (the raw device id only in its tooltip).
    assert tablets.count('title="tab-insp2"') == 1
    row = tablets[tablets.index('title="tab-insp2"'):].split("</tr>")[0]
    assert "傅娜明的平板（编号" in row
    assert "傅娜明" in row  # the registry's name of the inspector
    assert "吊销" in row and "已吊销" not in row  # the newest token is valid


def _log_in(client, username: str, device_id: str) -> None:
    resp = client.post("/api/v1/auth/token", json={
        "username": username, "password": "password123", "device_id": device_id})
    assert resp.status_code == 201, resp.json


def test_two_tablets_of_one_inspector_show_different_numbers(ctx, client, login):
    inspector = f.make_inspector(name="傅娜明")
    f.make_user(Role.INSPECTOR, inspector=inspector, username="insp-two")
    uuid_a = "f9dc3a0f-5fde-4c1e-9a51-0e0c6f1d2b11"
    uuid_b = "f9dc7b10-0000-4000-8000-000000000000"
    for device in ("tab-insp2", "tab-insp3", uuid_a, uuid_b):
        _log_in(client, "insp-two", device)
    login(Role.ADMIN)
    for page in ("/console/dispatch", "/console/users"):
        text = client.get(page).get_data(as_text=True)
        # an id that is no UUID is shown whole; two UUIDs sharing F9DC are told apart
        for shown in ("编号 tab-insp2）", "编号 tab-insp3）", "编号 F9DC3）", "编号 F9DC7）"):
            assert text.count(shown) == 1, (page, shown)
        assert "编号 TABI）" not in text and "编号 F9DC）" not in text


def test_flask_device_revoke_takes_the_number_the_console_shows(ctx, client, runner):
    f.make_user(Role.INSPECTOR, inspector=f.make_inspector(), username="insp-lost")
    uuid_a = "f9dc3a0f-5fde-4c1e-9a51-0e0c6f1d2b11"
    uuid_b = "f9dc7b10-0000-4000-8000-000000000000"
    for device in (uuid_a, uuid_b):
        _log_in(client, "insp-lost", device)
    ambiguous = runner.invoke(args=["device", "revoke", "F9DC"])
    assert ambiguous.exit_code != 0 and "对应多台平板" in ambiguous.output
    unknown = runner.invoke(args=["device", "revoke", "ABCD"])
    assert unknown.exit_code != 0 and "没有编号为“ABCD”的平板" in unknown.output
    done = runner.invoke(args=["device", "revoke", "f9dc3"])
    assert done.exit_code == 0, done.output
    assert uuid_a in done.output
    states = {t.device_id: t.revoked_at is not None
              for t in db.session.scalars(db.select(DeviceToken))}
    assert states == {uuid_a: True, uuid_b: False}
