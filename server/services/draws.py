"""Running a task's draw: commit a seed, build the pool, draw, store the record.

Order of events, each one committed before the next (domain.md §4):

1. ``commit_seed``: a fresh seed is generated and its SHA-256 commitment and
   ``committed_at`` stored on the task – visible through the API before any
   pool exists.  The seed itself stays in ``Task.seed_secret``, shown nowhere.
2. ``run_task_draw``: the pool is read from the registries *after* that
   commit, ``shared.draw`` draws, and the record (which reveals the seed) is
   appended with its visits in one transaction.  An impossible draw raises
   ``DrawFailed`` and stores nothing.

Records are never updated: a redraw or a manual adjustment (``draws_adjust``)
appends a record with ``parent_id`` and marks the visits it replaces
``current=False``.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from shared.draw import (
    DrawError,
    attach,
    build_pool,
    build_record,
    build_snapshot,
    commitment,
    decode_pool,
    detach,
    encode_pool,
    load_record,
    new_seed,
    record_to_json,
    snapshot_hash,
)
from shared.draw.engine import run_draw_indexed
from shared.draw.gcpause import gc_paused
from shared.draw.snapshot import canonical_json

from ..extensions import db
from ..models import DrawPool, DrawRecord, Task, Visit
from ..models._types import utcnow
from .draw_pools import PoolWriter, load_pool
from .draws_inputs import (
    joint_siblings,
    load_context,
    load_experts,
    load_inspectors,
    load_items,
    load_pool_rows,
)
from .draws_rules import split_rules
from .draws_visits import store_visits
from .plans import PUBLISHED, PlanError, get_task

KINDS = {"draw": "抽取", "redraw": "重新抽取", "adjustment": "调整"}


class DrawFailed(PlanError):
    """A draw that was refused or impossible; nothing was stored."""


def latest_record(task: Task) -> DrawRecord | None:
    return db.session.execute(
        sa.select(DrawRecord).where(DrawRecord.task_id == task.id)
        .order_by(DrawRecord.id.desc()).limit(1)).scalar_one_or_none()


def has_pending_commitment(task: Task) -> bool:
    """A commitment no record has used yet (so its seed is still secret)."""
    if not task.seed_commitment:
        return False
    used = db.session.scalar(sa.select(sa.func.count()).select_from(DrawRecord).where(
        DrawRecord.task_id == task.id, DrawRecord.seed_commitment == task.seed_commitment))
    return used == 0


def commit_seed(task: Task) -> Task:
    """Fix the seed for the task's next draw (idempotent while unused) and commit."""
    if not has_pending_commitment(task):
        seed = new_seed()
        task.seed_secret = seed.hex()
        task.seed_commitment = commitment(seed)
        task.committed_at = utcnow()
    db.session.commit()
    return task


def task_for_draw(task: Task, siblings: list[Task]) -> dict[str, Any]:
    _rules, params, _joint = split_rules(task.rules)
    return {"task_no": task.task_no, "plan_no": task.plan.plan_no, "draw_type": task.draw_type,
            "scope": task.target_filter or "", "ratio": task.ratio,
            "window_start": task.window_start, "window_end": task.window_end,
            "team_size": task.team_size, "joint_tasks": [t.task_no for t in siblings], **params}


def _check_may_draw(task: Task, kind: str, reason: str | None) -> DrawRecord | None:
    if kind not in ("draw", "redraw"):
        raise DrawFailed(422, "抽取类型应为draw（抽取）或redraw（重新抽取）")
    if task.plan.status != PUBLISHED:
        raise DrawFailed(409, f"计划{task.plan.plan_no}尚未发布（或变更后未重新发布），不能抽取")
    parent = latest_record(task)
    if kind == "draw" and parent is not None:
        raise DrawFailed(409, f"任务{task.task_no}已抽取（记录{parent.id}），"
                              "如需重新抽取请使用重抽并说明理由")
    if kind == "redraw":
        if parent is None:
            raise DrawFailed(409, f"任务{task.task_no}尚未抽取，不能重抽")
        if not (reason or "").strip():
            raise DrawFailed(422, "重新抽取必须说明理由")
        merged = db.session.scalar(sa.select(sa.func.count()).select_from(Visit).where(
            Visit.task_id == task.id, Visit.current.is_(True),
            sa.func.length(sa.cast(Visit.joint_task_nos, sa.String)) > 2))
        if merged:
            raise DrawFailed(409, f"任务{task.task_no}的检查对象已与联合任务合并为联合检查，"
                                  "不能单独重抽；请对具体检查对象进行调整")
    return parent


def run_task_draw(task_no: str, actor: str, *, kind: str = "draw",
                  reason: str | None = None) -> DrawRecord:
    """Draw (or redraw) *task_no*; returns the stored record.  Raises ``DrawFailed``."""
    # A large draw allocates millions of objects and no reference cycles: the
    # collector's full passes over the live pool would find nothing.
    with gc_paused():
        rec = _run_task_draw(task_no, actor, kind, reason)
    from . import case_observe

    case_observe.after_draw()  # cases open (and replaced ones cancel) with the draw
    return rec


def _run_task_draw(task_no: str, actor: str, kind: str, reason: str | None) -> DrawRecord:
    task = get_task(task_no)
    parent = _check_may_draw(task, kind, reason)
    # The commitment is stored and committed before a single registry row is read.
    commit_seed(task)
    committed_at = task.committed_at

    rules, _params, joint = split_rules(task.rules)
    siblings = joint_siblings(task, joint)
    shared_task = task_for_draw(task, siblings)
    items, item_version = load_items()
    try:
        rows = load_pool_rows(task.target_filter)
        eligible, excluded = build_pool(rows, shared_task, rules,
                                        load_context(task, siblings, rules), carry=("id",))
        del rows
        enterprise_ids = eligible.pop("carried")["id"]
        snapshot = build_snapshot(shared_task, rules, eligible, excluded, load_inspectors(),
                                  load_experts(), items,
                                  str(item_version) if item_version is not None else "")
        # The pool is encoded once: the same bytes are hashed and stored.
        pool_bytes = encode_pool(snapshot["enterprises"])
        pool_hash = snapshot_hash(snapshot, pool_bytes=pool_bytes)
        writer = None
        if db.session.get(DrawPool, pool_hash) is None:  # a redraw may share its pool
            writer = PoolWriter(pool_hash, pool_bytes)  # written while the draw runs
        seed = bytes.fromhex(task.seed_secret)
        result, order = run_draw_indexed(snapshot, seed, pool_hash=pool_hash)
        now = utcnow()
        record = build_record(snapshot, seed, result, pool_hash=pool_hash, meta={
            "kind": kind, "actor": actor, "created_at": now.isoformat(),
            "reason": (reason or "").strip() or None,
            "parent_record_id": parent.id if parent else None,
            "task_no": task.task_no, "plan_no": task.plan.plan_no,
            "committed_at": committed_at.isoformat(),
        })
    except DrawError as exc:
        db.session.rollback()
        raise DrawFailed(422, f"抽取失败，未保存任何结果：{exc.message}") from None
    except ValueError as exc:
        db.session.rollback()
        raise DrawFailed(422, f"抽取失败，未保存任何结果：{exc}") from None

    visits = result["visits"]
    ids = {v["uscc"]: enterprise_ids[i] for v, i in zip(visits, order, strict=True)}
    rec = DrawRecord(
        task_id=task.id, kind=kind, parent_id=parent.id if parent else None, actor=actor,
        reason=(reason or "").strip() or None, created_at=now, seed=record["seed"],
        seed_commitment=record["commitment"], pool_hash=pool_hash,
        algorithm_version=record["algorithm"], pool_size=result["pool_size"],
        record_json=canonical_json(detach(record)), result=result)
    try:
        # Two draws of one task racing: the row lock (PostgreSQL) or the single
        # writer (SQLite) lets one through; the other sees a newer record and stops.
        db.session.execute(sa.select(Task.id).where(Task.id == task.id).with_for_update())
        latest = latest_record(task)
        if (latest.id if latest else None) != (parent.id if parent else None):
            raise DrawFailed(409, f"任务{task.task_no}刚刚已由他人抽取（记录{latest.id}），"
                                  "本次结果未保存")
        if writer is not None:
            writer.wait()  # the file is durable before the row that names it commits
            db.session.add(DrawPool(pool_hash=pool_hash, size=result["pool_size"],
                                    bytes=len(pool_bytes), created_at=now))
        db.session.add(rec)
        db.session.flush()
        if parent is not None:
            db.session.execute(sa.update(Visit).where(
                Visit.task_id == task.id, Visit.current.is_(True)).values(current=False))
        store_visits(rec, task, siblings, visits, item_version, ids)
        task.status = "drawn"
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return rec


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
    return record_to_json(record)


def summary(rec: DrawRecord) -> dict[str, Any]:
    """What ``draw run --json`` prints and the API returns for a record."""
    result = rec.result or {}
    task = rec.task
    return {
        "task": task.task_no, "record_id": rec.id, "kind": rec.kind, "parent_id": rec.parent_id,
        "actor": rec.actor, "reason": rec.reason, "drawn_at": rec.created_at.isoformat(),
        "committed_at": _committed_at(rec), "commitment": rec.seed_commitment,
        "seed": rec.seed, "pool_hash": rec.pool_hash, "algorithm": rec.algorithm_version,
        "pool_size": rec.pool_size,
        "excluded": [{"uscc": e["uscc"], "reason": e["reason"]}
                     for e in result.get("excluded", [])],
        "strata": result.get("strata", {}),
        "visits": [{k: v[k] for k in ("uscc", "inspectors", "leader", "experts", "items")}
                   for v in result.get("visits", [])],
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
