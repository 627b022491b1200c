"""Publication deadlines in working days (must-show 2): Spring Festival, National
Day and their make-up weekends, 7 and 20 days, stored overrides, the provisional year.

Expected dates are counted by hand from the State Council notices (国办发明电
〔2024〕12号 for 2025): 春节 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）
上班；国庆 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班.
"""

from datetime import date

import pytest

from server.services import deadlines as dl
from shared.workdays import Calendar, DeadlineStatus, provisional_warning

# The provisional-year tests use 2027, the first year chinese_calendar 1.11 does not know.
UNKNOWN = 2027


def test_the_library_still_lacks_2027():
    assert Calendar().source(UNKNOWN) == "provisional", (
        "chinese_calendar now knows 2027: move these tests to the next unpublished year")


@pytest.mark.parametrize("end, days, due", [
    # Fri before 春节: Sun 1-26 counts (调休), 1-28…2-4 off, Sat 2-8 counts.
    (date(2025, 1, 24), 7, date(2025, 2, 10)),
    (date(2025, 1, 24), 20, date(2025, 2, 27)),
    # Ends on the make-up Sunday itself: counting starts the day after.
    (date(2025, 1, 26), 7, date(2025, 2, 11)),
    # Fri before 国庆: Sun 9-28 counts, 10-1…10-8 off, Sat 10-11 counts.
    (date(2025, 9, 26), 7, date(2025, 10, 13)),
    (date(2025, 9, 26), 20, date(2025, 10, 30)),
    # Ends inside the holiday.
    (date(2025, 10, 3), 7, date(2025, 10, 16)),
])
def test_deadlines_across_holidays_and_make_up_weekends(ctx, end, days, due):
    deadline = dl.publication_deadline(end, days=days)
    assert deadline.due == due
    assert deadline.warnings == []


@pytest.mark.parametrize("configured, due", [(None, date(2025, 10, 30)), (7, date(2025, 10, 13))])
def test_bureau_setting_chooses_7_or_20_days(app, configured, due):
    app.config["PUBLICATION_WORKING_DAYS"] = configured
    with app.app_context():
        assert dl.publication_working_days() == (configured or 20)
        assert dl.publication_deadline(date(2025, 9, 26)).due == due


def test_environment_variable_is_the_fallback_setting(monkeypatch):
    monkeypatch.setenv("PUBLICATION_WORKING_DAYS", "7")
    assert dl.publication_working_days() == 7  # no app context: environment


def test_year_without_schedule_is_provisional_with_a_warning_never_an_error(ctx):
    # 2027 is not in chinese_calendar 1.11.  2026-12-25 Fri: d1–d4 12/28–31;
    # 1/1 元旦 off (provisional); d5–d9 1/4–8; d10–d19 1/11–22; d20 1/25 Mon.
    deadline = dl.publication_deadline(date(2026, 12, 25), days=20)
    assert deadline.due == date(2027, 1, 25)
    assert deadline.warnings == [provisional_warning(2027)]
    assert "2027年节假日安排尚未公布" in deadline.warnings[0]


def _store_2027():
    # A hypothetical 2027 schedule as an administrator would enter it.
    dl.set_year(2027, dl.parse_days("2027-01-01,2027-02-05~2027-02-11"),
                dl.parse_days("2027-01-30 2027-02-20"), actor="admin")


def test_stored_override_is_used_and_silences_the_warning(ctx):
    _store_2027()
    cross_year = dl.publication_deadline(date(2026, 12, 25), days=20)
    assert cross_year.due == date(2027, 1, 25)  # 1-1 is now a holiday
    assert cross_year.warnings == []
    # 春节 2027 as entered: Sat 1-30 works, 2-5…2-11 off, Sat 2-20 works.
    assert dl.publication_deadline(date(2027, 1, 29), days=7).due == date(2027, 2, 15)
    assert dl.publication_deadline(date(2027, 1, 29), days=20).due == date(2027, 3, 3)


def test_without_override_2027_spring_festival_is_only_an_estimate(ctx):
    # 1/29 Fri: d1–d4 2/1–2/4; 2/5 除夕…2/10 off (provisional); d5 2/11; d6 2/12; d7 2/15.
    deadline = dl.publication_deadline(date(2027, 1, 29), days=7)
    assert deadline.due == date(2027, 2, 15)
    assert deadline.estimated


def test_override_replaces_library_data_for_its_year(ctx):
    # Declaring 2025-10-09 a holiday too (a correction) moves the 7-day deadline.
    dl.set_year(2025, dl.parse_days("2025-10-01~2025-10-09"),
                dl.parse_days("2025-09-28,2025-10-11"), actor="admin")
    assert dl.publication_deadline(date(2025, 9, 26), days=7).due == date(2025, 10, 14)
    assert dl.delete_year(2025)
    assert dl.publication_deadline(date(2025, 9, 26), days=7).due == date(2025, 10, 13)


@pytest.mark.parametrize("holidays, workdays, message", [
    ("2027-02-05", "2027-02-05", "既是节假日又是调休工作日"),
    ("2028-02-05", "", "其他年份"),
    ("2027-02-30", "", "不是有效日期"),
    ("2027-02-11~2027-02-05", "", "结束早于开始"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(ctx, holidays, workdays, message):
    with pytest.raises(dl.CalendarInputError, match=message):
        dl.set_year(2027, dl.parse_days(holidays), dl.parse_days(workdays), actor="admin")
    assert dl.stored_schedules() == {}


def test_schedule_file_format():
    hol, work = dl.parse_schedule_file(
        "# 2027 春节\n2027-02-05~2027-02-07 休\n2027/1/30 班\n2027年2月20日 班\n")
    assert hol == {date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7)}
    assert work == {date(2027, 1, 30), date(2027, 2, 20)}
    with pytest.raises(dl.CalendarInputError, match="第1行"):
        dl.parse_schedule_file("2027-02-05 放")


@pytest.mark.parametrize("today, status, remaining", [
    (date(2025, 10, 8), DeadlineStatus.DUE, 4),  # 10-9, 10, Sat 11, 13 remain
    (date(2025, 10, 9), DeadlineStatus.DUE_SOON, 3),
    (date(2025, 10, 10), DeadlineStatus.DUE_SOON, 2),
    (date(2025, 10, 13), DeadlineStatus.DUE_SOON, 0),
    (date(2025, 10, 14), DeadlineStatus.OVERDUE, -1),
])
def test_due_soon_and_overdue_use_working_days(ctx, today, status, remaining):
    view = dl.deadline_view(date(2025, 9, 26), today, days=7)
    assert view.due == date(2025, 10, 13)
    assert (view.status, view.remaining) == (status, remaining)


def test_cli_set_year_from_options_and_file(runner, app, tmp_path):
    result = runner.invoke(args=["calendar", "deadline", "2026-12-25", "--days", "20"])
    assert "2027-01-25" in result.output and "2027年节假日安排尚未公布" in result.output
    result = runner.invoke(args=["calendar", "set-year", "2027", "--holidays",
                                 "2027-01-01,2027-02-05~2027-02-11", "--workdays", "2027-01-30"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "2027.txt"
    path.write_text("2027-01-01 休\n2027-02-05~2027-02-11 休\n2027-01-30 班\n2027-02-20 班\n",
                    encoding="utf-8")
    result = runner.invoke(args=["calendar", "set-year", "2027", "--file", str(path)])
    assert result.exit_code == 0 and "调休上班2天" in result.output
    result = runner.invoke(args=["calendar", "deadline", "2026-12-25", "--days", "20"])
    assert "2027-01-25" in result.output and "尚未公布" not in result.output
    bad = runner.invoke(args=["calendar", "set-year", "2027", "--holidays", "2028-01-01"])
    assert bad.exit_code != 0 and "其他年份" in bad.output


def test_cli_lists_a_provisional_year(runner):
    out = runner.invoke(args=["calendar", "year", "2027"]).output
    assert "2027年节假日安排尚未公布" in out
    # Weekdays off, counted by hand in tests/shared/test_workdays_2027.py.
    assert ("2027-01-01、2027-02-05、2027-02-08、2027-02-09、2027-02-10、2027-04-05、2027-05-03、"
            "2027-05-04、2027-06-09、2027-09-15、2027-10-01、2027-10-04、2027-10-05") in out
    assert "国务院公布的安排" in runner.invoke(args=["calendar", "year", "2025"]).output
