"""What a draw reads from the database, shaped for ``shared.draw``.

The pool is the hot path (a registry may hold a million rows): one
``SELECT`` of only the columns the pool and the filter need, with the
filter's plain equality/flag clauses pushed into SQL, in USCC order read off
the covering index ``ix_enterprises_draw_pool`` (models/enterprise.py).
``build_pool`` then applies the whole filter again and sorts again (O(n) on
sorted input) – the database only narrows and pre-sorts, the pure code
decides – so SQL and Python can never disagree about who was eligible or in
which order.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from shared.draw import PoolColumns, PoolRows, parse_filter
from shared.draw.gcpause import gc_paused
from shared.draw.parse import EQ, FLAG, Clause
from shared.enums import EnterpriseStatus, Industry

from ...extensions import db
from ...models import Enterprise

E = Enterprise.__table__
# shared pool key → registry column (the registry calls 特殊作业 special_work).
REGISTRY_COLUMN = {"id": "id", "uscc": "uscc", "name": "name", "credit_class": "credit_class",
           "industry": "industry", "street": "street", "needs_expert": "needs_expert",
           "status": "status", "affiliation": "affiliation", "scale": "scale",
           "risk_level": "risk_level", "blacklisted": "blacklisted",
           "major_hazard": "major_hazard", "special_ops": "special_work",
           "registries": "registries"}
# The pool's fields in ``shared.draw`` order, then the carried id: rows in this
# shape go into build_pool without any projection.
_BASE_KEYS = ("uscc", "name", "credit_class", "industry", "street", "needs_expert", "status",
              "id")
_TEXT_KEYS = {"name", "credit_class", "street"}  # NULL is "" in the pool
_JSON_KEYS = {"special_ops", "registries"}


def _pool_column(key: str) -> sa.ColumnElement:
    col = E.c[REGISTRY_COLUMN[key]]
    return sa.func.coalesce(col, "") if key in _TEXT_KEYS else col


_MAX_CODES = 1000  # a 属地 list longer than this is read as text


def _codes(conn: sa.Connection) -> dict[str, tuple[str, ...]]:
    """Value lists for the columns SQLite reads dictionary-coded (``PoolRows.codes``
    and the column read): the enums, the credit classes, the 属地 in use.

    Only on SQLite: PostgreSQL's CASE cannot mix integer and text results.  A
    value missing from a list (a new 属地 saved meanwhile) is still read
    correctly – as text by rows, by giving way to rows in the column read – so
    the lists need not be complete.
    """
    if conn.dialect.name != "sqlite":
        return {}
    codes = {"credit_class": ("", "A", "B", "C", "D"),
             "industry": tuple(m.value for m in Industry),
             "status": tuple(m.value for m in EnterpriseStatus)}
    streets = tuple(conn.execute(sa.select(sa.func.coalesce(E.c.street, "")).distinct()
                                 .limit(_MAX_CODES + 1)).scalars())  # off ix_enterprises_street
    if 0 < len(streets) <= _MAX_CODES:
        codes["street"] = streets
    return codes


def _coded(column: sa.ColumnElement, values: tuple[str, ...]) -> sa.ColumnElement:
    return sa.case({v: i for i, v in enumerate(values)}, value=column, else_=column)


# USCC order: SQLite reads it off the covering index ix_enterprises_draw_pool
# (no table lookups, no sort); PostgreSQL uses that index or sorts in memory.
# build_pool sorts by code point again, which is O(n) when the database's
# collation agreed (it does for USCCs: digits and capitals only).
def pool_query(scope: str | None, codes: dict[str, tuple[str, ...]] | None = None
               ) -> tuple[sa.Select, list[str]]:
    """The narrowed registry ``SELECT`` for a task's 抽查对象范围, and its row keys.

    Columns named in *codes* come back as the index of their value in that
    list (else as text).
    """
    codes = codes or {}
    clauses = parse_filter(scope)
    keys = list(_BASE_KEYS) + [c.key for c in clauses if c.key not in _BASE_KEYS]
    keys = list(dict.fromkeys(keys))
    stmt = sa.select(*[_coded(_pool_column(k), codes[k]) if k in codes else _pool_column(k)
                       for k in keys])
    stmt = stmt.order_by(E.c.uscc)
    return _narrowed(stmt, clauses), keys


def _narrowed(stmt: sa.Select, clauses: tuple[Clause, ...]) -> sa.Select:
    """*stmt* with the filter's plain equality/flag clauses as WHERE."""
    for clause in clauses:
        col = E.c[REGISTRY_COLUMN[clause.key]]
        if clause.kind == EQ:
            stmt = stmt.where(col.in_(list(clause.values)))
        elif clause.kind == FLAG and set(clause.values) == {True}:
            stmt = stmt.where(col.is_(True))
        elif clause.kind == FLAG and set(clause.values) == {False}:
            stmt = stmt.where(sa.or_(col.is_(False), col.is_(None)))
        # ANY (JSON lists) and CONTAINS (names) are left to build_pool.
    return stmt


def _run(conn: sa.Connection, stmt: sa.Select) -> list[tuple[Any, ...]]:
    """*stmt* compiled by SQLAlchemy, run and fetched on the DBAPI cursor."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.driver_connection.cursor()
    try:
        with gc_paused():  # half a million tuples and no cycles: skip the collector's passes
            cursor.execute(str(compiled), params)
            return cursor.fetchall()
    finally:
        cursor.close()


_SEP = "\x1f"  # between text values in a column read; a value holding it is read by rows


def _code(i: int) -> str:
    """The character standing for value *i* of a coded column: printable ASCII
    first (one byte in SQLite's UTF-8, the cheapest to build and decode)."""
    return chr(0x21 + i) if i < 94 else chr(0x100 + i)

_BOOL_KEYS = {"needs_expert", "blacklisted", "major_hazard"}


def _columns_query(clauses: tuple[Clause, ...], keys: list[str],
                   codes: dict[str, tuple[str, ...]], dialect: str = "sqlite") -> sa.Select:
    """One row: count(*), then each column of the scoped pool in USCC order as one string.

    SQLite's ``group_concat`` takes the id as it is (a CAST doubled the cost of
    the read there); PostgreSQL's ``string_agg`` wants text.  PostgreSQL sorts
    the scoped rows (no covering index there) by ``COLLATE "C"``: byte order,
    which in UTF-8 is the code point order ``build_pool`` checks, and a
    cheaper comparison than the database's locale.  Every aggregate reads the
    same sorted rows in the same sequence, so the columns stay aligned; were
    the order ever lost, ``build_pool`` would sort again.
    """
    inner = []
    for k in keys:
        col = E.c[REGISTRY_COLUMN[k]]
        if k in codes:  # one character per row; a value missing from the list gives NULL
            expr = sa.case({v: _code(i) for i, v in enumerate(codes[k])},
                           value=sa.func.coalesce(col, ""))
        elif k in _BOOL_KEYS:
            expr = sa.case((col.is_(True), "1"), else_="0")
        elif col.nullable:
            expr = sa.func.coalesce(col, "")
        elif k == "id" and dialect != "sqlite":
            expr = sa.cast(col, sa.Text)
        else:  # uscc, name, id: NOT NULL; the id is concatenated as its digits
            expr = col
        inner.append(expr.label(k))
    order = E.c.uscc if dialect == "sqlite" else E.c.uscc.collate("C")
    sub = _narrowed(sa.select(*inner), clauses).order_by(order).subquery()
    sep = {k: "" if k in codes or k in _BOOL_KEYS else ("," if k == "id" else _SEP)
           for k in keys}
    concat = sa.func.group_concat if dialect == "sqlite" else sa.func.string_agg
    return sa.select(sa.func.count(), *[concat(sub.c[k], sep[k]) for k in keys])


def _read_columns(conn: sa.Connection, scope: str | None) -> PoolColumns | None:
    """The scoped pool as columns, or None when this read cannot carry it.

    The database concatenates each column of the scoped rows (in USCC order)
    into one string; Python splits them.  No tuple per row and no string per
    row for the coded columns: on the 1M bench this read and split take about
    what a bare ``fetchall()`` of the same rows does on SQLite, and hand over
    finished columns.  On PostgreSQL the columns come as text (coding them in
    a CASE measured no faster): there the read and ``build_pool`` took 1.2 s
    against 1.6 s by rows (bench/draw_pg.py's registry).  Any doubt – a
    separator inside a value, a value missing from a code list (the column
    then comes back short), a JSON-list filter – and the caller reads rows
    instead.
    """
    clauses = parse_filter(scope)
    keys = list(dict.fromkeys([*_BASE_KEYS, *(c.key for c in clauses)]))
    if _JSON_KEYS.intersection(keys):
        return None
    codes = _codes(conn)
    stmt = _columns_query(clauses, keys, codes, conn.dialect.name)
    bound = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True}).params
    if any("\x00" in v for v in bound.values() if isinstance(v, str)):
        return None
    if conn.dialect.name == "sqlite":
        # Values as SQL literals (SQLAlchemy quotes them): SQLite evaluated the CASEs
        # with bound parameters markedly slower (0.75 against 0.45 s on the 1M bench).
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        cursor = conn.connection.driver_connection.cursor()
        try:
            with gc_paused():
                row = cursor.execute(sql).fetchone()
        finally:
            cursor.close()
    else:
        conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")  # sort in memory, not on disk
        row = _run(conn, stmt)[0]
    n, texts = row[0], row[1:]
    if n == 0:
        return PoolColumns(tuple(keys), [[] for _ in keys])
    columns = []
    for k, text in zip(keys, texts, strict=True):
        if text is None:  # every value of a coded column missing from its list
            return None
        if k in codes:
            table = {_code(i): v for i, v in enumerate(codes[k])}
            col = list(map(table.__getitem__, text)) if len(text) == n else None
        elif k in _BOOL_KEYS:
            col = list(map("1".__eq__, text))
        elif k == "id":
            col = list(map(int, text.split(",")))
        else:
            col = text.split(_SEP)
        if col is None or len(col) != n:
            return None
        columns.append(col)
    return PoolColumns(tuple(keys), columns)


def load_pool_rows(scope: str | None) -> PoolRows | PoolColumns:
    """The registry rows in scope, for ``build_pool``: as columns
    (:func:`_read_columns`) when they can be, else as plain tuples straight
    from the driver (:func:`read_rows`).

    Either way the statement is compiled by SQLAlchemy and run on the DBAPI
    cursor: one ``fetchall()`` of tuples is what ``bench/draw_1m.py`` calls
    the floor, while SQLAlchemy's ``Row`` objects and per-value type
    processing (0/1 to bool, JSON text) cost as much again on a million-row
    registry.  The few values that need it are converted here or in
    ``build_pool``.
    """
    conn = db.session.connection()
    if conn.dialect.name in ("sqlite", "postgresql"):
        columns = _read_columns(conn, scope)
        if columns is not None:
            return columns
    return read_rows(conn, scope)


def read_rows(conn: sa.Connection, scope: str | None) -> PoolRows:
    """The registry rows in scope as tuples: the read every database can do."""
    codes = _codes(conn)
    stmt, keys = pool_query(scope, codes)
    if conn.dialect.name == "postgresql":  # sort half a million rows in memory, not on disk
        conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
    rows = _run(conn, stmt)
    for key in _JSON_KEYS.intersection(keys):  # only when the filter reads a JSON list
        j = keys.index(key)
        rows = [(*r[:j], json.loads(r[j]) if isinstance(r[j], str) else r[j], *r[j + 1:])
                for r in rows]
    return PoolRows(tuple(keys), rows, codes)
