"""``flask backup create DIR`` / ``verify DIR`` / ``restore DIR`` (server/services/backup.py)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services import backup as service

backup_cli = AppGroup("backup", help="备份与恢复：数据库 + 证据文件")


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False))
def create_command(directory: str) -> None:
    """Dump every table and copy every evidence file into DIRECTORY (new or empty)."""
    try:
        manifest = service.create(directory)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"备份完成：{len(manifest['tables'])}张表 {rows}行，证据文件"
               f"{len(manifest['evidence'])}个 → {directory}")
    if manifest["skipped_partial_uploads"]:
        click.echo(f"未完成的上传 {manifest['skipped_partial_uploads']} 个未备份（平板会重新上传）")


@backup_cli.command("verify")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def verify_command(directory: str) -> None:
    """Check every hash of a backup without touching the database."""
    try:
        manifest = service.verify(directory)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"备份完整：{len(manifest['tables'])}张表，证据文件{len(manifest['evidence'])}个")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
def restore_command(directory: str) -> None:
    """Restore a backup into an EMPTY database and an empty evidence directory."""
    try:
        manifest = service.restore(directory)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"恢复完成：{rows}行，证据文件{len(manifest['evidence'])}个")
