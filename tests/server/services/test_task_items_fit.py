"""A task's 抽查事项 must fit its 抽查对象范围 (outside finding).

The tester created, over the API, a task with scope 行业领域=工贸 and item YH-01
(烟花爆竹储存): 201, published, and refused only at the freeze with 110 lines
of “事项清单中没有适用于“工贸”的检查事项” – the list has 工贸 items, the task
narrowed them away.  Now it is refused where it is entered, naming the items
and the industries; and a freeze that still meets it says so once per industry.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Task
from server.services.plans import (
    PlanError,
    create_task,
    get_plan,
    get_task,
    import_plans,
    publish_plan,
)
from server.services.registry_io import ImportFailed
from shared.enums import Role
from tests.server.services.demo_plan import demo_with_plan, freeze, task_row, xlsx

REFUSAL = "抽查事项YH-01（"


def _values(**over):
    base = get_task("CZ-2026-12-01")
    return {"task_no": "T-FIT", "name": "工贸抽查", "draw_type": "directed", "ratio": "10%",
            "item_scope": "YH-01", "target_filter": "行业领域=工贸",
            "window_start": base.window_start, "window_end": base.window_end,
            "team_size": 2, "unannounced": False, **over}


def test_items_that_leave_an_industry_of_the_scope_bare_are_refused_at_creation(ctx):
    demo_with_plan()
    plan = get_plan("CZ-2026-12")
    with pytest.raises(PlanError) as err:
        create_task(plan, _values(), "dispatcher", "补充任务")
    message = err.value.message
    assert err.value.status == 422
    assert REFUSAL in message and "没有适用于“工贸”的检查事项" in message
    assert db.session.scalar(sa.select(Task.id).filter_by(task_no="T-FIT")) is None
    # two industries, one covered: only the bare one is named
    with pytest.raises(PlanError) as err:
        create_task(plan, _values(target_filter="行业领域=工贸,烟花爆竹"), "dispatcher", "补充任务")
    assert "“工贸”" in err.value.message and "“烟花爆竹”" not in err.value.message
    # items that fit are accepted
    task = create_task(plan, _values(target_filter="行业领域=烟花爆竹"), "dispatcher", "补充任务")
    assert task.item_codes == ["YH-01"]


def test_the_api_refuses_it_with_the_chinese_message(ctx, client, auth):
    demo_with_plan()
    base = get_task("CZ-2026-12-01")
    body = {"task_no": "T-API", "name": "工贸抽查", "draw_type": "directed", "ratio": "10%",
            "item_scope": "YH-01", "target_filter": "行业领域=工贸",
            "window_start": base.window_start.isoformat(),
            "window_end": base.window_end.isoformat(), "reason": "补充任务"}
    resp = client.post("/api/v1/plans/CZ-2026-12/tasks", headers=auth(Role.DISPATCHER), json=body)
    assert resp.status_code == 422, resp.json
    assert REFUSAL in resp.json["message"] and "“工贸”" in resp.json["message"]


def test_the_plan_spreadsheet_refuses_it_too(ctx):
    demo_with_plan()
    bad = [task_row("CZ-2026-12-09", "工贸抽查", "5%", "YH-01", "行业领域=工贸")]
    with pytest.raises(ImportFailed) as err:
        import_plans(xlsx(bad), "plan.xlsx", "dispatcher", "补充任务")
    assert REFUSAL in str(err.value.errors) and "“工贸”" in str(err.value.errors)


def _narrowed_behind_the_checks() -> Task:
    """A task stored before the check existed: items no 工贸 enterprise can use."""
    task = get_task("CZ-2026-12-01")
    task.target_filter, task.item_codes = "行业领域=工贸", ["YH-01"]
    db.session.commit()
    return task


def test_publication_refuses_it(ctx):
    demo_with_plan()
    task = _narrowed_behind_the_checks()
    task.plan.status = "changed"
    db.session.commit()
    with pytest.raises(PlanError) as err:
        publish_plan(get_plan("CZ-2026-12"), "dispatcher")
    assert f"任务{task.task_no}：" in err.value.message and REFUSAL in err.value.message


def test_the_freeze_says_the_tasks_items_lack_the_industry_once(ctx):
    demo_with_plan()
    task = _narrowed_behind_the_checks()
    with pytest.raises(PlanError) as err:
        freeze(task.task_no)
    message = err.value.message
    assert "选定的抽查事项YH-01（" in message and "事项清单中没有" not in message
    assert message.count("工贸") == 1 and "户）" in message
