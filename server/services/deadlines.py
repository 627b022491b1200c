"""Publication deadlines in Chinese working days, with stored calendar overrides.

The arithmetic lives in ``shared.workdays``; this module feeds it the years an
administrator entered (``CalendarYear``) and the bureau's deadline length
(``PUBLICATION_WORKING_DAYS``: 20 by default, 7 in some bureaus).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context

from shared.workdays import Calendar, Deadline, DeadlineStatus, YearSchedule

from ..extensions import db
from ..localtime import bureau_today  # noqa: F401 - callers import it from here
from ..models import CalendarYear, PublicationResult
from .errors import ServiceError

DEFAULT_WORKING_DAYS = 20
SOON_WORKING_DAYS = 3  # "due soon" when at most this many working days remain


class CalendarInputError(ServiceError, ValueError):
    status = 422


def publication_working_days() -> int:
    """The bureau's deadline length: app config, then the environment, then 20."""
    if has_app_context() and current_app.config.get("PUBLICATION_WORKING_DAYS") is not None:
        return int(current_app.config["PUBLICATION_WORKING_DAYS"])
    return int(os.environ.get("PUBLICATION_WORKING_DAYS", DEFAULT_WORKING_DAYS))


def stored_schedules() -> dict[int, YearSchedule]:
    rows = db.session.execute(sa.select(CalendarYear)).scalars()
    return {r.year: YearSchedule(holidays={date.fromisoformat(d) for d in r.holidays},
                                 workdays={date.fromisoformat(d) for d in r.workdays})
            for r in rows}


def load_calendar() -> Calendar:
    """The library's schedule with every stored year laid over it."""
    return Calendar(stored_schedules())


def publication_deadline(inspected_on: date, *, days: int | None = None,
                         calendar: Calendar | None = None) -> Deadline:
    """Due date: ``days`` working days after the inspection ended (never raises
    for an unknown year – ``Deadline.warnings`` says the count is Mon–Fri)."""
    cal = calendar or load_calendar()
    return cal.add_working_days(inspected_on, publication_working_days() if days is None else days)


@dataclass(frozen=True)
class DeadlineView:
    due: date
    status: DeadlineStatus
    remaining: int  # working days left (negative once overdue)
    warnings: list[str]


def deadline_view(inspected_on: date, today: date, *, days: int | None = None,
                  calendar: Calendar | None = None) -> DeadlineView:
    cal = calendar or load_calendar()
    deadline = publication_deadline(inspected_on, days=days, calendar=cal)
    warnings = list(deadline.warnings)
    # The countdown from today may cross a year the deadline itself did not.
    for w in cal.warnings_for(range(min(today.year, deadline.due.year),
                                    max(today.year, deadline.due.year) + 1)):
        if w not in warnings:
            warnings.append(w)
    return DeadlineView(due=deadline.due,
                        status=cal.deadline_status(deadline.due, today, SOON_WORKING_DAYS),
                        remaining=cal.working_days_between(today, deadline.due),
                        warnings=warnings)


# -- entering a year's schedule --------------------------------------------

_RANGE = re.compile(r"^(\S+?)\s*(?:~|～|至|--|\.\.)\s*(\S+)\Z")


def _parse_date(text: str) -> date:
    s = text.strip().replace("/", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        y, m, d = (int(p) for p in s.split("-"))
        return date(y, m, d)
    except ValueError:
        raise CalendarInputError(f"“{text.strip()}”不是有效日期（应为2027-02-06）") from None


def parse_days(text: str | Iterable[str]) -> set[date]:
    """Dates separated by , 、 ; or whitespace; ``A~B`` (or ``A..B``, ``A至B``) is a range."""
    parts = text if not isinstance(text, str) else re.split(r"[,，、;；\s]+", text)
    days: set[date] = set()
    for part in parts:
        part = part.strip()
        if not part:
            continue
        match = _RANGE.match(part)
        if match:
            first, last = _parse_date(match.group(1)), _parse_date(match.group(2))
            if last < first:
                raise CalendarInputError(f"日期范围“{part}”的结束早于开始")
            days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            days.add(_parse_date(part))
    return days


_HOLIDAY_WORDS = ("休", "假", "holiday", "off")
_WORKDAY_WORDS = ("班", "workday", "work")


def parse_schedule_file(text: str) -> tuple[set[date], set[date]]:
    """A plain-text schedule: one entry per line, ``DATE[~DATE] 休`` or ``DATE 班``.

    ``#`` starts a comment. Returns (holidays, workdays).
    """
    holidays: set[date] = set()
    workdays: set[date] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, kind = line.rpartition(" ")
        kind = kind.strip().lower()
        try:
            if kind in _HOLIDAY_WORDS:
                holidays |= parse_days(head.strip().replace(" ", ""))
            elif kind in _WORKDAY_WORDS:
                workdays |= parse_days(head.strip().replace(" ", ""))
            else:
                raise CalendarInputError("行末应为“休”或“班”")
        except CalendarInputError as exc:
            raise CalendarInputError(f"第{n}行: {exc}") from None
    return holidays, workdays


NOTE_LIMIT = 300  # CalendarYear.note


def set_year(year: int, holidays: Iterable[date], workdays: Iterable[date], actor: str,
             note: str | None = None) -> CalendarYear:
    """Store (or replace) one year's schedule. Validates before writing anything."""
    hol, work = set(holidays), set(workdays)
    if not 1900 < year < 2200:
        raise CalendarInputError(f"年份{year}无效")
    if note and len(note) > NOTE_LIMIT:  # the column's bound, refused before writing
        raise CalendarInputError(f"备注不能超过{NOTE_LIMIT}字")
    try:
        Calendar({year: YearSchedule(holidays=hol, workdays=work)})
    except ValueError as exc:
        raise CalendarInputError(str(exc)) from None
    row = db.session.execute(sa.select(CalendarYear).filter_by(year=year)).scalar_one_or_none()
    if row is None:
        row = CalendarYear(year=year)
        db.session.add(row)
    row.holidays = sorted(d.isoformat() for d in hol)
    row.workdays = sorted(d.isoformat() for d in work)
    row.note = note
    row.updated_by = actor
    db.session.commit()
    return row


def delete_year(year: int) -> bool:
    row = db.session.execute(sa.select(CalendarYear).filter_by(year=year)).scalar_one_or_none()
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def year_sources(years: Iterable[int], calendar: Calendar | None = None) -> dict[int, str]:
    """For the calendar page: 'override' / 'library' / 'fallback' per year."""
    cal = calendar or load_calendar()
    return {y: cal.source(y) for y in years}


def pending_deadlines(today: date, calendar: Calendar | None = None
                      ) -> list[tuple[PublicationResult, DeadlineView]]:
    """Results awaiting review (or sent back), soonest deadline first."""
    cal = calendar or load_calendar()
    rows = db.session.execute(sa.select(PublicationResult).where(
        PublicationResult.status.in_(("pending", "rejected")))).scalars().all()
    board = [(r, deadline_view(r.inspected_on, today, calendar=cal)) for r in rows]
    board.sort(key=lambda pair: (pair[1].due, pair[0].id))
    return board


def summarize(board: list[tuple[PublicationResult, DeadlineView]]) -> dict[str, int]:
    counts = {s.value: 0 for s in DeadlineStatus}
    for _r, view in board:
        counts[view.status.value] += 1
    return counts
