"""2027 before the State Council publishes it: the provisional schedule.

chinese_calendar 1.11 ends with 2026.  The statutory holidays of 2027, worked
out by hand from the 全国年节及纪念日放假办法 (2024 revision) and the lunar
calendar (农历丁未年正月初一 = 2027-02-06, 五月初五 = 6/9, 八月十五 = 9/15;
清明 solar term 4/5), with a weekday given back for each statutory day that
falls on a weekend:

* 元旦 1/1 Fri.
* 春节 4 days: 除夕 2/5 Fri, 初一 2/6 Sat, 初二 2/7 Sun, 初三 2/8 Mon;
  Sat and Sun given back on 2/9 Tue and 2/10 Wed.
* 清明 4/5 Mon.
* 劳动节 2 days: 5/1 Sat, 5/2 Sun; given back 5/3 Mon, 5/4 Tue.
* 端午 6/9 Wed.   中秋 9/15 Wed.
* 国庆 3 days: 10/1 Fri, 10/2 Sat, 10/3 Sun; given back 10/4 Mon, 10/5 Tue.

Each expected date is counted in the comment beside it (d1, d2 … are the
counted working days).  The make-up working weekends (调休) are unknown, so
every answer carries the warning.
"""

from __future__ import annotations

from datetime import date as D

import pytest

from shared.workdays import Calendar, add_working_days, provisional_warning, statutory_holidays

WARNING = "2027年节假日安排尚未公布，已按法定节假日推算（调休上班日未知），以国务院公布的安排为准"


def test_2027_is_provisional_until_published():
    assert Calendar().source(2027) == "provisional", (
        "chinese_calendar now knows 2027: these tests describe the next unpublished year")
    assert provisional_warning(2027) == WARNING


def test_statutory_days_of_2027():
    days = statutory_holidays(2027)
    expected = {D(2027, 1, 1), *(D(2027, 2, d) for d in range(5, 11)), D(2027, 4, 5),
                *(D(2027, 5, d) for d in range(1, 5)), D(2027, 6, 9), D(2027, 9, 15),
                *(D(2027, 10, d) for d in range(1, 6))}
    assert days == expected


@pytest.mark.parametrize("start, n, due", [
    # 2026-12-25 Fri (2026 published).  d1–d4 12/28–12/31; 1/1 Fri 元旦 off;
    # 1/2–3 weekend; d5–d9 1/4–1/8; d10–d14 1/11–1/15; d15–d19 1/18–1/22; d20 1/25.
    (D(2026, 12, 25), 20, D(2027, 1, 25)),
    # 1/29 Fri.  d1–d4 2/1–2/4; 2/5 除夕 … 2/10 off; d5 2/11 Thu.
    (D(2027, 1, 29), 5, D(2027, 2, 11)),
    # 2/4 Thu, 7 days.  2/5–2/10 off; d1 2/11 Thu; d2 2/12 Fri; d3–d7 2/15–2/19.
    (D(2027, 2, 4), 7, D(2027, 2, 19)),
    # 4/1 Thu.  d1 4/2 Fri; 4/3–4 weekend; 4/5 清明 off; d2 4/6 Tue.
    (D(2027, 4, 1), 2, D(2027, 4, 6)),
    # 4/30 Fri.  5/1–5/4 off; d1 5/5 Wed.
    (D(2027, 4, 30), 1, D(2027, 5, 5)),
    # 6/8 Tue.  6/9 端午 off; d1 6/10 Thu.
    (D(2027, 6, 8), 1, D(2027, 6, 10)),
    # 9/14 Tue.  9/15 中秋 off; d1 9/16 Thu; d2 9/17 Fri; d3 9/20 Mon.
    (D(2027, 9, 14), 3, D(2027, 9, 20)),
    # 9/30 Thu, 7 days.  10/1–10/5 off; d1 10/6 Wed; d2 10/7; d3 10/8 Fri;
    # d4–d7 10/11–10/14.
    (D(2027, 9, 30), 7, D(2027, 10, 14)),
    # 9/30 Thu, 20 days.  d1–d3 10/6–10/8; d4–d8 10/11–15; d9–d13 10/18–22;
    # d14–d18 10/25–29; d19 11/1; d20 11/2 Tue.
    (D(2027, 9, 30), 20, D(2027, 11, 2)),
])
def test_2027_deadlines_counted_by_hand(start, n, due):
    deadline = add_working_days(start, n)
    assert deadline.due == due
    assert deadline.warnings == [WARNING]
    assert deadline.estimated


def test_a_published_schedule_replaces_the_provisional_one():
    from shared.workdays import YearSchedule
    # Entered by an administrator: 2/11–2/12 also off, Sunday 2/21 worked.
    published = YearSchedule(holidays={*(D(2027, 2, d) for d in range(5, 13))} - {
        D(2027, 2, 6), D(2027, 2, 7)}, workdays={D(2027, 2, 21)})
    cal = Calendar(overrides={2027: published})
    # 2/4 Thu, 7 days.  2/5–2/12 off (2/6–7 weekend); 2/13–14 weekend;
    # d1–d5 2/15–2/19; 2/20 Sat off; d6 2/21 Sun (make-up); d7 2/22 Mon.
    deadline = cal.add_working_days(D(2027, 2, 4), 7)
    assert deadline.due == D(2027, 2, 22)
    assert deadline.warnings == []
    assert cal.source(2027) == "override"
