"""案件 state machine: from the draw to 销号, or to a penalty case / transfer.

    drawn → notified → inspected ─(no findings)──────────────────────→ closed
                                 └→ orders_issued → rectification_reported
                                      → reinspection → reinspected → closed (销号)
                       any open step ─(法制审核)→ penalty | transferred
    closed | penalty | transferred → archived (frozen; corrections are versions)

The steps the system observes (a draw, dispatch, a synced record, a synced
复查 record) are applied by ``case_observe`` the moment they arrive, with the
system as actor; the others are ``act`` calls by a person. Reading a case
never moves it. Every step appends a ``CaseEvent`` with who, when,
why. Escalation, and closing a case with a major hazard (重大事故隐患), wait for
a reviewer (重大执法决定法制审核) before they take effect.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from json.encoder import encode_basestring
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from shared.draw.gcpause import gc_paused
from shared.enums import Outcome
from shared.lifecycle import VISIT_STATUS_OF_CASE, CaseState

from ..extensions import db
from ..models import Inspector, Task, Visit, VisitMember
from ..models._types import utcnow
from ..models.case import Case, CaseEvent
from . import case_documents as documents
from . import case_rules as rules
from . import followup
from .draw.visits import bulk_insert, next_ids
from .followup import FollowupError as CaseError

STATES: dict[str, str] = {s.value: s.label for s in CaseState}
AUTO_CLOSE_REASON = "现场检查未发现问题，自动办结"
S = CaseState
FINISHED = (S.CLOSED, S.PENALTY, S.TRANSFERRED)
OPEN_AFTER_INSPECTION = (S.INSPECTED, S.ORDERS_ISSUED, S.RECTIFICATION_REPORTED, S.REINSPECTED)
# Manual actions: the states they start from.
ACTIONS: dict[str, tuple[CaseState, ...]] = {
    "issue_orders": (S.INSPECTED,),
    "report_rectification": (S.ORDERS_ISSUED,),
    "schedule_reinspection": (S.ORDERS_ISSUED, S.RECTIFICATION_REPORTED, S.REINSPECTED),
    "close": (S.INSPECTED, S.REINSPECTED),
    "escalate": OPEN_AFTER_INSPECTION + (S.REINSPECTION,),
}
ACTION_LABELS = {"issue_orders": "下达整改指令", "report_rectification": "登记企业整改报告",
                 "schedule_reinspection": "安排复查", "close": "销号办结",
                 "escalate": "转立案处罚/移送", "archive": "归档"}
BUSY_MESSAGE = "其他人正在办理该案件，请刷新后重试"
FROZEN_MESSAGE = "案件已归档（冻结），不能修改；如需更正，请由档案员提交更正，系统将生成新版本"


def today() -> date:
    from . import dispatch

    return dispatch.today()


# -- events ---------------------------------------------------------------------

def log(case: Case, action: str, actor: str, reason: str, *, to: str | None = None,
        role: str | None = None, review: dict | None = None, data: dict | None = None) -> None:
    to = CaseState(to).value if to else None  # only lifecycle states, stored as their code
    if to and to != case.state:
        # Compare-and-set: of two people moving the case at once, the second finds
        # the state already changed (PostgreSQL re-checks after the row lock;
        # SQLite serialises writers) and is refused instead of moving it twice.
        moved = db.session.execute(
            sa.update(Case).where(Case.id == case.id, Case.state == case.state)
            .values(state=to).execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            raise CaseError(409, BUSY_MESSAGE)
    last = db.session.scalar(sa.select(sa.func.max(CaseEvent.seq)).where(
        CaseEvent.case_id == case.id)) or 0
    db.session.add(CaseEvent(case_id=case.id, seq=last + 1, actor=actor, role=role, action=action,
                             from_state=case.state, to_state=to or case.state, reason=reason,
                             review=review, data=data or {}))
    if to:
        case.state = to
        if to in VISIT_STATUS_OF_CASE:
            case.visit.status = VISIT_STATUS_OF_CASE[CaseState(to)].value
    db.session.flush()


# -- creation and observation -----------------------------------------------------

def ensure_cases() -> int:
    """One case per current drawn visit (re-inspection visits belong to their case).

    A county draw opens tens of thousands at once, so the cases and their 立案
    events go in as the draw's visits do (``bulk_insert``: multi-row INSERTs or
    COPY), each row complete – id and case number given beforehand – rather
    than one ORM flush per case (that took a minute for 34,000 visits; ORM bulk
    statements, 5 s) or an UPDATE numbering them afterwards.
    """
    with gc_paused():  # 100,000 new tuples would set off full collections of a large heap
        return _open_cases()


def _open_cases() -> int:
    db.session.flush()  # visits the caller added: the reads below go past the session
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite and not conn.connection.driver_connection.in_transaction:
        # The write lock before the first read: the ids next_ids gives are the
        # next ones, and a second caller waits, then finds these cases opened.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    rows = conn.execute(
        sa.select(Visit.id, Visit.task_id, Visit.enterprise_id, Visit.draw_record_id)
        .outerjoin(Case, Case.visit_id == Visit.id)
        .where(Case.id.is_(None), Visit.current.is_(True)).order_by(Visit.id)).all()
    tasks = db.session.scalars(sa.select(Task).where(Task.id.in_({task for _, task, _, _ in rows})))
    reinspection = {t.id for t in tasks if t.is_reinspection}  # followup.is_reinspection_visit
    if reinspection:
        rows = [r for r in rows if r[1] not in reinspection]
    if not rows:
        db.session.commit()
        return 0
    handlers = _handlers(conn, rows[0][0])
    day, now = today(), utcnow()
    stamp = now.isoformat(sep=" ") if sqlite else now
    opened = day.isoformat() if sqlite else day
    drawn, prefix = S.DRAWN.value, f"AJ{day.year}-"
    ids = next_ids(Case.__table__, len(rows))
    bulk_insert(Case.__table__, (
        "id", "case_no", "visit_id", "task_id", "enterprise_id", "state", "opened_on", "handlers",
        "findings", "major_findings", "retention", "dossier_version", "created_at", "updated_at"), [
        # AJ2026-00042: the case's id, at least five digits.
        (case_id, f"{prefix}{case_id:05d}", visit_id, task_id, enterprise_id, drawn, opened,
         handlers.get(visit_id, "[]"), 0, 0, "30年", 0, stamp, stamp)
        for case_id, (visit_id, task_id, enterprise_id, _record) in zip(ids, rows, strict=True)])
    reasons = {record: f"随机抽取产生检查对象（抽取记录第{record}号）"
               for record in {r[3] for r in rows}}  # one per draw record, not per case
    bulk_insert(CaseEvent.__table__, (
        "case_id", "seq", "at", "actor", "action", "from_state", "to_state", "reason", "data"), [
        (case_id, 1, stamp, "system", "open", drawn, drawn, reasons[record], "{}")
        for case_id, (_, _, _, record) in zip(ids, rows, strict=True)])
    db.session.commit()
    return len(rows)


def _handlers(conn: sa.Connection, first: int) -> dict[int, str]:
    """承办人 of the visits without a case from id *first* on: the team's names in
    member order, as the JSON list the case stores."""
    new = (sa.select(Visit.id).outerjoin(Case, Case.visit_id == Visit.id)
           .where(Visit.id >= first, Case.id.is_(None), Visit.current.is_(True)))
    names = {i: encode_basestring(name) for i, name in conn.execute(
        sa.select(Inspector.id, Inspector.name))}
    teams: dict[int, list[str]] = {}
    for visit_id, inspector_id in conn.execute(
            sa.select(VisitMember.visit_id, VisitMember.inspector_id)
            .where(VisitMember.visit_id.in_(new)).order_by(VisitMember.id)).all():
        teams.setdefault(visit_id, []).append(names[inspector_id])
    return {visit_id: "[" + ",".join(team) + "]" for visit_id, team in teams.items()}


def all_cases(state: str | None = None) -> list[Case]:
    """The cases as they stand (reading only: what arrives moves them, see case_observe)."""
    query = sa.select(Case).order_by(Case.id)
    if state is not None:
        query = query.where(Case.state == state)
    return list(db.session.scalars(query))


def withdraw_refusal(visit_id: int) -> str | None:
    """Why the visit can no longer be withdrawn, or None. A withdrawal cancels what
    has not happened yet; once the inspection took place (a record arrived, the
    case moved on – up to 已归档) there is nothing to take back from the tablets,
    and the case and its published result stand: they are changed through the
    case (更正, 撤销) instead."""
    visit = db.session.get(Visit, visit_id)
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit_id))
    if case is not None and case.state not in (S.DRAWN, S.NOTIFIED):
        return (f"案件{case.case_no}已是“{S(case.state).label}”状态，现场检查已经进行，"
                "不能撤回派发；如需纠正，请在案件中办理。未作任何更改")
    if visit is not None and visit.status not in ("drawn", "notified"):
        return "该检查对象已完成现场检查，不能撤回派发。未作任何更改"
    return None


def on_withdrawn(visit_id: int, actor: str, reason: str) -> None:
    """A person took the visit back from the tablets before its inspection
    (``withdraw_refusal``): its case is cancelled (已撤销) with the reason.
    Called by the dispatch service inside its transaction."""
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit_id))
    if case is None:
        return
    log(case, "withdraw", actor, f"撤回派发：{reason}", to="cancelled")


def on_redispatched(visit_id: int, actor: str, notice_no: str | None) -> None:
    """A withdrawn visit sent again: its cancelled case is open again (已告知;
    a 暗查 visit has no notice and stays 已抽取)."""
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit_id))
    if case is None or case.state != "cancelled" or not case.visit.current:
        return
    if case.task.unannounced or notice_no is None:
        log(case, "notify", actor, "重新派发（暗查，不事先告知）", to="drawn")
    else:
        log(case, "notify", actor, f"重新派发并告知（{notice_no}）", to="notified")


def propose(case: Case) -> None:
    """Hand the known result to 一公开 (it commits itself; errors are not ours to fix)."""
    if case.state not in (S.INSPECTED,) + FINISHED or not case.outcome:
        return
    from .publication import PublicationError, propose_result

    try:
        propose_result(case.visit_id, case.outcome, case.inspected_on, case.visit.item_codes,
                       actor="system")
    except PublicationError:
        db.session.rollback()
        _note_published_differs(case)


def _note_published_differs(case: Case) -> None:
    """A result already public no longer matches the case (a reopened case): it
    is never changed silently; the case says so once, for the reviewer."""
    from ..models import PublicationResult

    result = db.session.scalar(sa.select(PublicationResult).where(
        PublicationResult.visit_id == case.visit_id))
    if result is None or result.status != "approved" or result.outcome == case.outcome:
        return
    if any(e.action == "published_result_differs" and e.data.get("outcome") == case.outcome
           for e in case.events):
        return
    log(case, "published_result_differs", "system",
        f"已公开的检查结果为“{Outcome(result.outcome).label}”，与案件现在的结果"
        f"“{Outcome(case.outcome).label}”不一致，请法制审核员核对后更正公开信息",
        data={"outcome": case.outcome})
    db.session.commit()


# -- people's actions ----------------------------------------------------------------

def get(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise CaseError(404, f"案件{case_id}不存在")
    return case


def writable(case: Case) -> Case:
    if case.state == S.ARCHIVED:
        raise CaseError(409, FROZEN_MESSAGE)
    return case


def act(case_id: int, action: str, actor: str, role: str, reason: str = "",
        **params: Any) -> Case:
    case = writable(get(case_id))
    if case.pending:
        raise CaseError(409, "该案件有待法制审核的事项，审核后再操作")
    if action not in ACTIONS:
        raise CaseError(422, f"未知的操作：{action}")
    if case.state not in ACTIONS[action]:
        raise CaseError(409, f"案件当前状态为“{STATES[case.state]}”，不能{ACTION_LABELS[action]}")
    rules.check_dates(case, params)
    with _one_step():
        if action == "escalate" or (action == "close" and case.major_findings):
            _request_review(case, action, actor, role, reason, params)
        else:
            _apply(case, action, actor, role, reason, params, None)
    propose(case)
    return case


@contextmanager
def _one_step() -> Iterator[None]:
    """A step of the case, committed whole or not at all."""
    try:
        yield
        db.session.commit()
    except IntegrityError:
        # Someone else moved the case at the same moment: unique (case_id, seq) on
        # the events lets exactly one of us through.
        db.session.rollback()
        raise CaseError(409, BUSY_MESSAGE) from None
    except Exception:
        db.session.rollback()
        raise


def _request_review(case: Case, action: str, actor: str, role: str, reason: str,
                    params: dict[str, Any]) -> None:
    if not reason.strip():
        raise CaseError(422, "须说明理由，提交法制审核")
    rules.check(case, action, params)
    case.pending = {"action": action, "reason": reason, "by": actor, "role": role,
                    "at": utcnow().isoformat(timespec="seconds"), "params": params}
    log(case, "review_requested", actor, f"提请法制审核：{ACTION_LABELS[action]}。{reason}",
        role=role, data={"action": action, "params": params})


def review(case_id: int, approve: bool, reviewer: str, note: str = "") -> Case:
    """法制审核: approve applies the pending step with the review recorded on it."""
    case = writable(get(case_id))
    if not case.pending:
        raise CaseError(409, "该案件没有待法制审核的事项")
    pending = case.pending
    stamp = {"by": reviewer, "at": utcnow().isoformat(timespec="seconds"), "note": note}
    with _one_step():
        case.pending = None
        if approve:
            _apply(case, pending["action"], pending["by"], pending["role"], pending["reason"],
                   pending["params"], stamp)
        else:
            if not note.strip():
                raise CaseError(422, "退回须填写审核意见")
            log(case, "review_rejected", reviewer, f"法制审核退回：{note}", role="reviewer",
                review=stamp, data={"action": pending["action"]})
    propose(case)
    return case


def _apply(case: Case, action: str, actor: str, role: str, reason: str,
           params: dict[str, Any], review: dict | None) -> None:
    rules.check(case, action, params)
    day = today()
    if action == "issue_orders":
        if not followup.open_hazards(case):
            raise CaseError(409, "没有需要限期整改的隐患")
        ref = followup.record_for_visit(case.visit_id, case.record_version, uuid=case.record_uuid)
        issued = documents.issue_orders(case, ref.data, actor, day, params.get("issued_on"))
        numbers = "、".join(d.number for d in issued)
        log(case, action, actor, reason or f"下达{numbers}", to=S.ORDERS_ISSUED, role=role,
            data={"documents": [d.id for d in issued]})
    elif action == "report_rectification":
        reported = params.get("reported_on") or day
        for h in followup.open_hazards(case):
            h.reported_on = reported
        log(case, action, actor, reason or "企业报告已完成整改", to=S.RECTIFICATION_REPORTED,
            role=role, data={"reported_on": reported.isoformat()})
    elif action == "schedule_reinspection":
        due = params.get("due_on") or followup.default_due(case, day)
        re = followup.create_reinspection(case, actor, due, params.get("team"), reason)
        log(case, action, actor, reason or f"安排第{re.seq}次复查，{due.isoformat()}前完成",
            to=S.REINSPECTION, role=role, data={"visit_id": re.visit_id, "due_on": due.isoformat()})
        _dispatch(case, actor)
    elif action == "close":
        close(case, actor, reason or "隐患已整改完毕，予以销号", review, role)
    elif action == "escalate":
        to = "penalty" if params["to"] == "penalty" else "transferred"
        for h in followup.open_hazards(case):
            h.status = "escalated"
        case.closed_on = day
        if to == "penalty":
            case.outcome = Outcome.PENALTY.value
        where = f"移送{params.get('transfer_to')}" if to == "transferred" else "转立案处罚"
        documents.issue_closing(case, actor, f"{where}：{reason}", day, review)
        log(case, action, actor, reason, to=to, role=role, review=review, data=params)
        from .credit import on_finished

        on_finished(case)


def close(case: Case, actor: str, reason: str, review: dict | None, role: str | None = None,
          ) -> None:
    day = today()
    case.closed_on = day
    if case.outcome == Outcome.PENDING.value:
        case.outcome = Outcome.CORRECTED.value
    documents.issue_closing(case, actor, reason, day, review)
    log(case, "close", actor, reason, to=S.CLOSED, role=role, review=review)
    from .credit import on_finished

    on_finished(case)


def _dispatch(case: Case, actor: str) -> None:
    """Send the 复查 visit like any visit (server/services/dispatch.py)."""
    from .dispatch import DispatchError, dispatch_task

    fc = case.reinspections[-1].visit.task
    db.session.commit()  # dispatch runs its own transaction
    try:
        dispatch_task(fc.task_no, actor)
    except DispatchError as exc:
        raise CaseError(exc.status, f"复查已安排，但派发失败：{exc.message}") from None


def summary(case: Case) -> dict[str, Any]:
    return {"id": case.id, "case_no": case.case_no, "state": case.state,
            "state_label": STATES[case.state], "enterprise": case.enterprise.name,
            "uscc": case.enterprise.uscc, "task_no": case.task.task_no,
            "opened_on": case.opened_on, "inspected_on": case.inspected_on,
            "closed_on": case.closed_on, "outcome": case.outcome, "findings": case.findings,
            "major_findings": case.major_findings, "pending_review": case.pending,
            "archive_no": case.archive_no, "dossier_version": case.dossier_version}
