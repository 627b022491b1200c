"""Bulk inserts for imports of 100,000 rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ...extensions import db


def _iso(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _json() -> Callable[[Any], str | None]:
    """JSON text, once per object: parsed cells are shared between rows
    (importer.py parses each distinct cell once), so are their encodings."""
    encode = json.JSONEncoder(ensure_ascii=False, default=_iso).encode
    seen: dict[int, tuple[Any, str]] = {}

    def convert(value: Any) -> str | None:
        if value is None:
            return None
        hit = seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        text = encode(value)
        seen[id(value)] = (value, text)  # holding the value keeps its id unique
        return text
    return convert


def _text_date() -> Callable[[Any], str | None]:
    seen: dict[Any, str] = {}

    def convert(value: Any) -> str | None:
        if value is None:
            return None
        text = seen.get(value)
        if text is None:
            text = seen[value] = (value.isoformat(sep=" ") if isinstance(value, datetime)
                                  else value.isoformat())
        return text
    return convert


def bulk_insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """executemany straight to the driver, values converted once, here.

    SQLAlchemy's per-parameter type processing (JSON dumps, date adapters) and
    per-row parameter handling cost more than the insert itself at 100,000
    rows.  JSON columns may hold dates (audit entries): written as ISO text.
    """
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite and len(rows) > 10_000:
        # SQLite's default 2 MB page cache makes ten indexes over 100,000 new
        # rows re-read their pages again and again; 64 MB holds them.
        conn.exec_driver_sql("PRAGMA cache_size=-65536")
    names = list(rows[0])
    converters: list[Callable[[Any], Any] | None] = []
    for name in names:
        kind = table.c[name].type
        if isinstance(kind, sa.JSON):
            converters.append(_json())
        elif sqlite and isinstance(kind, sa.Date | sa.DateTime):
            converters.append(_text_date())  # the text SQLAlchemy's SQLite types store
        else:
            converters.append(None)
    plain = [i for i, c in enumerate(converters) if c is None]
    if len(plain) == len(names):
        params = [tuple(row[n] for n in names) for row in rows]
    else:
        pairs = list(zip(names, converters, strict=True))
        params = [tuple(row[n] if c is None else c(row[n]) for n, c in pairs) for row in rows]
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    conn.exec_driver_sql(sql, params)
