"""Findings feed the enterprise's credit record; a rule proposes 黑名单 entries.

The rule is configuration (``BLACKLIST_RULE`` in the app config), because
bureaus differ; the default proposes an enterprise that, within the last 365
days, had a case escalated to a penalty, or two or more 重大事故隐患. A
proposal changes nothing until a reviewer approves it; the approval is the
registry change and goes to the audit log like any other.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import AuditLog, Enterprise
from ..models._types import utcnow
from ..models.case import BlacklistProposal, Case, CaseHazard, EnterpriseCredit
from . import dispatch
from .followup import FollowupError

DEFAULT_RULE: dict[str, int] = {"window_days": 365, "major_findings": 2, "penalty_cases": 1}


def rule() -> dict[str, int]:
    return {**DEFAULT_RULE, **(current_app.config.get("BLACKLIST_RULE") or {})}


def on_finished(case: Case) -> None:
    """A case closed, escalated or transferred: update the enterprise, maybe propose."""
    ent = case.enterprise
    db.session.flush()
    finished = list(db.session.scalars(sa.select(Case).where(
        Case.enterprise_id == ent.id, Case.state.in_(("closed", "penalty", "transferred",
                                                      "archived")))))
    open_major = db.session.scalar(
        sa.select(sa.func.count(CaseHazard.id)).join(Case, Case.id == CaseHazard.case_id).where(
            Case.enterprise_id == ent.id, CaseHazard.status.in_(("open", "escalated")),
            CaseHazard.level == "major")) or 0
    open_any = db.session.scalar(
        sa.select(sa.func.count(CaseHazard.id)).join(Case, Case.id == CaseHazard.case_id).where(
            Case.enterprise_id == ent.id, CaseHazard.status.in_(("open", "escalated")))) or 0
    credit = db.session.get(EnterpriseCredit, ent.id) or EnterpriseCredit(enterprise_id=ent.id)
    credit.cases_closed = len(finished)
    credit.findings = sum(c.findings for c in finished)
    credit.major_findings = sum(c.major_findings for c in finished)
    credit.penalty_cases = sum(c.state == "penalty" or c.outcome == "penalty" for c in finished)
    credit.open_hazards = open_any
    credit.last_closed_on = case.closed_on
    db.session.add(credit)
    before = {"last_inspected": _iso(ent.last_inspected), "major_hazard": ent.major_hazard}
    _advance_last_inspected(ent, case)
    ent.major_hazard = open_major > 0
    after = {"last_inspected": _iso(ent.last_inspected), "major_hazard": ent.major_hazard}
    if before != after:
        db.session.add(AuditLog(actor="system", action="update", entity="enterprises",
                                entity_key=ent.uscc, before=before, after=after,
                                source=f"案件{case.case_no}办结"))
    _maybe_propose(case)


def on_inspected(case: Case) -> None:
    """The inspection record arrived: the registry's 上次检查 is that day from now
    on, not only once the case is closed (the 一企一档 lists the inspection at
    once and must not say 无 above it)."""
    ent = case.enterprise
    before = _iso(ent.last_inspected)
    if _advance_last_inspected(ent, case):
        db.session.add(AuditLog(actor="system", action="update", entity="enterprises",
                                entity_key=ent.uscc, before={"last_inspected": before},
                                after={"last_inspected": _iso(ent.last_inspected)},
                                source=f"案件{case.case_no}现场检查记录已同步"))


def _advance_last_inspected(ent: Enterprise, case: Case) -> bool:
    """Move 上次检查 forward to the case's inspection day (never back: an older
    case finishing late is not the latest inspection)."""
    if case.inspected_on and (ent.last_inspected is None or case.inspected_on > ent.last_inspected):
        ent.last_inspected = case.inspected_on
        return True
    return False


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _maybe_propose(case: Case) -> None:
    ent = case.enterprise
    if ent.blacklisted:
        return
    r = rule()
    since = (case.closed_on or dispatch.today()) - timedelta(days=r["window_days"])
    recent = list(db.session.scalars(sa.select(Case).where(
        Case.enterprise_id == ent.id, Case.closed_on >= since)))
    penalties = sum(c.state == "penalty" or c.outcome == "penalty" for c in recent)
    majors = sum(c.major_findings for c in recent)
    reasons = []
    if r["penalty_cases"] and penalties >= r["penalty_cases"]:
        reasons.append(f"{r['window_days']}日内立案处罚{penalties}次")
    if r["major_findings"] and majors >= r["major_findings"]:
        reasons.append(f"{r['window_days']}日内发现重大事故隐患{majors}项")
    if not reasons:
        return
    exists = db.session.scalar(sa.select(BlacklistProposal.id).where(
        BlacklistProposal.enterprise_id == ent.id, BlacklistProposal.status == "pending"))
    if exists is None:
        db.session.add(BlacklistProposal(enterprise_id=ent.id, case_id=case.id,
                                         reason="；".join(reasons)))


def proposals(status: str | None = "pending") -> list[BlacklistProposal]:
    query = sa.select(BlacklistProposal).order_by(BlacklistProposal.id)
    if status:
        query = query.where(BlacklistProposal.status == status)
    return list(db.session.scalars(query))


def decide(proposal_id: int, approve: bool, reviewer: str, note: str = "") -> BlacklistProposal:
    p = db.session.get(BlacklistProposal, proposal_id)
    if p is None:
        raise FollowupError(404, f"黑名单建议{proposal_id}不存在")
    if p.status != "pending":
        raise FollowupError(409, "该建议已处理")
    if not approve and not note.strip():
        raise FollowupError(422, "不予列入须填写审核意见")
    p.status = "approved" if approve else "rejected"
    p.reviewed_by, p.reviewed_at, p.note = reviewer, utcnow(), note
    if approve:
        ent = db.session.get(Enterprise, p.enterprise_id)
        ent.blacklisted = True
        db.session.add(AuditLog(actor=reviewer, action="update", entity="enterprises",
                                entity_key=ent.uscc, before={"blacklisted": False},
                                after={"blacklisted": True},
                                source=f"黑名单建议{p.id}：{p.reason}"))
    db.session.commit()
    return p


def credit_of(enterprise_id: int) -> dict[str, Any]:
    c = db.session.get(EnterpriseCredit, enterprise_id)
    if c is None:
        return {"cases_closed": 0, "findings": 0, "major_findings": 0, "penalty_cases": 0,
                "open_hazards": 0, "last_closed_on": None}
    return {"cases_closed": c.cases_closed, "findings": c.findings,
            "major_findings": c.major_findings, "penalty_cases": c.penalty_cases,
            "open_hazards": c.open_hazards, "last_closed_on": c.last_closed_on}
