"""Filter and ratio texts as office staff type them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from shared.draw import format_filter, parse_filter, parse_ratio
from shared.draw.parse import ceil_ratio, format_fraction


def test_filter_and_or_with_labels():
    clauses = parse_filter("行业领域=危险化学品生产,危险化学品经营;规模=大,中")
    assert [(c.key, c.values) for c in clauses] == [
        ("industry", ("hazchem_production", "hazchem_trading")),
        ("scale", ("large", "medium")),
    ]


def test_filter_fullwidth_punctuation_and_flags():
    clauses = parse_filter("行业领域＝危化品经营、工贸；黑名单=否；特殊作业=有限空间")
    assert [(c.key, c.values) for c in clauses] == [
        ("industry", ("hazchem_trading", "industry_trade")),
        ("blacklisted", (False,)),
        ("special_ops", ("有限空间",)),
    ]


def test_format_filter_round_trips():
    text = "行业领域=危险化学品经营,煤矿;规模=中;重大事故隐患=是;属地=城关镇"
    clauses = parse_filter(text)
    assert parse_filter(format_filter(clauses)) == clauses
    assert format_filter(clauses) == (
        "行业领域=煤矿,危险化学品经营;属地=城关镇;规模=中;重大事故隐患=是")


@pytest.mark.parametrize(("text", "message"), [
    ("行业=煤矿", "无法识别"),
    ("行业领域煤矿", "缺少“=”"),
    ("行业领域=", "没有给出取值"),
    ("行业领域=造船", "不是有效的行业领域"),
    ("黑名单=也许", "应为“是”或“否”"),
])
def test_filter_errors_are_chinese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_filter(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("20%", {"*": Fraction(1, 5)}),
    ("0.2", {"*": Fraction(1, 5)}),
    ("1/5", {"*": Fraction(1, 5)}),
    ("100%", {"*": Fraction(1)}),
    ("7%", {"*": Fraction(7, 100)}),
    ("A:3%;B:5%;C:20%;D:100%",
     {"A": Fraction(3, 100), "B": Fraction(1, 20), "C": Fraction(1, 5), "D": Fraction(1)}),
    ("A类：3％；B类:0.05", {"A": Fraction(3, 100), "B": Fraction(1, 20)}),
])
def test_parse_ratio(text, expected):
    assert parse_ratio(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("", "未设定"), ("abc", "不是有效的比例"), ("0%", "应大于0"), ("120%", "不超过100%"),
    ("A:3%;A:5%", "重复"), ("E:3%", "不是有效的信用风险分类"), ("A3%;B:5%", "类别:比例"),
])
def test_ratio_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_ratio(text)


def test_ceil_is_exact_where_floats_are_not():
    # 0.07 × 100 = 7.000000000000001 in floats, whose ceil would be 8.
    assert ceil_ratio(Fraction(7, 100), 100) == 7
    assert ceil_ratio(Fraction(1, 5), 41) == 9
    assert ceil_ratio(Fraction(1, 10), 31) == 4
    assert ceil_ratio(Fraction(1, 3), 0) == 0


@pytest.mark.parametrize(("value", "text"), [
    (Fraction(1, 5), "0.2"), (Fraction(3, 100), "0.03"), (Fraction(1), "1"),
    (Fraction(1, 3), "1/3"), (Fraction(1, 8), "0.125"),
])
def test_format_fraction(value, text):
    assert format_fraction(value) == text
    assert parse_ratio(text) == {"*": value}
