"""Response hardening, login rate limiting and one JSON log line per request.

* Security headers go on every response (API, console, public pages, errors).
  The CSP names no external source: the console and public pages use no CDN.
* Login attempts are counted in the database (``login_failures``), not in
  process memory, so the limit holds across gunicorn workers and app hosts;
  an attempt is counted before its password is checked (no race), and an
  unknown username costs as long as a wrong password. Two limits (等保 login
  failure handling without handing anyone a way to lock others out): failures
  of one account from one address (``LOGIN_MAX_FAILURES``) lock that pair only –
  the real user from another address still logs in – and failures from one
  address over all accounts (``LOGIN_MAX_FAILURES_PER_ADDRESS``) stop guessing
  across many accounts (password spraying) from there.
* ``JSON_LOGS`` (on in production) writes one line per request to stderr:
  time, method, path, status, duration, user, device, client address.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import sys
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models._types import utcnow
from .models.user import User
from .services.errors import ServiceError

log = logging.getLogger("suicha.request")

# Inline event handlers the templates use, allowed by hash rather than by
# 'unsafe-inline' (which would let any injected script run).
_ALLOWED_HANDLERS = ("this.form.submit()",)


def _handler_hashes() -> str:
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(h.encode()).digest()).decode() + "'"
        for h in _ALLOWED_HANDLERS)


CSP = ("default-src 'self'; "
       f"script-src 'self' 'unsafe-hashes' {_handler_hashes()}; "
       # style="" attributes (dashboard bars) are harmless compared with scripts.
       "style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


class LoginFailure(db.Model):
    """One failed login; rows older than the window are pruned as new ones come."""

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index("ix_login_failures_key", "username", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginBlocked(ServiceError):
    status = 429

    def __init__(self, retry_after: int, *, address: bool = False) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        self.retry_after = retry_after
        who = "从本网络地址登录失败次数过多" if address else "登录失败次数过多"
        super().__init__(f"{who}，请{minutes}分钟后再试",
                         headers={"Retry-After": str(retry_after)})


def _key(username: str) -> tuple[str, str]:
    return (username or "")[:64], (request.remote_addr or "-")[:64]


def _window() -> tuple[int, int, timedelta]:
    cfg = current_app.config
    return (int(cfg.get("LOGIN_MAX_FAILURES", 5)),
            int(cfg.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)),
            timedelta(seconds=int(cfg.get("LOGIN_WINDOW_SECONDS", 300))))


def _begin_attempt(username: str) -> int:
    """Count this attempt BEFORE the password is checked, and commit it.

    Each attempt's row is committed before it counts, so the k-th of many
    parallel attempts sees at least k rows: at most ``limit`` of them ever get
    a password check (a check-then-insert let 20 of 60 through). A refused
    attempt takes its row back, so waiting out the window is enough. The same
    holds for the address's limit over all accounts."""
    limit, per_address, window = _window()
    user, address = _key(username)
    now = utcnow()
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.address == address, LoginFailure.at <= now - window))
    row = LoginFailure(username=user, address=address, at=now)
    db.session.add(row)
    db.session.commit()
    mine = (LoginFailure.address == address, LoginFailure.at > now - window)
    for count, scope, by_address in ((limit, (LoginFailure.username == user, *mine), False),
                                     (per_address, mine, True)):
        recent = db.session.execute(
            sa.select(LoginFailure.at).where(*scope)
            .order_by(LoginFailure.at.desc(), LoginFailure.id.desc()).limit(count + 1)
        ).scalars().all()
        if len(recent) > count:
            db.session.delete(row)
            db.session.commit()
            retry = int((recent[count - 1] + window - now).total_seconds()) + 1
            raise LoginBlocked(max(1, retry), address=by_address)
    return row.id


# Checked against when the username does not exist, so that an unknown name
# costs the same time as a wrong password (no username probing by timing).
_DUMMY_HASH: list[str] = []


def check_login(username: str, password: str) -> User | None:
    """The user if the password is right (and the account active), else None.
    Raises :class:`LoginBlocked` after too many recent attempts."""
    _begin_attempt(username)
    user = db.session.execute(sa.select(User).filter_by(
        username=username)).scalar_one_or_none()
    if user is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(16)))
        check_password_hash(_DUMMY_HASH[0], password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    name, address = _key(username)
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.username == name, LoginFailure.address == address))
    db.session.commit()
    return user


# -- app wiring -----------------------------------------------------------------

def init_app(app: Flask) -> None:
    proxies = int(app.config.get("PROXY_COUNT", 0))
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies, x_port=proxies)
    if app.config.get("JSON_LOGS"):
        _json_handler()

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _harden(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if app.config.get("JSON_LOGS") or log.isEnabledFor(logging.INFO):
            log.info(json.dumps(request_record(response), ensure_ascii=False))
        return response


def request_record(response: Response) -> dict:
    started = g.get("request_started")
    user = g.get("user")
    token = g.get("device_token")
    return {
        "time": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user": user.username if user is not None else None,
        "device": token.device_id if token is not None else None,
        "remote": request.remote_addr,
        "bytes_in": request.content_length,
    }


def _json_handler() -> None:
    if any(getattr(h, "_suicha", False) for h in log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler._suicha = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
