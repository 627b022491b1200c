"""Who is calling, and may they.

Every API view is wrapped by ``roles_required``; the wrapper records the allowed
roles on the view (``view._roles``) so a test can walk the URL map and prove
that each route refuses anonymous and wrong-role callers.

A device token's ``last_seen_at`` ("最近同步" in the console) is when the device
last logged in (the token is issued with it) or last had a write accepted – an
upload, a record, a dispatch by script. Reading (pulling tasks, fetching a
photo) leaves no trace: a GET never writes.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Iterable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from flask_smorest import abort
from sqlalchemy.exc import SQLAlchemyError

from shared.enums import Role

from .extensions import db
from .models._types import utcnow
from .models.user import ConsoleSession, DeviceToken, User, hash_token

ALL_ROLES = frozenset(Role)
OFFICE = (Role.ADMIN, Role.DISPATCHER)
STAFF = (Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER)
SEEN_EVERY = timedelta(minutes=1)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
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
    if request.method not in WRITES or not request.path.startswith("/api/"):
        return
    sent, expected = request.headers.get("X-CSRF-Token", ""), session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(403, message="使用控制台登录状态调用接口时须附带CSRF令牌（X-CSRF-Token），"
                           "请刷新页面后重试")


def session_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config.get("CONSOLE_SESSION_HOURS", 8)))


def init_app(app: Flask) -> None:
    app.after_request(_note_write)


def _note_write(response: Response) -> Response:
    """A device's write was accepted: it was seen now. A refused write (bad input,
    wrong role) changes nothing, not even this."""
    token = g.get("device_token")
    if token is not None and request.method in WRITES and response.status_code < 400:
        _seen(token)
    return response


def _seen(token: DeviceToken) -> None:
    """Note when a device was last seen – at most once a minute (a tablet uploading
    a hundred photo chunks writes this once), as its own UPDATE after the request's
    work is committed. It is bookkeeping: if it fails, the accepted write stands
    and the answer stays a success."""
    now = utcnow()
    if token.last_seen_at is not None and now - token.last_seen_at < SEEN_EVERY:
        return
    try:
        db.session.execute(sa.update(DeviceToken).where(
            DeviceToken.id == token.id,
            sa.or_(DeviceToken.last_seen_at.is_(None),
                   DeviceToken.last_seen_at < now - SEEN_EVERY))
            .values(last_seen_at=now).execution_options(synchronize_session=False))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("device token %s: last-seen time not recorded", token.id,
                                   exc_info=True)


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
