"""后续处置: findings, rectification deadlines, 复查 visits, and what is overdue.

A 复查 is a visit like any other so that it reaches the tablets through the
dispatch service and comes back through the sync API unchanged. It lives in
a per-task companion task (``<task_no>-FC``, rules ``{"reinspection_of": …}``)
rather than in the drawn task itself: a later redraw or joint-task merge of
the drawn task must never supersede or withdraw a re-inspection. Each 复查
visit hangs off its own append-only ``DrawRecord`` of kind ``reinspection``
that says plainly it is an assignment, not a random draw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from shared.enums import ItemResult, OrderKind
from shared.lifecycle import DrawKind, TaskStatus, VisitStatus
from shared.text import strip_invisible

from ..extensions import db
from ..localtime import local_date
from ..models import DrawRecord, Inspector, Task, User, Visit, VisitMember
from ..models.case import Case, CaseHazard, Reinspection
from ..models.sync import Blob, SyncRecord, SyncRecordVersion
from .errors import ServiceError

REINSPECTION_KIND = DrawKind.REINSPECTION.value
REINSPECTION_SUFFIX = "-FC"
# Days after the rectification deadline by which the 复查 should be done.
REINSPECTION_GRACE_DAYS = 3


class FollowupError(ServiceError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, status)


# -- records and evidence ------------------------------------------------------

@dataclass
class RecordRef:
    uuid: str
    version: int
    body: bytes
    data: dict[str, Any]
    missing: list[str] = field(default_factory=list)
    versions: int = 1
    # Who sent this version, from the token that uploaded it – never from the body.
    submitted_by: str = ""

    @property
    def complete(self) -> bool:
        return not self.missing


def person_name(user: User | None) -> str:
    """A person's name for documents and the case history (never a login name
    where the person is known to the registries)."""
    if user is None:
        return "未知人员"
    if user.inspector is not None:
        return user.inspector.name
    return user.display_name or user.username


def record_for_visit(visit_id: int, version: int | None = None, *,
                     uuid: str | None = None) -> RecordRef | None:
    """The visit's synced record (its current version unless ``version`` is pinned).

    A case pins the record it was built from (``uuid``): a second record later
    uploaded for the same visit never takes its place silently."""
    query = sa.select(SyncRecord).where(SyncRecord.visit_id == visit_id)
    if uuid is not None:
        query = query.where(SyncRecord.uuid == uuid)
    head = db.session.scalar(query.order_by(SyncRecord.id).limit(1))
    if head is None:
        return None
    row = db.session.scalar(sa.select(SyncRecordVersion).where(
        SyncRecordVersion.uuid == head.uuid,
        SyncRecordVersion.version == (version or head.version)))
    if row is None:
        return None
    hashes = list(row.blob_hashes or [])
    held = set(db.session.scalars(sa.select(Blob.sha256).where(
        Blob.sha256.in_(hashes), Blob.complete.is_(True)))) if hashes else set()
    return RecordRef(head.uuid, row.version, bytes(row.body), _readable(json.loads(row.body)),
                     [h for h in hashes if h not in held], head.version,
                     person_name(db.session.get(User, row.user_id)))


def _readable(value: Any) -> Any:
    """The record's values as the server uses them (case rows, documents, search):
    without the bidi and zero-width characters a tablet keyboard can slip in, which
    print reversed in a PDF and defeat search. The stored bytes stay as sent."""
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    return value


def evidence_path(sha256: str) -> Path:
    # Same layout as server/services/sync/blobs.py (EVIDENCE_DIR/ab/abcd…).
    return Path(current_app.config["EVIDENCE_DIR"]) / sha256[:2] / sha256


def evidence_bytes(sha256: str) -> bytes | None:
    path = evidence_path(sha256)
    return path.read_bytes() if path.is_file() else None


# -- hazards --------------------------------------------------------------------

def load_hazards(case: Case, record: dict[str, Any], today: date) -> None:
    """Copy the record's hazards onto the case (once, at inspection)."""
    for h in record.get("hazards", []):
        kinds = {o["kind"] for o in h["orders"]}
        deadlines = [date.fromisoformat(o["deadline"]) for o in h["orders"] if o.get("deadline")]
        on_site = kinds == {OrderKind.FIXED_ON_SITE.value}
        db.session.add(CaseHazard(
            case_id=case.id, hazard_uuid=h["id"], item_code=h.get("item_code"),
            description=h["description"], location=h.get("location", ""), level=h["level"],
            legal_basis=h.get("legal_basis", ""), orders=h["orders"],
            deadline=max(deadlines) if deadlines else None,
            status="fixed_on_site" if on_site else "open",
            rectified_on=local_date(record["finished_at"]) if on_site else None))
    db.session.flush()
    db.session.refresh(case)
    case.findings = len(case.hazards)
    case.major_findings = sum(h.level == "major" for h in case.hazards)


def open_hazards(case: Case) -> list[CaseHazard]:
    return [h for h in case.hazards if h.status == "open"]


def order_kinds(case: Case) -> set[str]:
    return {o["kind"] for h in case.hazards for o in h.orders}


def apply_reinspection(case: Case, re: Reinspection, record: dict[str, Any],
                       ) -> list[tuple[CaseHazard, bool, str]]:
    """Judge each open hazard by the 复查 record: its item now 符合/不适用 and no
    hazard left on it → rectified. Hazards without an item need a record with
    no item-less hazard."""
    results = {i["code"]: i for i in record["items"]}
    remaining = {h.get("item_code") for h in record.get("hazards", [])}
    day = local_date(record["finished_at"])
    out = []
    for h in open_hazards(case):
        item = results.get(h.item_code) if h.item_code else None
        ok = h.item_code not in remaining and (
            item is None or item["result"] != ItemResult.NONCOMPLIANT.value)
        note = item.get("note", "") if item else ""
        if ok:
            h.status, h.rectified_on = "rectified", day
        out.append((h, ok, note))
    re.result = "rectified" if all(ok for _, ok, _ in out) else "not_rectified"
    re.done_on = day
    return out


# -- re-inspection visits ---------------------------------------------------------

def reinspection_task(task: Task, due_on: date) -> Task:
    task_no = f"{task.task_no}{REINSPECTION_SUFFIX}"
    fc = db.session.scalar(sa.select(Task).where(Task.task_no == task_no))
    if fc is None:
        fc = Task(task_no=task_no, plan_id=task.plan_id, name=f"{task.name}（整改复查）",
                  draw_type=task.draw_type, ratio="复查", item_scope="原检查发现问题的事项",
                  target_filter="需整改复查的检查对象", department=task.department,
                  joint_departments=[], window_start=min(task.window_start, due_on),
                  window_end=due_on, team_size=task.team_size, unannounced=False,
                  rules={"reinspection_of": task.task_no}, status=TaskStatus.DRAWN.value)
        db.session.add(fc)
        db.session.flush()
    fc.window_end = max(fc.window_end, due_on)
    return fc


def is_reinspection_visit(visit: Visit) -> bool:
    return visit.task.is_reinspection


def _team(case: Case, certs: list[str] | None) -> list[tuple[Inspector, bool]]:
    original = [(m.inspector, m.leader) for m in case.visit.members]
    if not certs:
        return original
    found = {i.cert_no: i for i in db.session.scalars(
        sa.select(Inspector).where(Inspector.cert_no.in_(certs)))}
    unknown = [c for c in certs if c not in found]
    if unknown:
        raise FollowupError(422, f"执法证号{'、'.join(unknown)}不在执法人员名录库中")
    if len(set(certs)) < 2:
        raise FollowupError(422, "复查人员不少于2名")
    uscc = case.enterprise.uscc
    conflicted = [found[c].name for c in certs if uscc in (found[c].conflicts or [])]
    if conflicted:
        raise FollowupError(422, f"{'、'.join(conflicted)}与该单位有利害关系，应当回避")
    return [(found[c], i == 0) for i, c in enumerate(dict.fromkeys(certs))]


def create_reinspection(case: Case, actor: str, due_on: date, certs: list[str] | None,
                        reason: str) -> Reinspection:
    """The 复查 visit (same team unless recused), ready for ``dispatch_task``."""
    team = _team(case, certs)
    if certs and {i.cert_no for i, _ in team} != {m.inspector.cert_no for m in case.visit.members}:
        if not reason.strip():
            raise FollowupError(422, "更换复查人员（回避）须说明理由")
    items = list(dict.fromkeys(h.item_code for h in open_hazards(case) if h.item_code))
    items = items or list(case.visit.item_codes)
    fc = reinspection_task(case.task, due_on)
    seq = len(case.reinspections) + 1
    from .dispatch import now as bureau_now

    now = bureau_now()  # in step with the bureau day the case moves on
    assignment = {
        "format": "suicha-reinspection-assignment/1", "case_no": case.case_no,
        "source_visit": case.visit_id, "seq": seq, "enterprise": case.enterprise.uscc,
        "inspectors": [i.cert_no for i, _ in team],
        "leader": next(i.cert_no for i, lead in team if lead), "items": items,
        "due_on": due_on.isoformat(), "note": "整改复查由原检查组承担（回避除外），不是随机抽取",
        # Same envelope as a draw record's, so `flask draw export` can hand it out.
        "meta": {"kind": REINSPECTION_KIND, "actor": actor, "reason": reason,
                 "created_at": now.isoformat(), "task_no": fc.task_no},
    }
    text = json.dumps(assignment, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    rec = DrawRecord(task_id=fc.id, kind=REINSPECTION_KIND, parent_id=case.visit.draw_record_id,
                     actor=actor, reason=reason or f"案件{case.case_no}整改复查", created_at=now,
                     seed="", seed_commitment="", pool_hash=digest, algorithm_version="复查指派/1",
                     pool_size=0, record_json=text,
                     result={"visits": [{k: assignment[k] for k in
                                         ("inspectors", "leader", "items")}
                                        | {"uscc": case.enterprise.uscc, "experts": []}],
                                "reinspection": True})
    db.session.add(rec)
    db.session.flush()
    visit = Visit(task_id=fc.id, draw_record_id=rec.id, enterprise_id=case.enterprise_id,
                  joint_task_nos=[], item_version=case.visit.item_version, item_codes=items,
                  expert_names=[], status=VisitStatus.DRAWN.value, current=True)
    visit.members = [VisitMember(inspector_id=i.id, leader=lead) for i, lead in team]
    db.session.add(visit)
    db.session.flush()
    re = Reinspection(seq=seq, visit_id=visit.id, due_on=due_on, requested_by=actor,
                      reason=reason)
    case.reinspections.append(re)
    db.session.flush()
    return re


def default_due(case: Case, today: date) -> date:
    deadlines = [h.deadline for h in open_hazards(case) if h.deadline]
    base = max(deadlines) if deadlines else today
    return max(base, today) + timedelta(days=REINSPECTION_GRACE_DAYS)


# -- overdue ----------------------------------------------------------------------

def overdue(today: date) -> list[dict[str, Any]]:
    """What the dispatcher must chase: deadlines passed without a report, 复查 not done."""
    out: list[dict[str, Any]] = []
    rows = db.session.execute(
        sa.select(CaseHazard, Case).join(Case, Case.id == CaseHazard.case_id).where(
            CaseHazard.status == "open", CaseHazard.deadline < today,
            CaseHazard.reported_on.is_(None), Case.state.in_(("orders_issued",)))
        .order_by(CaseHazard.deadline, CaseHazard.id)).all()
    for h, case in rows:
        out.append({"kind": "rectification", "case_id": case.id, "case_no": case.case_no,
                    "enterprise": case.enterprise.name, "due_on": h.deadline.isoformat(),
                    "days_overdue": (today - h.deadline).days,
                    "what": f"整改期限已过，企业未报告整改：{h.description}"})
    res = db.session.execute(
        sa.select(Reinspection, Case).join(Case, Case.id == Reinspection.case_id).where(
            Reinspection.done_on.is_(None), Reinspection.due_on < today,
            Case.state == "reinspection").order_by(Reinspection.due_on)).all()
    for re, case in res:
        out.append({"kind": "reinspection", "case_id": case.id, "case_no": case.case_no,
                    "enterprise": case.enterprise.name, "due_on": re.due_on.isoformat(),
                    "days_overdue": (today - re.due_on).days,
                    "what": f"第{re.seq}次复查逾期未完成"})
    out.sort(key=lambda r: (-r["days_overdue"], r["case_id"]))
    return out
