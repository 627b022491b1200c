"""Console: the month at a glance (检查日历) – task windows opening and closing,
inspections done, rectification deadlines and 复查 due, per day."""

from __future__ import annotations

import calendar as cal
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template, request

from shared.enums import Role

from ..extensions import db
from ..models import Task
from ..models.case import Case, CaseHazard, Reinspection
from ..services.deadlines import bureau_today, load_calendar
from . import add_nav
from .console import bp, login_required

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)


def _month() -> date:
    try:
        year, month = (int(x) for x in request.args.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        today = bureau_today()
        return date(today.year, today.month, 1)


def _per_day(column, first: date, last: date, *where) -> Counter:
    rows = db.session.execute(sa.select(column, sa.func.count()).where(
        column.between(first, last), *where).group_by(column)).all()
    return Counter(dict(rows))


@bp.route("/schedule")
@login_required(*STAFF)
def schedule():
    first = _month()
    last = date(first.year, first.month, cal.monthrange(first.year, first.month)[1])
    inspected = _per_day(Case.inspected_on, first, last)
    deadlines = _per_day(CaseHazard.deadline, first, last, CaseHazard.status == "open")
    reinspections = _per_day(Reinspection.due_on, first, last, Reinspection.done_on.is_(None))
    tasks = db.session.scalars(sa.select(Task).where(
        Task.window_start <= last, Task.window_end >= first).order_by(Task.window_start)).all()
    working = load_calendar()
    weeks = []
    for week in cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([{"day": d, "in_month": d.month == first.month,
                       "working": working.is_working_day(d)[0],
                       "inspected": inspected.get(d, 0), "deadlines": deadlines.get(d, 0),
                       "reinspections": reinspections.get(d, 0),
                       "opens": [t for t in tasks if t.window_start == d],
                       "closes": [t for t in tasks if t.window_end == d]} for d in week])
    prev = (first - timedelta(days=1)).replace(day=1)
    nxt = last + timedelta(days=1)
    return render_template("console/schedule.html", first=first, weeks=weeks, tasks=tasks,
                           prev=f"{prev.year}-{prev.month:02d}", next=f"{nxt.year}-{nxt.month:02d}",
                           today=bureau_today())


add_nav("console.schedule", "检查日历", *STAFF)
