"""Plan and task codes and names refuse control characters (outside finding 13).

A plan numbered "P\\u0000X" was accepted, published with a raw NUL byte on the
public pages, and its console page answered 404.
"""

from __future__ import annotations

import pytest

from shared.enums import Role

TASK = {"name": "危化抽查", "draw_type": "directed", "ratio": "10%",
        "target_filter": "行业领域=煤矿", "window_start": "2026-12-08",
        "window_end": "2026-12-31"}


@pytest.mark.parametrize("field, value", [
    ("plan_no", "P\u0000X"), ("name", "计划\u0007名称"),
])
def test_a_plan_with_a_control_character_is_refused(client, auth, field, value):
    body = {"plan_no": "P1", "name": "计划", "year": 2026, field: value}
    resp = client.post("/api/v1/plans", headers=auth(Role.DISPATCHER), json=body)
    assert resp.status_code in (400, 422) and "不能包含控制字符" in resp.get_data(as_text=True)
    assert client.get("/api/v1/plans", headers=auth(Role.DISPATCHER)).json == []


@pytest.mark.parametrize("field, value", [
    ("task_no", "T\u00001"), ("name", "任务\u001b"), ("ratio", "10%\u0000"),
])
def test_a_task_with_a_control_character_is_refused(client, auth, field, value):
    headers = auth(Role.DISPATCHER)
    assert client.post("/api/v1/plans", headers=headers,
                       json={"plan_no": "P1", "name": "计划", "year": 2026}).status_code == 201
    body = {"task_no": "T1", **TASK, field: value}
    resp = client.post("/api/v1/plans/P1/tasks", headers=headers, json=body)
    assert resp.status_code in (400, 422) and "不能包含控制字符" in resp.get_data(as_text=True)
