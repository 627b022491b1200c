"""Logging in (online), unlocking with a PIN (offline), logging out and wiping.

The server token lets the tablet sync; the PIN protects the app while the
inspector is offline for days. Wiping (lost or handed-back tablet) refuses to
destroy records the server has not confirmed unless explicitly forced.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError

from mobile.core.errors import NotLoggedInError, PinError, PinLockedError, UnsentRecordsError
from mobile.core.store import Store
from mobile.core.transport import ApiError, Transport
from shared.schemas.sync import TokenResponseSchema

PIN_MAX_FAILURES = 5  # wrong PINs in a row before a timed lock
PIN_LOCK_MINUTES = 15
PIN_HARD_LIMIT = 10  # wrong PINs in all before the token is dropped
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def login(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    *,
    transport_factory: Callable[[str], Transport] = Transport,
) -> dict[str, Any]:
    """``POST /auth/token`` and keep the session; returns it. Raises
    ``AuthRequiredError`` (wrong password), ``TransientError`` (offline)."""
    transport = transport_factory(server_url)
    try:
        body = transport.login(username, password, store.device_id)
    finally:
        transport.close()
    try:
        data = TokenResponseSchema().load(body)
    except ValidationError as exc:
        raise ApiError(0, "服务器登录响应格式不正确，请联系管理员", exc.messages) from exc
    store.save_session(
        server_url=server_url,
        username=data["username"],
        token=data["token"],
        role=data["role"],
        inspector=data.get("inspector"),
    )
    store.set_bureau_zone(data.get("bureau_timezone"))
    return store.session()


def transport_for(store: Store, factory: Callable[..., Transport] = Transport) -> Transport:
    """A transport with the stored server and token (for the sync engine)."""
    session = store.session()
    if not session or not session.get("token"):
        raise NotLoggedInError()
    return factory(session["server_url"], session["token"])


def _hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT).hex()


def set_pin(store: Store, pin: str) -> None:
    """Set the offline unlock PIN (4–12 digits) for the logged-in user."""
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise PinError("PIN应为4至12位数字")
    if store.session() is None:
        raise NotLoggedInError()
    salt = secrets.token_bytes(16)
    store.update_session(pin_hash=_hash_pin(pin, salt), pin_salt=salt.hex(), pin_failures=0)


def pin_tries_left(store: Store) -> int:
    """Wrong PINs still allowed before the next lock (shown under the PIN field)."""
    failures = (store.session() or {}).get("pin_failures") or 0
    if failures < PIN_MAX_FAILURES:
        return PIN_MAX_FAILURES - failures
    return PIN_HARD_LIMIT - failures


def pin_locked_for(store: Store, now: Callable[[], float] = time.time) -> float:
    """Seconds until the PIN may be tried again (0: now)."""
    until = float(store.get_meta("pin_locked_until") or 0)
    return max(0.0, until - now())


def unlock(store: Store, pin: str, now: Callable[[], float] = time.time) -> bool:
    """Check the PIN offline. ``PIN_MAX_FAILURES`` wrong PINs in a row lock it for
    ``PIN_LOCK_MINUTES`` – still offline, the inspector waits and goes on; only
    ``PIN_HARD_LIMIT`` wrong PINs drop the token (a login is needed; data stays).
    False for a wrong PIN (see :func:`pin_tries_left`)."""
    session = store.session()
    if session is None or not session.get("pin_hash"):
        raise NotLoggedInError("尚未设置PIN，请联网登录")
    wait = pin_locked_for(store, now)
    if wait > 0:
        raise PinLockedError(f"PIN已暂时锁定，请{_minutes(wait)}后再试（无需联网），或联网重新登录")
    good = hmac.compare_digest(
        _hash_pin(pin, bytes.fromhex(session["pin_salt"])), session["pin_hash"]
    )
    if good:
        store.update_session(pin_failures=0)
        store.set_meta("pin_locked_until", "0")
        return True
    failures = session["pin_failures"] + 1
    if failures >= PIN_HARD_LIMIT:
        store.update_session(pin_failures=failures, token=None, pin_hash=None, pin_salt=None)
        raise PinError("PIN错误次数过多，已锁定；请联网重新登录，本机记录不会丢失")
    store.update_session(pin_failures=failures)
    if failures == PIN_MAX_FAILURES:
        store.set_meta("pin_locked_until", str(now() + PIN_LOCK_MINUTES * 60))
        raise PinLockedError(
            f"PIN连续错误{PIN_MAX_FAILURES}次，已锁定{PIN_LOCK_MINUTES}分钟；"
            f"之后可再试{PIN_HARD_LIMIT - PIN_MAX_FAILURES - 1}次（无需联网），或联网重新登录"
        )
    return False


def _minutes(seconds: float) -> str:
    return f"{max(1, math.ceil(seconds / 60))}分钟"


def logout(store: Store) -> None:
    """Forget the token (the next sync needs a login); keeps all local data."""
    if store.session() is not None:
        store.update_session(token=None)


def wipe(store: Store, *, force: bool = False) -> None:
    """Delete everything on this tablet: session, tasks, records, evidence files.

    Refuses (``UnsentRecordsError``) while any record is not confirmed by the
    server, unless *force* – the UI asks the user to confirm first.
    """
    unsent = store.unsent_count()
    if unsent and not force:
        raise UnsentRecordsError(unsent)
    store.destroy()
