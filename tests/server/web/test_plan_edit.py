"""Plans and tasks made and edited in the console, with the plan service's checks."""

from __future__ import annotations

from datetime import date, timedelta

from server.services import plans
from shared.enums import Role
from tests.server.web.conftest import csrf


def _task_form(client, **over) -> dict:
    start = date(2026, 5, 1)
    return {"csrf_token": csrf(client), "task_no": "SG-2026-01", "name": "烟花爆竹专项",
            "draw_type": "directed", "ratio": "A:10%;B:20%;C:50%;D:100%",
            "target_filter": "行业领域=烟花爆竹", "department": "执法监察科",
            "joint_departments": "市场监管局、消防大队", "window_start": start.isoformat(),
            "window_end": (start + timedelta(days=30)).isoformat(), "team_size": "2", **over}


def test_a_plan_and_its_task_made_in_the_console_then_edited(ctx, client, login):
    login(Role.DISPATCHER)
    client.post("/console/plans/new", data={"csrf_token": csrf(client), "plan_no": "SG-2026",
                                            "name": "2026年度烟花爆竹抽查计划", "year": "2026"})
    assert plans.get_plan("SG-2026").year == 2026
    bad = client.post("/console/plans/SG-2026/tasks", data=_task_form(client, ratio="很多"),
                      follow_redirects=True).get_data(as_text=True)
    assert "未添加：" in bad
    client.post("/console/plans/SG-2026/tasks", data=_task_form(client))
    task = plans.get_task("SG-2026-01")
    assert task.joint_departments == ["市场监管局", "消防大队"]
    page = client.get("/console/tasks/SG-2026-01/edit").get_data(as_text=True)
    assert "烟花爆竹专项" in page
    client.post("/console/tasks/SG-2026-01/edit", data=_task_form(client, name="烟花爆竹春节专项"))
    assert plans.get_task("SG-2026-01").name == "烟花爆竹春节专项"
    plans.publish_plan(plans.get_plan("SG-2026"), "d")
    refused = client.post("/console/tasks/SG-2026-01/edit", data=_task_form(client, name="改名"),
                          follow_redirects=True).get_data(as_text=True)
    assert "未保存：" in refused and "理由" in refused
    client.post("/console/tasks/SG-2026-01/edit",
                data=_task_form(client, name="改名", reason="县政府调整专项名称"))
    assert plans.get_plan("SG-2026").status == "changed"


def test_the_month_shows_task_windows_and_inspections(ctx, client, login):
    from server.extensions import db
    from server.models.case import Case
    from tests.server import factories as f

    task = f.make_sync_task(window_start=date(2026, 3, 2), window_end=date(2026, 3, 31))
    visit = f.make_sync_visit(task)
    # The draw opened the visit's case (issue 16); say it was inspected on the 10th.
    case = db.session.scalar(db.select(Case).where(Case.visit_id == visit.id))
    case.state, case.opened_on, case.inspected_on = "inspected", date(2026, 3, 2), date(2026, 3, 10)
    db.session.commit()
    login(Role.ARCHIVIST)
    page = client.get("/console/schedule?month=2026-03").get_data(as_text=True)
    assert "2026年3月" in page and "检查1户" in page and f">{task.name}</a>开始" in page
    assert "休" in page  # weekends marked


def test_the_console_plan_form_keeps_the_apis_bounds(ctx, client, login):
    """Posted directly, a year of 99999 or a 500-character 计划编号 is refused with
    the API's reason on the form, and no plan is stored."""
    from server.extensions import db
    from server.models import Plan

    login(Role.DISPATCHER)
    for over, words in (({"year": "99999"}, "年度：应不小于2000且不大于2100"),
                        ({"plan_no": "P" * 500}, "计划编号：长度应在1至64个字符之间"),
                        ({"name": "名" * 201}, "名称：长度应在1至200个字符之间")):
        form = {"csrf_token": csrf(client), "plan_no": "BOUND-1", "name": "2026年度计划",
                "year": "2026", **over}
        page = client.post("/console/plans/new", data=form, headers={
            "Referer": "http://localhost/console/plans"}, follow_redirects=True)
        assert f"未新建：{words}" in page.get_data(as_text=True)
        assert db.session.scalar(db.select(db.func.count()).select_from(Plan)) == 0


def test_the_console_task_forms_keep_the_apis_bounds(ctx, client, login):
    login(Role.DISPATCHER)
    client.post("/console/plans/new", data={"csrf_token": csrf(client), "plan_no": "SG-2026",
                                            "name": "2026年度烟花爆竹抽查计划", "year": "2026"})
    for over, words in (({"task_no": "T" * 65}, "任务编号：长度应在1至64个字符之间"),
                        ({"name": "名" * 201}, "名称：长度应在1至200个字符之间"),
                        ({"department": "科" * 65}, "科室：长度不能超过64个字符"),
                        ({"team_size": "99"}, "每户检查人数：应不小于2且不大于20")):
        page = client.post("/console/plans/SG-2026/tasks", data=_task_form(client, **over),
                           follow_redirects=True).get_data(as_text=True)
        assert f"未添加：{words}" in page
        assert plans.get_plan("SG-2026").tasks == []
    client.post("/console/plans/SG-2026/tasks", data=_task_form(client))
    page = client.post("/console/tasks/SG-2026-01/edit",
                       data=_task_form(client, ratio="1" * 101),
                       follow_redirects=True).get_data(as_text=True)
    assert "未保存：抽查比例：长度应在1至100个字符之间" in page
    assert plans.get_task("SG-2026-01").ratio == "A:10%;B:20%;C:50%;D:100%"
