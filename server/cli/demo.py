"""flask setup (migrate + demo data), flask demo load"""

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from shared.enums import Role

from ..documents.fonts import FontNotFoundError, find_cjk_font
from ..extensions import db
from ..models import User
from ..services import transparency
from ..services.demo_data import DEMO_PASSWORD, DEMO_USERS, describe, load_demo

demo_cli = AppGroup("demo", help="演示数据")


def _print_logins() -> None:
    names = dict(db.session.execute(sa.select(User.username, User.display_name)).all())
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, role, cert, _name in DEMO_USERS:
        if username in names:
            who = names[username] or ""
            cert_no = f"执法证号{cert}" if cert else ""
            click.echo(f"  {username:<12} {who:\u3000<4} {Role(role).label:\u3000<6}{cert_no}")


def _load() -> dict[str, int]:
    try:
        return load_demo()
    except Exception as exc:
        current_app.logger.exception("demo load failed")
        raise click.ClickException(
            f"演示数据载入失败，已全部撤销（数据库和证据目录均未留下任何内容）：{exc}") from None


@demo_cli.command("load")
def load_command():
    """数据库为空时载入演示县局数据。"""
    counts = _load()
    click.echo(f"已载入演示数据：{describe(counts)}" if counts
               else "数据库已有数据，未载入演示数据")
    _print_logins()


@click.command("setup")
@click.option("--no-demo", is_flag=True, help="只迁移数据库，不载入演示数据")
@with_appcontext
def setup_command(no_demo: bool):
    """迁移数据库到最新版本；为空时载入演示数据。"""
    try:  # documents and photo stamps need it: say so before anything is written
        find_cjk_font()
    except FontNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    upgrade()
    click.echo(f"数据库已是最新：{current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    created = transparency.ensure_key_file()
    if created is not None:
        key = transparency.public_key()
        click.echo(f"已生成公开日志签名密钥：{created}（仅本机可读，请妥善备份；"
                   f"公钥标识 {key['key_id'][:16]}…，公布于 /public/log/head.json）")
    if not no_demo:
        counts = _load()
        if counts:
            click.echo(f"已载入演示数据：{describe(counts)}")
        _print_logins()
