"""How the tablet names a hazard where a wrong target must be caught, and the
window warning before starting."""

from __future__ import annotations

from datetime import date

from mobile.core.summary import hazard_target
from mobile.core.timefmt import outside_window

ITEMS = {"XM-01": (1, "主要负责人履职情况"), "XM-10": (10, "储煤场防火防尘")}


def test_a_long_hazard_is_cut_visibly_and_names_its_item() -> None:
    long = "Responsibility system does not cover all staff, nor the contractors on site"
    label = hazard_target({"description": long, "item_code": "XM-10"}, ITEMS)
    assert label.startswith("隐患（第10项）：Responsibility system does not")
    assert label.endswith("…") and len(label) < len("隐患（第10项）：") + len(long)


def test_a_short_hazard_is_named_whole() -> None:
    assert hazard_target({"description": "消防通道堆放杂物", "item_code": None}, ITEMS) == (
        "隐患：消防通道堆放杂物")


def test_outside_the_window_is_said_before_and_after() -> None:
    start, end = date(2026, 12, 8), date(2026, 12, 20)
    assert outside_window(start, end, on=date(2026, 12, 3)) == (
        "检查时限尚未开始：2026年12月8日起，还有5天")
    assert outside_window(start, end, on=date(2026, 12, 8)) == ""
    assert outside_window(start, end, on=date(2026, 12, 20)) == ""
    assert outside_window("2026-12-08", "2026-12-20", on=date(2026, 12, 22)) == (
        "检查时限已过：截至2026年12月20日，已逾期2天")
