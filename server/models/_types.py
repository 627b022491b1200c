"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Lists of strings (industries, tags, conflicts). JSON works on SQLite and PostgreSQL.
StrList = sa.JSON
