"""``flask sync …``: upkeep of the sync server's evidence store."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services.sync import partials

sync_cli = AppGroup("sync", help="离线同步")


@sync_cli.command("collect-partials")
def collect_partials_command() -> None:
    """清理长期未续传的部分上传文件（期限见SYNC_PARTIAL_MAX_DAYS，默认7天）。"""
    removed = partials.collect()
    click.echo(f"已清理{removed}个未完成的上传")
