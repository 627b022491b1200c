"""Canonical forms: one spelling of each fact, whatever the input looked like."""

from __future__ import annotations

from datetime import date

import pytest

from shared.draw.snapshot import (
    canonical_expert,
    canonical_inspector,
    canonical_item,
    canonical_rules,
    canonical_task,
)
from tests.shared.draw.helpers import enterprise, inspector, snapshot, task


def test_task_spellings_converge():
    a = canonical_task(task(draw_type="定向", scope="规模=中,大；行业领域=工贸",
                            ratio="A:3%;B:5%", window_start=date(2024, 4, 1),
                            joint_tasks=["T2", "T1", "T2"]))
    b = canonical_task(task(draw_type="directed", scope="行业领域=industry_trade;规模=大型,中型",
                            ratio={"B": "0.05", "A": "3/100"}, window_start="2024-04-01",
                            joint_tasks=["T1", "T2"]))
    assert a == b
    assert a["ratio"] == {"A": "0.03", "B": "0.05"}
    assert a["joint_tasks"] == ["T1", "T2"]
    assert canonical_task(a) == a  # idempotent


@pytest.mark.parametrize(("extra", "message"), [
    ({"window_end": "2024-03-01"}, "早于"),
    ({"window_end": "2024/13/01"}, "不是有效日期"),
    ({"team_size": 1}, "每户检查人数"),
    ({"general_items": -1}, "一般事项"),
    ({"team_size": True}, "每户检查人数"),
])
def test_task_errors(extra, message):
    with pytest.raises(ValueError, match=message):
        canonical_task(task(**extra))


def test_rules_defaults_and_errors():
    rules = canonical_rules(None)
    assert rules["field_match"] is True and rules["composition"] == {
        "street_pool": 0, "bureau_pool": 0}
    with pytest.raises(ValueError, match="未知的组队规则"):
        canonical_rules({"composition": {"streets": 1}})
    with pytest.raises(ValueError, match="每户年度检查上限"):
        canonical_rules({"yearly_cap": 0})


def test_inspector_tags_keep_non_industries():
    row = canonical_inspector(inspector(1, fields=["危化品经营", "综合执法", "coal_mine", " "],
                                        duty="休假", conflicts=["B", "A", "B"]))
    assert row["fields"] == ["coal_mine", "hazchem_trading", "综合执法"]
    assert row["duty"] == "leave" and row["conflicts"] == ["A", "B"]


def test_expert_and_item():
    assert canonical_expert({"id": 7, "specialties": ["工贸"]})["specialties"] == [
        "industry_trade"]
    assert canonical_item({"no": "X1", "category": "重点事项", "industries": ["煤矿"]}) == {
        "no": "X1", "name": "", "category": "key", "industries": ["coal_mine"]}


def test_duplicate_certificate_is_refused():
    with pytest.raises(ValueError, match="执法证号“140431000001”重复"):
        snapshot([enterprise(1)], task(), officers=[inspector(1), inspector(1, name="另一人")])


def test_auxiliary_staff_without_certificate_may_share_the_empty_number():
    snap = snapshot([enterprise(1)], task(), officers=[
        inspector(1), inspector(2), inspector(3, cert_no="", auxiliary=True),
        inspector(4, cert_no="", auxiliary=True)])
    assert [o["cert_no"] for o in snap["inspectors"]][:2] == ["", ""]
