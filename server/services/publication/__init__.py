"""一公开: propose a result, legal review (法制审核), and what the public may see.

Everything public is built here from explicit whitelists of fields: a column
added to a model later is never published by accident.  Never published:
credit class, phone numbers, inspectors' data beyond name and certificate
number, and an unannounced (暗查) task's drawn list before its visits are done.

Routes, console pages and commands call only these:

* ``propose_result``, ``approve_result``, ``reject_result`` – the review
  (``review``); ``PublicationError`` is what they refuse with.
* ``current_visits``, ``drawn_list_visible`` – whether a 暗查 task's list may be
  seen yet (``visibility``, with ``DONE_VISIT_STATUSES``).
* ``public_items`` and ``ItemNames`` (item names by list version) – ``items``.
* ``public_plans``, ``public_tasks``, ``public_task_by_no`` – ``tasks``.
* ``public_results``, ``public_results_count``, ``public_result_years`` – ``results``.
* ``public_attempts_page``, ``public_draw_file``, ``public_verify_index`` and
  ``public_log_*`` (the transparency log) – ``verify``: checking a draw.
"""

from __future__ import annotations

from .items import ItemNames, public_items
from .results import public_result_years, public_results, public_results_count
from .review import PublicationError, approve_result, propose_result, reject_result
from .tasks import public_plans, public_task_by_no, public_tasks
from .verify import (
    public_attempts_page,
    public_draw_file,
    public_log_consistency,
    public_log_entries,
    public_log_head,
    public_log_proof,
    public_verify_index,
)
from .visibility import DONE_VISIT_STATUSES, current_visits, drawn_list_visible

__all__ = [
    "DONE_VISIT_STATUSES", "ItemNames", "PublicationError", "approve_result", "current_visits",
    "drawn_list_visible", "propose_result", "public_attempts_page", "public_draw_file",
    "public_items", "public_log_consistency", "public_log_entries", "public_log_head",
    "public_log_proof", "public_plans", "public_result_years", "public_results",
    "public_results_count", "public_task_by_no", "public_tasks", "public_verify_index",
    "reject_result",
]
