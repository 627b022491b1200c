"""Chinese working-day deadlines (工作日期限).

Publication deadlines are counted in working days: 20 after the inspection
ends in one bureau, 7 in another.  A Chinese working day follows the State
Council holiday schedule, which moves weekends around (调休): a Sunday can be
a working day and a Wednesday a holiday.

Where a day's status comes from, in order of precedence:

1. an administrator's override for that year (``YearSchedule``), entered when
   the State Council publishes the next year's schedule before the
   ``chinese_calendar`` package is upgraded;
2. the ``chinese_calendar`` package, for the years it knows;
3. otherwise the year is *provisional*: Monday to Friday less the statutory
   holidays of the 全国年节及纪念日放假办法 (元旦, 春节 from 除夕, 清明, 劳动节,
   端午, 中秋, 国庆) with the weekday given back when one falls on a weekend,
   computed by the ``holidays`` package (lunar dates and the 清明 solar term).
   The State Council's 调休 – weekend days worked to bridge a holiday – cannot
   be predicted, so the answer is an estimate, and every function says so with
   a Chinese warning instead of raising: a deadline is always produced, and the
   warning is shown beside it.  The published schedule replaces it (1 or 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

from shared.enums import LabeledEnum

__all__ = [
    "Calendar",
    "Deadline",
    "DeadlineStatus",
    "YearSchedule",
    "add_working_days",
    "deadline_status",
    "is_working_day",
    "working_days_between",
]

# A deadline walks at most this many calendar days; guards against a schedule
# that (by a typing mistake) declares a whole year a holiday.
_MAX_SPAN_DAYS = 366 * 5


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule as entered by an administrator.

    ``holidays`` are days off that would otherwise be working days (weekdays of
    春节, 国庆节 …); ``workdays`` are make-up working days (调休上班) that fall
    on a Saturday or Sunday.  Every other day follows Monday–Friday.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        both = self.holidays & self.workdays
        if both:
            days = "、".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"以下日期既是节假日又是调休工作日：{days}")

    @classmethod
    def from_iso(cls, holidays: Iterable[str], workdays: Iterable[str]) -> YearSchedule:
        """Build from ISO date strings, as stored by the server (``2027-02-08``)."""
        try:
            return cls(
                holidays=frozenset(date.fromisoformat(d) for d in holidays),
                workdays=frozenset(date.fromisoformat(d) for d in workdays),
            )
        except ValueError as exc:
            if "既是" in str(exc):
                raise
            raise ValueError(f"日期格式不正确（应为 YYYY-MM-DD）：{exc}") from exc


@dataclass(frozen=True)
class Deadline:
    """A computed due date and the warnings that qualify it (may be empty)."""

    due: date
    warnings: list[str] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        """True when part of the count used a provisional year."""
        return bool(self.warnings)


class DeadlineStatus(LabeledEnum):
    DUE = "due", "未到期"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"


def provisional_warning(year: int) -> str:
    return (f"{year}年节假日安排尚未公布，已按法定节假日推算（调休上班日未知），"
            "以国务院公布的安排为准")




def statutory_holidays(year: int) -> frozenset[date]:
    """The year's statutory days off, with weekend ones given back on weekdays.

    From the ``holidays`` package (well kept, monthly releases), which applies
    the rules in force each year (春节 from 除夕 and 劳动节 two days since 2025).
    Imported here, not at the top: the tablet app shares this module and never
    needs it.
    """
    import holidays

    return frozenset(holidays.country_holidays("CN", years=year))


class Calendar:
    """Working-day arithmetic over library data plus administrator overrides.

    ``overrides`` maps a year to its ``YearSchedule``; an override replaces the
    library's data for that whole year.
    """

    def __init__(self, overrides: Mapping[int, YearSchedule] | None = None) -> None:
        self._overrides: dict[int, YearSchedule] = dict(overrides or {})
        for year, schedule in self._overrides.items():
            stray = [d for d in schedule.holidays | schedule.workdays if d.year != year]
            if stray:
                days = "、".join(d.isoformat() for d in sorted(stray))
                raise ValueError(f"{year}年的节假日安排中含有其他年份的日期：{days}")
        self._library_years: dict[int, bool] = {}
        # chinese_calendar checks its range on every call (~25 µs); a review queue
        # asks about the same few hundred days thousands of times.
        self._days: dict[date, bool] = {}
        self._provisional: dict[int, frozenset[date]] = {}

    # -- sources -----------------------------------------------------------

    def _library_knows(self, year: int) -> bool:
        known = self._library_years.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 6, 1))
                known = True
            except NotImplementedError:
                known = False
            self._library_years[year] = known
        return known

    def source(self, year: int) -> str:
        """Where a year's schedule comes from: 'override', 'library' or 'provisional'."""
        if year in self._overrides:
            return "override"
        if self._library_knows(year):
            return "library"
        return "provisional"

    def provisional_holidays(self, year: int) -> frozenset[date]:
        days = self._provisional.get(year)
        if days is None:
            days = self._provisional[year] = statutory_holidays(year)
        return days

    def _working(self, d: date) -> bool:
        known = self._days.get(d)
        if known is None:
            known = self._days[d] = self._working_uncached(d)
        return known

    def _working_uncached(self, d: date) -> bool:
        schedule = self._overrides.get(d.year)
        if schedule is not None:
            if d in schedule.workdays:
                return True
            if d in schedule.holidays:
                return False
            return d.weekday() < 5
        if self._library_knows(d.year):
            return chinese_calendar.is_workday(d)
        return d.weekday() < 5 and d not in self.provisional_holidays(d.year)

    def warnings_for(self, years: Iterable[int]) -> list[str]:
        """Chinese warnings for those of ``years`` whose schedule is provisional."""
        return [provisional_warning(y) for y in sorted(set(years))
                if self.source(y) == "provisional"]

    # -- public arithmetic -------------------------------------------------

    def is_working_day(self, d: date) -> tuple[bool, str | None]:
        """Whether ``d`` is a working day, and a warning if the year is provisional."""
        warning = provisional_warning(d.year) if self.source(d.year) == "provisional" else None
        return self._working(d), warning

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The date ``n`` working days after ``start``.

        Counting starts the day after ``start``: day 1 is the first working
        day *after* ``start`` (the end date of the inspection), whatever
        ``start`` itself is, and the due date is the n-th such day.  So an
        inspection ending on a Friday with ``n=1`` is due the next working
        day, usually Monday; a make-up Sunday counts, a holiday weekday does
        not.  ``n == 0`` returns ``start`` itself.

        Never raises for a year without a published schedule: it counts the
        provisional one there and lists a warning per such year in
        ``Deadline.warnings``.
        """
        if n < 0:
            raise ValueError("工作日天数不能为负数")
        day = start
        counted = 0
        years = {start.year} if n == 0 else set()
        while counted < n:
            day += timedelta(days=1)
            years.add(day.year)
            if (day - start).days > _MAX_SPAN_DAYS:
                raise ValueError("节假日安排有误：五年内找不到足够的工作日")
            if self._working(day):
                counted += 1
        return Deadline(due=day, warnings=self.warnings_for(years))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days ``d`` with ``a < d <= b`` (negative when ``b < a``).

        The inverse of ``add_working_days``: if ``add_working_days(a, n).due``
        is ``b`` then this returns ``n``.  Provisional years count their
        statutory holidays only; use ``warnings_for`` to tell the user.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + timedelta(days=1)
        while day <= b:
            if self._working(day):
                count += 1
            day += timedelta(days=1)
        return count

    def deadline_status(self, due: date, today: date, soon: int = 3) -> DeadlineStatus:
        """OVERDUE after ``due``; DUE_SOON when at most ``soon`` working days remain
        (``due`` itself counts as one of them, and ``today == due`` is DUE_SOON);
        DUE otherwise."""
        if today > due:
            return DeadlineStatus.OVERDUE
        if self.working_days_between(today, due) <= soon:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.DUE


_default = Calendar()


def is_working_day(d: date, calendar: Calendar | None = None) -> tuple[bool, str | None]:
    """See ``Calendar.is_working_day``; uses library data when no calendar is given."""
    return (calendar or _default).is_working_day(d)


def add_working_days(start: date, n: int, calendar: Calendar | None = None) -> Deadline:
    """See ``Calendar.add_working_days`` (day 1 is the first working day after ``start``)."""
    return (calendar or _default).add_working_days(start, n)


def working_days_between(a: date, b: date, calendar: Calendar | None = None) -> int:
    """See ``Calendar.working_days_between`` (counts ``a < d <= b``)."""
    return (calendar or _default).working_days_between(a, b)


def deadline_status(
    due: date, today: date, soon: int = 3, calendar: Calendar | None = None
) -> DeadlineStatus:
    """See ``Calendar.deadline_status``."""
    return (calendar or _default).deadline_status(due, today, soon)
