"""flask plan import FILE | publish PLAN_NO | list"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from shared.lifecycle import TaskStatus

from ..services.plans import STATUS_LABELS, PlanError, get_plan, import_plans, publish_plan
from ..services.registry_io import ImportFailed

plan_cli = AppGroup("plan", help="年度抽查计划与抽查任务")


@plan_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", default=None, help="修改已发布计划时的理由（修改后需重新发布）")
@click.option("--actor", default="cli", help="记入审计日志的操作人")
def import_command(path: Path, reason: str | None, actor: str) -> None:
    """导入计划表 .xlsx/.csv（按任务编号新增或更新）；任何一行有误则整个文件不导入。"""
    try:
        result = import_plans(path.read_bytes(), path.name, actor, reason)
    except ImportFailed as exc:
        click.echo(f"导入失败，数据库未作任何更改（{len(exc.errors)}处错误）：", err=True)
        for line in exc.errors:
            click.echo(line, err=True)
        raise SystemExit(1) from None
    click.echo(result.summary())


@plan_cli.command("publish")
@click.argument("plan_no")
@click.option("--actor", default="cli", help="记入审计日志的操作人")
def publish_command(plan_no: str, actor: str) -> None:
    """发布（或变更后重新发布）抽查计划。"""
    try:
        plan = publish_plan(get_plan(plan_no), actor)
    except PlanError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"计划{plan.plan_no}（{plan.name}）已发布，共{len(plan.tasks)}个任务")


@plan_cli.command("show")
@click.argument("plan_no")
def show_command(plan_no: str) -> None:
    """列出计划的状态、任务和变更记录。"""
    try:
        plan = get_plan(plan_no)
    except PlanError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{plan.plan_no} {plan.name} {plan.year}年 {STATUS_LABELS.get(plan.status)}")
    for t in plan.tasks:
        click.echo(f"  {t.task_no} {t.name} {t.ratio} {t.target_filter or '（全库）'} "
                   f"{TaskStatus.parse(t.status).label}")
    for change in plan.change_log or []:
        click.echo(f"  变更 {change['at']} {change['by']}："
                   f"{change['reason']}（{change['change']}）")
