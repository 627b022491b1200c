"""Bulk inserts for imports of 100,000 rows: SQLite ``executemany``, PostgreSQL ``COPY``.

SQLAlchemy's per-parameter type processing and per-row parameter handling
cost more than the insert itself at this size, so values are converted here,
once per distinct value, and handed to the driver as rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from ...extensions import db


def _iso(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# The app's JSON serializer (config.py: ensure_ascii=False), able to write dates.
encode_json = json.JSONEncoder(ensure_ascii=False, default=_iso).encode


def _json() -> Callable[[Any], str | None]:
    """JSON text, once per object: parsed cells are shared between rows
    (parsing.py parses each distinct cell once), so are their encodings."""
    seen: dict[int, tuple[Any, str]] = {}

    def convert(value: Any) -> str | None:
        if value is None:
            return None
        hit = seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        text = encode_json(value)
        seen[id(value)] = (value, text)  # holding the value keeps its id unique
        return text
    return convert


def _once(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """*process* (a type's bind processor) applied once per distinct value."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        out = seen.get(value)
        if out is None:
            out = seen[value] = process(value)
        return out
    return convert


def bulk_insert(table: sa.Table, columns: dict[str, Sequence[Any]], *,
                json_text: Collection[str] = ()) -> None:
    """Insert the rows given as columns (``columns[name][i]`` is row i's value).

    JSON columns take Python values, or JSON text for the names in *json_text*
    (audit entries built by ``audit.py``).  On SQLite, dates and times are
    stored as SQLAlchemy's own types store them.
    """
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    names = list(columns)
    stored: list[Iterable[Any]] = []
    for name in names:
        kind = table.c[name].type
        values: Iterable[Any] = columns[name]
        if isinstance(kind, sa.JSON):
            if name not in json_text:
                values = map(_json(), values)
        elif sqlite and isinstance(kind, sa.Date | sa.DateTime):
            process = kind.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            if process is not None:
                values = map(_once(process), values)
        stored.append(values)
    rows = zip(*stored, strict=True)
    quote = conn.dialect.identifier_preparer.quote
    into = f"{quote(table.name)} ({', '.join(quote(n) for n in names)})"
    if conn.dialect.name == "postgresql":
        # COPY: one stream instead of a statement per row; psycopg adapts the
        # values (str, int, bool, date, datetime, None; JSON as its text).
        cursor = conn.connection.driver_connection.cursor()
        with cursor, cursor.copy(f"COPY {into} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if sqlite and len(columns[names[0]]) > 10_000:
        # SQLite's default 2 MB page cache makes ten indexes over 100,000 new
        # rows re-read their pages again and again; 64 MB holds them.
        conn.exec_driver_sql("PRAGMA cache_size=-65536")
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {into} VALUES ({', '.join([mark] * len(names))})",
                         list(rows))
