"""Who is calling, and may they.

Every API view is wrapped by ``roles_required``; the wrapper records the allowed
roles on the view (``view._roles``) so a test can walk the URL map and prove
that each route refuses anonymous and wrong-role callers.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Iterable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_smorest import abort

from shared.enums import Role

from .extensions import db
from .models._types import utcnow
from .models.user import ConsoleSession, DeviceToken, User, hash_token

ALL_ROLES = frozenset(Role)
OFFICE = (Role.ADMIN, Role.DISPATCHER)
STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
SEEN_EVERY = timedelta(minutes=1)
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
            _seen(token)
            g.device_token = token
            user = token.user
    elif session.get("sid"):
        _check_csrf_for_api()
        live = db.session.scalar(sa.select(ConsoleSession).where(
            ConsoleSession.sid_hash == hash_token(session["sid"]),
            ConsoleSession.ended_at.is_(None),
            ConsoleSession.created_at > utcnow() - session_lifetime()))
        if live is not None and live.user.active:
            user = live.user
    g.user = user
    return user


def _check_csrf_for_api() -> None:
    """A browser sends the console cookie to the API whoever asks it to (another
    site's form or script): an API write it authenticates must also carry the
    session's CSRF token, which only our own pages know."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.path.startswith(
            "/api/"):
        return
    sent, expected = request.headers.get("X-CSRF-Token", ""), session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(403, message="使用控制台登录状态调用接口时须附带CSRF令牌（X-CSRF-Token），"
                           "请刷新页面后重试")


def session_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config.get("CONSOLE_SESSION_HOURS", 8)))


def _seen(token: DeviceToken) -> None:
    """Note when a tablet was last heard from – at most once a minute, as one
    UPDATE committed at once: it must not ride along in the request's own
    transaction (a slow upload would hold SQLite's write lock while its body
    trickles in), and a busy tablet must not write on every call."""
    now = utcnow()
    if token.last_seen_at is not None and now - token.last_seen_at < SEEN_EVERY:
        return
    db.session.execute(sa.update(DeviceToken).where(
        DeviceToken.id == token.id,
        sa.or_(DeviceToken.last_seen_at.is_(None), DeviceToken.last_seen_at < now - SEEN_EVERY))
        .values(last_seen_at=now).execution_options(synchronize_session=False))
    db.session.commit()


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
