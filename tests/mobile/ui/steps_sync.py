"""Driven steps around sync (see ``scenarios.py`` for how steps run): sync now,
a refused record retried, and what the app holds for a visit's record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.mobile.ui.driver import Driver


def _sync_now(d: Driver) -> Iterator[Any]:
    """The 同步 button on the top bar, then 立即同步; waits for the run to end."""
    yield from d.press(d.top_button("同步"))
    yield d.on("sync")
    runner = d.app.sync_runner
    runs = runner.runs
    yield from d.press(d.ids().sync_button)
    yield lambda: runner.runs > runs
    yield 0.3


def _outbox(d: Driver) -> dict[str, str]:
    return {e.record_uuid: e.state for e in d.app.outbox.entries()}


def sync(d: Driver) -> Iterator[Any]:
    """Sync now, and what the sync screen and the outbox say afterwards."""
    yield from _sync_now(d)
    runner = d.app.sync_runner
    d.result["sync_message"] = runner.message
    d.result["sync_failed"] = runner.failed
    d.result["outbox"] = _outbox(d)
    d.result["unsynced"] = [d.app.unsynced_records, d.app.unsynced_files]
    d.collect_labels("sync-failed" if runner.failed else "sync")
    d.shot(d.args.get("sync_shot", "sync"))


def retry_rejected(d: Driver) -> Iterator[Any]:
    """Sync; the server refuses the record: its reason is shown; 重试 sends it again."""
    yield from _sync_now(d)
    runner = d.app.sync_runner
    rows = [v for v in d.ids().outbox_list.layout_manager.children if v.can_retry]
    d.result["rejected_rows"] = [{"state": v.state, "reason": v.reason} for v in rows]
    d.collect_labels("sync-rejected")
    d.shot("sync-rejected")
    runs = runner.runs
    yield from d.press(rows[0].children[0])  # the row's 重试 button
    yield lambda: runner.runs > runs
    d.result["outbox"] = _outbox(d)


def record_state(d: Driver) -> Iterator[Any]:
    """What the app shows for the visit's record right now (after a restart)."""
    yield 0
    insp = d.app.inspections
    visit = d.args.get("visit_id") or d.ids("tasks").rv.data[0]["visit_id"]
    uuid = insp.record_for_visit(visit)
    rec = insp.view(uuid)
    d.result["record_uuid"] = uuid
    d.result["results"] = {i["code"]: i["result"] for i in rec["items"]}
    d.result["notes"] = {i["code"]: i["note"] for i in rec["items"]}
    d.result["attachments"] = len(rec["attachments"])
    d.result["state"] = rec["state"]


STEPS = {f.__name__: f for f in (sync, retry_rejected, record_state)}
