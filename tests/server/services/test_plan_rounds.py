"""Rounds of one plan, ratios that can be frozen, and the demo's every industry.

Outside findings: (a) tasks of one plan frozen before any was drawn each drew
without the others' results – one firm got two visits, one of them 暗查;
(b) “D:100%” was accepted at entry and could never be frozen; (c) the demo could
not freeze a 危险化学品 or 非煤矿山 task (its experts' 专业 was not in the map).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import DrawFreeze, Enterprise, Visit
from server.services import draw as svc
from server.services.plans import PlanError, create_task, get_plan, get_task, import_plans
from server.services.registry_io import ImportFailed
from shared.enums import Industry
from tests.server.services.demo_plan import (
    TESTER_ROWS,
    demo_with_plan,
    draw,
    freeze,
    task_row,
    xlsx,
)

# The tester's T-1: the whole hazchem and fireworks registry, after 01 and 02.
T1 = task_row("T-1", "危化和烟花爆竹企业抽查", "60%", None,
              "行业领域=危险化学品生产,危险化学品经营,烟花爆竹")


def _drawn(task_no: str) -> set[str]:
    task = get_task(task_no)
    return set(db.session.scalars(
        sa.select(Enterprise.uscc).join(Visit, Visit.enterprise_id == Enterprise.id)
        .where(Visit.task_id == task.id, Visit.current.is_(True))))


def test_a_round_frozen_but_not_drawn_blocks_the_next_freeze_of_the_plan(ctx):
    demo_with_plan([*TESTER_ROWS, T1])
    freeze("CZ-2026-12-01")
    freeze("CZ-2026-12-02")  # 烟花爆竹 and 危化: no enterprise in both pools, no wait
    with pytest.raises(svc.DrawFailed) as err:  # T-1's pool holds firms of both
        freeze("T-1")
    message = err.value.message
    assert err.value.status == 409
    assert "CZ-2026-12-01（危险化学品企业冬季专项抽查，与本任务的对象池有" in message
    assert "CZ-2026-12-02（烟花爆竹经营单位春节前暗查，与本任务的对象池有" in message
    assert "已冻结但尚未抽取" in message and "排除本计划前轮已抽取的检查对象" in message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze).where(
        DrawFreeze.task_id == get_task("T-1").id)) == 0  # nothing stored
    draw("CZ-2026-12-01")
    with pytest.raises(svc.DrawFailed) as err:
        freeze("T-1")
    assert "CZ-2026-12-02" in err.value.message and "CZ-2026-12-01" not in err.value.message
    draw("CZ-2026-12-02")
    freeze("T-1")  # both results known now: the snapshot excludes them
    draw("T-1")
    first, secret, later = _drawn("CZ-2026-12-01"), _drawn("CZ-2026-12-02"), _drawn("T-1")
    assert first and secret and later
    assert not later & first and not later & secret and not first & secret


def test_a_refreeze_of_the_same_task_is_not_blocked_by_itself(ctx):
    demo_with_plan()
    freeze("CZ-2026-12-01")
    svc.freeze_task("CZ-2026-12-01", "dispatcher", source="local", demo=True, reason="换来源")
    draw("CZ-2026-12-01")


@pytest.mark.parametrize("ratio, scope, missing", [
    ("D:100%", "行业领域=危险化学品生产", "A、B、C类"),
    ("A:3%;B:5%;C:20%", "行业领域=工贸", "D类"),
    ("C:20%", "行业领域=工贸;信用风险分类=C,D", "D类"),
])
def test_a_ratio_that_exempts_a_class_is_refused_where_it_is_entered(ctx, ratio, scope,
                                                                     missing):
    demo_with_plan()
    row = task_row("CZ-2026-12-09", "分类抽查", ratio, None, scope)
    with pytest.raises(ImportFailed) as err:
        import_plans(xlsx([row]), "plan.xlsx", "dispatcher", "补充任务")
    text = "\n".join(err.value.errors)
    assert f"没有设定{missing}的比例" in text and "任何类别不得豁免" in text
    first = get_task("CZ-2026-12-01")
    with pytest.raises(PlanError) as api:
        create_task(get_plan("CZ-2026-12"), {
            "task_no": "T-9", "name": "分类抽查", "draw_type": "directed", "ratio": ratio,
            "item_scope": None, "target_filter": scope, "window_start": first.window_start,
            "window_end": first.window_end, "team_size": 2, "unannounced": False},
            "dispatcher", "补充任务")
    assert api.value.status == 422 and "任何类别不得豁免" in api.value.message


def test_a_class_ratio_limited_by_the_scope_is_accepted_and_freezes(ctx):
    demo_with_plan()
    first = get_task("CZ-2026-12-01")
    create_task(get_plan("CZ-2026-12"), {
        "task_no": "T-D", "name": "D类企业全覆盖", "draw_type": "directed", "ratio": "D:100%",
        "item_scope": None, "target_filter": "行业领域=工贸;信用风险分类=D",
        "window_start": first.window_start, "window_end": first.window_end, "team_size": 2,
        "unannounced": False}, "dispatcher", "补充任务")
    from server.services.plans import publish_plan
    publish_plan(get_plan("CZ-2026-12"), "dispatcher")
    assert freeze("T-D").pool_size >= 1


def test_the_demo_freezes_and_draws_a_task_of_every_industry(ctx):
    rows = [task_row(f"CZ-2026-12-{n:02d}", f"{ind.label}抽查", "30%", None,
                     f"行业领域={ind.label}") for n, ind in enumerate(Industry, start=1)]
    demo_with_plan(rows)
    for n, ind in enumerate(Industry, start=1):
        task_no = f"CZ-2026-12-{n:02d}"
        frozen = freeze(task_no)  # refused before: 化工工艺, 矿山地质 read as nothing
        assert frozen.pool_size >= 1, ind.label
        record = draw(task_no)
        assert record.id and _drawn(task_no), ind.label


def test_a_refusal_for_want_of_an_expert_points_to_the_specialty_map(ctx):
    demo_with_plan()
    for word in ("化工工艺", "危险化学品安全"):  # the bureau unmaps the demo experts' words
        svc.set_specialty(word, [], "dispatcher")
    with pytest.raises(svc.FreezeRefused) as err:
        freeze("CZ-2026-12-01")
    assert "抽取专家" in err.value.message and "专家专业对照表" in err.value.message
