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
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from shared.draw.parse import ANY, CONTAINS, EQ, FLAG, Clause, parse_filter
from shared.draw.snapshot import POOL_COLUMNS, canonical_rules, canonical_task
from shared.enums import DrawType, EnterpriseStatus

_GONE = {
    s: f"经营状态为“{m.label}”"
    for m in (EnterpriseStatus.CLOSED, EnterpriseStatus.DEREGISTERED)
    for s in (m.value, m.label)
}


@dataclass(frozen=True)
class DrawContext:
    """Facts about the plan and the year that exclusions and recusals need."""

    # USCCs drawn in an earlier round of the same plan (长子: 不再列为下一轮对象).
    drawn_in_plan: Collection[str] = frozenset()
    # Inspections of each enterprise so far this year, for the yearly cap.
    inspections_this_year: Mapping[str, int] = field(default_factory=dict)
    # 执法证号 of the officers at each enterprise's previous inspection.
    previous_inspectors: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _keep(rows: list[Mapping[str, Any]], clause: Clause) -> list[Mapping[str, Any]]:
    # One tight comprehension per clause: far cheaper on a 1M-row registry
    # than a generic per-row predicate calling a function per clause.
    key, values = clause.key, set(clause.values)
    if clause.kind == EQ:
        return [r for r in rows if r.get(key) in values]
    if clause.kind == FLAG:
        return [r for r in rows if bool(r.get(key)) in values]
    if clause.kind == ANY:
        return [r for r in rows if not values.isdisjoint(r.get(key) or ())]
    if clause.kind == CONTAINS:
        words = tuple(values)
        return [r for r in rows if any(w in (r.get(key) or "") for w in words)]
    raise AssertionError(clause.kind)


def select_scope(
    enterprises: Iterable[Mapping[str, Any]], task: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """The rows inside the task's 抽查对象范围 (before exclusions)."""
    t = canonical_task(task)
    clauses = parse_filter(t["scope"])
    if t["draw_type"] == DrawType.DIRECTED.value and not clauses:
        raise ValueError("定向抽查必须设定抽查对象范围")
    if t["draw_type"] == DrawType.UNDIRECTED.value and any(
        c.key != "registries" for c in clauses
    ):
        raise ValueError("不定向抽查只能按“所属名录库”限定范围")
    rows = list(enterprises)
    for clause in clauses:
        rows = _keep(rows, clause)
    return rows


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
    rows = select_scope(enterprises, task)

    reasons: dict[str, tuple[str, str]] = {}
    for row in (x for x in rows if x.get("status") in _GONE):
        reasons[row["uscc"]] = (row.get("name") or "", _GONE[row["status"]])
    if r["exclude_drawn_in_plan"] and ctx.drawn_in_plan:
        drawn = set(ctx.drawn_in_plan)
        for row in (x for x in rows if x["uscc"] in drawn):
            reasons.setdefault(row["uscc"], (row.get("name") or "", "本计划前轮已抽取"))
    cap = r["yearly_cap"]
    if cap is not None and ctx.inspections_this_year:
        # Walk the (small) count mapping, not the registry.
        capped = {u: n for u, n in ctx.inspections_this_year.items() if n >= cap}
        if capped:
            for row in (x for x in rows if x["uscc"] in capped):
                n = capped[row["uscc"]]
                reasons.setdefault(
                    row["uscc"],
                    (row.get("name") or "", f"本年度已检查{n}次，达到每户年度上限{cap}次"),
                )
    if reasons:
        rows = [x for x in rows if x["uscc"] not in reasons]
    # Timsort is O(n) when the server already loads rows ORDER BY uscc.
    rows.sort(key=itemgetter("uscc"))

    values = [
        [x["uscc"] for x in rows],
        [x.get("name") or "" for x in rows],
        [x.get("credit_class") or "" for x in rows],
        [x.get("industry") or "" for x in rows],
        [x.get("street") or "" for x in rows],
        [bool(x.get("needs_expert")) for x in rows],
    ]
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
