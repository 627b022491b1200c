"""Drawing a frozen task: the public value, the draw, the record.

Order of events (each committed before the next):

1. ``freeze.freeze_task``: snapshot, feasibility check, seed commitment and
   the promised public value (a future drand round or lottery draw).
2. ``draw_frozen``: once the value is published – fetched, pasted, or read
   from a file – it is verified against the promise, the key is derived
   (``shared.draw.rng.derive_key``: seed, public randomness, snapshot hash)
   and the frozen snapshot is drawn.  The record (format /2, which reveals the
   seed) and its visits are appended in one transaction.  An attempt that
   fails anyway is written down on its freeze (失败, time, reason) and burns
   it; trying again needs a new freeze with a reason.

Records are never updated: a redraw or a manual adjustment (``adjust``)
appends a record with ``parent_id`` and marks the visits it replaces
``current=False``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from shared.draw import (
    BeaconError,
    DrawError,
    attach,
    build_record_v2,
    check_value,
    decode_pool,
    detach,
    load_record,
    record_to_json,
    snapshot_hash,
)
from shared.draw.beacon import LOCAL, SOURCE_LABELS
from shared.draw.engine import run_draw_indexed
from shared.draw.gcpause import gc_paused

from ...extensions import db
from ...models import DrawFreeze, DrawRecord, Task, Visit
from ...models._types import utcnow
from .. import draw_public
from ..accounts import person_name
from ..plans import PlanError, get_task
from . import beacons
from .freeze import (
    DRAWN,
    FAILED,
    PENDING,
    DrawFailed,
    check_window,
    freeze_task,
    latest_record,
    pending_freeze,
    task_for_draw,
    unpack_ids,
)
from .history import attempt_no, earlier_lottery_numbers
from .inputs import expert_names, joint_siblings
from .policy import split_rules
from .pools import load_pool
from .visits import store_visits

KINDS = {"draw": "抽取", "redraw": "重新抽取", "adjustment": "调整"}

__all__ = ["DrawFailed", "draw_frozen", "latest_record", "run_task_draw", "task_for_draw"]


def _fail(freeze: DrawFreeze, now: datetime, why: str) -> DrawFailed:
    """Write the failed attempt down (it is public) and burn its freeze."""
    db.session.rollback()
    freeze = db.session.get(DrawFreeze, freeze.id)
    freeze.status, freeze.outcome_at, freeze.outcome_reason = FAILED, now, why
    db.session.commit()
    return DrawFailed(422, f"抽取失败（已记录并公开，本次冻结作废；须重新冻结并说明理由）：{why}")


def _frozen_snapshot(freeze: DrawFreeze) -> dict[str, Any]:
    head = load_record(freeze.snapshot_head)
    data = load_pool(freeze.snapshot_hash)  # FileNotFoundError when missing
    snap = {**head, "enterprises": {**head["enterprises"], "values": decode_pool(data)}}
    if snapshot_hash(snap, pool_bytes=data) != freeze.snapshot_hash:
        raise ValueError("冻结的对象池文件与快照哈希不符（文件被改动）")
    return snap


def draw_frozen(task_no: str, actor: str, *, beacon: dict[str, Any] | None = None,
                now: datetime | None = None, demo: bool = False) -> DrawRecord:
    """Draw the task's pending freeze with its public value (*beacon*: a drand
    round's JSON, or ``{"numbers": …}`` for a lottery; None fetches the drand
    round).  Raises ``DrawFailed``/``PlanError``.  *demo*: as for ``freeze_task``."""
    with gc_paused():
        rec = _draw(task_no, actor, beacon, now or utcnow(), demo)
    from .. import case_observe

    case_observe.after_draw()  # cases open (and replaced ones cancel) with the draw
    return rec


def _draw(task_no: str, actor: str, given: dict[str, Any] | None, now: datetime,
          demo: bool) -> DrawRecord:
    task = get_task(task_no)
    freeze = pending_freeze(task)
    if freeze is None:
        raise DrawFailed(409, f"任务{task.task_no}没有待抽取的冻结，请先冻结")
    if not demo:
        check_window(task, now)
    promised = dict(freeze.beacon)
    if now < freeze.beacon_due_at:
        raise DrawFailed(409, beacons.not_yet_text(promised, freeze.beacon_due_at))
    value = beacons.value_for(promised, given)
    if promised["source"] == "lottery":
        _check_same_lottery_result(promised, value)
    frozen_at = freeze.frozen_at.isoformat()
    try:
        randomness = check_value(promised, value, frozen_at)
    except BeaconError as exc:
        # No randomness was accepted, so nothing was drawn: the freeze stands.
        # The office reads the plain reason; the log keeps the technical one.
        current_app.logger.warning("draw %s: beacon refused: %s", task.task_no, exc.full)
        hint = ("。请核对粘贴的是否为该轮页面的全部文字：" + beacons.paste_hint(promised)
                if given and promised["source"] == "drand" else "")
        raise DrawFailed(422, f"公共随机数未通过核验，未抽取：{exc.message}{hint}") from None
    parent = latest_record(task)
    seed = bytes.fromhex(freeze.seed_secret)
    try:
        snap = _frozen_snapshot(freeze)
        result, order = run_draw_indexed(snap, seed, pool_hash=freeze.snapshot_hash,
                                         beacon_randomness=randomness)
    except FileNotFoundError:
        raise _fail(freeze, now, "冻结的对象池文件缺失") from None
    except DrawError as exc:
        raise _fail(freeze, now, exc.message) from None
    except ValueError as exc:
        raise _fail(freeze, now, str(exc)) from None
    if not result["visits"]:
        raise _fail(freeze, now, "本次抽取未抽中任何检查对象")
    meta = {"kind": freeze.kind, "actor": actor, "created_at": now.isoformat(),
            "reason": freeze.reason, "parent_record_id": parent.id if parent else None,
            "task_no": task.task_no, "plan_no": task.plan.plan_no, "committed_at": frozen_at,
            "attempt": attempt_no(freeze), "beacon_source": SOURCE_LABELS[promised["source"]]}
    record = build_record_v2(snap, seed, result, snapshot_digest=freeze.snapshot_hash,
                             freeze={"frozen_at": frozen_at, "beacon": promised},
                             beacon=value, meta=meta)
    _rules, _params, joint = split_rules(task.rules)
    siblings = joint_siblings(task, joint)
    pool_ids = unpack_ids(freeze.pool_ids)
    ids = {v["uscc"]: pool_ids[i] for v, i in zip(result["visits"], order, strict=True)}
    rec = DrawRecord(
        task_id=task.id, kind=freeze.kind, parent_id=parent.id if parent else None, actor=actor,
        reason=freeze.reason, created_at=now, seed=record["seed"],
        seed_commitment=record["commitment"], pool_hash=freeze.snapshot_hash,
        algorithm_version=record["algorithm"], pool_size=result["pool_size"],
        record_json=record_to_json(detach(record)).decode("utf-8"), result=result,
        freeze_id=freeze.id)
    try:
        db.session.execute(sa.select(Task.id).where(Task.id == task.id).with_for_update())
        db.session.refresh(freeze)
        if freeze.status != PENDING:
            raise DrawFailed(409, f"任务{task.task_no}的本次冻结刚刚已被使用或作废，本次结果未保存")
        db.session.add(rec)
        db.session.flush()
        if parent is not None:
            db.session.execute(sa.update(Visit).where(
                Visit.task_id == task.id, Visit.current.is_(True)).values(current=False))
        store_visits(rec, task, siblings, result["visits"], _item_version(snap), ids)
        draw_public.publish_draw(task, freeze.id, rec, record)  # public file + log (issue 15)
        freeze.status, freeze.outcome_at, freeze.record_id = DRAWN, now, rec.id
        task.status = "drawn"
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return rec


def _check_same_lottery_result(promised: dict[str, Any], value: dict[str, Any]) -> None:
    """Refuse numbers that contradict what an earlier draw entered for the same
    lottery draw (nothing vouches for a lottery value but its announcement, so
    two different results for one draw would both verify).  Nothing is drawn;
    the freeze stands."""
    earlier = earlier_lottery_numbers(promised)
    if earlier is not None and list(value.get("numbers") or []) != earlier[1]:
        task_no, numbers = earlier
        raise DrawFailed(422, f"{promised.get('name')}第{promised['draw_no']}期的开奖号码已在任务"
                              f"{task_no}的抽取中录入为“{' '.join(numbers)}”，与本次填写的"
                              f"“{' '.join(value.get('numbers') or [])}”不同。同一期只有一个开奖"
                              "结果，请核对彩票官方公告后重新填写；本次未抽取，冻结仍然有效")


def _item_version(snap: dict[str, Any]) -> int | None:
    version = snap["items"]["version"]
    return int(version) if version else None


def run_task_draw(task_no: str, actor: str, *, kind: str = "draw",
                  reason: str | None = None) -> DrawRecord:
    """Freeze and draw at once with a local random value – for the demo data
    and tests only (no route or command reaches it).  Its record says so
    (随机数来源：本地随机数，不具公信力)."""
    freeze_task(task_no, actor, kind=kind, reason=reason, source=LOCAL, demo=True)
    return draw_frozen(task_no, actor, demo=True)


def get_record(record_id: int) -> DrawRecord:
    rec = db.session.get(DrawRecord, record_id)
    if rec is None:
        raise PlanError(404, f"未找到编号为{record_id}的抽取记录")
    return rec


def full_record(rec: DrawRecord) -> dict[str, Any]:
    """The whole record (``shared.draw`` layout), with the pool and result put back."""
    record = load_record(rec.record_json)
    snapshot = record.get("snapshot")
    if isinstance(snapshot, dict) and "values" not in snapshot.get("enterprises", {}):
        try:
            data = load_pool(rec.pool_hash)
        except FileNotFoundError:
            raise PlanError(500, f"抽取记录{rec.id}的对象池文件缺失（对象池哈希{rec.pool_hash}），"
                                 "请从备份恢复") from None
        if snapshot_hash(snapshot, pool_bytes=data) != rec.pool_hash:
            raise PlanError(500, f"抽取记录{rec.id}的对象池文件与对象池哈希不符（文件被改动），"
                                 "请从备份恢复")
        record = attach(record, decode_pool(data), rec.result)
    return record


def export_record(rec: DrawRecord) -> bytes:
    """The record file for ``draw verify``: the whole record with its record id filled in.

    The id is only known after the insert, and records are never updated, so
    it is added here; ``meta`` is outside what the verifier recomputes.
    """
    record = full_record(rec)
    if isinstance(record.get("meta"), dict):
        record["meta"]["record_id"] = rec.id
    if rec.kind == "adjustment" and rec.parent_id is not None:
        # An adjustment is checked against what it amends: its file carries
        # its parent's, down to the draw (shared.draw.adjust).
        record["parent"] = load_record(export_record(get_record(rec.parent_id)))
    return record_to_json(record)


def summary(rec: DrawRecord) -> dict[str, Any]:
    """What ``draw run --json`` prints and the API returns for a record."""
    result = rec.result or {}
    task = rec.task
    visits = result.get("visits", [])
    experts = expert_names({e for v in visits for e in v.get("experts", ())})
    return {
        "task": task.task_no, "record_id": rec.id, "kind": rec.kind, "parent_id": rec.parent_id,
        "actor": rec.actor, "actor_name": person_name(rec.actor), "reason": rec.reason,
        "drawn_at": rec.created_at.isoformat(),
        "committed_at": _committed_at(rec), "commitment": rec.seed_commitment,
        "attempt": draw_public.attempt_no(task.id, rec.freeze_id) if rec.freeze_id else None,
        "beacon": record_meta(rec).get("beacon_source"),
        "seed": rec.seed, "pool_hash": rec.pool_hash, "algorithm": rec.algorithm_version,
        "pool_size": rec.pool_size,
        "excluded": [{"uscc": e["uscc"], "reason": e["reason"]}
                     for e in result.get("excluded", [])],
        "strata": result.get("strata", {}),
        "visits": [{**{k: v[k] for k in ("uscc", "inspectors", "leader", "experts", "items",
                                         "host_department") if k in v},
                    # As the notice prints them: 姓名（单位）.
                    "expert_names": [experts.get(e, e) for e in v.get("experts", ())]}
                   for v in visits],
    }


def record_meta(rec: DrawRecord) -> dict[str, Any]:
    """The record's ``meta`` without parsing a (possibly 40 MB) record.

    Canonical JSON sorts keys, so ``meta`` comes right after the short
    ``algorithm``/``commitment``/``format`` strings.
    """
    text = rec.record_json
    start = text.find('"meta":')
    if start < 0:
        return {}
    meta, _end = json.JSONDecoder().raw_decode(text, start + len('"meta":'))
    return meta


def _committed_at(rec: DrawRecord) -> str | None:
    return record_meta(rec).get("committed_at")
