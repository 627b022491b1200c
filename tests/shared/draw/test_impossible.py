"""An impossible team stops the draw and names the enterprise and the rule."""

from __future__ import annotations

import pytest

from shared.draw import DrawContext, DrawError, run_draw
from tests.shared.draw.helpers import SEED, STREETS, enterprise, expert, inspector, snapshot, task

ONE = [enterprise(1, "hazchem_trading", street=STREETS[0])]
ALL = task(ratio="100%")


def fails(rows, officers, rules=None, experts=None, task_=ALL) -> DrawError:
    snap = snapshot(rows, task_, rules, officers=officers, experts=experts)
    with pytest.raises(DrawError) as info:
        run_draw(snap, SEED)
    err = info.value
    if err.uscc is not None:
        assert err.uscc in err.message and err.name in err.message
    return err


def test_field_match():
    officers = [inspector(i, fields=["coal_mine"]) for i in range(4)]
    err = fails(ONE, officers)
    assert (err.uscc, err.name) == (ONE[0]["uscc"], ONE[0]["name"])
    assert err.rule == "执法领域匹配" and "危险化学品经营" in err.message
    # The same officers pass once the switch is off: the rule alone made it impossible.
    run_draw(snapshot(ONE, ALL, {"field_match": False}, officers=officers), SEED)


def test_qualification_counts_only_certified_valid_on_duty():
    officers = [inspector(0), inspector(1, duty="休假"), inspector(2, cert_expiry="2024-06-29"),
                inspector(3, auxiliary=True), inspector(4, cert_no="")]
    err = fails(ONE, officers)
    assert err.rule == "执法资格" and "只有1人" in err.message


def test_declared_conflicts():
    officers = [inspector(i, conflicts=[ONE[0]["uscc"]] if i else []) for i in range(3)]
    assert fails(ONE, officers).rule == "利害关系回避"


def test_own_street_recusal_conflicts_with_street_pool():
    officers = [inspector(i, street=STREETS[i % 3]) for i in range(6)] + [inspector(9)]
    rules = {"composition": {"street_pool": 1, "bureau_pool": 1}, "recuse_own_street": True}
    err = fails(ONE, officers, rules)
    assert "所所交叉" in err.rule and "冲突" in err.message


def test_street_pool_too_small():
    officers = [inspector(i, street=STREETS[1]) for i in range(3)] + [inspector(9)]
    err = fails(ONE, officers, {"composition": {"street_pool": 1, "bureau_pool": 1}})
    assert err.rule == "组队规则（街道二级库）" and STREETS[0] in err.message


def test_bureau_pool_too_small():
    officers = [inspector(i, street=STREETS[0]) for i in range(3)]
    err = fails(ONE, officers, {"composition": {"bureau_pool": 1}})
    assert err.rule == "组队规则（局一级库）"


def test_previous_inspectors_recused():
    officers = [inspector(i) for i in range(3)]
    ctx = DrawContext(previous_inspectors={ONE[0]["uscc"]: [officers[0]["cert_no"]]})
    snap = snapshot(ONE, ALL, {"recuse_previous": True}, officers=officers, context=ctx)
    run_draw(snap, SEED)  # two officers left: enough
    ctx = DrawContext(previous_inspectors={ONE[0]["uscc"]: [o["cert_no"] for o in officers[:2]]})
    snap = snapshot(ONE, ALL, {"recuse_previous": True}, officers=officers, context=ctx)
    with pytest.raises(DrawError, match="上次检查人员回避"):
        run_draw(snap, SEED)


def test_experts():
    rows = [enterprise(1, "hazchem_trading", needs_expert=True)]
    officers = [inspector(i) for i in range(2)]
    err = fails(rows, officers, experts=[expert(0, ["coal_mine"]),
                                         expert(1, conflicts=[rows[0]["uscc"]])])
    assert err.rule == "专家库"
    snap = snapshot(rows, ALL, officers=officers, experts=[expert(0, ["coal_mine"]), expert(2)])
    assert run_draw(snap, SEED)["visits"][0]["experts"] == ["E002"]


def test_composition_larger_than_team():
    err = fails(ONE, [inspector(i) for i in range(4)],
                {"composition": {"street_pool": 2, "bureau_pool": 1}})
    assert err.rule == "组队规则" and "超过每户检查人数2人" in err.message


def test_unclassified_enterprise_in_credit_draw():
    rows = [enterprise(1, credit_class="A"), enterprise(2, credit_class="")]
    err = fails(rows, [inspector(i) for i in range(4)], task_=task(ratio="A:10%;B:10%"))
    assert err.rule == "信用风险分类" and err.uscc == rows[1]["uscc"]


def test_class_without_ratio_is_not_exempt():
    rows = [enterprise(i) for i in range(8)]
    err = fails(rows, [inspector(i) for i in range(4)], task_=task(ratio="A:10%;B:10%;C:10%"))
    assert err.rule == "抽查比例" and "信用风险分类为D的检查对象有2户" in err.message


def test_an_industry_without_items_is_one_problem_not_one_per_enterprise():
    from shared.draw import check_feasible
    from tests.shared.draw.helpers import items

    rows = [enterprise(i, "coal_mine") for i in range(5)] + [enterprise(9, "hazchem_trading")]
    listed = [it for it in items() if it["industries"] and it["industries"] != ["coal_mine"]]
    snap = snapshot(rows, ALL, None, officers=[inspector(i) for i in range(4)],
                    item_list=listed)
    problems = check_feasible(snap)
    assert [(p["uscc"], p["industry"]) for p in problems] == [(None, "coal_mine")]
    assert "没有适用于“煤矿”的检查事项" in problems[0]["message"]
    assert "5户" in problems[0]["message"]
