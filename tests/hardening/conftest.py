"""The server fixtures (``app`` on SQLite and PostgreSQL, ``client``, ``auth`` …)
are reused as they are: the hardening tests attack the same app the unit tests build."""

import pytest
from flask import g

from tests.hardening.world import World, make_world
from tests.server.conftest import (  # noqa: F401
    app,
    auth,
    backend,
    client,
    count_rows,
    ctx,
    pg_template,
    runner,
)


@pytest.fixture(autouse=True)
def _fresh_caller(app):  # noqa: F811 - the imported fixture
    """Tests here keep an app context open across requests, so Flask reuses ``g``:
    forget the previous request's caller."""
    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def world(app, client) -> World:  # noqa: F811 - the imported fixtures
    return make_world(app, client)
