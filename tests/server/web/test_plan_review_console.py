"""The console's 计划审核: a plan table imported as printed shows its prose and
the proposals, each task is confirmed (one narrowed by hand), then it publishes."""

from __future__ import annotations

import io
import re

from server.extensions import db
from server.models import Task
from server.services.demo_data import load_demo
from shared.enums import Role
from tests.server.test_seed_plans import CHANGZI, xlsx
from tests.server.web.conftest import csrf

PLAN = "长子应急发〔2022〕23号"


def test_plan_table_as_printed_is_reviewed_in_the_console(ctx, client, login):
    load_demo()
    login(Role.DISPATCHER)
    html = client.post("/console/plans", data={
        "csrf_token": csrf(client), "file": (io.BytesIO(xlsx(CHANGZI)), "长子.xlsx"),
        "plan_no": PLAN}, content_type="multipart/form-data").get_data(as_text=True)
    assert "4个任务按原文导入" in html and "4个任务待确认" in html
    refused = client.post(f"/console/plans/{PLAN}/publish", data={"csrf_token": csrf(client)},
                          follow_redirects=True).get_data(as_text=True)
    assert "尚未在计划审核中确认" in refused
    page = client.get(f"/console/plans/{PLAN}/review").get_data(as_text=True)
    assert "全县煤矿企业" in page and "2022年全年" in page  # the prose as printed
    assert 'value="行业领域=煤矿"' in page and 'value="100%"' in page  # the proposals
    for n in range(1, 5):
        task_no = f"{PLAN}-{n:02d}"
        section = page.split(f'id="task-{task_no}"')[1].split("</section>")[0]
        form = {"csrf_token": csrf(client),
                "ratio": re.search(r'name="ratio" value="([^"]*)"', section)[1],
                "target_filter": re.search(r'name="target_filter"[^>]*value="([^"]*)"',
                                           section)[1],
                "item_codes": re.findall(r'value="([^"]+)" checked', section)}
        if n == 3:
            form["target_filter"] = "行业领域=工贸,冶金;规模=大,中"
        done = client.post(f"/console/tasks/{task_no}/review", data=form,
                           follow_redirects=True).get_data(as_text=True)
        assert f"任务{task_no}的比例、范围和事项已确认" in done
    db.session.expire_all()
    third = db.session.query(Task).filter_by(task_no=f"{PLAN}-03").one()
    assert third.target_filter == "行业领域=工贸,冶金;规模=大,中"
    assert third.printed["review"] == "confirmed" and third.item_codes
    ok = client.post(f"/console/plans/{PLAN}/publish", data={"csrf_token": csrf(client)},
                     follow_redirects=True).get_data(as_text=True)
    assert f"计划{PLAN}已发布" in ok


def test_a_task_review_keeps_the_apis_bounds(ctx, client, login):
    load_demo()
    login(Role.DISPATCHER)
    client.post("/console/plans", data={
        "csrf_token": csrf(client), "file": (io.BytesIO(xlsx(CHANGZI)), "长子.xlsx"),
        "plan_no": PLAN}, content_type="multipart/form-data")
    task_no = f"{PLAN}-01"
    towns = ",".join(f"第{i}镇" for i in range(600))  # a filter the parser reads, 4000+ chars
    page = client.post(f"/console/tasks/{task_no}/review", data={
        "csrf_token": csrf(client), "ratio": "100%", "item_codes": [],
        "target_filter": f"行业领域=煤矿;属地={towns}"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "抽查对象范围：长度不能超过2000个字符" in page
    db.session.expire_all()
    task = db.session.query(Task).filter_by(task_no=task_no).one()
    assert task.printed["review"] == "pending" and "第599镇" not in (task.target_filter or "")
