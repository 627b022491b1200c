"""Who is calling, and may they.

Every API view is wrapped by ``roles_required``; the wrapper records the allowed
roles on the view (``view._roles``) so a test can walk the URL map and prove
that each route refuses anonymous and wrong-role callers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from flask import g, request, session
from flask_smorest import abort

from shared.enums import Role

from .extensions import db
from .models._types import utcnow
from .models.user import DeviceToken, User, hash_token

ALL_ROLES = frozenset(Role)
OFFICE = (Role.ADMIN, Role.DISPATCHER)
STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
# Who may read full draw records (credit classes, conflicts, teams): staff and
# the read-only auditor (监督).
RECORD_READERS = (*STAFF, Role.AUDITOR)


def authenticate() -> User | None:
    """The caller from a bearer token (tablets, scripts) or the console session."""
    if "user" in g:
        return g.user
    user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = db.session.execute(
            db.select(DeviceToken).where(DeviceToken.token_hash == hash_token(header[7:].strip()))
        ).scalar_one_or_none()
        if token is not None and token.revoked_at is None and token.user.active:
            token.last_seen_at = utcnow()
            g.device_token = token
            user = token.user
    elif session.get("user_id"):
        candidate = db.session.get(User, session["user_id"])
        if candidate is not None and candidate.active:
            user = candidate
    g.user = user
    return user


def roles_required(*roles: Role) -> Callable:
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = authenticate()
            if user is None:
                abort(401, message="未登录或令牌已失效，请重新登录")
            if Role(user.role) not in allowed:
                abort(403, message="当前角色无权执行此操作")
            return view(*args, **kwargs)

        wrapper._roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as deliberately open (public pages, token endpoint, health)."""
    view._public = True  # type: ignore[attr-defined]
    return view


def actor_name() -> str:
    user = g.get("user")
    return user.username if user is not None else "system"


def role_labels(roles: Iterable[Role]) -> str:
    return "、".join(Role(r).label for r in roles)
