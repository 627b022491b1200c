"""flask calendar set-year | show | year | delete | deadline – working-day overrides."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from shared.workdays import provisional_warning

from ..services.deadlines import (
    CalendarInputError,
    delete_year,
    load_calendar,
    parse_days,
    parse_schedule_file,
    publication_deadline,
    publication_working_days,
    set_year,
    stored_schedules,
)

calendar_cli = AppGroup("calendar", help="节假日安排（工作日期限）")


@calendar_cli.command("set-year")
@click.argument("year", type=int)
@click.option("--holidays", default="", help="放假的工作日，如 2027-02-05~2027-02-11,2027-04-05")
@click.option("--workdays", default="", help="调休上班的周末，如 2027-01-30,2027-02-20")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
              help="文本文件，每行“日期[~日期] 休”或“日期 班”")
@click.option("--note", help="备注（如国务院通知文号）")
def set_year_command(year: int, holidays: str, workdays: str, path: str | None,
                     note: str | None):
    """录入（或替换）某年的节假日和调休安排。"""
    try:
        hol, work = parse_days(holidays), parse_days(workdays)
        if path:
            with open(path, encoding="utf-8-sig") as fh:
                fh_hol, fh_work = parse_schedule_file(fh.read())
            hol, work = hol | fh_hol, work | fh_work
        set_year(year, hol, work, actor="cli", note=note)
    except CalendarInputError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已保存{year}年节假日安排：放假{len(hol)}天，调休上班{len(work)}天")


@calendar_cli.command("show")
def show_command():
    """列出已录入的年份及其安排。"""
    schedules = stored_schedules()
    if not schedules:
        click.echo("尚未录入任何年份（已公布的年份按国务院安排，未公布的年份按法定节假日推算）")
    for year, s in sorted(schedules.items()):
        holidays = "、".join(d.isoformat() for d in sorted(s.holidays)) or "无"
        workdays = "、".join(d.isoformat() for d in sorted(s.workdays)) or "无"
        click.echo(f"{year}年  放假：{holidays}")
        click.echo(f"        调休上班：{workdays}")


@calendar_cli.command("year")
@click.argument("year", type=int)
def year_command(year: int):
    """某年的节假日来源；尚未公布的年份列出按法定节假日推算的放假日期。"""
    cal = load_calendar()
    source = cal.source(year)
    if source == "override":
        click.echo(f"{year}年：本局录入的安排（flask calendar show）")
        return
    if source == "library":
        click.echo(f"{year}年：国务院公布的安排")
        return
    days = sorted(cal.provisional_holidays(year))
    click.echo(f"{year}年：{provisional_warning(year)}")
    click.echo("放假（工作日）：" + "、".join(d.isoformat() for d in days if d.weekday() < 5))
    click.echo("录入国务院公布的安排：flask calendar set-year " + str(year) + " --file 文件")


@calendar_cli.command("delete")
@click.argument("year", type=int)
def delete_command(year: int):
    """删除某年的录入安排（恢复为库数据或周一至周五）。"""
    if not delete_year(year):
        raise click.ClickException(f"{year}年没有录入的安排")
    click.echo(f"已删除{year}年的录入安排")


@calendar_cli.command("deadline")
@click.argument("end", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--days", type=int, help="工作日天数（默认按本局配置）")
def deadline_command(end, days: int | None):
    """检查结束日期 END 之后第 N 个工作日（公开期限）。"""
    n = publication_working_days() if days is None else days
    result = publication_deadline(end.date(), days=n, calendar=load_calendar())
    click.echo(f"{end.date().isoformat()} 后第{n}个工作日：{result.due.isoformat()}")
    for warning in result.warnings:
        click.echo(f"注意：{warning}")


__all__ = ["calendar_cli"]
