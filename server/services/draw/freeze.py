"""冻结 (freeze): fix everything a draw reads before any randomness exists.

``freeze_task`` reads the registries once, builds the canonical snapshot and
checks it (``shared.draw.check_feasible``): if any eligible enterprise could
not be given a valid team, leader, experts and items, the freeze is refused
with every such enterprise and the rule it breaks, and nothing is stored.
Otherwise it stores, in one transaction, the pool file, a fresh seed and its
commitment, the snapshot's head and hash, and the public value the draw will
use (a drand round at least ``DRAND_LEAD_MINUTES`` ahead, or a named future
lottery draw).  All of it except the seed is public at once.

Later edits to the registries, the rules or the specialty map do not touch a
frozen draw: the draw reads the freeze, not the registries.  A freeze is used
once – drawn, failed (burnt) or replaced (作废, with a reason); a new attempt
or a redraw needs a new freeze, with a new seed and a new future value.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from shared.draw import (
    build_pool,
    build_snapshot,
    check_feasible,
    encode_pool,
    new_seed,
    snapshot_hash,
)
from shared.draw import commitment as commit_of
from shared.draw.gcpause import gc_paused
from shared.draw.items import industry_label
from shared.draw.snapshot import POOL_COLUMNS, canonical_json
from shared.enums import DrawAttemptStatus

from ...extensions import db
from ...models import DrawFreeze, DrawPool, DrawRecord, SpecialtyMapping, Task, Visit
from ...models._types import utcnow
from .. import draw_public
from ..plans import PUBLISHED, PlanError, get_task
from . import beacons
from .inputs import (
    joint_siblings,
    load_context,
    load_experts,
    load_inspectors,
    load_items,
    undrawn_rounds,
)
from .policy import DEFAULT_SPECIALTY_MAP, split_rules
from .pools import PoolWriter
from .registry import load_pool_rows

PENDING, DRAWN, FAILED, VOID = (s.value for s in DrawAttemptStatus)


class DrawFailed(PlanError):
    """A draw (or its freeze) that was refused or impossible."""


class FreezeRefused(DrawFailed):
    """The freeze check found enterprises the draw could not staff; nothing stored."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        lines = [p["message"] for p in problems[:20]]
        more = f"\n……另有{len(problems) - 20}处" if len(problems) > 20 else ""
        if any(p.get("rule") == "专家库" for p in problems):  # usually a 专业 read as nothing
            more += ("\n专家的专业按“专家专业对照表”对应到行业：如专家库中的专业写法不在表中，"
                     "请在专家专业对照表中补充后再冻结")
        super().__init__(422, f"冻结被拒绝：共{len(problems)}处不满足抽取规则，请先修正名录库或规则"
                              "后再冻结：\n" + "\n".join(lines) + more)
        self.problems = problems
        self.errors = {"problems": problems}  # the one error handler lists them


def pack_ids(ids: list[int]) -> bytes:
    arr = array("q", ids)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tobytes()


def unpack_ids(blob: bytes) -> array:
    arr = array("q")
    arr.frombytes(blob)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr


def specialty_map() -> dict[str, list[str]]:
    """The bureau's map in force: the defaults, overridden by its own rows
    (a row with no industries removes a default word)."""
    out = {k: list(v) for k, v in DEFAULT_SPECIALTY_MAP.items()}
    for row in db.session.execute(sa.select(SpecialtyMapping)).scalars():
        if row.industries:
            out[row.word] = list(row.industries)
        else:
            out.pop(row.word, None)
    return out


def task_for_draw(task: Task, siblings: list[Task]) -> dict[str, Any]:
    _rules, params, _joint = split_rules(task.rules)
    return {"task_no": task.task_no, "plan_no": task.plan.plan_no, "draw_type": task.draw_type,
            "scope": task.target_filter or "", "ratio": task.ratio,
            "window_start": task.window_start, "window_end": task.window_end,
            "team_size": task.team_size, "joint_tasks": [t.task_no for t in siblings],
            "department": task.department or "",
            "joint_departments": list(task.joint_departments or []), **params}


def latest_record(task: Task) -> DrawRecord | None:
    return db.session.execute(
        sa.select(DrawRecord).where(DrawRecord.task_id == task.id)
        .order_by(DrawRecord.id.desc()).limit(1)).scalar_one_or_none()


def pending_freeze(task: Task) -> DrawFreeze | None:
    return db.session.execute(
        sa.select(DrawFreeze).where(DrawFreeze.task_id == task.id, DrawFreeze.status == PENDING)
        .order_by(DrawFreeze.id.desc()).limit(1)).scalar_one_or_none()


def check_window(task: Task, now: datetime) -> None:
    """A task whose 抽查时间 has ended cannot be frozen or drawn."""
    if check_day(now) > task.window_end:
        raise DrawFailed(409, f"任务{task.task_no}的抽查时间已于{task.window_end.isoformat()}结束，"
                             "不能再冻结或抽取")


def check_due_in_window(task: Task, due: datetime) -> None:
    """The promised value must be published while the window is open: a freeze
    whose round (or lottery draw) comes after the last day could never be drawn."""
    if check_day(due) > task.window_end:
        raise DrawFailed(409, f"承诺使用的公共随机数预计于{beacons.local_text(due)}公布，"
                              f"晚于任务{task.task_no}抽查时间的最后一天"
                              f"{task.window_end.isoformat()}，冻结后将无法抽取；"
                              "请选择更早公布的随机数来源或先变更计划延长抽查时间")


def check_day(moment: datetime) -> date:
    """The bureau's calendar day of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(beacons.bureau_tz()).date()


def _check_may_freeze(task: Task, kind: str, reason: str | None, now: datetime | None) -> None:
    if kind not in ("draw", "redraw"):
        raise DrawFailed(422, "抽取类型应为“抽取”或“重新抽取”")
    if task.is_reinspection:
        raise DrawFailed(409, f"任务{task.task_no}是复查任务，由原检查组负责，不抽取")
    if task.plan.status != PUBLISHED:
        raise DrawFailed(409, f"计划{task.plan.plan_no}尚未发布（或变更后未重新发布），不能抽取")
    if now is not None:
        check_window(task, now)
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
    earlier = db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze).where(
        DrawFreeze.task_id == task.id, DrawFreeze.status.in_([PENDING, FAILED])))
    if earlier and not (reason or "").strip():
        raise DrawFailed(422, "本任务已有冻结或失败的抽取，重新冻结必须说明理由（将公开）")


def _check_earlier_rounds_drawn(task: Task, ids: list[int]) -> None:
    """Refuse while a round this task's exclusions depend on is frozen but not
    drawn and its pool shares an enterprise with this one (inputs.undrawn_rounds):
    its result cannot be in this snapshot, so that enterprise could be drawn
    twice.  Pools that share none (tasks of other industries) may be frozen
    together, as a ceremony of several tasks does."""
    rules, _params, joint = split_rules(task.rules)
    mine = set(ids)
    waiting = [(t, len(mine.intersection(unpack_ids(f.pool_ids))))
               for t, f in undrawn_rounds(task, joint_siblings(task, joint), rules)]
    waiting = [(t, n) for t, n in waiting if n]
    if waiting:
        db.session.rollback()  # nothing was written; the refusal stores nothing
        names = "、".join(f"{t.task_no}（{t.name}，与本任务的对象池有{n}户重合）"
                         for t, n in waiting)
        why = "、".join(w for w, on in (
            ("排除本计划前轮已抽取的检查对象", rules.get("exclude_drawn_in_plan", True)),
            ("计入本年度已检查次数", rules.get("yearly_cap") is not None)) if on)
        raise DrawFailed(409, f"任务{names}已冻结但尚未抽取。本任务须{why}，冻结时必须已知"
                              "前轮结果：请先完成上述任务的抽取（或作废其冻结）后再冻结本任务")


def _check_items_cover(task: Task, items: list[dict[str, Any]], industries: list[str]) -> None:
    """The task's own 抽查事项 (not the list) must apply to every industry in its
    pool: said once per industry, before the per-enterprise check would say it
    once per enterprise of the list."""
    if any(not it["industries"] for it in items):  # an item for every industry
        return
    covered = {i for it in items for i in it["industries"]}
    bare = Counter(i for i in industries if i not in covered)
    if bare:
        named = "、".join(f"{it['no']}（{it['name']}）" for it in items)
        which = "、".join(f"“{industry_label(i)}”（{n}户）" for i, n in sorted(bare.items()))
        raise PlanError(422, f"冻结被拒绝：任务{task.task_no}选定的抽查事项{named}中没有适用于"
                             f"{which}的检查事项，这些企业将无事可查。请在任务中增加适用于"
                             "这些行业的事项，或从抽查对象范围中去掉这些行业")


def build_task_snapshot(task: Task) -> tuple[dict[str, Any], list[int]]:
    """The canonical snapshot of *task* from the registries as they are now,
    and the enterprise ids in pool order."""
    rules, _params, joint = split_rules(task.rules)
    siblings = joint_siblings(task, joint)
    items, item_version = load_items()
    if task.item_codes:  # the task's 抽查事项 (services/task_items.py): those items only
        wanted = set(task.item_codes)
        gone = sorted(wanted - {it["no"] for it in items})
        if gone:  # the list changed since the plan named them
            raise PlanError(422, f"冻结被拒绝：任务{task.task_no}的抽查事项{'、'.join(gone)}不在"
                                 f"最新的随机抽查事项清单（第{item_version}版）中，请先修改任务的抽查事项")
        items = [it for it in items if it["no"] in wanted]
    try:
        rows = load_pool_rows(task.target_filter)  # a malformed 抽查范围 is a refusal, not a 500
        eligible, excluded = build_pool(rows, task_for_draw(task, siblings), rules,
                                        load_context(task, siblings, rules), carry=("id",))
        del rows
        ids = eligible.pop("carried")["id"]
        if task.item_codes:
            _check_items_cover(task, items, eligible["values"][POOL_COLUMNS.index("industry")])
        snap = build_snapshot(task_for_draw(task, siblings), rules, eligible, excluded,
                              load_inspectors(), load_experts(), items,
                              str(item_version) if item_version is not None else "",
                              specialty_map())
    except ValueError as exc:  # DrawError included: a rule the snapshot itself breaks
        raise PlanError(422, f"冻结被拒绝：{getattr(exc, 'message', exc)}") from None
    return snap, ids


def freeze_task(task_no: str, actor: str, *, kind: str = "draw", reason: str | None = None,
                source: str | None = None, lottery: dict[str, Any] | None = None,
                now: datetime | None = None, demo: bool = False) -> DrawFreeze:
    """Freeze *task_no*'s next draw (see the module docstring).  ``PlanError``
    (``FreezeRefused`` listing every infeasible enterprise) when refused.
    *demo* (demo data and tests, never a route): a local value may be
    promised and the task's window is not checked."""
    with gc_paused():
        return _freeze(task_no, actor, kind, reason, source, lottery, now or utcnow(), demo)


def _freeze(task_no: str, actor: str, kind: str, reason: str | None, source: str | None,
            lottery: dict[str, Any] | None, now: datetime, demo: bool) -> DrawFreeze:
    task = get_task(task_no)
    _check_may_freeze(task, kind, reason, None if demo else now)
    promised, due = beacons.promise(now, source=source, lottery=lottery, allow_local=demo)
    if not demo:
        check_due_in_window(task, due)
    snap, ids = build_task_snapshot(task)
    _check_earlier_rounds_drawn(task, ids)
    problems = check_feasible(snap)
    if problems:
        db.session.rollback()
        raise FreezeRefused(problems)
    pool_bytes = encode_pool(snap["enterprises"])
    digest = snapshot_hash(snap, pool_bytes=pool_bytes)
    # Written (on a helper thread) unless already there: a re-freeze of an
    # unchanged registry shares the file, and one that went missing is put back.
    writer = PoolWriter(digest, pool_bytes)
    new_pool = db.session.get(DrawPool, digest) is None
    head = {**snap, "enterprises": {k: v for k, v in snap["enterprises"].items() if k != "values"}}
    seed = new_seed()
    try:
        # Two freezes racing: the row lock (PostgreSQL) or the single writer (SQLite).
        db.session.execute(sa.select(Task.id).where(Task.id == task.id).with_for_update())
        for old in db.session.execute(sa.select(DrawFreeze).where(
                DrawFreeze.task_id == task.id, DrawFreeze.status == PENDING)).scalars():
            old.status, old.outcome_at = VOID, now
            old.outcome_reason = f"重新冻结：{reason.strip()}" if reason else "重新冻结"
        writer.wait()  # the file is durable before the row naming it commits
        if new_pool:
            db.session.add(DrawPool(pool_hash=digest, size=len(snap["enterprises"]["values"][0]),
                                    bytes=len(pool_bytes), created_at=now))
        freeze = DrawFreeze(
            task_id=task.id, kind=kind, reason=(reason or "").strip() or None, actor=actor,
            frozen_at=now, seed_commitment=commit_of(seed), seed_secret=seed.hex(),
            snapshot_hash=digest, snapshot_head=canonical_json(head),
            pool_size=len(snap["enterprises"]["values"][0]),
            excluded_count=len(snap["excluded"]), pool_ids=pack_ids(ids),
            beacon=promised, beacon_due_at=due,
            status=PENDING)
        db.session.add(freeze)
        # The task shows its latest commitment (API, public page); the seed itself
        # lives only on the freeze until the draw reveals it.
        task.seed_commitment, task.committed_at = freeze.seed_commitment, now
        task.seed_secret = None
        db.session.flush()
        # Published and logged now, before the promised value exists (issue 15).
        draw_public.publish_pool(task, freeze, snap)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return freeze


def check_task(task_no: str) -> list[dict[str, Any]]:
    """The freeze check without freezing: every rule the draw would break now.
    A task that cannot even be snapshotted (no items confirmed …) answers with
    that one reason as its problem: the check's answer, shown on the task page."""
    with gc_paused():
        task = get_task(task_no)
        try:
            snap, _ids = build_task_snapshot(task)
        except PlanError as exc:
            db.session.rollback()
            return [{"uscc": None, "name": None, "rule": "", "message": exc.message}]
        problems = check_feasible(snap)
        db.session.rollback()  # a GET never writes; nothing was written either
        return problems


def clock() -> datetime:
    """The time the ceremony runs on (the console compares a due time with it)."""
    return utcnow()


def pool_preview(task_no: str) -> dict[str, Any]:
    """Step ② of the console's ceremony: after a draw, the pool its latest record
    froze; before it, the pool as it stands now, built by the freeze's own inputs."""
    task = get_task(task_no)
    record = latest_record(task)
    if record is not None:
        result = record.result or {}
        return {"frozen": True, "size": record.pool_size, "excluded": result.get("excluded", []),
                "strata": result.get("strata", {}), "error": None}
    try:
        rules, _params, joint = split_rules(task.rules)
        siblings = joint_siblings(task, joint)
        eligible, excluded = build_pool(load_pool_rows(task.target_filter),
                                        task_for_draw(task, siblings), rules,
                                        load_context(task, siblings, rules))
    except ValueError as exc:
        return {"frozen": False, "size": 0, "excluded": [], "strata": {}, "error": str(exc)}
    finally:
        db.session.rollback()  # a GET never writes; nothing was written either
    classes = dict(zip(eligible["columns"], eligible["values"], strict=False)).get(
        "credit_class", [])
    return {"frozen": False, "size": len(eligible["values"][0]) if eligible["values"] else 0,
            "excluded": excluded, "strata": dict(sorted(Counter(classes).items())),
            "error": None}
