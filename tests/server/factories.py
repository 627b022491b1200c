"""make_<noun> factories for server tests. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import date

from shared.enums import Role
from shared.uscc import make_uscc

from server.extensions import db
from server.models import DeviceToken, Enterprise, Inspector, User
from server.models.user import hash_token

_seq = itertools.count(1)


def uscc(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return make_uscc(f"91140428MA{n:07d}")


def make_enterprise(**overrides) -> Enterprise:
    n = next(_seq)
    values = dict(uscc=uscc(n), name=f"测试企业{n}有限公司", industry="industry_trade",
                  street="丹朱镇", scale="small", risk_level="general", credit_class="B",
                  status="active", special_work=[], registries=[])
    values.update(overrides)
    obj = Enterprise(**values)
    db.session.add(obj)
    db.session.commit()
    return obj


def make_inspector(**overrides) -> Inspector:
    n = next(_seq)
    values = dict(cert_no=f"T{n:08d}", name=f"检查员{n}", cert_expiry=date(2030, 12, 31),
                  department="执法监察科", street=None, fields=["industry_trade"],
                  duty_status="on_duty", conflicts=[])
    values.update(overrides)
    obj = Inspector(**values)
    db.session.add(obj)
    db.session.commit()
    return obj


def make_user(role: Role = Role.DISPATCHER, *, password: str = "password123",
              inspector: Inspector | None = None, username: str | None = None) -> User:
    if role == Role.INSPECTOR and inspector is None:
        inspector = make_inspector()
    user = User(username=username or f"{role.value}{next(_seq)}", role=role.value,
                inspector=inspector)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def make_token(role: Role, *, device_id: str | None = None, user: User | None = None,
               **kwargs) -> str:
    user = user or make_user(role, **kwargs)
    token = DeviceToken.new_token()
    db.session.add(DeviceToken(user_id=user.id, device_id=device_id or f"dev-{next(_seq)}",
                               token_hash=hash_token(token)))
    db.session.commit()
    return token
