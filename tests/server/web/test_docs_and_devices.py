"""Docs that match the product, and one row per tablet (outside findings 21, 22).

* docs/console.md lists every screen once, documents the enterprise import
  columns exactly as the importer accepts them (aliases included), and names
  only public addresses that answer;
* a tablet that logged in twice (its first token revoked) is one row.
"""

from __future__ import annotations

import re
from pathlib import Path

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
