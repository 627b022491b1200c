"""Eligibility: from registry rows to the draw's pool and its exclusions.

The server loads enterprise rows (mappings with the code-valued keys below)
and calls :func:`build_pool`; everything that decides who may be drawn lives
here, so it is tested once and recorded.

Enterprise row keys: ``uscc``, ``name``, ``industry`` (Industry code),
``street`` (属地), ``affiliation``, ``scale``, ``risk_level``, ``credit_class``,
``blacklisted``, ``major_hazard``, ``special_ops`` (list), ``needs_expert``,
``registries`` (list of sub-registry names), ``status`` (EnterpriseStatus).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress, count, islice
from operator import and_, itemgetter, lt, ne
from typing import Any

from shared.draw.gcpause import gc_paused
from shared.draw.parse import ANY, CONTAINS, EQ, FLAG, Clause, parse_filter
from shared.draw.snapshot import POOL_COLUMNS, canonical_rules, canonical_task
from shared.enums import DrawType, EnterpriseStatus

_GONE = {
    s: f"经营状态为“{m.label}”"
    for m in (EnterpriseStatus.CLOSED, EnterpriseStatus.DEREGISTERED)
    for s in (m.value, m.label)
}


_FIELDS = (*POOL_COLUMNS, "status")


@dataclass(frozen=True)
class PoolRows:
    """Registry rows as tuples, the way a database cursor returns them.

    ``keys`` names each position.  On a 1M-row registry, tuples straight from
    ``fetchall()`` save building half a million dicts; when ``keys`` starts
    with the pool's fields (``uscc``, ``name``, ``credit_class``,
    ``industry``, ``street``, ``needs_expert``, ``status``) followed by the
    carried keys, the rows are used without any projection.
    """

    keys: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    # Dictionary-coded columns: an ``int`` in column ``key`` stands for
    # ``codes[key][int]``; any other value is taken as it is.  A database
    # returns small ints without allocating, where it would create one new
    # string per row and column (and free it again): on 500,000 rows that is
    # most of the cost of reading ``industry``, ``street`` and ``status``.
    codes: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    def decode(self, key: str, column: list[Any]) -> list[Any]:
        table = self.codes.get(key)
        if not table:
            return column
        try:
            return list(map(tuple(table).__getitem__, column))  # every value coded
        except TypeError:  # some came as text: they stand for themselves
            lookup = dict(enumerate(table))
            return list(map(lookup.get, column, column))

    def matching(self, key: str, values: Collection[Any]) -> set[Any]:
        """*values* and the codes that stand for them in column *key*."""
        return set(values) | {i for i, v in enumerate(self.codes.get(key, ())) if v in values}

    def coded_clause(self, clause: Clause) -> Clause:
        """*clause* matching the coded values too (only ``EQ`` may name a coded key)."""
        table = self.codes.get(clause.key)
        if not table:
            return clause
        if clause.kind != EQ:
            raise ValueError(f"column {clause.key} is dictionary-coded; only EQ clauses apply")
        wanted = set(clause.values)
        extra = tuple(i for i, v in enumerate(table) if v in wanted)
        return replace(clause, values=(*clause.values, *extra))


def _row_get(fields: tuple[str, ...]) -> Any:
    return lambda row: tuple(row.get(k) for k in fields)


def _scoped_rows(enterprises: Iterable[Mapping[str, Any]] | PoolRows,
                 clauses: tuple[Clause, ...], carry: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows inside the scope as tuples of the pool's fields then the
    carried ones, sorted by USCC.

    Each row is visited once: the filter (and, for mappings, the projection
    to a tuple) share one comprehension.  Touching a 1M-row registry once per
    column would cost several times more.
    """
    fields = (*_FIELDS, *carry)
    if isinstance(enterprises, PoolRows):
        missing = [k for k in (*fields, *(c.key for c in clauses)) if k not in enterprises.keys]
        if missing:
            raise ValueError(f"registry rows lack {', '.join(dict.fromkeys(missing))}")
        at = {k: i for i, k in reversed(list(enumerate(enterprises.keys)))}
        same = enterprises.keys[:len(fields)] == fields and len(enterprises.keys) == len(fields)
        project = None if same else itemgetter(*(at[k] for k in fields))
        clauses = tuple(map(enterprises.coded_clause, clauses))
        tuples = _scope_filter(clauses, project, at)(enterprises.rows)
    else:
        rows = enterprises if isinstance(enterprises, list) else list(enterprises)
        try:
            tuples = _scope_filter(clauses, itemgetter(*fields))(rows)
        except KeyError:  # rows from a source that omits empty fields
            tuples = _scope_filter(clauses, _row_get(fields))(rows)
    # O(n) when the rows arrive in USCC order (the server reads them in that
    # order: the values are then also created in that order, and every later
    # pass over a column walks memory in sequence).
    tuples.sort(key=itemgetter(0))
    return tuples


def _exclusions(uscc: list[str], status: list[Any], gone: Collection[Any],
                status_of: Any, rules: Mapping[str, Any], ctx: DrawContext) -> dict[int, str]:
    """Pool positions that may not be drawn, each with its Chinese reason."""
    reasons: dict[int, str] = {}
    for i in compress(count(), map(gone.__contains__, status)):
        reasons[i] = _GONE[status_of(i)]
    if rules["exclude_drawn_in_plan"] and ctx.drawn_in_plan:
        drawn = set(ctx.drawn_in_plan)
        for i in compress(count(), map(drawn.__contains__, uscc)):
            reasons.setdefault(i, "本计划前轮已抽取")
    cap = rules["yearly_cap"]
    if cap is not None and ctx.inspections_this_year:
        # Walk the (small) count mapping to find who is capped, not the registry.
        capped = {u: n for u, n in ctx.inspections_this_year.items() if n >= cap}
        for i in compress(count(), map(capped.__contains__, uscc)):
            reasons.setdefault(i, f"本年度已检查{capped[uscc[i]]}次，达到每户年度上限{cap}次")
    return reasons


@dataclass(frozen=True)
class PoolColumns:
    """Registry columns as lists – ``columns[i]`` holds key ``keys[i]`` of every
    row, rows in any order – the way a columnar read returns them (one string
    per column split apart: no tuple per row at all).  Values as in mappings.
    """

    keys: tuple[str, ...]
    columns: list[list[Any]]


# One per-value test per clause kind, for whole columns.
_COLUMN_TESTS = {
    EQ: lambda v: v.__contains__,
    FLAG: lambda v: lambda x: bool(x) in v,
    ANY: lambda v: lambda x: not v.isdisjoint(x or ()),
    CONTAINS: lambda v: lambda x: any(w in (x or "") for w in v),
}


def _scoped_columns(pool: PoolColumns, clauses: tuple[Clause, ...],
                    carry: tuple[str, ...]) -> list[list[Any]]:
    """The pool's fields then the carried ones, as columns of the rows inside the
    scope, sorted by USCC (checked in one pass; sorted only if they were not)."""
    fields = (*_FIELDS, *carry)
    at = {k: i for i, k in enumerate(pool.keys)}
    missing = [k for k in (*fields, *(c.key for c in clauses)) if k not in at]
    if missing:
        raise ValueError(f"registry columns lack {', '.join(dict.fromkeys(missing))}")
    n = len(pool.columns[at["uscc"]])
    if any(len(col) != n for col in pool.columns):
        raise ValueError("registry columns differ in length")
    keep = None
    for c in clauses:
        values = set(c.values) if c.kind != CONTAINS else tuple(c.values)
        mask = list(map(_COLUMN_TESTS[c.kind](values), pool.columns[at[c.key]]))
        keep = mask if keep is None else list(map(and_, keep, mask))
    cols = [pool.columns[at[k]] for k in fields]
    if keep is not None and not all(keep):
        cols = [list(compress(col, keep)) for col in cols]
    uscc = cols[0]
    if not all(map(lt, uscc, islice(uscc, 1, None))):  # not strictly increasing: sort
        order = sorted(range(len(uscc)), key=uscc.__getitem__)
        cols = [list(map(col.__getitem__, order)) for col in cols]
    return cols


def _column(tuples: list[tuple[Any, ...]], j: int) -> list[Any]:
    return list(map(itemgetter(j), tuples))


def _unique(uscc: list[str]) -> None:
    if not all(map(ne, uscc, islice(uscc, 1, None))):
        dup = next(a for a, b in zip(uscc, uscc[1:], strict=False) if a == b)
        raise ValueError(f"检查对象名录中统一社会信用代码{dup}重复")


def _text(col: list[Any]) -> list[str]:
    """Plain ``str`` values: NULLs become "", enum members their code."""
    if col and set(map(type, col)) != {str}:
        return [str(v) if v is not None else "" for v in col]
    return col


@dataclass(frozen=True)
class DrawContext:
    """Facts about the plan and the year that exclusions and recusals need."""

    # USCCs drawn in an earlier round of the same plan (长子: 不再列为下一轮对象).
    drawn_in_plan: Collection[str] = frozenset()
    # Inspections of each enterprise so far this year, for the yearly cap.
    inspections_this_year: Mapping[str, int] = field(default_factory=dict)
    # 执法证号 of the officers at each enterprise's previous inspection.
    previous_inspectors: Mapping[str, Sequence[str]] = field(default_factory=dict)


# One test per clause kind; ``{get}``/``{v}`` are filled with names of closure
# variables and integer positions only (never with user text), so the
# generated code is fixed.
_TESTS = {
    EQ: "{get} in {v}",
    FLAG: "bool({get}) in {v}",
    ANY: "not {v}.isdisjoint({get} or ())",
    CONTAINS: "any(w in ({get} or '') for w in {v})",
}


def _scope_filter(clauses: tuple[Clause, ...], project: Any = None,
                  positions: Mapping[str, int] | None = None) -> Any:
    """A function keeping (and optionally projecting) the rows that satisfy
    every clause, in one pass.  Rows are mappings, or tuples when *positions*
    gives each key's index.

    The clauses are fused into a single list comprehension: on a 1M-row
    registry each extra pass over the rows (or a Python call per row and
    clause) costs a few hundred milliseconds of pointer chasing.
    """
    env: dict[str, Any] = {"project": project}
    tests = []
    for j, c in enumerate(clauses):
        env[f"v{j}"] = set(c.values) if c.kind != CONTAINS else tuple(c.values)
        if positions is None:
            env[f"k{j}"] = c.key
            get = f"r.get(k{j})"
        else:
            get = f"r[{int(positions[c.key])}]"
        tests.append(_TESTS[c.kind].format(get=get, v=f"v{j}"))
    condition = " and ".join(tests) or "True"
    head = "project(r)" if project is not None else "r"
    return eval(f"lambda rows: [{head} for r in rows if {condition}]", env)


def _clauses(task: Mapping[str, Any]) -> tuple[Clause, ...]:
    t = canonical_task(task)
    clauses = parse_filter(t["scope"])
    if t["draw_type"] == DrawType.DIRECTED.value and not clauses:
        raise ValueError("定向抽查必须设定抽查对象范围")
    if t["draw_type"] == DrawType.UNDIRECTED.value and any(
        c.key != "registries" for c in clauses
    ):
        raise ValueError("不定向抽查只能按“所属名录库”限定范围")
    return clauses


def select_scope(
    enterprises: Iterable[Mapping[str, Any]], task: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """The rows inside the task's 抽查对象范围 (before exclusions)."""
    return _scope_filter(_clauses(task))(enterprises)


def build_pool(
    enterprises: Iterable[Mapping[str, Any]] | PoolRows | PoolColumns,
    task: Mapping[str, Any],
    rules: Mapping[str, Any],
    context: DrawContext | None = None,
    *,
    carry: Sequence[str] = (),
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Return ``(eligible, excluded)`` for the task.

    ``eligible`` is the compact column-major pool the snapshot stores
    (``{"columns", "values", "previous_inspectors"}``, sorted by USCC);
    ``excluded`` lists in-scope enterprises that may not be drawn, each with
    its Chinese reason.  Enterprises outside the filter are neither: a 1M-row
    registry would otherwise fill the record with irrelevant reasons.

    *carry* names row keys (e.g. the database id) to bring along, aligned
    with the pool, as ``eligible["carried"][key]``; they are not part of the
    snapshot.
    """
    ctx = context or DrawContext()
    r = canonical_rules(rules)
    clauses = _clauses(task)
    carry = tuple(carry)
    with gc_paused():
        if isinstance(enterprises, PoolColumns):
            cols = _scoped_columns(enterprises, clauses, carry)
            uscc = cols[0]
            status, gone = cols[_FIELDS.index("status")], _GONE
            name_of, status_of = cols[1].__getitem__, status.__getitem__
        else:
            # Exclusions are found on two columns and applied to the rows once,
            # before the other columns are taken.
            tuples = _scoped_rows(enterprises, clauses, carry)
            uscc = _column(tuples, 0)
            coded = isinstance(enterprises, PoolRows)
            decode = enterprises.decode if coded else lambda _key, column: column
            status = _column(tuples, _FIELDS.index("status"))
            gone = enterprises.matching("status", _GONE) if coded else _GONE
            name_of = lambda i, t=tuples: decode("name", [t[i][1]])[0]  # noqa: E731
            status_of = lambda i, s=status: decode("status", [s[i]])[0]  # noqa: E731
        _unique(uscc)
        reasons = _exclusions(uscc, status, gone, status_of, r, ctx)
        excluded = sorted(({"uscc": uscc[i], "name": _text([name_of(i)])[0], "reason": why}
                           for i, why in reasons.items()), key=itemgetter("uscc"))
        del status
        keep = None
        if reasons:
            keep = [True] * len(uscc)
            for i in reasons:
                keep[i] = False
        if isinstance(enterprises, PoolColumns):
            if keep is not None:  # (status is not needed any more)
                cols = [list(compress(col, keep)) if j != _FIELDS.index("status") else []
                        for j, col in enumerate(cols)]
        else:
            if keep is not None:
                tuples = list(compress(tuples, keep))
                uscc = list(compress(uscc, keep))
            cols = [uscc, *(decode(k, _column(tuples, j)) if k != "status" else []
                            for j, k in enumerate((*_FIELDS, *carry)) if j)]
            del tuples
        values = [cols[0], *(_text(cols[j]) for j in range(1, 5)), cols[5]]
        if set(map(type, values[5])) - {bool}:
            values[5] = list(map(bool, values[5]))
        carried = {k: cols[len(_FIELDS) + j] for j, k in enumerate(carry)}
        del cols

    previous: dict[str, list[str]] = {}
    if ctx.previous_inspectors:
        eligible_set = set(values[0])
        previous = {
            u: sorted(set(certs))
            for u, certs in sorted(ctx.previous_inspectors.items())
            if certs and u in eligible_set
        }
    eligible = {"columns": list(POOL_COLUMNS), "values": values, "previous_inspectors": previous}
    if carry:
        eligible["carried"] = carried
    return eligible, excluded
