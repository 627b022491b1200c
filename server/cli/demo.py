"""flask setup (migrate + demo data), flask demo load"""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from ..services.demo_data import DEMO_PASSWORD, DEMO_USERS, load_demo

demo_cli = AppGroup("demo", help="演示数据")


def _print_logins() -> None:
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, role, cert in DEMO_USERS:
        click.echo(f"  {username:<12} {role:<11} {cert or ''}")


@demo_cli.command("load")
def load_command():
    """数据库为空时载入演示县局数据。"""
    counts = load_demo()
    click.echo(f"已载入演示数据：{counts}" if counts else "数据库已有数据，未载入演示数据")
    _print_logins()


@click.command("setup")
@click.option("--no-demo", is_flag=True, help="只迁移数据库，不载入演示数据")
@with_appcontext
def setup_command(no_demo: bool):
    """迁移数据库到最新版本；为空时载入演示数据。"""
    upgrade()
    click.echo(f"数据库已是最新：{current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    if not no_demo:
        counts = load_demo()
        if counts:
            click.echo(f"已载入演示数据：{counts}")
        _print_logins()
