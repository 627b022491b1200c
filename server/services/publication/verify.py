"""What the public needs to check a draw: every attempt (freeze) with its
promised public value, the published draw files, and the transparency log."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...localtime import local_iso
from ...models import Task
from .. import draw_public, transparency
from ..deadlines import bureau_today
from ..draw import history as draw_history
from .visibility import published_task, task_list_public, task_public

SECRET_REASON = "暗查任务，原因在检查完成后公开"


def public_attempts(task: Task, visible: bool) -> list[dict[str, Any]]:
    """Every freeze (attempt) of the task, public at once: time, snapshot hash,
    commitment, the promised public value, outcome.  A 暗查 task's failure
    reason may name an enterprise, so it waits until the list is public."""
    out = []
    for n, f in enumerate(draw_history.freezes(task), 1):
        row = draw_history.freeze_summary(f, n)
        keep = {k: row[k] for k in ("attempt", "kind", "reason", "frozen_at", "snapshot_hash",
                                    "commitment", "pool_size", "beacon", "beacon_due_at",
                                    "status_label", "outcome_at", "record_id")}
        if draw_public.credit_scope(task.target_filter):
            keep["pool_size"] = None  # that class's count in scope
        keep["outcome_reason"] = row["outcome_reason"] if visible or not row["outcome_reason"] \
            else SECRET_REASON
        # Every time with its offset, in the bureau's zone (stored in UTC).
        keep["frozen_at"] = local_iso(f.frozen_at)
        keep["beacon_due_at"] = local_iso(f.beacon_due_at)
        keep["outcome_at"] = local_iso(f.outcome_at)
        if keep["beacon"].get("draw_time"):  # a lottery promise: the draw's time
            keep["beacon"] = {**keep["beacon"],
                              "draw_time": local_iso(keep["beacon"]["draw_time"])}
        keep["beacon_label"] = _beacon_label(f.beacon)
        out.append(keep)
    return out


def _beacon_label(promise: dict[str, Any]) -> str:
    source = promise.get("source")
    if source == "drand":
        chain = str(promise.get("chain"))[:12]
        return f"公共随机信标 第{promise.get('round')}轮（链 {chain}…）"
    if source == "lottery":
        return f"{promise.get('name') or promise.get('id')} 第{promise.get('draw_no')}期开奖号码"
    return "本地随机数（仅用于演示和测试，不具公信力）"


def public_attempts_page(task_no: str, visible: bool) -> dict[str, Any]:
    """The attempts table of the public task page.  A failure reason names the
    enterprise the rule failed on: for a 暗查 task that is a target, so it
    waits until the list is public."""
    out = draw_history.public_attempts(task_no)
    if not visible:
        for a in out["attempts"]:
            if a.get("outcome_reason") and a.get("status") == "failed":
                a["outcome_reason"] = SECRET_REASON
    return out


def public_draw_file(sha256: str, today: date | None = None) -> bytes | None:
    """A published draw file's bytes, if the public may read it now."""
    row = draw_public.file_by_hash(sha256)
    if row is None or row.task.is_reinspection or not task_public(row.task):
        return None
    if not draw_public.may_serve(row, task_list_public(row.task, today or bureau_today())):
        return None
    return draw_public.read_file(sha256)


def public_verify_index(task_no: str, today: date | None = None) -> dict[str, Any] | None:
    """The task's published values and its files, for the in-browser check."""
    task = published_task(task_no)
    if task is None:
        return None
    visible = task_list_public(task, today or bureau_today())
    attempts = {a["attempt"]: a for a in public_attempts(task, visible)}
    numbers = {f.id: n for n, f in enumerate(draw_history.freezes(task), 1)}
    internal = draw_public.credit_scope(task.target_filter)
    files = []
    for row in draw_public.task_files(task):
        number = numbers.get(row.freeze_id)
        withheld = row.kind in draw_public.WITHHELD_KINDS and internal
        entry = {"kind": row.kind, "attempt": number, "record_id": row.record_id,
                 "sha256": row.sha256, "size": None if withheld else row.size,
                 "leaf_index": row.leaf_index,
                 "entry": row.entry_json,
                 "url": f"/public/files/{row.sha256}.json"
                 if draw_public.may_serve(row, visible) else None}
        freeze = attempts.get(number)
        if freeze is not None:  # what the page published at the freeze, to compare
            entry["published"] = {"task_no": task.task_no, "commitment": freeze["commitment"],
                                  "snapshot_hash": freeze["snapshot_hash"]}
        files.append(entry)
    return {"task_no": task.task_no, "unannounced": task.unannounced,
            "drawn_list_public": visible,
            # Why this task's pool and draw files have no URL (the page says it).
            "internal_scope": internal, "attempts": list(attempts.values()),
            "files": files, "log": public_log_head()}


def public_log_head() -> dict[str, Any]:
    return {"head": transparency.latest_head(), "key": transparency.public_key()}


def public_log_entries() -> list[str]:
    return transparency.entries()


def public_log_consistency(first: int, second: int) -> dict[str, Any] | None:
    try:
        return transparency.consistency(first, second)
    except ValueError:
        return None


def public_log_proof(leaf_index: int, tree_size: int) -> dict[str, Any] | None:
    try:
        return transparency.proof(leaf_index, tree_size)
    except ValueError:
        return None
