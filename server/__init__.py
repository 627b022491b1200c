"""随查 server: registries, plans, draws, sync, dossiers, console, public pages."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

# Chinese validation messages, before any schema (ours, flask-smorest's) is defined.
from shared.schemas import messages as _messages  # noqa: F401, I001

from . import extensions
from .config import Config, TestConfig  # noqa: F401  (re-exported for tests)


def create_app(config: type | dict | None = None) -> Flask:
    if config is None:
        from .production import production_config, production_requested

        if production_requested():  # SUICHA_ENV=production: refuse unsafe settings
            config = production_config()
    instance = Path(Config.EVIDENCE_DIR).parent.resolve()
    app = Flask(__name__, instance_path=str(instance))
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.json.ensure_ascii = False
    from .localtime import check_zone

    check_zone(app.config["BUREAU_TIMEZONE"])
    # <int:…> ids beyond a 32-bit column are simply not found (404), instead of an
    # overflow inside the database driver (500) – found by schemathesis.
    from werkzeug.routing import IntegerConverter

    class _IdConverter(IntegerConverter):
        def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = _IdConverter

    _prepare_sqlite_dir(app.config["SQLALCHEMY_DATABASE_URI"])
    # Resolved once, now: a relative EVIDENCE_DIR must not mean different places
    # to different requests (nothing in the server changes directory, but a
    # library or an operator's shell might have started us elsewhere).
    app.config["EVIDENCE_DIR"] = str(Path(app.config["EVIDENCE_DIR"]).resolve())
    os.makedirs(app.config["EVIDENCE_DIR"], exist_ok=True)

    extensions.db.init_app(app)
    migrations = str(Path(__file__).parent / "migrations")
    extensions.migrate.init_app(app, extensions.db, directory=migrations)
    api = extensions.make_api(app)

    from . import models  # noqa: F401  (register tables with the metadata)
    from .api import register_api
    from .cli import register_cli
    from .errors import register_error_handlers
    from .web import register_web

    register_api(app, api)
    register_error_handlers(app)
    register_web(app)
    register_cli(app)
    from . import auth, security

    auth.init_app(app)  # a device is seen when a write of its is accepted
    security.init_app(app)  # headers, request log, login_failures table
    _enable_sqlite_pragmas(app)
    return app


def _prepare_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


def _enable_sqlite_pragmas(app: Flask) -> None:
    """WAL + foreign keys on every SQLite connection (no effect on PostgreSQL)."""
    from sqlalchemy import event

    with app.app_context():
        engine = extensions.db.engine
        if engine.dialect.name != "sqlite":
            return

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()
