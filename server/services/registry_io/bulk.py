"""Bulk inserts for imports of 100,000 rows: SQLite ``executemany``, PostgreSQL ``COPY``.

SQLAlchemy's per-parameter type processing and per-row parameter handling
cost more than the insert itself at this size, so values are converted here,
once per distinct value, and handed to the driver as rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from operator import itemgetter
from typing import Any

import orjson
import sqlalchemy as sa

from ...extensions import db


def json_text(value: Any) -> str:
    """JSON text of a value (dates as ISO text) for a JSON column."""
    return orjson.dumps(value).decode()


def _json_column(values: Sequence[Any]) -> Iterable[str | None]:
    """JSON text, once per object: parsed cells are shared between rows
    (parsing.py parses each distinct cell once), so are their encodings."""
    ids = list(map(id, values))  # the values are alive: their ids are unique
    text = {i: None if v is None else json_text(v)
            for i, v in dict(zip(ids, values, strict=True)).items()}
    return map(text.__getitem__, ids)


def _each_distinct(process: Callable[[Any], Any], values: Sequence[Any]) -> Iterable[Any]:
    """*process* (a type's bind processor) applied once per distinct value."""
    done = {v: None if v is None else process(v) for v in set(values)}
    return map(done.__getitem__, values)


def picker(order: Sequence[int]) -> Callable[[Sequence[Any]], tuple]:
    """``picker(order)(values)``: the values at *order*'s indexes, as a tuple (in C)."""
    if len(order) == 1:
        only = order[0]
        return lambda values: (values[only],)
    return itemgetter(*order)


def bulk_insert(table: sa.Table, columns: dict[str, Sequence[Any]], *,
                json_text: Collection[str] = (), order: Sequence[int] | None = None) -> None:
    """Insert the rows given as columns (``columns[name][i]`` is row i's value),
    in *order* (indexes into the columns) if given.

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
                values = _json_column(columns[name])
        elif sqlite and isinstance(kind, sa.Date | sa.DateTime):
            process = kind.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            if process is not None:
                values = _each_distinct(process, columns[name])
        stored.append(values)
    rows: Iterable[tuple] = zip(*stored, strict=True)
    if order is not None and len(order):
        rows = picker(order)(list(rows))
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
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    insert = f"INSERT INTO {into} VALUES ({', '.join([mark] * len(names))})"
    count = len(columns[names[0]])
    if not sqlite or count <= 10_000:
        conn.exec_driver_sql(insert, list(rows))
        return
    # SQLite's default 2 MB page cache makes ten indexes over 100,000 new
    # rows re-read their pages again and again; 64 MB holds them.
    conn.exec_driver_sql("PRAGMA cache_size=-65536")
    rebuilt = _deferrable_indexes(conn, table.name, count)
    if rebuilt and not conn.connection.driver_connection.in_transaction:
        # pysqlite opens the transaction at the first INSERT, not before DDL:
        # without this the DROPs would be committed at once, alone.
        conn.exec_driver_sql("BEGIN")
    for name, _sql in rebuilt:
        conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
    conn.exec_driver_sql(insert, list(rows))
    for _name, sql in rebuilt:
        conn.exec_driver_sql(sql)


def _deferrable_indexes(conn: sa.Connection, table: str, count: int) -> list[tuple[str, str]]:
    """The plain indexes of a SQLite table to build after *count* new rows rather
    than row by row: only when the table holds fewer rows than arrive (the
    first load of a registry), where one sorted build of each index is about
    twice as fast as 100,000 scattered inserts into it.  Unique constraints
    stay (a duplicate still fails at once); the indexes are dropped and made
    again from their own SQL inside the import's transaction, so a failed
    import rolls them back with everything else and readers never see them
    missing.
    """
    # max(rowid) is one step down the table's b-tree; count(*) would scan it.
    held = conn.exec_driver_sql(f'SELECT max(rowid) FROM "{table}"').scalar() or 0
    if held >= count:
        return []
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)).all()
    return [(name, sql) for name, sql in found]
