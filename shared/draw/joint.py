"""一业一查: several tasks that hit one enterprise become one joint visit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _union(lists: list[list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for values in lists:
        for v in values:
            seen.setdefault(v, None)
    return list(seen)


def merge_joint(results: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Merge task results (``{task_no: result}``) into one visit per enterprise.

    Tasks are taken in 任务编号 order, so the merge does not depend on the
    order the caller collected them in.  The joint team is the union of the
    tasks' teams (the first task's team first); its leader is the first
    task's leader, because that task's department hosts the joint record
    (一企一表).  Items and experts are unions in the same order.
    """
    by_uscc: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for task_no in sorted(results):
        for visit in results[task_no]["visits"]:
            by_uscc.setdefault(visit["uscc"], []).append((task_no, visit))
    merged = []
    for uscc in sorted(by_uscc):
        hits = by_uscc[uscc]
        merged.append({
            "uscc": uscc,
            "tasks": [t for t, _ in hits],
            "inspectors": _union([v["inspectors"] for _, v in hits]),
            "leader": hits[0][1]["leader"],
            "experts": _union([v["experts"] for _, v in hits]),
            "items": _union([v["items"] for _, v in hits]),
        })
    return merged
