"""Production mode: refuses unsafe settings, secure cookies, headers on every
response, database-backed login rate limiting (shared by workers), JSON logs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server import create_app
from server.extensions import db
from server.production import ConfigError, production_config
from server.security import LoginFailure
from shared.enums import Role
from tests.server import factories

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 40
HTTPS = "https://suicha.example"


def prod_app(app, **extra):
    """A production-configured app on the same database as the test's ``app``."""
    config = production_config({"SECRET_KEY": SECRET, "DATABASE_URL": "postgresql://unused/x"})
    config.update(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                  EVIDENCE_DIR=app.config["EVIDENCE_DIR"], **extra)
    return create_app(config)


@pytest.fixture
def prod(app):
    application = prod_app(app)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def csrf(client) -> str:
    client.get("/console/login", base_url=HTTPS)
    with client.session_transaction(base_url=HTTPS) as s:
        return s["csrf"]


def console_login(client, username, password, *, ip="127.0.0.1"):
    return client.post("/console/login", base_url=HTTPS, environ_base={"REMOTE_ADDR": ip},
                       data={"username": username, "password": password,
                             "csrf_token": csrf(client)})


def token_login(client, username, password, *, ip="127.0.0.1"):
    return client.post("/api/v1/auth/token", base_url=HTTPS, environ_base={"REMOTE_ADDR": ip},
                       json={"username": username, "password": password, "device_id": "d1"})


# -- refusing to start --------------------------------------------------------------

@pytest.mark.parametrize("env, names", [
    ({}, ["SECRET_KEY", "DATABASE_URL"]),
    ({"SECRET_KEY": SECRET}, ["DATABASE_URL"]),
    ({"DATABASE_URL": "postgresql://db/suicha"}, ["SECRET_KEY"]),
    ({"SECRET_KEY": "short", "DATABASE_URL": "postgresql://db/s"}, ["SECRET_KEY"]),
    ({"SECRET_KEY": SECRET, "DATABASE_URL": "sqlite:///x.db"}, ["SQLite"]),
])
def test_production_refuses_unsafe_environment(env, names):
    with pytest.raises(ConfigError) as info:
        production_config(env)
    for name in names:
        assert name in str(info.value)
    assert "生产模式无法启动" in str(info.value)


def test_create_app_in_production_mode_refuses_without_secret(monkeypatch):
    monkeypatch.setenv("SUICHA_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_gunicorn_exits_with_the_reason(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(SUICHA_ENV="production", SUICHA_BIND="127.0.0.1:0")
    proc = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c",
                           "gunicorn.conf.py"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode != 0
    assert "SECRET_KEY 未设置" in proc.stderr and "DATABASE_URL 未设置" in proc.stderr


def test_production_config_accepts_a_full_environment():
    config = production_config({"SECRET_KEY": SECRET, "DATABASE_URL": "postgres://u:p@db/s"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/s"
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax" and not config["DEBUG"]


# -- cookies and headers ---------------------------------------------------------------

def test_session_cookie_is_secure_httponly_lax(prod):
    with prod.app_context():
        factories.make_user(Role.ADMIN, username="boss", password="right-pass")
    client = prod.test_client()
    resp = console_login(client, "boss", "right-pass")
    assert resp.status_code == 302
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("__Host-suicha=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie


PATHS = ["/healthz", "/api/openapi.json", "/api/v1/enterprises", "/console/login", "/public/",
         "/no-such-page", "/api/v1/no-such"]


def test_security_headers_on_every_response(prod, app):
    for path in PATHS:
        resp = prod.test_client().get(path, base_url=HTTPS)
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "http:" not in csp and "https:" not in csp  # no external source, no CDN
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["Referrer-Policy"] == "same-origin"
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        # Development/test mode: same headers, no HSTS (plain http on a laptop).
        dev = app.test_client().get(path)
        assert dev.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in dev.headers


# -- login rate limiting -----------------------------------------------------------------

def test_console_login_blocked_after_five_failures(prod, count_rows):
    with prod.app_context():
        factories.make_user(Role.ADMIN, username="boss", password="right-pass")
    client = prod.test_client()
    for _ in range(5):
        resp = console_login(client, "boss", "wrong")
        assert resp.status_code == 200 and "用户名或密码错误" in resp.get_data(as_text=True)
    resp = console_login(client, "boss", "right-pass")  # even the right password now
    assert resp.status_code == 429
    assert "登录失败次数过多，请5分钟后再试" in resp.get_data(as_text=True)
    assert 1 <= int(resp.headers["Retry-After"]) <= 300
    with client.session_transaction(base_url=HTTPS) as s:
        assert "sid" not in s  # no session was started
    # Another address is not punished for this one's guesses.
    assert console_login(prod.test_client(), "boss", "right-pass", ip="10.0.0.7").status_code == 302
    assert count_rows(LoginFailure) == 5


def test_counter_is_shared_by_workers_and_spans_console_and_api(prod, app):
    """Two app objects on one database stand in for two gunicorn workers/hosts."""
    with prod.app_context():
        factories.make_user(Role.INSPECTOR, username="zhang", password="right-pass")
    other = prod_app(app)
    try:
        for n in range(5):
            worker = prod if n % 2 else other
            assert token_login(worker.test_client(), "zhang", "bad").status_code == 401
        for worker in (prod, other):
            resp = token_login(worker.test_client(), "zhang", "right-pass")
            assert resp.status_code == 429
            body = resp.get_json()
            assert body["code"] == 429 and body["message"] == "登录失败次数过多，请5分钟后再试"
            assert int(resp.headers["Retry-After"]) > 0
        assert console_login(prod.test_client(), "zhang", "right-pass").status_code == 429
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_forwarded_address_counts_behind_the_proxy(prod):
    """ProxyFix: the client's address from nginx, not nginx's own."""
    with prod.app_context():
        factories.make_user(Role.ADMIN, username="boss", password="right-pass")
    client = prod.test_client()

    def attempt(ip, password):
        return client.post("/api/v1/auth/token", base_url=HTTPS,
                           headers={"X-Forwarded-For": ip, "X-Forwarded-Proto": "https"},
                           json={"username": "boss", "password": password, "device_id": "d"})

    for _ in range(5):
        attempt("203.0.113.5", "bad")
    assert attempt("203.0.113.5", "right-pass").status_code == 429
    assert attempt("203.0.113.6", "right-pass").status_code == 201


def test_success_clears_the_failures(prod, count_rows):
    with prod.app_context():
        factories.make_user(Role.ADMIN, username="boss", password="right-pass")
    client = prod.test_client()
    for _ in range(4):
        token_login(client, "boss", "bad")
    assert token_login(client, "boss", "right-pass").status_code == 201
    assert count_rows(LoginFailure) == 0
    for _ in range(4):
        assert token_login(client, "boss", "bad").status_code == 401
    assert token_login(client, "boss", "right-pass").status_code == 201


def test_login_redirect_stays_on_the_console(prod):
    with prod.app_context():
        factories.make_user(Role.ADMIN, username="boss", password="right-pass")
    client = prod.test_client()
    resp = client.post("/console/login?next=/console.evil.example/x", base_url=HTTPS,
                       data={"username": "boss", "password": "right-pass",
                             "csrf_token": csrf(client)})
    assert resp.status_code == 302 and resp.location.endswith("/console/")


# -- structured logs ---------------------------------------------------------------------

def test_one_json_line_per_request(prod, caplog):
    with prod.app_context():
        token = factories.make_token(Role.INSPECTOR, device_id="tablet-07")
        username = db.session.scalar(db.select(LoginFailure.username).limit(1))  # none yet
    assert username is None
    logger = logging.getLogger("suicha.request")
    logger.addHandler(caplog.handler)  # production logger does not propagate
    logger.disabled = False  # an earlier in-process `flask db upgrade` (alembic fileConfig)
    try:
        client = prod.test_client()
        client.get("/api/v1/auth/me", base_url=HTTPS, headers={"Authorization": f"Bearer {token}"})
        client.get("/api/v1/enterprises", base_url=HTTPS)
    finally:
        logger.removeHandler(caplog.handler)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "suicha.request"]
    assert len(lines) == 2
    me, anon = lines
    assert me["method"] == "GET" and me["path"] == "/api/v1/auth/me" and me["status"] == 200
    assert me["user"].startswith("inspector") and me["device"] == "tablet-07"
    assert isinstance(me["duration_ms"], float) and me["time"]
    assert anon["status"] == 401 and anon["user"] is None and anon["device"] is None
