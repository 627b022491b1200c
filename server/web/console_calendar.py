"""Console: a year's holidays and make-up working days (administrators)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from shared.enums import Role

from ..services import deadlines as dl
from . import add_nav
from .console import bp, login_required


def _year(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise dl.CalendarInputError("年份应为四位数字") from None


@bp.route("/calendar", methods=["GET", "POST"])
@login_required(Role.ADMIN)
def calendar():
    if request.method == "POST":
        try:
            year = _year(request.form.get("year", ""))
            hol = dl.parse_days(request.form.get("holidays", ""))
            work = dl.parse_days(request.form.get("workdays", ""))
            dl.set_year(year, hol, work, g.user.username, request.form.get("note") or None)
        except (ValueError, dl.CalendarInputError) as exc:
            flash(f"未保存：{exc}")
        else:
            flash(f"已保存{year}年节假日安排：放假{len(hol)}天，调休上班{len(work)}天")
        return redirect(url_for("console.calendar"))
    this_year = dl.bureau_today().year
    cal = dl.load_calendar()
    years = range(this_year - 1, this_year + 3)
    return render_template("console/calendar.html", stored=dl.stored_schedules(),
                           sources=dl.year_sources(years, cal), days=dl.publication_working_days())


@bp.route("/calendar/<int:year>/delete", methods=["POST"])
@login_required(Role.ADMIN)
def calendar_delete(year: int):
    flash(f"已删除{year}年的录入安排" if dl.delete_year(year) else f"{year}年没有录入的安排")
    return redirect(url_for("console.calendar"))


add_nav("console.calendar", "节假日", Role.ADMIN)
