"""Users and device tokens, shared by the API, the console and the CLI."""

from __future__ import annotations

import sqlalchemy as sa

from shared.devices import device_numbers, matches_number
from shared.enums import Role

from ..extensions import db
from ..models import DeviceToken, Inspector, User
from ..models._types import utcnow
from .errors import ServiceError


class AccountError(ServiceError, ValueError):
    status = 400


MIN_PASSWORD = 8
# Passwords every guessing list starts with (and what 12345678 looks like).
COMMON = {"12345678", "123456789", "1234567890", "87654321", "11111111", "88888888",
          "00000000", "password", "password1", "password123", "qwerty123", "qwertyui",
          "abc12345", "abcd1234", "1qaz2wsx", "admin123", "admin888", "a1234567",
          "aa123456", "iloveyou", "woaini1314", "suicha123"}


def check_password_policy(password: str, username: str = "") -> None:
    """等保 style: at least 8 characters of at least two kinds (letters, digits,
    other), not a well-known password, not the login name, not one repeated
    character or a run like 12345678/abcdefgh."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少{MIN_PASSWORD}位")
    if len(password) > 128:
        raise AccountError("密码不能超过128位")
    kinds = sum((any(c.isalpha() for c in password), any(c.isdigit() for c in password),
                 any(not c.isalnum() for c in password)))
    if kinds < 2:
        raise AccountError("密码须包含字母、数字、符号中的至少两类")
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2 or _is_run(lowered):
        raise AccountError("密码过于简单（常见密码、重复或连续字符），请换一个")
    if username and len(username) >= 3 and username.lower() in lowered:
        raise AccountError("密码不能包含用户名")


def _is_run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def _audit(actor: str, user: User, before: dict, after: dict) -> None:
    from ..models import AuditLog

    db.session.add(AuditLog(actor=actor, action="update", entity="users",
                            entity_key=user.username, before=before, after=after,
                            source="console"))


def set_password(user: User, password: str, actor: str) -> None:
    """A new password (an administrator's reset or the user's own change);
    the account's tablets must log in again."""
    check_password_policy(password, user.username)
    user.set_password(password)
    revoked = _revoke_user_tokens(user)
    _audit(actor, user, {}, {"password": "已更改", "tokens_revoked": revoked})
    db.session.commit()


def change_own_password(user: User, current: str, new: str, again: str) -> None:
    if not user.check_password(current):
        raise AccountError("当前密码不正确")
    if new != again:
        raise AccountError("两次输入的新密码不一致")
    if new == current:
        raise AccountError("新密码不能与当前密码相同")
    set_password(user, new, user.username)


def update_user(user: User, actor: str, *, display_name: str, role: str,
                inspector_cert: str | None = None) -> list[str]:
    """Edit 姓名 and role; returns what changed (labels)."""
    from shared.text import clean_name

    name = clean_name(display_name)
    if not name:
        raise AccountError("请填写姓名")
    try:
        role_code = Role.parse(role).value
    except ValueError as exc:  # its message lists the roles in Chinese
        raise AccountError(str(exc)) from None
    if actor == user.username and role_code != user.role:
        raise AccountError("不能更改自己的角色")
    inspector = user.inspector
    if role_code == Role.INSPECTOR.value:
        cert = (inspector_cert or "").strip() or (inspector.cert_no if inspector else "")
        inspector = db.session.scalar(sa.select(Inspector).filter_by(cert_no=cert)) if cert \
            else None
        if inspector is None:
            raise AccountError("执法人员账号必须关联名录库中的执法证号")
    else:
        inspector = None
    before = {"display_name": user.display_name, "role": user.role,
              "inspector": user.inspector.cert_no if user.inspector else None}
    user.display_name, user.role, user.inspector = name, role_code, inspector
    after = {"display_name": name, "role": role_code,
             "inspector": inspector.cert_no if inspector else None}
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        if "role" in changed:
            _revoke_user_tokens(user)  # a tablet's token carries the old role's rights
        _audit(actor, user, {k: before[k] for k in changed}, {k: after[k] for k in changed})
    db.session.commit()
    return [{"display_name": "姓名", "role": "角色", "inspector": "执法证号"}[k] for k in changed]


def set_active(user: User, active: bool, actor: str) -> None:
    if actor == user.username and not active:
        raise AccountError("不能停用自己的账号")
    if user.active != active:
        user.active = active
        revoked = 0 if active else _revoke_user_tokens(user)
        _audit(actor, user, {"active": not active}, {"active": active, "tokens_revoked": revoked})
    db.session.commit()


def _revoke_user_tokens(user: User) -> int:
    tokens = db.session.scalars(sa.select(DeviceToken).filter_by(
        user_id=user.id, revoked_at=None)).all()
    for token in tokens:
        token.revoked_at = utcnow()
    return len(tokens)


def create_user(username: str, role: str, password: str, *, inspector_cert: str | None = None,
                display_name: str | None = None) -> User:
    try:
        role_code = Role.parse(role).value
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    check_password_policy(password, username)
    if db.session.execute(sa.select(User.id).filter_by(username=username)).first():
        raise AccountError(f"用户名“{username}”已存在")
    inspector = None
    if role_code == Role.INSPECTOR.value:
        if not inspector_cert:
            raise AccountError("执法人员账号必须关联执法证号")
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


def tablet_numbers() -> dict[str, str]:
    """Every known tablet's number, unique among all of them (so the dispatch and
    user pages, and ``flask device revoke``, agree on which tablet is F9DC3)."""
    return device_numbers(db.session.scalars(
        sa.select(DeviceToken.device_id).distinct().order_by(DeviceToken.device_id)))


def find_device(number: str) -> str:
    """The device id a person means by what the console shows (its number, any
    case) or by the whole id.  Refuses a number that fits no tablet or several."""
    number = number.strip()
    ids = list(tablet_numbers())
    if number in ids:
        return number
    fits = [d for d in ids if matches_number(d, number)]
    if not fits:
        raise AccountError(f"没有编号为“{number}”的平板")
    if len(fits) > 1:
        raise AccountError(f"编号“{number}”对应多台平板（{'、'.join(fits)}），"
                           "请输入更长的编号或完整设备号")
    return fits[0]
