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

import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, count, islice
from operator import itemgetter, ne, not_
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
_ROW = itemgetter(*_FIELDS)


def _row_get(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["uscc"], *(row.get(k) for k in _FIELDS[1:]))


def _columns(enterprises: Iterable[Mapping[str, Any]], clauses: tuple[Clause, ...]
             ) -> list[list[Any]]:
    """Column lists, in USCC order, of the rows inside the scope.

    Each row is visited once: the filter and the projection to a tuple of
    its fields share one comprehension; the tuples are then sorted by USCC –
    O(n) when the server loads rows ORDER BY uscc – and transposed.  Touching
    a 1M-row registry once per column would cost several times more.
    """
    rows = enterprises if isinstance(enterprises, list) else list(enterprises)
    try:
        tuples = _scope_filter(clauses, _ROW)(rows)
    except KeyError:  # rows from a source that omits empty fields
        tuples = _scope_filter(clauses, _row_get)(rows)
    if not tuples:
        return [[] for _ in _FIELDS]
    tuples.sort(key=itemgetter(0))
    cols = [list(c) for c in zip(*tuples, strict=True)]
    uscc = cols[0]
    if not all(map(ne, uscc, islice(uscc, 1, None))):
        dup = next(a for a, b in zip(uscc, uscc[1:], strict=False) if a == b)
        raise ValueError(f"检查对象名录中统一社会信用代码{dup}重复")
    for j in range(1, 5):
        cols[j] = _text(cols[j])
    # Memory layout for every later pass (hash, JSON, draw, verify): after the
    # sort, consecutive entries point all over the heap, one cache miss each.
    cols[0], cols[1] = _compact(cols[0]), _compact(cols[1])
    for j in (2, 3, 4):  # few distinct values: share one object per value
        cols[j] = list(map(sys.intern, cols[j]))
    if set(map(type, cols[5])) != {bool}:
        cols[5] = list(map(bool, cols[5]))
    return cols


def _compact(col: list[str]) -> list[str]:
    """The same strings, re-created next to each other in memory, in order."""
    try:
        out = "\x00".join(col).split("\x00") if col else col
    except TypeError:  # not all text: check_pool / the hash will say so
        return col
    return out if len(out) == len(col) else col  # a value held NUL: the hash refuses it


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


# One test per clause kind; ``{k}``/``{v}`` are filled with names of closure
# variables only (never with user text), so the generated code is fixed.
_TESTS = {
    EQ: "r.get({k}) in {v}",
    FLAG: "bool(r.get({k})) in {v}",
    ANY: "not {v}.isdisjoint(r.get({k}) or ())",
    CONTAINS: "any(w in (r.get({k}) or '') for w in {v})",
}


def _scope_filter(clauses: tuple[Clause, ...], project: Any = None) -> Any:
    """A function keeping (and optionally projecting) the rows that satisfy
    every clause, in one pass.

    The clauses are fused into a single list comprehension: on a 1M-row
    registry each extra pass over the rows (or a Python call per row and
    clause) costs a few hundred milliseconds of pointer chasing.
    """
    env: dict[str, Any] = {"project": project}
    tests = []
    for j, c in enumerate(clauses):
        env[f"k{j}"] = c.key
        env[f"v{j}"] = set(c.values) if c.kind != CONTAINS else tuple(c.values)
        tests.append(_TESTS[c.kind].format(k=f"k{j}", v=f"v{j}"))
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
    enterprises: Iterable[Mapping[str, Any]],
    task: Mapping[str, Any],
    rules: Mapping[str, Any],
    context: DrawContext | None = None,
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Return ``(eligible, excluded)`` for the task.

    ``eligible`` is the compact column-major pool the snapshot stores
    (``{"columns", "values", "previous_inspectors"}``, sorted by USCC);
    ``excluded`` lists in-scope enterprises that may not be drawn, each with
    its Chinese reason.  Enterprises outside the filter are neither: a 1M-row
    registry would otherwise fill the record with irrelevant reasons.
    """
    ctx = context or DrawContext()
    r = canonical_rules(rules)
    clauses = _clauses(task)
    with gc_paused():
        uscc, names, credit, industry, street, needs_expert, status = _columns(
            enterprises, clauses)
    values = [uscc, names, credit, industry, street, needs_expert]

    reasons: dict[str, tuple[str, str]] = {}
    for i in compress(count(), map(_GONE.__contains__, status)):
        reasons[uscc[i]] = (names[i], _GONE[status[i]])
    if r["exclude_drawn_in_plan"] and ctx.drawn_in_plan:
        drawn = set(ctx.drawn_in_plan)
        for i in compress(count(), map(drawn.__contains__, uscc)):
            reasons.setdefault(uscc[i], (names[i], "本计划前轮已抽取"))
    cap = r["yearly_cap"]
    if cap is not None and ctx.inspections_this_year:
        # Walk the (small) count mapping to find who is capped, not the registry.
        capped = {u: n for u, n in ctx.inspections_this_year.items() if n >= cap}
        for i in compress(count(), map(capped.__contains__, uscc)):
            n = capped[uscc[i]]
            reasons.setdefault(
                uscc[i], (names[i], f"本年度已检查{n}次，达到每户年度上限{cap}次"))
    if reasons:
        keep = list(map(not_, map(reasons.__contains__, uscc)))
        values = [list(compress(col, keep)) for col in values]

    previous: dict[str, list[str]] = {}
    if ctx.previous_inspectors:
        eligible_set = set(values[0])
        previous = {
            u: sorted(set(certs))
            for u, certs in sorted(ctx.previous_inspectors.items())
            if certs and u in eligible_set
        }
    eligible = {"columns": list(POOL_COLUMNS), "values": values, "previous_inspectors": previous}
    excluded = [
        {"uscc": u, "name": name, "reason": why} for u, (name, why) in sorted(reasons.items())
    ]
    return eligible, excluded
