"""The server fixtures (``app`` on SQLite and PostgreSQL, ``client``, ``auth`` …)
are reused as they are: the hardening tests attack the same app the unit tests build."""

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
