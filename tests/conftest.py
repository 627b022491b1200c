"""Session-wide fixtures: the PostgreSQL server (started once, only if needed)."""

from __future__ import annotations

import os

import pytest

from tests.pgserver import PostgresServer


def backends() -> list[str]:
    return [b.strip() for b in os.environ.get("SUICHA_TEST_BACKENDS",
                                               "sqlite,postgresql").split(",") if b.strip()]


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer().start()
    yield server
    server.stop()
