"""flask registry import|export KIND FILE"""

from pathlib import Path

import click
from flask.cli import AppGroup

from ..services.registry_io import SPECS, ImportFailed, export_registry, import_registry

registry_cli = AppGroup("registry", help="名录库导入导出")
KIND = click.Choice(sorted(SPECS))


@registry_cli.command("import")
@click.argument("kind", type=KIND)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", help="记入审计日志的操作人")
def import_command(kind: str, path: Path, actor: str) -> None:
    """导入 .xlsx/.csv；任何一行有误则整个文件不导入。"""
    try:
        result = import_registry(kind, path.read_bytes(), path.name, actor)
    except ImportFailed as exc:
        click.echo(f"导入失败，数据库未作任何更改（{len(exc.errors)}处错误）：", err=True)
        for line in exc.errors:
            click.echo(line, err=True)
        raise SystemExit(1) from None
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
