"""Every attempt at a task's draw, as staff and the public read them.

Freezes are never deleted: each is an attempt (第N次), drawn, failed or
replaced; the console, the public task page, the CLI and the public log all
number and describe them from here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from shared.enums import DrawAttemptStatus

from ...extensions import db
from ...models import DrawFreeze, DrawRecord, Task
from .. import draw_public
from ..accounts import person_name
from ..plans import get_task
from . import beacons
from .freeze import DRAWN, FAILED


def freezes(task: Task) -> list[DrawFreeze]:
    return list(db.session.execute(sa.select(DrawFreeze).where(DrawFreeze.task_id == task.id)
                                   .order_by(DrawFreeze.id)).scalars())


def attempt_no(f: DrawFreeze) -> int:
    """The freeze's attempt number within its task (1, 2, …)."""
    return draw_public.attempt_no(f.task_id, f.id)


def freeze_summary(f: DrawFreeze, number: int | None = None) -> dict[str, Any]:
    """Everything public about one freeze/attempt (the seed only once drawn).
    *number*: its attempt number within the task (第N次), when the caller has
    counted it already; ``attempt`` and ``seq`` both carry it (pages, files and
    log entries name the attempt by it, never by the database id)."""
    status = DrawAttemptStatus(f.status)
    seq = number or attempt_no(f)
    return {
        "attempt": seq, "seq": seq, "task": f.task.task_no, "kind": f.kind,
        "reason": f.reason,
        "actor": f.actor, "actor_name": person_name(f.actor), "frozen_at": f.frozen_at.isoformat(),
        "snapshot_hash": f.snapshot_hash, "commitment": f.seed_commitment,
        "pool_size": f.pool_size, "excluded": f.excluded_count,
        "beacon": dict(f.beacon), "beacon_due_at": f.beacon_due_at.isoformat(),
        "status": status.value, "status_label": status.label,
        "outcome_at": f.outcome_at.isoformat() if f.outcome_at else None,
        "outcome_reason": f.outcome_reason, "record_id": f.record_id,
        "numbers": drawn_numbers(f),
    }


def drawn_numbers(f: DrawFreeze) -> list[str] | None:
    """The lottery numbers a drawn attempt used, as its record holds them: shown
    beside the draw so anyone can hold them against the lottery's own
    announcement (the only check a lottery value has).  None for drand rounds
    (their signature is the check) and for attempts not drawn."""
    if f.record_id is None or (f.beacon or {}).get("source") != "lottery":
        return None
    text = db.session.scalar(sa.select(DrawRecord.record_json).where(
        DrawRecord.id == f.record_id)) or ""
    # Canonical JSON sorts keys: the record's own "beacon" comes before "freeze",
    # whose promise has one too, so the first is the value used.
    start = text.find('"beacon":')
    if start < 0:
        return None
    value, _end = json.JSONDecoder().raw_decode(text, start + len('"beacon":'))
    numbers = value.get("numbers") if isinstance(value, dict) else None
    return [str(n) for n in numbers] if isinstance(numbers, list) else None


def attempts(task_no: str) -> dict[str, Any]:
    """Every attempt at the task's draw, failed and replaced ones included."""
    task = get_task(task_no)
    rows = [freeze_summary(f, n) for n, f in enumerate(freezes(task), 1)]
    drawn = [r for r in rows if r["status"] == DRAWN]
    return {"task": task.task_no, "attempts": rows, "draws": len(drawn),
            "redraws": max(0, len(drawn) - 1),
            "failed": sum(r["status"] == FAILED for r in rows)}


def public_attempts(task_no: str) -> dict[str, Any]:
    """:func:`attempts` for the public task page: times in the bureau's time zone,
    the source named in words, no login names."""
    out = attempts(task_no)
    for a in out["attempts"]:
        a.pop("actor")  # a login name; the page names no one anyway
        a.pop("actor_name")
        a["frozen_at_local"] = beacons.local_text(datetime.fromisoformat(a["frozen_at"]))
        a["due_local"] = beacons.local_text(datetime.fromisoformat(a["beacon_due_at"]))
        a["outcome_at_local"] = (beacons.local_text(datetime.fromisoformat(a["outcome_at"]))
                                 if a["outcome_at"] else None)
        a["source_text"] = beacon_text(a["beacon"])
    return out


def beacon_text(promised: dict[str, Any]) -> str:
    """The promised public value in words."""
    if promised.get("source") == "drand":
        return (f"公共随机数（drand 信标）第{promised['round']}轮"
                f"（链 {promised['chain'][:16]}…）")
    if promised.get("source") == "lottery":
        return f"{promised.get('name')}第{promised.get('draw_no')}期开奖号码"
    return "本地随机数（仅用于演示和测试，不具公信力）"


def earlier_lottery_numbers(promised: dict[str, Any]) -> tuple[str, list[str]] | None:
    """The numbers an earlier draw (of any task) used for the same lottery draw,
    with that task's number: one draw has one result, so a later draw naming
    it must enter the same numbers."""
    for f in db.session.scalars(sa.select(DrawFreeze).where(
            DrawFreeze.status == DRAWN, DrawFreeze.record_id.is_not(None))
            .order_by(DrawFreeze.id)):
        beacon = f.beacon or {}
        if (beacon.get("source") == "lottery" and beacon.get("id") == promised.get("id")
                and str(beacon.get("draw_no")) == str(promised.get("draw_no"))):
            numbers = drawn_numbers(f)
            if numbers is not None:
                return f.task.task_no, numbers
    return None

