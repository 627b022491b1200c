"""flask user create …, flask device revoke DEVICE_ID"""

import click
from flask.cli import AppGroup

from shared.enums import Role

from ..services.accounts import AccountError, create_user, find_device, revoke_device

user_cli = AppGroup("user", help="用户管理")
device_cli = AppGroup("device", help="设备令牌")


@user_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(Role.choices()))
@click.option("--password", required=True)
@click.option("--inspector", "cert_no", help="执法人员账号关联的执法证号")
@click.option("--name", "display_name", help="姓名（文书上打印；执法人员默认取名录库中的姓名）")
def create_command(username, role, password, cert_no, display_name):
    """创建用户。"""
    try:
        user = create_user(username, role, password, inspector_cert=cert_no,
                           display_name=display_name)
    except (AccountError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已创建用户 {user.username}（{Role(user.role).label}）")


@device_cli.command("revoke")
@click.argument("device_id")
def revoke_command(device_id):
    """吊销设备的令牌（平板丢失时）。DEVICE_ID 可填控制台显示的平板编号或完整设备号。"""
    try:
        device_id = find_device(device_id)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    count = revoke_device(device_id)
    if count == 0:
        raise click.ClickException(f"设备“{device_id}”没有有效令牌")
    click.echo(f"已吊销设备 {device_id} 的 {count} 个令牌")
