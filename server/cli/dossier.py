"""``flask dossier export CASE_ID DIR`` / ``verify DIR`` / ``enterprise USCC DIR``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..services import dossiers, enterprise_file
from ..services.followup import FollowupError

dossier_cli = AppGroup("dossier", help="一案一卷、一企一档的导出与校验")


@dossier_cli.command("export")
@click.argument("case_id", type=int)
@click.argument("directory", type=click.Path(file_okay=False))
def export_command(case_id: int, directory: str) -> None:
    """把案件的一案一卷导出为BagIt包（PDF、原件、记录JSON、过程记录）。"""
    try:
        path = dossiers.export(case_id, directory)
    except (FollowupError, FileExistsError, ValueError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
    files = sum(1 for p in (path / "data").rglob("*") if p.is_file())
    click.echo(f"已导出案件{case_id}的案卷到{path}（{files}个文件）")


@dossier_cli.command("enterprise")
@click.argument("uscc")
@click.argument("directory", type=click.Path(file_okay=False))
def enterprise_command(uscc: str, directory: str) -> None:
    """把一个企业的一企一档导出为BagIt包。"""
    try:
        path = enterprise_file.export(uscc, directory)
    except (FollowupError, FileExistsError, ValueError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
    click.echo(f"已导出{uscc}的一企一档到{path}")


@dossier_cli.command("verify")
@click.argument("directory", type=click.Path())
def verify_command(directory: str) -> None:
    """校验导出的案卷：任何文件被改动、缺失或多出都会被指出，并以非零状态退出。"""
    ok, problems = dossiers.verify(directory)
    if ok:
        click.echo(f"校验通过：{directory}")
        return
    for p in problems:
        click.echo(p, err=True)
    click.echo(f"校验未通过：{len(problems)}处问题", err=True)
    sys.exit(1)
