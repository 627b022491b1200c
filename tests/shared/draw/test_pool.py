"""build_pool: scope, exclusions with reasons, canonical order."""

from __future__ import annotations

import random

import pytest

from shared.draw import DrawContext, PoolColumns, PoolRows, build_pool, select_scope
from tests.shared.draw.helpers import enterprise, task, uscc

RULES = {"yearly_cap": 2}


def registry() -> list[dict]:
    rows = [enterprise(i, "hazchem_trading", scale="large" if i % 2 else "small")
            for i in range(10)]
    rows += [enterprise(i, "industry_trade") for i in range(10, 20)]
    rows[3]["status"] = "closed"
    rows[5]["status"] = "注销"
    rows[7]["blacklisted"] = True
    rows[11]["special_ops"] = ["有限空间", "粉尘涉爆"]
    return rows


def test_directed_filter_and_or():
    t = task(draw_type="定向", scope="行业领域=危险化学品经营,工贸;规模=大")
    got = {r["uscc"] for r in select_scope(registry(), t)}
    assert got == {uscc(i) for i in range(1, 10, 2)}


@pytest.mark.parametrize(("scope", "expected"), [
    ("黑名单=是", {7}),
    ("特殊作业=粉尘涉爆,涉氨制冷", {11}),
    ("单位名称=企业1号", {1}),
    ("属地=丹朱镇;行业领域=工贸", {10, 13, 16, 19}),
    ("信用风险分类=D", {3, 7, 11, 15, 19}),
])
def test_filter_fields(scope, expected):
    got = {r["uscc"] for r in select_scope(registry(), task(draw_type="定向", scope=scope))}
    assert got == {uscc(i) for i in expected}


def test_directed_needs_scope_and_undirected_only_registries():
    with pytest.raises(ValueError, match="定向抽查必须设定"):
        select_scope(registry(), task(draw_type="定向", scope=""))
    with pytest.raises(ValueError, match="不定向"):
        select_scope(registry(), task(draw_type="不定向", scope="规模=大"))
    assert len(select_scope(registry(), task(scope="所属名录库=一级库"))) == 20


def test_exclusions_carry_reasons():
    ctx = DrawContext(drawn_in_plan={uscc(1), uscc(3)},
                      inspections_this_year={uscc(2): 2, uscc(4): 1, uscc(99): 5})
    eligible, excluded = build_pool(registry(), task(), RULES, ctx)
    reasons = {e["uscc"]: e["reason"] for e in excluded}
    assert reasons == {
        uscc(1): "本计划前轮已抽取",
        uscc(2): "本年度已检查2次，达到每户年度上限2次",
        uscc(3): "经营状态为“关闭”",  # status is reported before the earlier round
        uscc(5): "经营状态为“注销”",
    }
    pool = set(eligible["values"][0])
    assert not pool & set(reasons)
    assert len(pool) == 16 and uscc(4) in pool


def test_switches_off():
    ctx = DrawContext(drawn_in_plan={uscc(1)}, inspections_this_year={uscc(2): 9})
    eligible, excluded = build_pool(registry(), task(), {"exclude_drawn_in_plan": False}, ctx)
    assert {e["uscc"] for e in excluded} == {uscc(3), uscc(5)}


def test_pool_is_sorted_and_independent_of_input_order():
    rows = registry()
    ctx = DrawContext(previous_inspectors={uscc(2): ["B", "A", "A"], uscc(3): ["C"]})
    first = build_pool(rows, task(), RULES, ctx)
    random.Random(4).shuffle(rows)
    again = build_pool(rows, task(), RULES, ctx)
    assert first == again
    col = first[0]["values"][0]
    assert col == sorted(col)
    # Previous inspectors only for eligible enterprises (3 is closed), deduplicated.
    assert first[0]["previous_inspectors"] == {uscc(2): ["A", "B"]}


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="未知的抽取规则"):
        build_pool(registry(), task(), {"yearly_kap": 1})


def test_duplicate_uscc_is_named():
    rows = registry() + [enterprise(4, name="重复登记")]
    with pytest.raises(ValueError, match=f"统一社会信用代码{uscc(4)}重复"):
        build_pool(rows, task(), RULES)


@pytest.mark.parametrize("scope", ["行业领域=危险化学品经营,工贸", "属地=丹朱镇;行业领域=工贸",
                                   "规模=大", "信用风险分类=A,B"])
def test_tuple_rows_with_coded_columns_give_the_same_pool(scope):
    """PoolRows as the server reads them: tuples, industry/street/status as codes
    into value lists (values missing from a list stay text), ids carried."""
    rows = registry()
    rows[12]["street"] = "新设镇"  # not in the code list: comes through as text
    keys = ("uscc", "name", "credit_class", "industry", "street", "needs_expert", "status",
            "id", "scale")
    codes = {"industry": ("coal_mine", "hazchem_trading", "industry_trade"),
             "street": tuple(sorted({r["street"] for r in rows} - {"新设镇"})),
             "status": ("active", "closed")}

    def coded(key, value):
        table = codes.get(key, ())
        return table.index(value) if value in table else value

    tuples = [tuple(coded(k, r[k]) if k != "id" else 1000 + i for k in keys)
              for i, r in enumerate(rows)]
    random.Random(7).shuffle(tuples)
    t = task(draw_type="定向", scope=scope)
    ctx = DrawContext(drawn_in_plan={uscc(10)})
    want = build_pool(rows, t, RULES, ctx)
    got = build_pool(PoolRows(keys, tuples, codes), t, RULES, ctx, carry=("id",))
    ids = got[0].pop("carried")["id"]
    assert got == want
    id_of = {r["uscc"]: 1000 + i for i, r in enumerate(rows)}
    assert ids == [id_of[u] for u in want[0]["values"][0]]
    assert all(type(v) is str for col in got[0]["values"][1:5] for v in col)


@pytest.mark.parametrize("scope", ["行业领域=危险化学品经营,工贸", "属地=丹朱镇;行业领域=工贸",
                                   "规模=大", "黑名单=是", "单位名称=企业1号",
                                   "特殊作业=粉尘涉爆,涉氨制冷"])
@pytest.mark.parametrize("shuffled", [False, True])
def test_columns_give_the_same_pool(scope, shuffled):
    """PoolColumns as a columnar read returns them, in USCC order or not."""
    rows = registry()
    rows.sort(key=lambda r: r["uscc"])
    if shuffled:
        random.Random(3).shuffle(rows)
    keys = ("uscc", "name", "credit_class", "industry", "street", "needs_expert", "status",
            "id", "scale", "blacklisted", "special_ops")
    columns = [[(1000 + i if k == "id" else r[k]) for i, r in enumerate(rows)] for k in keys]
    t = task(draw_type="定向", scope=scope)
    ctx = DrawContext(drawn_in_plan={uscc(10)}, inspections_this_year={uscc(12): 5})
    want = build_pool(rows, t, RULES, ctx)
    got = build_pool(PoolColumns(keys, columns), t, RULES, ctx, carry=("id",))
    ids = got[0].pop("carried")["id"]
    assert got == want
    id_of = {r["uscc"]: 1000 + i for i, r in enumerate(rows)}
    assert ids == [id_of[u] for u in want[0]["values"][0]]
