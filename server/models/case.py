"""案件: one visit followed from the draw to 销号, and what hangs off it.

The state machine itself lives in ``server/services/cases.py``; these tables
only hold the current state and the append-only history of how it got there
(who, when, why, and the 法制审核 where one was needed).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import StrList, utcnow
from .draw import Visit
from .enterprise import Enterprise
from .plan import Task


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"), unique=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    state: Mapped[str] = mapped_column(sa.String(24), default="drawn", index=True)
    opened_on: Mapped[date]
    inspected_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(16))  # shared.enums.Outcome
    findings: Mapped[int] = mapped_column(default=0)
    major_findings: Mapped[int] = mapped_column(default=0)
    # The record version the case was built from: later tablet amendments of an
    # archived case do not slip into its file (they are logged instead).
    record_uuid: Mapped[str | None] = mapped_column(sa.String(36))
    record_version: Mapped[int | None]
    # A transition waiting for 法制审核: {"action", "to", "reason", "by", "at", "params"}.
    pending: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    handlers: Mapped[list[str]] = mapped_column(StrList, default=list)  # 承办人 names
    archive_no: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    retention: Mapped[str] = mapped_column(sa.String(16), default="30年")  # 保存期限
    archived_at: Mapped[datetime | None]
    archived_by: Mapped[str | None] = mapped_column(sa.String(64))
    dossier_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    visit: Mapped[Visit] = relationship()
    task: Mapped[Task] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    hazards: Mapped[list[CaseHazard]] = relationship(
        back_populates="case", order_by="CaseHazard.id")
    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.seq")
    reinspections: Mapped[list[Reinspection]] = relationship(
        back_populates="case", order_by="Reinspection.seq")


class CaseEvent(db.Model):
    """One transition or note. Append-only: the case's own 执法全过程记录."""

    __tablename__ = "case_events"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[str | None] = mapped_column(sa.String(16))
    action: Mapped[str] = mapped_column(sa.String(32))
    from_state: Mapped[str | None] = mapped_column(sa.String(24))
    to_state: Mapped[str | None] = mapped_column(sa.String(24))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # 法制审核 of this step: {"by", "at", "note"} (None where none is required).
    review: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class CaseHazard(db.Model):
    """A finding (隐患) from the record, tracked until rectified or escalated."""

    __tablename__ = "case_hazards"
    __table_args__ = (sa.UniqueConstraint("case_id", "hazard_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    hazard_uuid: Mapped[str] = mapped_column(sa.String(36))
    item_code: Mapped[str | None] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.Text)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    level: Mapped[str] = mapped_column(sa.String(16))  # general / major
    legal_basis: Mapped[str] = mapped_column(sa.String(500), default="")
    orders: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    deadline: Mapped[date | None] = mapped_column(index=True)
    # open → rectified | escalated; fixed_on_site never opens
    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)
    reported_on: Mapped[date | None]  # the enterprise reported its rectification
    rectified_on: Mapped[date | None]

    case: Mapped[Case] = relationship(back_populates="hazards")


class Reinspection(db.Model):
    """A 复查 visit: dispatched to the tablets like any visit, its record synced back."""

    __tablename__ = "reinspections"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    seq: Mapped[int]
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"), unique=True)
    due_on: Mapped[date] = mapped_column(index=True)
    requested_by: Mapped[str] = mapped_column(sa.String(64))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    record_uuid: Mapped[str | None] = mapped_column(sa.String(36))
    record_version: Mapped[int | None]
    result: Mapped[str | None] = mapped_column(sa.String(16))  # rectified / not_rectified
    done_on: Mapped[date | None]

    case: Mapped[Case] = relationship(back_populates="reinspections")
    visit: Mapped[Visit] = relationship()


class DossierVersion(db.Model):
    """An archived 一案一卷: v1 at archiving, v2… for each later correction. Append-only."""

    __tablename__ = "dossier_versions"
    __table_args__ = (sa.UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))  # archive / correction
    created_by: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    pages: Mapped[int]
    # The case's event log up to this seq is what the version's trail.json holds.
    event_seq: Mapped[int]
    # Payload path → SHA-256 of every file of the bag as archived.
    manifest: Mapped[dict[str, str]] = mapped_column(sa.JSON)


class EnterpriseCredit(db.Model):
    """What closed cases say about an enterprise (信用记录), one row per enterprise."""

    __tablename__ = "enterprise_credit"

    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), primary_key=True)
    cases_closed: Mapped[int] = mapped_column(default=0)
    findings: Mapped[int] = mapped_column(default=0)
    major_findings: Mapped[int] = mapped_column(default=0)
    penalty_cases: Mapped[int] = mapped_column(default=0)
    open_hazards: Mapped[int] = mapped_column(default=0)
    last_closed_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BlacklistProposal(db.Model):
    """A 黑名单 entry proposed by the credit rule; a reviewer decides."""

    __tablename__ = "blacklist_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(64))
    reviewed_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(sa.Text)

    enterprise: Mapped[Enterprise] = relationship()


@event.listens_for(CaseEvent, "before_update")
@event.listens_for(CaseEvent, "before_delete")
@event.listens_for(DossierVersion, "before_update")
@event.listens_for(DossierVersion, "before_delete")
def _append_only(_mapper, _conn, _target):
    raise PermissionError("case events and archived dossier versions are append-only")


# What a correction of an archived case may touch: the version counter and the
# record version the new dossier version is built from. Everything else is frozen,
# whatever code path tries (the services refuse first, with a Chinese message).
_MUTABLE_WHEN_ARCHIVED = frozenset({"dossier_version", "record_version", "updated_at"})


@event.listens_for(Case, "before_update")
def _frozen_case(_mapper, _conn, target: Case) -> None:
    state = sa.inspect(target)
    history = state.attrs.state.history
    before = history.deleted[0] if history.deleted else target.state
    if before != "archived":
        return
    changed = {a.key for a in state.mapper.column_attrs
               if state.attrs[a.key].history.has_changes()} - _MUTABLE_WHEN_ARCHIVED
    if changed:
        raise PermissionError(f"archived case {target.case_no} is frozen: {sorted(changed)}")


@event.listens_for(CaseHazard, "before_update")
@event.listens_for(Reinspection, "before_update")
def _frozen_parts(_mapper, _conn, target: CaseHazard | Reinspection) -> None:
    if target.case.state == "archived":
        raise PermissionError(f"archived case {target.case.case_no} is frozen")
