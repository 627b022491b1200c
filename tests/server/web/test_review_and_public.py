"""The review queue (links, item names, 退回意见, resubmit, bulk), public pages
while a plan awaits republication, and the public results search."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import PublicationResult
from server.services import plans
from server.services import publication as pub
from server.services.deadlines import bureau_today
from shared.enums import Outcome, Role
from tests.server.web import dataset
from tests.server.web.conftest import csrf


def _propose(n: int) -> list[PublicationResult]:
    visits = dataset.visits(dataset.OPEN_TASK)[:n]
    for v in visits:  # a result is proposed once the inspection is done (issue 16)
        v.status = "inspected"
    db.session.commit()
    return [pub.propose_result(v.id, Outcome.NO_PROBLEM, bureau_today() - timedelta(days=2), [])
            for v in visits]


def test_the_queue_names_items_and_a_rejection_is_shown_and_resubmitted(ctx, client, login):
    dataset.build(bureau_today())
    result = _propose(1)[0]
    login(Role.REVIEWER)
    page = client.get("/console/publication").get_data(as_text=True)
    codes = result.item_codes
    names = pub.ItemNames()(result.item_version, codes)
    assert names and all(name in page for name in names.values())
    assert f"/console/enterprises/{result.enterprise_id}" in page
    client.post(f"/console/publication/{result.id}/reject",
                data={"csrf_token": csrf(client), "note": "检查结果与照片不符"})
    page = client.get("/console/publication?review=rejected").get_data(as_text=True)
    assert "已退回" in page and "检查结果与照片不符" in page
    login(Role.DISPATCHER)
    resp = client.post(f"/console/publication/{result.id}/resubmit", data={
        "csrf_token": csrf(client), "outcome": "corrected", "note": "已核对照片，改为责令改正"},
        follow_redirects=True)
    assert "已重新提交法制审核" in resp.get_data(as_text=True)
    db.session.refresh(result)
    assert (result.status, result.outcome) == ("pending", "corrected")


def test_bulk_approval_publishes_every_ticked_result(ctx, client, login):
    dataset.build(bureau_today())
    results = _propose(3)
    login(Role.REVIEWER)
    resp = client.post("/console/publication/bulk", data={
        "csrf_token": csrf(client), "decision": "approve",
        "ids": [str(r.id) for r in results[:2]],
        # each row's revision as the page carries it (a hidden field per row)
        **{f"revision_{r.id}": str(r.revision) for r in results[:2]}}, follow_redirects=True)
    assert "已审核通过并公开2条" in resp.get_data(as_text=True)
    statuses = db.session.scalars(sa.select(PublicationResult.status).order_by(
        PublicationResult.id)).all()
    assert statuses == ["approved", "approved", "pending"]
    refused = client.post("/console/publication/bulk", data={
        "csrf_token": csrf(client), "decision": "reject", "ids": [str(results[2].id)]},
        follow_redirects=True)
    assert "批量退回须填写退回意见" in refused.get_data(as_text=True)


def test_public_pages_stay_while_a_changed_plan_awaits_republication(ctx, client):
    dataset.build(bureau_today())
    plan = plans.get_plan("CS-2026")
    today = bureau_today()
    plans.create_task(plan, {"task_no": "CS-2026-09", "name": "新增任务", "draw_type": "directed",
                             "ratio": "10%", "target_filter": "行业领域=烟花爆竹",
                             "window_start": today, "window_end": today + timedelta(days=9),
                             "team_size": 2},
                      "dispatcher", "增加烟花爆竹专项")
    assert plan.status == "changed"
    page = client.get("/public/plans").get_data(as_text=True)
    assert "已变更，正在重新发布" in page and "CS-2026-09" not in page
    assert client.get(f"/public/tasks/{dataset.OPEN_TASK}").status_code == 200
    assert client.get("/public/tasks/CS-2026-09").status_code == 404
    # A system-made 复查 task in the plan does not block republication.
    from server.services.followup import reinspection_task

    reinspection_task(plans.get_task(dataset.OPEN_TASK), today + timedelta(days=5))
    db.session.commit()
    plans.publish_plan(plan, "dispatcher")
    assert client.get("/public/tasks/CS-2026-09").status_code == 200


def test_the_public_results_are_searched_by_name_or_uscc_and_year(ctx, client):
    dataset.build(bureau_today())
    results = _propose(2)
    for r in results:
        pub.approve_result(r.id, "reviewer", revision=r.revision)
    first = results[0]
    by_name = client.get(f"/public/results?q={first.enterprise_name}").get_data(as_text=True)
    assert "共 1 条" in by_name and first.enterprise_name in by_name
    by_code = client.get(f"/public/results?q={first.uscc[-6:]}").get_data(as_text=True)
    assert first.enterprise_name in by_code
    year = first.inspected_on.year
    assert "共 2 条" in client.get(f"/public/results?year={year}").get_data(as_text=True)
    assert "共 0 条" in client.get(f"/public/results?year={year - 5}").get_data(as_text=True)


def test_a_reinspection_task_is_public_nowhere_not_even_by_its_address(ctx, client):
    """A 复查 task follows a finding; it is not a 双随机 draw and is never announced.
    Typed in by hand its page answers 404 in Chinese, and no public list, feed or
    draw file names it."""
    from server.services.followup import reinspection_task

    dataset.build(bureau_today())
    fc = reinspection_task(plans.get_task(dataset.OPEN_TASK), bureau_today() + timedelta(days=5))
    db.session.commit()
    assert fc.is_reinspection and fc.plan.status == "published"
    page = client.get(f"/public/tasks/{fc.task_no}")
    assert page.status_code == 404 and "页面不存在" in page.get_data(as_text=True)
    assert client.get(f"/public/tasks/{fc.task_no}/verify.json").status_code == 404
    for url in ("/public/", "/public/plans", "/public/tasks", "/public/results",
                "/public/plans.json", "/public/tasks.json", "/public/tasks.csv",
                "/public/results.json", "/public/results.csv", "/public/log/entries.json"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert fc.task_no not in resp.get_data(as_text=True), url
    assert client.get(f"/public/tasks/{dataset.OPEN_TASK}").status_code == 200  # the real one
