"""Console pages of the draw beyond the ceremony: rules with a reason, the specialty map."""

from __future__ import annotations

from server.services import draw as draws
from shared.enums import Role
from tests.server.services.test_draws_world import make_task, make_world
from tests.server.web.conftest import csrf


def test_rules_change_needs_a_reason_and_is_logged(ctx, client, login):
    world = make_world(6)
    make_task(world.plan, "T1")
    login(Role.DISPATCHER)
    page = client.get("/console/tasks/T1").get_data(as_text=True)
    assert "龙岗式组队" in page and 'name="longgang"' in page
    assert 'name="longgang" checked' not in page  # the default suits a county without 一级库
    resp = client.post("/console/tasks/T1/rules", data={
        "csrf_token": csrf(client), "longgang": "on", "field_match": "on"},
        follow_redirects=True)
    assert "修改抽取规则必须说明理由" in resp.get_data(as_text=True)
    assert draws.effective_rules(world.plan.tasks[0].rules)["composition"]["street_pool"] == 0
    resp = client.post("/console/tasks/T1/rules", data={
        "csrf_token": csrf(client), "longgang": "on", "field_match": "on",
        "general_items": "2", "reason": "采用龙岗式组队"}, follow_redirects=True)
    assert "抽取规则已修改" in resp.get_data(as_text=True)
    rules = draws.effective_rules(world.plan.tasks[0].rules)
    assert rules["composition"] == {"street_pool": 1, "bureau_pool": 1}
    assert rules["general_items"] == 2 and rules["recuse_own_street"] is False
    assert world.plan.change_log[-1]["reason"] == "采用龙岗式组队"


def test_specialty_map_page(ctx, client, login):
    login(Role.REVIEWER)
    page = client.get("/console/specialties").get_data(as_text=True)
    assert "煤矿安全" in page and "save-specialty" not in page  # reading only
    login(Role.DISPATCHER)
    resp = client.post("/console/specialties", data={
        "csrf_token": csrf(client), "word": "通风工程", "industries": ["coal_mine"]},
        follow_redirects=True)
    assert "已保存“通风工程”的对照" in resp.get_data(as_text=True)
    assert draws.specialty_map()["通风工程"] == ["coal_mine"]
