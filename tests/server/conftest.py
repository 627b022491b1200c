"""Server fixtures: every test gets its own database, on SQLite and on PostgreSQL.

`app` is parametrised over the backends in SUICHA_TEST_BACKENDS (default both),
so the whole server suite runs against a real SQLite file and a real PostgreSQL
server.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

import psycopg
import pytest
import sqlalchemy as sa
from flask import g

from server import TestConfig, create_app
from server.extensions import db
from shared.enums import Role
from tests.conftest import backends
from tests.server import factories

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database with the schema created once; each test clones it (fast)."""
    name = "suicha_template"
    app = create_app(_config(pg_server.url(name), "/tmp/suicha-pg-template-evidence", create=True,
                             admin_url=pg_server.url()))
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return name


def _config(url: str, evidence: str, *, create: bool = False, admin_url: str | None = None):
    if create and admin_url:
        with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
            dbname = url.rsplit("/", 1)[1]
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
    return {**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": url, "EVIDENCE_DIR": evidence}


@pytest.fixture(params=backends())
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(backend, tmp_path, request):
    evidence = str(tmp_path / "evidence")
    if backend == "sqlite":
        config = _config(f"sqlite:///{tmp_path / 'test.db'}", evidence)
        application = create_app(config)
        with application.app_context():
            db.create_all()
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        return
    pg_server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("pg_template")
    name = f"t_{next(_counter)}_{uuid.uuid4().hex[:8]}"
    admin = pg_server.url().replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    application = create_app(_config(pg_server.url(name), evidence))
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_caller(app):
    """For tests that keep an app context open across requests: Flask then reuses
    ``g``, so forget the previous request's caller before each request."""

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(app) -> Callable[[Role | str], dict[str, str]]:
    """auth(role) → Authorization headers of a fresh user with that role."""

    def headers(role: Role | str, **kwargs) -> dict[str, str]:
        with app.app_context():
            token = factories.make_token(Role(role), **kwargs)
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def count_rows(app) -> Callable[[type], int]:
    def count(model) -> int:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return count
