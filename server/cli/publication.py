"""flask publication due | approve – the 一公开 deadline board from a terminal."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from shared.enums import Outcome

from ..services.deadlines import (
    bureau_today,
    pending_deadlines,
    publication_working_days,
    summarize,
)
from ..services.publication import PublicationError, approve_result

publication_cli = AppGroup("publication", help="检查结果公开（工作日期限）")


@publication_cli.command("due")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="按该日计算（默认今天）")
def due_command(today):
    """列出待审核结果及其公开期限（未到期 / 即将到期 / 已逾期）。"""
    day = today.date() if today else bureau_today()
    board = pending_deadlines(day)
    counts = summarize(board)
    click.echo(f"公开期限 {publication_working_days()} 个工作日；{day.isoformat()}："
               f"已逾期{counts['overdue']}，即将到期{counts['due_soon']}，未到期{counts['due']}")
    for result, view in board:
        line = (f"{result.id:>6}  第{result.revision}版  {view.status.label:<4}  "
                f"期限{view.due.isoformat()}  "
                f"{result.enterprise_name}（{result.uscc}）{Outcome(result.outcome).label}")
        click.echo(line)
        for warning in view.warnings:
            click.echo(f"        注意：{warning}")


@publication_cli.command("approve")
@click.argument("result_id", type=int)
@click.option("--reviewer", required=True, help="法制审核员用户名")
@click.option("--revision", type=int, required=True,
              help="所审阅结果的版本号（flask publication due 列出）")
@click.option("--note", help="审核意见")
def approve_command(result_id: int, reviewer: str, revision: int, note: str | None):
    """法制审核通过并公开一条结果。"""
    try:
        result = approve_result(result_id, reviewer, revision=revision, note=note)
    except PublicationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已公开：{result.enterprise_name}（期限{result.due_on.isoformat()}，"
               f"公开于{result.published_on.isoformat()}）")
