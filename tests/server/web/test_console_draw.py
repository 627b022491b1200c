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


def test_host_departments_and_a_sheet_composition_in_the_console(ctx, client, login):
    # 主办科室 is seen and set in the console in the spreadsheet's words; a
    # stricter composition from the plan spreadsheet survives an unrelated edit.
    world = make_world(6)
    make_task(world.plan, "T1", team_size=3, rules={
        "composition": {"street_pool": 2, "bureau_pool": 1},
        "host_departments": {"coal_mine": "执法监察科"}})
    login(Role.DISPATCHER)
    page = client.get("/console/tasks/T1").get_data(as_text=True)
    assert 'value="煤矿:执法监察科"' in page
    assert "属地二级库至少2人、局一级库至少1人" in page
    form = {"csrf_token": csrf(client), "longgang": "on", "field_match": "on",
            "host_departments": "煤矿:执法监察科;工贸：工贸监管股", "reason": "工贸由工贸股主办"}
    resp = client.post("/console/tasks/T1/rules", data=form, follow_redirects=True)
    assert "抽取规则已修改" in resp.get_data(as_text=True)
    rules = draws.effective_rules(world.plan.tasks[0].rules)
    assert rules["composition"] == {"street_pool": 2, "bureau_pool": 1}
    assert rules["host_departments"] == {"coal_mine": "执法监察科",
                                         "industry_trade": "工贸监管股"}
    assert world.plan.change_log[-1]["reason"] == "工贸由工贸股主办"
    # A word that is no industry: refused with the reason, nothing changed.
    resp = client.post("/console/tasks/T1/rules", data={
        **form, "host_departments": "食堂:后勤科", "reason": "试试"}, follow_redirects=True)
    assert "食堂" in resp.get_data(as_text=True)
    assert draws.effective_rules(world.plan.tasks[0].rules)["host_departments"] == {
        "coal_mine": "执法监察科", "industry_trade": "工贸监管股"}
    # Cleared: every visit is hosted by the task's 发起科室 again; the switch
    # flipped off goes back to the default composition.
    client.post("/console/tasks/T1/rules", data={
        "csrf_token": csrf(client), "field_match": "on", "host_departments": "",
        "reason": "由发起科室主办"})
    rules = draws.effective_rules(world.plan.tasks[0].rules)
    assert rules["host_departments"] == {} and rules["composition"]["street_pool"] == 0
