"""flask draw freeze|run|attempts TASK_NO, export RECORD_ID FILE, verify FILE.

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


def _fail(exc) -> None:
    click.echo(exc.message, err=True)
    raise SystemExit(1)


@draw_cli.command("freeze")
@click.argument("task_no")
@click.option("--json", "as_json", is_flag=True, help="以JSON输出")
@click.option("--redraw", is_flag=True, help="为重新抽取冻结（须用 --reason 说明理由）")
@click.option("--reason", default=None, help="重新抽取或重新冻结的理由（公开）")
@click.option("--source", type=click.Choice(["drand", "lottery"]), default=None,
              help="公共随机数来源（默认按配置 DRAW_BEACON）")
@click.option("--lottery-draw", default=None, help="彩票期号（来源为彩票时）")
@click.option("--lottery-time", default=None, help="该期开奖时间（本局时区，来源为彩票时）")
@click.option("--actor", default="cli", help="记入冻结记录的操作人")
@with_appcontext
def freeze_command(task_no: str, as_json: bool, redraw: bool, reason: str | None,
                   source: str | None, lottery_draw: str | None, lottery_time: str | None,
                   actor: str) -> None:
    """冻结抽取：快照名录库并检查规则，公布种子承诺值和将使用的公共随机数（未来的轮次）。"""
    from ..services.draw import FreezeRefused, freeze_summary, freeze_task, local_text
    from ..services.plans import PlanError

    try:
        f = freeze_task(task_no, actor, kind="redraw" if redraw else "draw", reason=reason,
                        source=source,
                        lottery={"draw_no": lottery_draw, "draw_time": lottery_time})
    except FreezeRefused as exc:
        if as_json:
            click.echo(json.dumps({"refused": True, "problems": exc.problems},
                                  ensure_ascii=False))
        _fail(exc)
    except PlanError as exc:
        _fail(exc)
    out = freeze_summary(f)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    b = out["beacon"]
    what = (f"公共随机数（drand 信标）第{b['round']}轮" if b["source"] == "drand"
            else f"{b.get('name')}第{b.get('draw_no')}期" if b["source"] == "lottery"
            else "本地随机数（仅演示）")
    click.echo(f"任务{out['task']} 已冻结（第{out['seq']}次尝试）：可抽取{out['pool_size']}户，"
               f"排除{out['excluded']}户")
    click.echo(f"快照哈希 {out['snapshot_hash']}\n种子承诺值 {out['commitment']}\n"
               f"公共随机数 {what}，预计公布于 {local_text(f.beacon_due_at)}")


@draw_cli.command("run")
@click.argument("task_no")
@click.option("--json", "as_json", is_flag=True, help="以JSON输出结果")
@click.option("--beacon-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="drand轮次的JSON文件（离线时）；不给则联网获取")
@click.option("--numbers", default=None, help="彩票开奖号码（来源为彩票时）")
@click.option("--actor", default="cli", help="记入抽取记录的操作人")
@with_appcontext
def run_command(task_no: str, as_json: bool, beacon_file: Path | None, numbers: str | None,
                actor: str) -> None:
    """用冻结时约定的公共随机数抽取检查对象、检查人员、专家和检查事项，并保存抽取记录。"""
    from ..services.draw import draw_frozen, local_text, parse_beacon, summary
    from ..services.plans import PlanError

    try:
        given = None
        if beacon_file is not None:
            given = parse_beacon(beacon_file.read_text(encoding="utf-8"))
        elif numbers:
            given = {"numbers": numbers}
        rec = draw_frozen(task_no, actor, beacon=given)
    except PlanError as exc:
        _fail(exc)
    out = summary(rec)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(f"任务{out['task']} 抽取记录{out['record_id']}：可抽取{out['pool_size']}户，"
               f"排除{len(out['excluded'])}户，抽中{len(out['visits'])}户")
    committed = local_text(out["committed_at"]) if out["committed_at"] else "时间未记录"
    click.echo(f"种子承诺值 {out['commitment']}（{committed}承诺），种子 {out['seed']}")
    for v in out["visits"]:
        click.echo(f"  {v['uscc']} 组长{v['leader']} 成员{'、'.join(v['inspectors'])} "
                   f"事项{'、'.join(v['items'])}"
                   + (f" 专家{'、'.join(v['expert_names'])}" if v["expert_names"] else "")
                   + (f" 主办科室{v['host_department']}" if v.get("host_department") else ""))


@draw_cli.command("attempts")
@click.argument("task_no")
@click.option("--json", "as_json", is_flag=True, help="以JSON输出")
@with_appcontext
def attempts_command(task_no: str, as_json: bool) -> None:
    """列出任务的每一次冻结与抽取尝试（含失败和作废的）。"""
    from ..services.draw import attempts, local_text
    from ..services.plans import PlanError

    try:
        out = attempts(task_no)
    except PlanError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(f"任务{out['task']}：抽取{out['draws']}次（重抽{out['redraws']}次），"
               f"失败{out['failed']}次")
    for a in out["attempts"]:
        click.echo(f"  第{a['seq']}次 {local_text(a['frozen_at'])} {a['status_label']}"
                   + (f"：{a['outcome_reason']}" if a["outcome_reason"] else "")
                   + (f"（理由：{a['reason']}）" if a["reason"] else ""))


@draw_cli.command("export")
@click.argument("record_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(record_id: int, path: Path) -> None:
    """导出抽取记录为一个JSON文件（可离线核验）。"""
    from ..services.draw import export_record, get_record
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
    # meta is in no hash (docs/draw-spec.md §11.2): say it beside 一致.
    click.echo("注意：记录中的操作人、操作时间和原因不在复算范围内，以本局系统中的记录为准")
