"""Users and device tokens, shared by the API, the console and the CLI."""

from __future__ import annotations

import sqlalchemy as sa

from shared.enums import Role

from ..extensions import db
from ..models import DeviceToken, Inspector, User
from ..models._types import utcnow
from .errors import ServiceError


class AccountError(ServiceError, ValueError):
    status = 400


def create_user(username: str, role: str, password: str, *, inspector_cert: str | None = None,
                display_name: str | None = None) -> User:
    try:
        role_code = Role.parse(role).value
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    if len(password) < 8:
        raise AccountError("密码至少8位")
    if db.session.execute(sa.select(User.id).filter_by(username=username)).first():
        raise AccountError(f"用户名“{username}”已存在")
    inspector = None
    if role_code == Role.INSPECTOR.value:
        if not inspector_cert:
            raise AccountError("执法人员账号必须关联执法证号（--inspector）")
        inspector = db.session.execute(
            sa.select(Inspector).filter_by(cert_no=inspector_cert)).scalar_one_or_none()
        if inspector is None:
            raise AccountError(f"执法证号“{inspector_cert}”不在执法检查人员名录库中")
    elif inspector_cert:
        raise AccountError("只有执法人员账号可以关联执法证号")
    display_name = (display_name or "").strip() or (inspector.name if inspector else None)
    if not display_name:  # documents print it as 承办人, 操作人, 审核人
        raise AccountError("请填写姓名：文书上的承办人、操作人等处打印姓名")
    user = User(username=username, role=role_code, inspector=inspector, display_name=display_name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def person_name(username: str) -> str:
    """The 姓名 a document prints for the account that acted (承办人, 操作人 …).

    Every account created here has one; an older account without it, or an actor
    that is no account (``system``), prints as recorded.
    """
    name = db.session.scalar(sa.select(User.display_name).where(User.username == username))
    return name or username


def revoke_device(device_id: str) -> int:
    """Revoke every live token of a device (a lost tablet). Returns how many."""
    tokens = db.session.execute(sa.select(DeviceToken).filter_by(
        device_id=device_id, revoked_at=None)).scalars().all()
    for token in tokens:
        token.revoked_at = utcnow()
    db.session.commit()
    return len(tokens)
