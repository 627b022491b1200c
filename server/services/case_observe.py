"""What the system observes about a case, applied the moment its cause happens.

A draw (new or replaced visits), a dispatch (通知书 served), a record or the
last of its evidence arriving from a tablet: each of those services calls one
function here right after its own commit. Nothing else moves a case on the
system's behalf – listing cases, opening a case or the dashboard only reads
(a GET never writes).

The observation itself is ``observe``: per case, in its own transaction, and
never able to undo what caused it (the record or blob is already committed
and acknowledged). If it fails, the cause stays stored and ``flask case
observe`` applies it later; the failure is logged for the operator.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app

from shared.lifecycle import CaseState

from ..extensions import db
from ..localtime import local_date
from ..models import Visit
from ..models.case import Case, Reinspection
from ..models.sync import Dispatch, SyncRecord, SyncRecordVersion
from . import case_documents as documents
from . import cases, credit, followup
from .errors import ServiceError

# States in which the case waits for something a tablet or a dispatch brings.
WAITING = (CaseState.DRAWN, CaseState.NOTIFIED, CaseState.REINSPECTION)
# States after the inspection record was taken in: a newer version is an amendment.
AMENDABLE = (CaseState.INSPECTED, CaseState.ORDERS_ISSUED, CaseState.RECTIFICATION_REPORTED,
             CaseState.REINSPECTION, CaseState.REINSPECTED, CaseState.CLOSED,
             CaseState.PENALTY, CaseState.TRANSFERRED, CaseState.ARCHIVED)


# -- the causes ----------------------------------------------------------------------

def after_draw() -> None:
    """A draw, redraw or adjustment committed: open cases for the new visits,
    cancel those whose visit was replaced (a joint draw may replace a sibling
    task's visit, so this looks at every case not yet inspected)."""
    cases.ensure_cases()
    replaced = db.session.scalars(
        sa.select(Case.id).join(Visit, Visit.id == Case.visit_id).where(
            Case.state.in_((CaseState.DRAWN, CaseState.NOTIFIED)), Visit.current.is_(False))
        .order_by(Case.id)).all()
    for case_id in replaced:
        observe(case_id)


def after_dispatch(visit_ids: Iterable[int]) -> None:
    observe_visits(visit_ids)


def after_record(visit_id: int) -> None:
    observe_visits([visit_id])


def after_blob(sha256: str) -> None:
    """The last missing evidence file of a record may just have arrived."""
    # Hashes are 64 hex digits, so a text match on the stored JSON list is exact
    # enough to narrow the search; observe() re-checks completeness itself.
    rows = db.session.scalars(
        sa.select(SyncRecord.visit_id).join(SyncRecordVersion, sa.and_(
            SyncRecordVersion.uuid == SyncRecord.uuid,
            SyncRecordVersion.version == SyncRecord.version))
        .where(sa.cast(SyncRecordVersion.blob_hashes, sa.Text).contains(sha256))).all()
    observe_visits(rows)


# -- the step ------------------------------------------------------------------------

def cases_of(visit_ids: Iterable[int]) -> list[Case]:
    ids = sorted(set(visit_ids))
    if not ids:
        return []
    own = sa.select(Case.id).where(Case.visit_id.in_(ids))
    fc = sa.select(Reinspection.case_id).where(Reinspection.visit_id.in_(ids))
    return list(db.session.scalars(sa.select(Case).where(
        sa.or_(Case.id.in_(own), Case.id.in_(fc))).order_by(Case.id)))


def observe_visits(visit_ids: Iterable[int]) -> int:
    """Observe every case the visits belong to; the number of cases that moved."""
    return sum(observe(case.id) for case in cases_of(visit_ids))


def observe_all() -> int:
    """Catch up with everything stored (``flask case observe``, after a failure)."""
    cases.ensure_cases()
    ids = db.session.scalars(sa.select(Case.id).where(
        Case.state.not_in((CaseState.CANCELLED,))).order_by(Case.id)).all()
    return sum(observe(i) for i in ids)


def observe(case_id: int) -> bool:
    """Apply what has arrived for one case; True if it changed. Commits.

    Two arrivals for one case at once (a record and its last photo) may both
    get here; the loser of the state compare-and-set looks again, and then
    finds the winner's work done."""
    for _ in range(2):
        try:
            moved = _observe(db.session.get(Case, case_id, populate_existing=True))
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            if exc.status == 409:
                continue
            current_app.logger.error("case %s not observed: %s", case_id, exc.message)
            return False
        except Exception:
            db.session.rollback()
            current_app.logger.exception("case %s not observed; `flask case observe` "
                                         "will retry", case_id)
            return False
        if moved:
            cases.propose(db.session.get(Case, case_id))
        return moved
    return False


def _observe(case: Case) -> bool:
    state = CaseState(case.state)
    if state in (CaseState.DRAWN, CaseState.NOTIFIED) and not case.visit.current:
        cases.log(case, "cancel", "system", "重新抽取后该检查对象已被替换",
                  to=CaseState.CANCELLED)
        return True
    moved = False
    if state in (CaseState.DRAWN, CaseState.NOTIFIED):
        ref = followup.record_for_visit(case.visit_id)
        if ref is not None and ref.complete:
            documents.prepare(ref.data)  # image work before this transaction's first write
    if state == CaseState.DRAWN:
        d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == case.visit_id))
        if d is not None and not case.task.unannounced:
            cases.log(case, "notify", d.dispatched_by, f"已派发并告知（{d.notice_no}）",
                      to=CaseState.NOTIFIED)
            moved = True
    if case.state in (CaseState.DRAWN, CaseState.NOTIFIED):
        ref = followup.record_for_visit(case.visit_id)
        if ref is not None and ref.complete:
            _inspected(case, ref)
            return True
        return moved
    if case.state == CaseState.REINSPECTION:
        re = case.reinspections[-1]
        ref = followup.record_for_visit(re.visit_id)
        if ref is not None and ref.complete:
            _reinspected(case, re, ref)
            return True
    if case.state in AMENDABLE:
        return _amended(case)
    return moved


def _inspected(case: Case, ref: followup.RecordRef) -> None:
    data = ref.data
    documents.prepare(data)  # decode signatures before the first write
    if case.state == CaseState.DRAWN:  # 暗查: the notice was served at the door
        cases.log(case, "notify", ref.submitted_by, "暗查：现场出示通知书",
                  to=CaseState.NOTIFIED)
    case.record_uuid, case.record_version = ref.uuid, ref.version
    case.inspected_on = local_date(data["finished_at"])
    credit.on_inspected(case)
    followup.load_hazards(case, data, case.inspected_on)
    case.outcome = data["outcome"]
    documents.issue_inspection_record(case, data, "system")
    cases.log(case, "inspect", ref.submitted_by,
              f"现场检查记录（第{ref.version}版）已同步，发现问题{case.findings}项",
              to=CaseState.INSPECTED, data={"record": ref.uuid, "version": ref.version})
    if not case.hazards:
        cases.close(case, "system", cases.AUTO_CLOSE_REASON, None)


def _reinspected(case: Case, re: Reinspection, ref: followup.RecordRef) -> None:
    documents.prepare(ref.data)
    re.record_uuid, re.record_version = ref.uuid, ref.version
    results = followup.apply_reinspection(case, re, ref.data)
    documents.issue_reinspection_opinion(case, re, ref.data, results, "system")
    left = sum(not ok for _, ok, _ in results)
    why = "复查合格，隐患已全部整改" if not left else f"复查发现{left}项隐患未整改"
    cases.log(case, "reinspect", ref.submitted_by, f"第{re.seq}次复查记录已同步：{why}",
              to=CaseState.REINSPECTED, data={"record": ref.uuid, "version": ref.version,
                                              "left": left})


def _amended(case: Case) -> bool:
    """A newer version of the case's own inspection record arrived.

    A case the system closed by itself because the record found nothing is
    reopened when an amendment reports hazards (the automatic close rested on
    the old version). Anywhere else – a person has acted on the old version,
    or the file is archived and frozen – the amendment is logged once, for a
    person to take in (an archivist's 更正 brings it into a new dossier version).
    """
    if not case.record_uuid or not case.record_version:
        return False
    ref = followup.record_for_visit(case.visit_id, uuid=case.record_uuid)
    if ref is None or ref.versions <= case.record_version or not ref.complete:
        return False
    seen = {e.data.get("late_version") for e in case.events
            if e.action in ("late_amendment", "reopen")}
    if ref.versions in seen:
        return False
    if case.state == CaseState.CLOSED and _closed_by_system(case) and ref.data.get("hazards"):
        _reopen(case, ref)
        return True
    where = "归档后" if case.state == CaseState.ARCHIVED else "案件办理中"
    after = ("未并入已归档案卷；如需并入请由档案员提交更正" if case.state == CaseState.ARCHIVED
             else f"案件仍按第{case.record_version}版办理，请核对后处理")
    cases.log(case, "late_amendment", "system",
              f"{where}收到检查记录第{ref.versions}版（{ref.submitted_by}提交），{after}",
              data={"late_version": ref.versions, "record": ref.uuid})
    return True


def _closed_by_system(case: Case) -> bool:
    closing = [e for e in case.events if e.to_state == CaseState.CLOSED
               and e.from_state != CaseState.CLOSED]
    return bool(closing) and closing[-1].actor == "system" and not case.reinspections


def _reopen(case: Case, ref: followup.RecordRef) -> None:
    documents.prepare(ref.data)
    data = ref.data
    cases.log(case, "reopen", "system",
              f"自动办结后收到检查记录第{ref.versions}版，新增隐患{len(data['hazards'])}项，"
              "案件重新开启", to=CaseState.INSPECTED,
              data={"late_version": ref.versions, "record": ref.uuid})
    case.record_version = ref.version
    case.closed_on = None
    case.outcome = data["outcome"]
    followup.load_hazards(case, data, case.inspected_on)
    documents.issue_inspection_record(case, data, "system")
