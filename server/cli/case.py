"""``flask case …``: list cases, show overdue items, catch up with what arrived."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..services import case_observe
from ..services import cases as service
from ..services.followup import overdue

case_cli = AppGroup("case", help="案件与后续处置")


@case_cli.command("list")
@click.option("--state", type=click.Choice(list(service.STATES)), help="只列出该状态的案件")
@click.option("--json", "as_json", is_flag=True, help="输出JSON")
def list_command(state: str | None, as_json: bool) -> None:
    """列出案件。"""
    rows = [service.summary(c) for c in service.all_cases(state)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    for r in rows:
        click.echo(f"{r['id']:>5} {r['case_no']} {r['state_label']:<8} {r['enterprise']} "
                   f"发现问题{r['findings']}项")
    click.echo(f"共{len(rows)}件")


@case_cli.command("observe")
def observe_command() -> None:
    """补办：按已上传的检查记录、证据和派发情况推进案件（记录到达时本应自动完成，
    仅在当时出错后使用）。"""
    moved = case_observe.observe_all()
    click.echo(f"已推进{moved}件案件")


@case_cli.command("overdue")
@click.option("--json", "as_json", is_flag=True, help="输出JSON")
def overdue_command(as_json: bool) -> None:
    """列出逾期未整改、逾期未复查的事项。"""
    rows = overdue(service.today())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        click.echo(f"{r['case_no']} {r['enterprise']} 逾期{r['days_overdue']}天：{r['what']}")
    click.echo(f"共{len(rows)}项逾期")
