"""Working-day deadlines against real State Council schedules.

Every expected date below is worked out by hand in the comment beside it
(d1, d2 … are the counted working days), never by calling the code under
test.  Schedules used (国务院办公厅 notices, as in ``chinese_calendar``):

* 2024 春节 2/10 (Sat) – 2/17 (Sat) off; make-up workdays 2/4 (Sun), 2/18 (Sun).
* 2024 中秋 9/15 – 9/17 off, make-up 9/14 (Sat); 国庆 10/1 – 10/7 off,
  make-up 9/29 (Sun), 10/12 (Sat).
* 2025 春节 1/28 – 2/4 off, make-up 1/26 (Sun), 2/8 (Sat); 国庆 10/1 – 10/8
  off, make-up 9/28 (Sun), 10/11 (Sat).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shared.workdays import (
    Calendar,
    DeadlineStatus,
    YearSchedule,
    add_working_days,
    deadline_status,
    is_working_day,
    provisional_warning,
    working_days_between,
)

D = date


@pytest.mark.parametrize(
    ("end", "n", "due"),
    [
        # 2024-02-08 Thu.  d1 2/9 Fri (除夕 was a working day in 2024);
        # 2/10–2/17 off; d2 2/18 Sun (make-up); d3–d7 2/19–2/23 Mon–Fri.
        (D(2024, 2, 8), 7, D(2024, 2, 23)),
        # … continue: d8–d12 2/26–3/1, d13–d17 3/4–3/8, d18 3/11, d19 3/12, d20 3/13.
        (D(2024, 2, 8), 20, D(2024, 3, 13)),
        # 2024-02-02 Fri.  2/3 Sat off; d1 2/4 Sun (make-up); d2–d6 2/5–2/9;
        # 2/10–2/17 off; d7 2/18 Sun (make-up) – the deadline falls on a Sunday.
        (D(2024, 2, 2), 7, D(2024, 2, 18)),
        # 2024-09-27 Fri.  9/28 Sat off; d1 9/29 Sun (make-up); d2 9/30 Mon;
        # 10/1–10/7 off; d3–d6 10/8–10/11; d7 10/12 Sat (make-up).
        (D(2024, 9, 27), 7, D(2024, 10, 12)),
        # … continue: 10/13 Sun off; d8–d12 10/14–10/18; d13–d17 10/21–10/25;
        # d18 10/28, d19 10/29, d20 10/30.
        (D(2024, 9, 27), 20, D(2024, 10, 30)),
        # 2024-09-13 Fri.  d1 9/14 Sat (make-up); 9/15–9/17 off; d2–d4 9/18–9/20;
        # 9/21–22 weekend; d5–d9 9/23–9/27 … so 7 lands on 9/25 Wed.
        (D(2024, 9, 13), 7, D(2024, 9, 25)),
        # 2025-01-24 Fri.  1/25 Sat off; d1 1/26 Sun (make-up); d2 1/27 Mon;
        # 1/28–2/4 off; d3–d5 2/5–2/7; d6 2/8 Sat (make-up); 2/9 Sun off; d7 2/10.
        (D(2025, 1, 24), 7, D(2025, 2, 10)),
        # … continue: d8–d11 2/11–2/14; d12–d16 2/17–2/21; d17–d20 2/24–2/27.
        (D(2025, 1, 24), 20, D(2025, 2, 27)),
        # 2025-09-30 Tue.  10/1–10/8 off; d1 10/9 Thu; d2 10/10 Fri;
        # d3 10/11 Sat (make-up); 10/12 Sun off; d4–d7 10/13–10/16.
        (D(2025, 9, 30), 7, D(2025, 10, 16)),
        # … continue: d8 10/17; d9–d13 10/20–10/24; d14–d18 10/27–10/31;
        # d19 11/3, d20 11/4.
        (D(2025, 9, 30), 20, D(2025, 11, 4)),
    ],
)
def test_deadline_across_holidays(end: date, n: int, due: date) -> None:
    deadline = add_working_days(end, n)
    assert deadline.due == due
    assert deadline.warnings == []
    assert not deadline.estimated
    # The inverse: counting back gives n again.
    assert working_days_between(end, due) == n


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),  # Sunday, make-up workday
        (D(2024, 2, 12), False),  # Monday inside 春节
        (D(2024, 10, 12), True),  # Saturday, make-up workday
        (D(2024, 10, 7), False),  # Monday inside 国庆
        (D(2024, 10, 13), False),  # ordinary Sunday
        (D(2024, 10, 14), True),  # ordinary Monday
    ],
)
def test_is_working_day_library_year(day: date, working: bool) -> None:
    assert is_working_day(day) == (working, None)


def test_zero_days_is_the_end_date_itself() -> None:
    assert add_working_days(D(2024, 2, 12), 0).due == D(2024, 2, 12)


def test_day_one_is_first_working_day_after_end_date() -> None:
    # Ends on Saturday 2/17 (a holiday); the first working day after it is
    # the make-up Sunday 2/18.
    assert add_working_days(D(2024, 2, 17), 1).due == D(2024, 2, 18)
    # Ends on an ordinary Friday: due the next Monday.
    assert add_working_days(D(2024, 3, 1), 1).due == D(2024, 3, 4)


def test_negative_days_rejected() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        add_working_days(D(2024, 1, 1), -1)


def _override_2027() -> Calendar:
    # An invented 2027 schedule: 2/8–2/12 (Mon–Fri) off, Saturday 2/6 worked.
    holidays = {D(2027, 2, d) for d in range(8, 13)}
    return Calendar(overrides={2027: YearSchedule(holidays=holidays, workdays={D(2027, 2, 6)})})


def test_override_year() -> None:
    cal = _override_2027()
    # 2027-02-04 Thu.  d1 2/5 Fri; d2 2/6 Sat (make-up); 2/7 Sun off;
    # 2/8–2/12 off; 2/13–14 weekend; d3–d7 2/15–2/19.
    deadline = cal.add_working_days(D(2027, 2, 4), 7)
    assert deadline.due == D(2027, 2, 19)
    assert deadline.warnings == []
    assert cal.is_working_day(D(2027, 2, 6)) == (True, None)
    assert cal.is_working_day(D(2027, 2, 10)) == (False, None)
    assert cal.source(2027) == "override"


def test_override_takes_precedence_over_library() -> None:
    # An (empty) 2024 override turns the year into plain Monday–Friday:
    # 2024-02-08 Thu.  d1 2/9; d2–d6 2/12–2/16; d7 2/19 Mon.
    cal = Calendar(overrides={2024: YearSchedule()})
    assert cal.add_working_days(D(2024, 2, 8), 7) == add_working_days(
        D(2024, 2, 8), 7, calendar=cal
    )
    assert cal.add_working_days(D(2024, 2, 8), 7).due == D(2024, 2, 19)
    assert cal.is_working_day(D(2024, 2, 18)) == (False, None)


def test_override_rejects_foreign_or_contradictory_dates() -> None:
    with pytest.raises(ValueError, match="其他年份"):
        Calendar(overrides={2027: YearSchedule(holidays={D(2028, 1, 3)})})
    with pytest.raises(ValueError, match="既是节假日又是调休工作日"):
        YearSchedule(holidays={D(2027, 1, 2)}, workdays={D(2027, 1, 2)})


def test_deadline_from_entered_year_into_unknown_year() -> None:
    # Independent of the library version: 2040 entered by an administrator,
    # 2041 not entered (provisional: 元旦 is known to be a day off).
    cal = Calendar(overrides={2040: YearSchedule(holidays={D(2040, 12, 31)})})
    # 2040-12-27 Thu.  d1 12/28 Fri; 12/29–30 weekend; 12/31 Mon off (entered);
    # 2041-01-01 Tue 元旦 off; d2 1/2 Wed; d3 1/3 Thu; d4 1/4 Fri; d5 1/7 Mon.
    deadline = cal.add_working_days(D(2040, 12, 27), 5)
    assert deadline.due == D(2041, 1, 7)
    assert deadline.warnings == [provisional_warning(2041)]


def test_deadline_into_overridden_year_has_no_warning() -> None:
    cal = Calendar(overrides={2027: YearSchedule(holidays={D(2027, 1, 1)})})
    # As above but 1/1 is a holiday: d5 1/4, d6 1/5, d7 1/6.
    deadline = cal.add_working_days(D(2026, 12, 25), 7)
    assert deadline.due == D(2027, 1, 6)
    assert deadline.warnings == []


def test_working_days_between_directions() -> None:
    # 2024-10-08 Tue … 2024-10-12 Sat (make-up): 10/9, 10/10, 10/11, 10/12 = 4.
    assert working_days_between(D(2024, 10, 8), D(2024, 10, 12)) == 4
    assert working_days_between(D(2024, 10, 12), D(2024, 10, 8)) == -4
    assert working_days_between(D(2024, 10, 8), D(2024, 10, 8)) == 0
    # Whole 国庆 week: 10/1–10/7 all off.
    assert working_days_between(D(2024, 9, 30), D(2024, 10, 7)) == 0


@pytest.mark.parametrize(
    ("today", "status"),
    [
        # Due 2024-10-12 (Sat, make-up).  From 10/8: 10/9, 10/10, 10/11, 10/12 = 4 left.
        (D(2024, 10, 8), DeadlineStatus.DUE),
        # From 10/9: 10/10, 10/11, 10/12 = 3 left ≤ 3.
        (D(2024, 10, 9), DeadlineStatus.DUE_SOON),
        # From 9/27 (Fri): 9/29, 9/30, 10/8–10/12 = 7 left; the holiday week doesn't count.
        (D(2024, 9, 27), DeadlineStatus.DUE),
        (D(2024, 10, 12), DeadlineStatus.DUE_SOON),
        (D(2024, 10, 13), DeadlineStatus.OVERDUE),
    ],
)
def test_deadline_status(today: date, status: DeadlineStatus) -> None:
    assert deadline_status(D(2024, 10, 12), today, soon=3) is status


def test_status_labels_are_chinese() -> None:
    assert DeadlineStatus.OVERDUE.label == "已逾期"
    assert DeadlineStatus.parse("即将到期") is DeadlineStatus.DUE_SOON


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2031, 12, 31)),
    n=st.integers(min_value=1, max_value=60),
)
@example(start=D(2027, 12, 31), n=1)  # the start's own (known) year is not counted
def test_due_date_is_a_working_day_n_working_days_later(start: date, n: int) -> None:
    deadline = add_working_days(start, n)
    assert deadline.due > start
    assert is_working_day(deadline.due)[0]
    assert working_days_between(start, deadline.due) == n
    # The day before the due date is still short of n.
    assert working_days_between(start, deadline.due - timedelta(days=1)) == n - 1
    # The days counted are those after the start, up to the due date.
    years = range((start + timedelta(days=1)).year, deadline.due.year + 1)
    unknown = {y for y in years if Calendar().source(y) == "provisional"}
    assert len(deadline.warnings) == len(unknown)


def test_year_schedule_from_iso_strings() -> None:
    schedule = YearSchedule.from_iso(["2027-02-08", "2027-02-09"], ["2027-02-06"])
    assert schedule.holidays == {D(2027, 2, 8), D(2027, 2, 9)}
    assert schedule.workdays == {D(2027, 2, 6)}
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        YearSchedule.from_iso(["2027/02/08"], [])
