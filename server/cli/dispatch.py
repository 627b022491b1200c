"""``flask dispatch TASK_NO``: send a drawn task to its teams' tablets."""

import click
from flask.cli import with_appcontext

from ..services.dispatch import DispatchError, dispatch_task


@click.command("dispatch")
@click.argument("task_no")
@click.option("--actor", default="cli", show_default=True, help="记入派发日志的操作人")
@with_appcontext
def dispatch_command(task_no: str, actor: str) -> None:
    """派发抽查任务：把已抽取的检查对象下发到检查组成员的平板。"""
    try:
        result = dispatch_task(task_no, actor)
    except DispatchError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"任务{task_no}：新派发{len(result.dispatched)}户，撤回{len(result.withdrawn)}户，"
               f"检查组变更{len(result.reassigned)}户，写入派发日志{result.events}条")
