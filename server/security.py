"""Response hardening, login rate limiting and one JSON log line per request.

* Security headers go on every response (API, console, public pages, errors).
  The CSP names no external source: the console and public pages use no CDN.
* Failed logins are counted in the database (``login_failures``), not in
  process memory, so the limit holds across gunicorn workers and app hosts.
* ``JSON_LOGS`` (on in production) writes one line per request to stderr:
  time, method, path, status, duration, user, device, client address.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import sys
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models._types import utcnow

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


class LoginBlocked(Exception):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        self.retry_after = retry_after
        self.message = f"登录失败次数过多，请{minutes}分钟后再试"
        super().__init__(self.message)


def _key(username: str) -> tuple[str, str]:
    return (username or "")[:64], (request.remote_addr or "-")[:64]


def _window() -> tuple[int, timedelta]:
    cfg = current_app.config
    return (int(cfg.get("LOGIN_MAX_FAILURES", 5)),
            timedelta(seconds=int(cfg.get("LOGIN_WINDOW_SECONDS", 300))))


def check_login_allowed(username: str) -> None:
    """Raise :class:`LoginBlocked` when this username+address failed too often lately."""
    limit, window = _window()
    user, address = _key(username)
    since = utcnow() - window
    rows = db.session.execute(
        sa.select(LoginFailure.at).where(LoginFailure.username == user,
                                         LoginFailure.address == address,
                                         LoginFailure.at > since)
        .order_by(LoginFailure.at.desc()).limit(limit)).scalars().all()
    if len(rows) >= limit:
        # Blocked until the oldest of the last `limit` failures leaves the window.
        retry = int((rows[-1] + window - utcnow()).total_seconds()) + 1
        raise LoginBlocked(max(1, retry))


def note_login_failure(username: str) -> None:
    _, window = _window()
    user, address = _key(username)
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.username == user, LoginFailure.address == address,
        LoginFailure.at <= utcnow() - window))
    db.session.add(LoginFailure(username=user, address=address))
    db.session.commit()


def clear_login_failures(username: str) -> None:
    user, address = _key(username)
    db.session.execute(sa.delete(LoginFailure).where(
        LoginFailure.username == user, LoginFailure.address == address))


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
