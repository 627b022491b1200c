"""Production mode: ``SUICHA_ENV=production`` selects :class:`ProductionConfig`.

Production refuses to start rather than run with a guessable session key or
with the default SQLite file next to the code (several gunicorn workers and
several hosts must share one PostgreSQL database). See docs/deploy.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .config import Config


class ConfigError(RuntimeError):
    """The environment is not fit for production; the message says what to set."""


class ProductionConfig(Config):
    PRODUCTION = True
    DEBUG = False
    TESTING = False
    # The browser sends the session cookie over TLS only, never to scripts, and
    # not on cross-site POSTs (CSRF tokens are the main defence; this is a second one).
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "__Host-suicha"  # __Host-: Secure, Path=/, no Domain
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # one working day
    PREFERRED_URL_SCHEME = "https"
    JSON_LOGS = True
    HSTS = True


def production_requested(env: Mapping[str, str] = os.environ) -> bool:
    return env.get("SUICHA_ENV", "").strip().lower() in ("production", "prod")


def production_config(env: Mapping[str, str] = os.environ) -> dict:
    """ProductionConfig plus the variables that must come from the environment.

    Raises :class:`ConfigError` naming every missing or unsafe variable, so one
    failed start tells the operator everything to fix.
    """
    problems: list[str] = []
    secret = env.get("SECRET_KEY", "")
    if not secret:
        problems.append("SECRET_KEY 未设置（会话签名密钥，至少32个随机字符）")
    elif len(secret) < 32 or secret in ("dev-only-not-secret", "test", "change-me"):
        problems.append("SECRET_KEY 太短或是示例值（至少32个随机字符）")
    url = env.get("DATABASE_URL", "")
    if not url:
        problems.append("DATABASE_URL 未设置（例如 postgresql://suicha:密码@db/suicha）")
    elif url.startswith("sqlite") and env.get("SUICHA_ALLOW_SQLITE") != "1":
        problems.append("DATABASE_URL 指向 SQLite：多进程/多主机部署须使用 PostgreSQL"
                        "（单机试用可设 SUICHA_ALLOW_SQLITE=1）")
    if problems:
        raise ConfigError("生产模式无法启动 (SUICHA_ENV=production)：\n  - "
                          + "\n  - ".join(problems))
    config = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    config["SECRET_KEY"] = secret
    config["SQLALCHEMY_DATABASE_URI"] = _database_url_from(url)
    if env.get("EVIDENCE_DIR"):
        config["EVIDENCE_DIR"] = env["EVIDENCE_DIR"]
    # The log key only as the operator set it: several app hosts must sign
    # with one key, so none generates its own (docs/deploy.md).
    config["LOG_SIGNING_KEY"] = env.get("SUICHA_LOG_SIGNING_KEY", "")
    config["LOG_SIGNING_KEY_FILE"] = env.get("SUICHA_LOG_SIGNING_KEY_FILE", "")
    # How many reverse proxies (nginx, load balancer) set X-Forwarded-*; 0 = none.
    config["PROXY_COUNT"] = int(env.get("SUICHA_PROXIES", "1"))
    return config


def _database_url_from(url: str) -> str:
    # Same normalisation as Config (psycopg 3 driver named explicitly).
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
