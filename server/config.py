"""Configuration read from the environment (documented in README.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("SUICHA_INSTANCE", ROOT / "instance"))


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'suicha.db'}")
    # Heroku-style and plain postgres:// URLs name the psycopg 3 driver explicitly.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # Chinese stays readable in JSON columns (and LIKE on them works).
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "json_serializer": lambda obj: json.dumps(obj, ensure_ascii=False),
    }
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", str(INSTANCE / "evidence"))
    BUREAU_NAME = os.environ.get("BUREAU_NAME", "示范县应急管理局")
    BUREAU_ABBR = os.environ.get("BUREAU_ABBR", "示")
    # IANA zone of every time a person reads and of the bureau's "today" (localtime.py).
    BUREAU_TIMEZONE = os.environ.get("BUREAU_TIMEZONE") or "Asia/Shanghai"
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024 * 1024))
    JSON_AS_ASCII = False
    # An evidence upload nobody resumed for this many days is collected.
    SYNC_PARTIAL_MAX_DAYS = float(os.environ.get("SYNC_PARTIAL_MAX_DAYS", 7))
    # A record time this far ahead of the server's clock is a tablet clock gone
    # wrong and is refused (services/sync/record_clock.py); drift below it is not.
    SYNC_CLOCK_TOLERANCE_MINUTES = float(os.environ.get("SYNC_CLOCK_TOLERANCE_MINUTES", 10))
    # A console login lasts at most this long; logging out ends it at once.
    CONSOLE_SESSION_HOURS = float(os.environ.get("CONSOLE_SESSION_HOURS", 8))
    # Login failure handling (server/security.py): per account and address, and
    # per address over all accounts, within one window.
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20))
    LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", 300))
    # Ed25519 private key (64 hex) signing the public draw log's tree heads.
    LOG_SIGNING_KEY = os.environ.get("SUICHA_LOG_SIGNING_KEY", "")
    # Where `flask setup` keeps a generated key when none is set above (mode
    # 0600, in the instance folder, never in the repository): a default
    # install signs its log too, so a citizen's check can pass.
    LOG_SIGNING_KEY_FILE = os.environ.get("SUICHA_LOG_SIGNING_KEY_FILE",
                                          str(INSTANCE / "log-signing.key"))
    # The draw's public randomness (docs/draw.md): drand League of Entropy, or a
    # named future lottery draw where drand cannot be reached.
    DRAW_BEACON = os.environ.get("DRAW_BEACON", "drand")
    DRAND_CHAIN = os.environ.get("DRAND_CHAIN", "quicknet")
    DRAND_LEAD_MINUTES = int(os.environ.get("DRAND_LEAD_MINUTES", "5"))
    DRAND_URLS = os.environ.get("DRAND_URLS", "https://api.drand.sh,https://drand.cloudflare.com")
    LOTTERY_SOURCE = os.environ.get("LOTTERY_SOURCE", "cwl-3d=中国福利彩票3D")
    # A value from this machine instead of a public one: demo and tests only.
    DRAW_LOCAL_BEACON = os.environ.get("DRAW_LOCAL_BEACON", "") == "1"

    API_TITLE = "随查 suicha API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
            }
        },
        "security": [{"bearer": []}],
    }


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    LOG_SIGNING_KEY_FILE = ""  # never a developer's instance key; tests set one
    DRAND_URLS = ""  # tests never reach the network: rounds are pasted or read from files
