"""flask registry import|export KIND FILE"""

from pathlib import Path

import click
from flask.cli import AppGroup

from ..services.registry_io import (
    SPECS,
    ImportFailed,
    ImportPreview,
    ImportStale,
    export_registry,
    import_registry,
    preview_registry,
)

registry_cli = AppGroup("registry", help="名录库导入导出")
KIND = click.Choice(sorted(SPECS))


def _refused(exc: ImportFailed) -> None:
    click.echo(f"导入失败，数据库未作任何更改（{len(exc.errors)}处错误）：", err=True)
    for line in exc.errors:
        click.echo(line, err=True)
    raise SystemExit(1)


def _show(preview: ImportPreview, limit: int) -> None:
    click.echo(f"{preview.label}：{preview.summary()}（表头在第"
               f"{'、'.join(map(str, preview.header_rows))}行）")
    if preview.absent_columns:
        click.echo(f"文件中没有的列（现有记录的这些内容不变）：{'、'.join(preview.absent_columns)}")
    if preview.ignored_columns:
        click.echo(f"不导入的列：{'、'.join(preview.ignored_columns)}")
    for change in preview.changes[:limit]:
        fields = "；".join(f"{h}：“{old}”→“{new}”" for h, old, new in change.fields)
        click.echo(f"  修改 {change.key} {change.name}：{fields}")
    for new in preview.new[:limit]:
        click.echo(f"  新增 {new.key} {new.name}")
    hidden = max(0, preview.changed - limit) + max(0, preview.created - limit)
    if hidden:
        click.echo(f"  ……另有{hidden}条未列出")


@registry_cli.command("import")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", help="记入审计日志的操作人")
@click.option("--yes", is_flag=True, help="不再询问，按预览直接导入")
@click.option("--dry-run", is_flag=True, help="只预览，不导入")
@click.option("--show", default=20, show_default=True, help="预览中逐条列出的记录数")
def import_command(kind: str, path: Path, actor: str, yes: bool, dry_run: bool,
                   show: int) -> None:
    """导入 .xlsx/.xls/.ods/.csv：先显示将新增和修改的内容，确认后导入。

    任何一行有误则整个文件不导入。
    """
    data = path.read_bytes()
    try:
        preview = preview_registry(kind, data, path.name)
    except ImportFailed as exc:
        _refused(exc)
    _show(preview, show)
    if dry_run or not (preview.created or preview.changed):
        return
    if not yes and not click.confirm("确认导入？", default=False):
        click.echo("已取消，数据库未作任何更改")
        return
    try:
        result = import_registry(kind, data, path.name, actor, expect=preview.token)
    except ImportFailed as exc:
        _refused(exc)
    except ImportStale as exc:
        raise click.ClickException(exc.message) from None
    click.echo(result.summary())


@registry_cli.command("export")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(kind: str, path: Path) -> None:
    """导出为 .xlsx 或 .csv（按文件扩展名）。"""
    try:
        data = export_registry(kind, path.name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    path.write_bytes(data)
    click.echo(f"已导出 {SPECS[kind].label} 到 {path}")
