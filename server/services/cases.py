"""案件 state machine: from the draw to 销号, or to a penalty case / transfer.

    drawn → notified → inspected ─(no findings)──────────────────────→ closed
                                 └→ orders_issued → rectification_reported
                                      → reinspection → reinspected → closed (销号)
                       any open step ─(法制审核)→ penalty | transferred
    closed | penalty | transferred → archived (frozen; corrections are versions)

The steps the system observes (dispatch, a synced record, a synced 复查
record) are applied by ``refresh`` with the system as actor; the others are
``act`` calls by a person. Every step appends a ``CaseEvent`` with who, when,
why. Escalation, and closing a case with a major hazard (重大事故隐患), wait for
a reviewer (重大执法决定法制审核) before they take effect.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from shared.enums import Outcome

from ..extensions import db
from ..models import Visit
from ..models._types import utcnow
from ..models.case import Case, CaseEvent
from ..models.sync import Dispatch
from . import case_documents as documents
from . import followup
from .followup import FollowupError as CaseError

STATES: dict[str, str] = {
    "drawn": "已抽取", "notified": "已告知", "inspected": "已检查",
    "orders_issued": "已下达整改指令", "rectification_reported": "企业已报告整改",
    "reinspection": "复查中", "reinspected": "已复查", "closed": "已销号办结",
    "penalty": "已转立案处罚", "transferred": "已移送", "cancelled": "已撤销",
    "archived": "已归档",
}
FINISHED = ("closed", "penalty", "transferred")
OPEN_AFTER_INSPECTION = ("inspected", "orders_issued", "rectification_reported", "reinspected")
# Manual actions: the states they start from.
ACTIONS: dict[str, tuple[str, ...]] = {
    "issue_orders": ("inspected",),
    "report_rectification": ("orders_issued",),
    "schedule_reinspection": ("orders_issued", "rectification_reported", "reinspected"),
    "close": ("inspected", "reinspected"),
    "escalate": OPEN_AFTER_INSPECTION + ("reinspection",),
}
ACTION_LABELS = {"issue_orders": "下达整改指令", "report_rectification": "登记企业整改报告",
                 "schedule_reinspection": "安排复查", "close": "销号办结",
                 "escalate": "转立案处罚/移送", "archive": "归档"}
# Visit.status values publication already understands (server/services/publication.py).
_VISIT_STATUS = {"orders_issued": "following_up", "rectification_reported": "rectifying",
                 "reinspection": "following_up", "reinspected": "reinspected",
                 "closed": "closed", "penalty": "closed", "transferred": "closed",
                 "archived": "archived"}
BUSY_MESSAGE = "其他人正在办理该案件，请刷新后重试"
FROZEN_MESSAGE = "案件已归档（冻结），不能修改；如需更正，请由档案员提交更正，系统将生成新版本"


def today() -> date:
    from . import dispatch

    return dispatch.today()


# -- events ---------------------------------------------------------------------

def log(case: Case, action: str, actor: str, reason: str, *, to: str | None = None,
        role: str | None = None, review: dict | None = None, data: dict | None = None) -> None:
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
        if to in _VISIT_STATUS:
            case.visit.status = _VISIT_STATUS[to]
    db.session.flush()


# -- creation and observation -----------------------------------------------------

def ensure_cases() -> int:
    """One case per current drawn visit (re-inspection visits belong to their case)."""
    rows = db.session.scalars(
        sa.select(Visit).outerjoin(Case, Case.visit_id == Visit.id)
        .where(Case.id.is_(None), Visit.current.is_(True)).order_by(Visit.id)).all()
    made = 0
    for visit in rows:
        if followup.is_reinspection_visit(visit):
            continue
        case = Case(visit_id=visit.id, task_id=visit.task_id, enterprise_id=visit.enterprise_id,
                    state="drawn", opened_on=today(),
                    handlers=[m.inspector.name for m in visit.members])
        db.session.add(case)
        db.session.flush()
        case.case_no = f"AJ{case.opened_on.year}-{case.id:05d}"
        case.state = "drawn"
        log(case, "open", "system", f"随机抽取产生检查对象（抽取记录第{visit.draw_record_id}号）",
            to="drawn")
        made += 1
    db.session.commit()
    return made


def refresh(case: Case) -> Case:
    """Apply what the system has observed since the last look; commits if anything moved."""
    if case.state == "archived":
        _note_late_amendment(case)
        return case
    moved = False
    if case.state in ("drawn", "notified") and not case.visit.current:
        log(case, "cancel", "system", "重新抽取后该检查对象已被替换", to="cancelled")
        moved = True
    if case.state == "drawn":
        d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == case.visit_id))
        if d is not None and d.withdrawn_at is None and not case.task.unannounced:
            log(case, "notify", d.dispatched_by, f"已派发并告知（{d.notice_no}）", to="notified")
            moved = True
    if case.state in ("drawn", "notified"):
        ref = followup.record_for_visit(case.visit_id)
        if ref is not None and ref.complete:
            _inspected(case, ref)
            moved = True
    if case.state == "reinspection":
        re = case.reinspections[-1]
        ref = followup.record_for_visit(re.visit_id)
        if ref is not None and ref.complete:
            _reinspected(case, re, ref)
            moved = True
    if moved:
        db.session.commit()
        _propose(case)
    return case


def refresh_all(state: str | None = None) -> list[Case]:
    ensure_cases()
    query = sa.select(Case).order_by(Case.id)
    cases = list(db.session.scalars(query))
    for case in cases:
        if case.state not in FINISHED + ("cancelled",):
            refresh(case)
    return [c for c in cases if state is None or c.state == state]


def on_withdrawn(visit_id: int, actor: str, reason: str) -> None:
    """A person took the visit back from the tablets: a case not yet inspected is
    cancelled (已撤销) with the reason; a later one only records the withdrawal.
    Called by the dispatch service inside its transaction."""
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit_id))
    if case is None or case.state == "archived":
        return
    to = "cancelled" if case.state in ("drawn", "notified") else None
    log(case, "withdraw", actor, f"撤回派发：{reason}", to=to)


def on_redispatched(visit_id: int, actor: str, notice_no: str) -> None:
    """A withdrawn visit sent again: its cancelled case is open again (已告知)."""
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit_id))
    if case is None or case.state != "cancelled" or not case.visit.current:
        return
    to = "drawn" if case.task.unannounced else "notified"
    log(case, "notify", actor, f"重新派发并告知（{notice_no}）", to=to)


def _inspected(case: Case, ref: followup.RecordRef) -> None:
    data = ref.data
    if case.state == "drawn":  # 暗查: the notice was served at the door
        log(case, "notify", data["submitted_by"], "暗查：现场出示通知书", to="notified")
    case.record_uuid, case.record_version = ref.uuid, ref.version
    case.inspected_on = followup.local_date(data["finished_at"])
    followup.load_hazards(case, data, case.inspected_on)
    case.outcome = data["outcome"]
    documents.issue_inspection_record(case, data, "system")
    log(case, "inspect", data["submitted_by"],
        f"现场检查记录已同步（{ref.uuid} 第{ref.version}版），发现问题{case.findings}项",
        to="inspected", data={"record": ref.uuid, "version": ref.version})
    if not case.hazards:
        _close(case, "system", "现场检查未发现问题，自动办结", None)


def _reinspected(case: Case, re, ref: followup.RecordRef) -> None:
    re.record_uuid, re.record_version = ref.uuid, ref.version
    results = followup.apply_reinspection(case, re, ref.data)
    documents.issue_reinspection_opinion(case, re, ref.data, results, "system")
    left = sum(not ok for _, ok, _ in results)
    why = "复查合格，隐患已全部整改" if not left else f"复查发现{left}项隐患未整改"
    log(case, "reinspect", ref.data["submitted_by"], f"第{re.seq}次复查记录已同步：{why}",
        to="reinspected", data={"record": ref.uuid, "version": ref.version, "left": left})


def _note_late_amendment(case: Case) -> None:
    """A tablet amendment after archiving never enters the frozen file; it is logged."""
    ref = followup.record_for_visit(case.visit_id)
    if ref is None or case.record_version is None or ref.versions <= case.record_version:
        return
    seen = {e.data.get("late_version") for e in case.events if e.action == "late_amendment"}
    if ref.versions in seen:
        return
    log(case, "late_amendment", "system",
        f"归档后收到检查记录第{ref.versions}版，未并入已归档案卷；如需并入请提交更正",
        data={"late_version": ref.versions})
    db.session.commit()


def _propose(case: Case) -> None:
    """Hand the known result to 一公开 (it commits itself; errors are not ours to fix)."""
    if case.state not in ("inspected", "closed", "penalty", "transferred") or not case.outcome:
        return
    from .publication import PublicationError, propose_result

    try:
        propose_result(case.visit_id, case.outcome, case.inspected_on, case.visit.item_codes,
                       actor="system")
    except PublicationError:
        db.session.rollback()


# -- people's actions ----------------------------------------------------------------

def get(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise CaseError(404, f"案件{case_id}不存在")
    return case


def writable(case: Case) -> Case:
    if case.state == "archived":
        raise CaseError(409, FROZEN_MESSAGE)
    return case


def act(case_id: int, action: str, actor: str, role: str, reason: str = "",
        **params: Any) -> Case:
    case = writable(refresh(get(case_id)))
    if case.pending:
        raise CaseError(409, "该案件有待法制审核的事项，审核后再操作")
    if action not in ACTIONS:
        raise CaseError(422, f"未知的操作：{action}")
    if case.state not in ACTIONS[action]:
        raise CaseError(409, f"案件当前状态为“{STATES[case.state]}”，不能{ACTION_LABELS[action]}")
    try:
        if action == "escalate" or (action == "close" and case.major_findings):
            _request_review(case, action, actor, role, reason, params)
        else:
            _apply(case, action, actor, role, reason, params, None)
        db.session.commit()
    except IntegrityError:
        # Someone else moved the case at the same moment: unique (case_id, seq) on
        # the events lets exactly one of us through.
        db.session.rollback()
        raise CaseError(409, BUSY_MESSAGE) from None
    except Exception:
        db.session.rollback()
        raise
    _propose(case)
    return case


def _request_review(case: Case, action: str, actor: str, role: str, reason: str,
                    params: dict[str, Any]) -> None:
    if not reason.strip():
        raise CaseError(422, "须说明理由，提交法制审核")
    _check(case, action, params)
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
    try:
        case.pending = None
        if approve:
            _apply(case, pending["action"], pending["by"], pending["role"], pending["reason"],
                   pending["params"], stamp)
        else:
            if not note.strip():
                raise CaseError(422, "退回须填写审核意见")
            log(case, "review_rejected", reviewer, f"法制审核退回：{note}", role="reviewer",
                review=stamp, data={"action": pending["action"]})
        db.session.commit()
    except IntegrityError:
        # Someone else moved the case at the same moment: unique (case_id, seq) on
        # the events lets exactly one of us through.
        db.session.rollback()
        raise CaseError(409, BUSY_MESSAGE) from None
    except Exception:
        db.session.rollback()
        raise
    _propose(case)
    return case


def _check(case: Case, action: str, params: dict[str, Any]) -> None:
    if action == "close":
        left = followup.open_hazards(case)
        if left:
            raise CaseError(409, f"尚有{len(left)}项隐患未整改，不能销号")
    if action == "escalate":
        if params.get("to") not in ("penalty", "transfer"):
            raise CaseError(422, "转办去向应为penalty（立案处罚）或transfer（移送）")
        if params["to"] == "transfer" and not (params.get("transfer_to") or "").strip():
            raise CaseError(422, "移送须写明移送机关")


def _apply(case: Case, action: str, actor: str, role: str, reason: str,
           params: dict[str, Any], review: dict | None) -> None:
    _check(case, action, params)
    day = today()
    if action == "issue_orders":
        if not followup.open_hazards(case):
            raise CaseError(409, "没有需要限期整改的隐患")
        ref = followup.record_for_visit(case.visit_id, case.record_version)
        issued = documents.issue_orders(case, ref.data, actor, day)
        numbers = "、".join(d.number for d in issued)
        log(case, action, actor, reason or f"下达{numbers}", to="orders_issued", role=role,
            data={"documents": [d.id for d in issued]})
    elif action == "report_rectification":
        reported = params.get("reported_on") or day
        for h in followup.open_hazards(case):
            h.reported_on = reported
        log(case, action, actor, reason or "企业报告已完成整改", to="rectification_reported",
            role=role, data={"reported_on": reported.isoformat()})
    elif action == "schedule_reinspection":
        due = params.get("due_on") or followup.default_due(case, day)
        re = followup.create_reinspection(case, actor, due, params.get("team"), reason)
        log(case, action, actor, reason or f"安排第{re.seq}次复查，{due.isoformat()}前完成",
            to="reinspection", role=role, data={"visit_id": re.visit_id, "due_on": due.isoformat()})
        _dispatch(case, actor)
    elif action == "close":
        _close(case, actor, reason or "隐患已整改完毕，予以销号", review, role)
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


def _close(case: Case, actor: str, reason: str, review: dict | None, role: str | None = None,
           ) -> None:
    day = today()
    case.closed_on = day
    if case.outcome == Outcome.PENDING.value:
        case.outcome = Outcome.CORRECTED.value
    documents.issue_closing(case, actor, reason, day, review)
    log(case, "close", actor, reason, to="closed", role=role, review=review)
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
