"""The draw ceremony, server side: one public entry per use case.

Routes, console pages and commands call only these:

* ``freeze_task`` – 冻结 (snapshot, feasibility check, commitment, promised
  public value); ``FreezeRefused`` lists every infeasible enterprise.
* ``check_task`` – the same check without freezing (the console's preview).
* ``draw_frozen`` – draw the pending freeze once its public value exists.
* ``attempts`` – every attempt at a task's draw, failed and replaced ones too
  (``public_attempts``: the same for the public task page).
* ``freeze_summary``, ``pending_freeze``, ``pool_preview``, ``clock`` – what
  the console and commands show of a freeze; ``parse_beacon`` (a pasted
  round), ``local_text`` (a stored UTC time in the bureau's zone).
* ``adjust`` – 调整 of one visit, appended as a record.
* ``set_rules``, ``effective_rules``, ``check_rules``, ``composition`` – a
  task's draw rules (``composition(longgang)``: the 龙岗 switch).
* ``specialty_map``, ``set_specialty`` – how experts' 专业 is read.
* ``parse_hosts``, ``format_hosts`` – 主办科室 by industry as the plan
  spreadsheet and the console write it.
* ``get_record``, ``full_record``, ``export_record``, ``summary``,
  ``stored_visits`` – reading records.
* ``run_task_draw`` – freeze and draw at once with a local value: demo data
  and tests only.

Modules: ``registry`` (the pool read), ``inputs`` (officers, experts, items,
earlier draws), ``policy`` (rules and their defaults), ``freeze``,
``history`` (every attempt as read), ``beacons`` (the public value), ``run``
(the draw and its record),
``visits``, ``adjustments``, ``pools`` (pool files).
"""

from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use: ``services.plans`` reads ``.policy`` while the modules
# of the draw itself import ``services.plans``.
_ENTRIES = {
    "adjust": "adjustments",
    "FreezeRefused": "freeze", "attempts": "history", "attempt_no": "history",
    "check_task": "freeze",
    "public_attempts": "history", "freeze_summary": "history", "pending_freeze": "freeze",
    "pool_preview": "freeze", "clock": "freeze",
    "parse_beacon": "beacons", "local_text": "beacons", "composition": "policy",
    "person_name": "run",
    "freeze_task": "freeze", "specialty_map": "freeze",
    "check_rules": "policy", "effective_rules": "policy", "set_rules": "policy",
    "set_specialty": "policy",
    "DrawFailed": "run", "draw_frozen": "run", "export_record": "run", "full_record": "run",
    "get_record": "run", "latest_record": "run", "record_meta": "run",
    "run_task_draw": "run", "summary": "run",
    "stored_visits": "visits",
    "format_hosts": "sheet_rules", "parse_hosts": "sheet_rules",
}
__all__ = sorted(_ENTRIES)


def __getattr__(name: str) -> Any:
    if name not in _ENTRIES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_ENTRIES[name]}", __name__), name)
