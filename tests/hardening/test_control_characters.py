"""Control characters are refused in every text input (outside test finding 13).

A NUL in a plan number was accepted and published (the public page then held a
raw NUL byte). One rule (shared/text.py) is applied at each entrance: the API's
argument parser (bodies and query strings), the tablet's record schema, every
console and public form, and every imported spreadsheet cell. Each refusal is
a clear Chinese message naming the field, and changes nothing.
"""

from __future__ import annotations

import pytest

from shared.enums import Role
from tests.hardening.test_bad_inputs import payload, record
from tests.hardening.world import HEADERS, fingerprint, upload

NUL_PLAN = {"plan_no": "P\u0000X", "name": "计划", "year": 2026}


@pytest.mark.parametrize("bad", ["P\u0000X", "P\u001bX", "P\u007fX", "P\u0085X"])
def test_api_body_with_a_control_character_is_refused(world, bad):
    before = fingerprint(world.app)
    resp = world.client.post("/api/v1/plans", headers=world.admin,
                             json={**NUL_PLAN, "plan_no": bad})
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["errors"]["json"]["plan_no"] == ["不能包含控制字符（如空字符），请删除后重新填写"]
    assert "计划编号：不能包含控制字符" in body["message"]  # the field by its label
    assert fingerprint(world.app) == before


def test_api_keeps_line_breaks_and_tabs(world):
    resp = world.client.post("/api/v1/plans", headers=world.admin,
                             json={**NUL_PLAN, "plan_no": "P-1", "name": "第一行\n第二行\t完"})
    assert resp.status_code == 201, resp.get_json()


def test_api_query_string_with_a_control_character_is_refused(world):
    resp = world.client.get("/api/v1/enterprises?q=%00", headers=world.admin)
    assert resp.status_code == 400
    assert resp.get_json()["errors"]["query"]["q"]


def test_console_form_with_a_control_character_is_refused_naming_the_field(world):
    world.console_login(Role.DISPATCHER)
    before = fingerprint(world.app)
    resp = world.client.post("/console/plans/new", data={**NUL_PLAN, "csrf_token": world.csrf()},
                             follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert "“计划编号”不能包含控制字符（如空字符），请删除后重新填写；未作任何更改" in text
    assert fingerprint(world.app) == before
    world.client.post("/console/plans/new", data={**NUL_PLAN, "plan_no": "P-2",
                                                   "csrf_token": world.csrf()})
    assert fingerprint(world.app) != before  # the same form without the NUL goes through


def test_registry_import_with_a_control_character_is_refused_by_row_and_column(world):
    from shared.uscc import make_uscc

    before = fingerprint(world.app)
    # An xlsx cannot hold a control character; a CSV can.
    rows = [HEADERS, ["新企业\u0001", make_uscc("91130800MA0A00012"), "危险化学品经营"]]
    data = "\n".join(",".join(r) for r in rows).encode()
    resp = upload(world, "enterprises.csv", data)
    assert resp.status_code in (400, 422)
    text = resp.get_data(as_text=True)
    assert "第2行" in text and "单位名称" in text and "不能包含控制字符" in text
    assert fingerprint(world.app) == before


def test_tablet_record_with_a_control_character_is_refused(world):
    before = fingerprint(world.app)
    body = payload(world, submitted_by="张\u0000三")
    resp = record(world, body)
    assert resp.status_code == 400
    assert resp.get_json()["errors"]["submitted_by"] == [
        "不能包含控制字符（如空字符），请删除后重新填写"]
    assert fingerprint(world.app) == before
