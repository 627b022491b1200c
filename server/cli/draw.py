"""flask draw commit|run TASK_NO, export RECORD_ID FILE, verify FILE.

``verify`` reads only the file and ``shared.draw``: it never opens the
database, so anyone can re-check a published record without the server.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from shared.draw import verify_record_file

draw_cli = AppGroup("draw", help="双随机抽取与核验")


@draw_cli.command("commit")
@click.argument("task_no")
@with_appcontext
def commit_command(task_no: str) -> None:
    """生成随机种子并公布其承诺值（抽取前）。"""
    from ..services.draws import commit_seed
    from ..services.plans import PlanError, get_task

    try:
        task = commit_seed(get_task(task_no))
    except PlanError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"任务{task.task_no} 种子承诺值 {task.seed_commitment}"
               f"（{task.committed_at.isoformat()}）")


@draw_cli.command("run")
@click.argument("task_no")
@click.option("--json", "as_json", is_flag=True, help="以JSON输出结果")
@click.option("--redraw", is_flag=True, help="重新抽取（须用 --reason 说明理由）")
@click.option("--reason", default=None, help="重新抽取的理由")
@click.option("--actor", default="cli", help="记入抽取记录的操作人")
@with_appcontext
def run_command(task_no: str, as_json: bool, redraw: bool, reason: str | None,
                actor: str) -> None:
    """抽取任务的检查对象、检查人员、专家和检查事项，并保存抽取记录。"""
    from ..services.draws import DrawFailed, run_task_draw, summary
    from ..services.plans import PlanError

    try:
        rec = run_task_draw(task_no, actor, kind="redraw" if redraw else "draw", reason=reason)
    except (DrawFailed, PlanError) as exc:
        click.echo(exc.message, err=True)
        raise SystemExit(1) from None
    out = summary(rec)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(f"任务{out['task']} 抽取记录{out['record_id']}：可抽取{out['pool_size']}户，"
               f"排除{len(out['excluded'])}户，抽中{len(out['visits'])}户")
    click.echo(f"种子承诺值 {out['commitment']}（{out['committed_at']}），种子 {out['seed']}")
    for v in out["visits"]:
        click.echo(f"  {v['uscc']} 组长{v['leader']} 成员{'、'.join(v['inspectors'])} "
                   f"事项{'、'.join(v['items'])}" + (f" 专家{'、'.join(v['experts'])}"
                                                    if v["experts"] else ""))


@draw_cli.command("export")
@click.argument("record_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(record_id: int, path: Path) -> None:
    """导出抽取记录为一个JSON文件（可离线核验）。"""
    from ..services.draws import export_record, get_record
    from ..services.plans import PlanError

    try:
        path.write_bytes(export_record(get_record(record_id)))
    except PlanError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"已导出抽取记录{record_id}到{path}")


@draw_cli.command("verify")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--commitment", default=None, help="事先公布的种子承诺值（可选）")
def verify_command(path: Path, commitment: str | None) -> None:
    """按记录重新执行抽取并比对：一致则退出码0，否则输出第一处差异、退出码1。"""
    result = verify_record_file(path, expected_commitment=commitment)
    click.echo(result.message, err=not result.ok)
    if not result.ok:
        raise SystemExit(1)
