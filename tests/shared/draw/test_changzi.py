"""The 长子 plan: four directed tasks over a 133-enterprise registry."""

from __future__ import annotations

from math import ceil

import pytest

from shared.draw import DrawContext, build_pool, draw, merge_joint, verify
from shared.draw.snapshot import canonical_task
from shared.enums import Industry
from tests.shared.draw.helpers import SEED, enterprise, snapshot, task

REGISTRY = {"煤矿": 6, "洗选煤": 31, "危险化学品生产": 2, "危险化学品经营": 39, "工贸": 55}
TASKS = [
    ("CZ-01", "行业领域=煤矿", "100%"),
    ("CZ-02", "行业领域=危险化学品生产,危险化学品经营", "20%"),
    ("CZ-03", "行业领域=冶金,工贸", "10%"),
    ("CZ-04", "行业领域=洗选煤", "10%"),
]


def changzi() -> list[dict]:
    rows, i = [], 0
    for label, count in REGISTRY.items():
        for _ in range(count):
            rows.append(enterprise(i, Industry.parse(label).value))
            i += 1
    return rows


def plan_task(no: str, scope: str, ratio: str) -> dict:
    return task(task_no=no, draw_type="定向", scope=scope, ratio=ratio,
                joint_tasks=[t[0] for t in TASKS if t[0] != no])


def test_registry_size():
    assert len(changzi()) == 133


@pytest.mark.parametrize(("no", "scope", "ratio", "visits"), [
    (*TASKS[0], 6), (*TASKS[1], 9), (*TASKS[2], 6), (*TASKS[3], 4)])
def test_plan_counts(no, scope, ratio, visits):
    rows = changzi()
    snap = snapshot(rows, plan_task(no, scope, ratio),
                    {"composition": {"street_pool": 1, "bureau_pool": 1}})
    record = draw(snap, SEED)
    result = record["result"]
    assert len(result["visits"]) == visits
    wanted = {Industry.parse(v).value for v in scope.split("=")[1].split(",")}
    in_scope = [r for r in rows if r["industry"] in wanted]
    assert result["pool_size"] == len(in_scope)
    assert result["strata"]["*"]["drawn"] == visits
    by_uscc = {r["uscc"]: r for r in rows}
    assert all(by_uscc[v["uscc"]]["industry"] in wanted for v in result["visits"])
    assert len({v["uscc"] for v in result["visits"]}) == visits
    assert verify(record) == (True, None)


def test_plan_merges_into_one_visit_per_enterprise():
    rows = changzi()
    results = {no: draw(snapshot(rows, plan_task(no, scope, ratio)), SEED)["result"]
               for no, scope, ratio in TASKS}
    merged = merge_joint(results)
    assert len(merged) == 6 + 9 + 6 + 4  # the four tasks cover disjoint industries


def test_second_round_excludes_the_first():
    rows = changzi()
    t = plan_task(*TASKS[3])
    first = draw(snapshot(rows, t), SEED)["result"]
    drawn = {v["uscc"] for v in first["visits"]}
    ctx = DrawContext(drawn_in_plan=drawn)
    eligible, excluded = build_pool(rows, t, {}, ctx)
    assert {e["uscc"] for e in excluded} == drawn
    second = draw(snapshot(rows, t, context=ctx), SEED)["result"]
    assert second["pool_size"] == 31 - 4
    assert len(second["visits"]) == ceil((31 - 4) / 10)
    assert not drawn & {v["uscc"] for v in second["visits"]}


def test_canonical_task_keeps_exact_ratio():
    assert canonical_task(plan_task(*TASKS[1]))["ratio"] == {"*": "0.2"}
