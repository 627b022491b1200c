"""Dispatch (派发): send a drawn task's current visits to their teams' tablets.

Every change an inspector's tablet must learn about – a visit sent, withdrawn,
or its team changed – appends one ``DispatchEvent`` per affected inspector with
that inspector's next sequence number. ``GET /api/v1/sync/pull`` reads those
events after the tablet's cursor (see ``server/services/sync/pull.py``).

Dispatching is idempotent: dispatching a task again only sends what changed
since (new visits after a redraw, withdrawn replaced visits, team changes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from shared.lifecycle import VisitStatus

from ..documents.numbering import document_number
from ..extensions import db
from ..localtime import bureau_today, bureau_tz
from ..models import Task, Visit, VisitMember
from ..models._types import utcnow
from ..models.sync import Dispatch, DispatchEvent
from .errors import ServiceError


def today() -> date:
    """The bureau's calendar day (tests replace this to move time)."""
    return bureau_today()


def now() -> datetime:
    """The moment to stamp (UTC, naive as stored), in step with :func:`today`: when
    the day is moved (tests, the demo's history), the same time of day on that day.
    A dispatch stamped on another day than its notice would make the records that
    follow it look dated before it (the record check compares the two)."""
    zone = bureau_tz()
    local = datetime.now(zone)
    day = today()
    if day == local.date():
        return utcnow()
    moved = datetime.combine(day, local.time().replace(tzinfo=None), zone)
    return moved.astimezone(UTC).replace(tzinfo=None)


class DispatchError(ServiceError):
    """A dispatch that cannot happen; ``message`` is for the dispatcher (Chinese)."""


@dataclass
class DispatchResult:
    task_no: str
    dispatched: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    reassigned: list[int] = field(default_factory=list)
    events: int = 0


def check_window(task: Task, day: date) -> None:
    """A task whose 抽查时间 has ended is not sent out (nor frozen or drawn, see
    draw/freeze.py). *day* is the bureau's calendar day, so the window's last day
    counts until midnight in the bureau's zone, not in UTC."""
    if day > task.window_end:
        raise DispatchError(
            f"任务{task.task_no}的抽查时间已于{task.window_end.isoformat()}结束，不能再派发；"
            "如需继续检查，请先变更计划延长抽查时间并重新发布", 409)


def _next_seq(inspector_id: int) -> int:
    last = db.session.scalar(
        sa.select(sa.func.max(DispatchEvent.seq)).where(DispatchEvent.inspector_id == inspector_id))
    return (last or 0) + 1


def _log(inspector_ids: Iterable[int], visit_id: int, kind: str, actor: str,
         reason: str | None = None) -> int:
    """Append one event per inspector. A concurrent writer for the same inspector
    makes the commit fail on unique (inspector_id, seq); the caller retries."""
    n = 0
    for inspector_id in sorted(set(inspector_ids)):
        db.session.add(DispatchEvent(inspector_id=inspector_id, seq=_next_seq(inspector_id),
                                     visit_id=visit_id, kind=kind, actor=actor, reason=reason))
        db.session.flush()  # the next _next_seq for this inspector must see it
        n += 1
    return n


def _team(visit: Visit) -> list[int]:
    return sorted(m.inspector_id for m in visit.members)


def _notice_number(day: date) -> tuple[int, int, str]:
    last = db.session.scalar(
        sa.select(sa.func.max(Dispatch.notice_seq)).where(Dispatch.notice_year == day.year))
    seq = (last or 0) + 1
    abbr = current_app.config.get("BUREAU_ABBR", "示")
    return day.year, seq, document_number(abbr, "notice", day.year, seq)


def _retrying(fn, *args):
    """Run one dispatch transaction; a concurrent dispatch that took the same
    per-inspector seq or notice number makes ours fail on a constraint: redo it."""
    for attempt in range(3):
        try:
            return fn(*args)
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise DispatchError("其他派发操作正在进行，请稍后重试") from None
        except BaseException:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")


@dataclass
class DispatchStep:
    """One change a dispatch makes to one visit: ``send`` (first time, with a 通知书
    number unless 暗查), ``resend`` (after a withdrawal), ``withdraw`` (replaced
    by a redraw) or ``reassign`` (team changed)."""

    visit: Visit
    kind: str
    team: list[int]
    existing: Dispatch | None


@dataclass
class DispatchPreview:
    """What dispatching the task now would do, for the dispatcher to confirm.
    ``token`` names exactly these steps: the confirming POST carries it back and
    the dispatch refuses if the steps have changed since (a redraw, a new team)."""

    task: Task
    steps: list[DispatchStep]
    token: str
    first_notice_no: str | None

    def of(self, kind: str) -> list[DispatchStep]:
        return [s for s in self.steps if s.kind == kind]

    @property
    def notices(self) -> int:
        return 0 if self.task.unannounced else len(self.of("send"))

    @property
    def inspector_ids(self) -> set[int]:
        return {i for s in self.steps for i in s.team}


def _plan(task: Task) -> list[DispatchStep]:
    """The steps dispatching *task* takes now (reads only; raises what the
    dispatch itself would refuse)."""
    visits = db.session.scalars(
        sa.select(Visit).where(Visit.task_id == task.id).order_by(Visit.id)).all()
    if not any(v.current for v in visits):
        raise DispatchError(f"抽查任务{task.task_no}尚未抽取，无法派发")
    existing = {d.visit_id: d for d in db.session.scalars(
        sa.select(Dispatch).where(Dispatch.task_id == task.id))}
    steps = []
    for visit in visits:
        d = existing.get(visit.id)
        if not visit.current:
            if d is not None and d.withdrawn_at is None:
                steps.append(DispatchStep(visit, "withdraw", list(d.team), d))
            continue
        team = _team(visit)
        if len(team) < 2:
            raise DispatchError(f"检查对象{visit.enterprise.name}的检查人员不足2名，无法派发")
        if d is None:
            steps.append(DispatchStep(visit, "send", team, None))
        elif d.withdrawn_at is not None:
            steps.append(DispatchStep(visit, "resend", team, d))
        elif sorted(d.team) != team:
            steps.append(DispatchStep(visit, "reassign", team, d))
    return steps


def _token(steps: list[DispatchStep]) -> str:
    text = ";".join(f"{s.visit.id}:{s.kind}:{','.join(map(str, s.team))}" for s in steps)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _get_task(task_no: str) -> Task:
    task = db.session.scalar(sa.select(Task).where(Task.task_no == task_no))
    if task is None:
        raise DispatchError(f"抽查任务{task_no}不存在", 404)
    return task


def preview_dispatch(task_no: str) -> DispatchPreview:
    """What :func:`dispatch_task` would do now; writes nothing."""
    task = _get_task(task_no)
    day = today()
    check_window(task, day)
    steps = _plan(task)
    first = None
    if not task.unannounced and any(s.kind == "send" for s in steps):
        first = _notice_number(day)[2]
    return DispatchPreview(task, steps, _token(steps), first)


def dispatch_task(task_no: str, actor: str, expect: str | None = None) -> DispatchResult:
    """Send the task's current visits; withdraw dispatched visits no longer current;
    re-send visits whose team changed. One transaction. With *expect* (a
    :class:`DispatchPreview` token) only if the steps are still the confirmed ones."""
    result = _retrying(_dispatch_task, task_no, actor, expect)
    from . import case_observe

    case_observe.after_dispatch(result.dispatched)  # 通知书 served: the cases move now
    return result


def _dispatch_task(task_no: str, actor: str, expect: str | None) -> DispatchResult:
    task = _get_task(task_no)
    day = today()
    check_window(task, day)
    steps = _plan(task)
    if expect is not None and expect != _token(steps):
        raise DispatchError("确认之后派发内容已有变化（如重新抽取或调整了检查组），"
                            "未作任何派发，请返回任务页重新确认", 409)
    result = DispatchResult(task_no)
    for step in steps:
        visit, team, d = step.visit, step.team, step.existing
        if step.kind == "withdraw":
            result.events += _withdraw(d, actor, "重新抽取后该检查对象已被替换")
            result.withdrawn.append(visit.id)
        elif step.kind == "send":
            # 暗查: no notice, no number (the series counts announced visits only).
            year, seq, number = (None, None, None) if task.unannounced else _notice_number(day)
            d = Dispatch(visit_id=visit.id, task_id=task.id, team=team, dispatched_by=actor,
                         dispatched_at=now(),
                         notice_year=year, notice_seq=seq, notice_no=number,
                         notice_sent_on=None if task.unannounced else day)
            db.session.add(d)
            db.session.flush()
            result.events += _log(team, visit.id, "dispatch", actor)
            result.dispatched.append(visit.id)
            if visit.status == VisitStatus.DRAWN and not task.unannounced:
                visit.status = VisitStatus.NOTIFIED.value
        elif step.kind == "resend":
            d.withdrawn_at, d.withdrawn_reason, d.team = None, None, team
            result.events += _log(team, visit.id, "dispatch", actor, "重新派发")
            from . import cases  # cases reads the bureau day from here

            cases.on_redispatched(visit.id, actor, d.notice_no)
            result.dispatched.append(visit.id)
        else:
            result.events += _reassign(d, team, actor, "检查组成员变更")
            result.reassigned.append(visit.id)
    db.session.commit()
    return result


def _withdraw(d: Dispatch, actor: str, reason: str) -> int:
    d.withdrawn_at, d.withdrawn_reason = utcnow(), reason
    return _log(d.team, d.visit_id, "withdraw", actor, reason)


def _reassign(d: Dispatch, team: list[int], actor: str, reason: str) -> int:
    # Everyone old and new hears about it: the pull decides per inspector whether
    # that means "updated package" (still on the team) or "withdrawn" (removed).
    affected = set(d.team) | set(team)
    d.team = team
    return _log(affected, d.visit_id, "reassign", actor, reason)


def withdraw_visit(visit_id: int, actor: str, reason: str) -> int:
    """Take a dispatched visit back from its team's tablets (task cancelled …)."""
    return _retrying(_withdraw_visit, visit_id, actor, reason)


def _withdraw_visit(visit_id: int, actor: str, reason: str) -> int:
    reason = (reason or "").strip()
    if not reason:
        raise DispatchError("撤回必须说明理由", 422)
    if len(reason) > 200:
        raise DispatchError("撤回理由不能超过200字", 422)
    d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == visit_id))
    if d is None or d.withdrawn_at is not None:
        raise DispatchError("该检查对象未派发或已撤回")
    from . import cases  # cases reads the bureau day from here

    refusal = cases.withdraw_refusal(visit_id)
    if refusal:
        raise DispatchError(refusal, 409)
    n = _withdraw(d, actor, reason)
    cases.on_withdrawn(visit_id, actor, reason)
    db.session.commit()
    return n


def reassign_visit(visit_id: int, members: list[tuple[int, bool]], actor: str,
                   reason: str) -> int:
    """Replace a visit's team with ``[(inspector_id, leader), …]`` and tell every
    inspector affected. The visit need not be dispatched yet."""
    return _retrying(_reassign_visit, visit_id, members, actor, reason)


def _reassign_visit(visit_id: int, members: list[tuple[int, bool]], actor: str,
                    reason: str) -> int:
    if len({i for i, _ in members}) < 2:
        raise DispatchError("检查人员不少于2名", 400)
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise DispatchError("检查对象不存在", 404)
    visit.members.clear()
    db.session.flush()
    for inspector_id, leader in members:
        visit.members.append(VisitMember(inspector_id=inspector_id, leader=leader))
    db.session.flush()
    d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == visit_id))
    n = 0
    if d is not None and d.withdrawn_at is None:
        n = _reassign(d, _team(visit), actor, reason)
    db.session.commit()
    return n
