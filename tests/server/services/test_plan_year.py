"""A plan's year is the one its name states, not its first task's start."""

from datetime import date

from server.services.plans import plan_year


def test_the_year_in_the_name_wins_over_the_first_task():
    assert plan_year("2027年度安全生产“双随机”抽查计划", date(2026, 12, 20)) == 2027
    assert plan_year("长子县应急管理局2026 年双随机抽查计划", date(2025, 12, 1)) == 2026


def test_a_name_without_a_year_takes_the_first_tasks_year():
    assert plan_year("危化品经营单位抽查计划", date(2026, 3, 1)) == 2026
