"""Refusals that name the real cause: a filled-in date that does not exist is
not "请填写", and a visit that does not exist is not "尚未派发"."""

from __future__ import annotations

import pytest

from server.services import plans
from server.web.form_text import day_problem
from shared.enums import Role
from tests.server.web.conftest import csrf


@pytest.mark.parametrize(("text", "message"), [
    ("", "请填写开始日期（年-月-日）"),
    ("2026/02/03", "开始日期“2026/02/03”格式不正确，应为年-月-日"),
    ("2026-02-30", "开始日期“2026-02-30”不存在：2026年2月只有28天"),
    ("2028-02-30", "开始日期“2028-02-30”不存在：2028年2月只有29天"),
    ("2026-13-01", "开始日期“2026-13-01”不存在：月份应为1至12"),
])
def test_a_date_problem_names_its_cause(text, message):
    assert day_problem(text, "开始日期") == message


def test_a_task_starting_on_february_30_is_refused_as_a_day_that_does_not_exist(
        ctx, client, login):
    login(Role.DISPATCHER)
    client.post("/console/plans/new", data={"csrf_token": csrf(client), "plan_no": "SG-2026",
                                            "name": "2026年度烟花爆竹抽查计划", "year": "2026"})
    page = client.post("/console/plans/SG-2026/tasks", data={
        "csrf_token": csrf(client), "task_no": "SG-2026-01", "name": "烟花爆竹专项",
        "draw_type": "directed", "ratio": "10%", "target_filter": "行业领域=烟花爆竹",
        "window_start": "2026-02-30", "window_end": "2026-03-31", "team_size": "2"},
        follow_redirects=True).get_data(as_text=True)
    assert "未添加：开始日期“2026-02-30”不存在：2026年2月只有28天" in page
    assert "请填写开始日期" not in page
    assert plans.get_plan("SG-2026").tasks == []


def test_the_notice_of_a_visit_that_does_not_exist_is_a_404_saying_so(ctx, client, login):
    login(Role.DISPATCHER)
    resp = client.get("/console/visits/99999/notice.pdf")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert "该检查对象不存在" in text and "尚未派发" not in text
