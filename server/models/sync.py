"""Dispatch log, uploaded inspection records and evidence blobs (docs/sync.md).

Idempotency lives in the constraints here, not in Python checks: a record's
uuid is unique on the head table and (uuid, version) on the version table; a
blob's sha256 is unique; a dispatch event's (inspector, seq) is unique, which
keeps every inspector's event sequence gap-free and in commit order.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow
from .draw import Visit


class Dispatch(db.Model):
    """One visit sent out to its team's tablets (派发), with its notice (告知)."""

    __tablename__ = "dispatches"
    __table_args__ = (sa.UniqueConstraint("notice_year", "notice_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"), unique=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    # Inspector ids as last sent: a later team change is detected against this.
    team: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    dispatched_by: Mapped[str] = mapped_column(sa.String(64))
    dispatched_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The 随机抽查通知书 and the day the enterprise is told (the dispatch day).
    # None for a 暗查 visit: an unannounced inspection has no advance notice, and
    # it takes no number, so the notice series shows nothing of how many exist.
    notice_year: Mapped[int | None]
    notice_seq: Mapped[int | None]
    notice_no: Mapped[str | None] = mapped_column(sa.String(64))
    notice_sent_on: Mapped[date | None]

    visit: Mapped[Visit] = relationship()


class DispatchEvent(db.Model):
    """Append-only: something about a visit changed for one inspector."""

    __tablename__ = "dispatch_events"
    __table_args__ = (sa.UniqueConstraint("inspector_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(sa.ForeignKey("inspectors.id"), index=True)
    seq: Mapped[int]  # 1, 2, 3 … per inspector; the pull cursor counts these
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # dispatch / withdraw / reassign
    actor: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncRecord(db.Model):
    """The head of an uploaded inspection record: one row per uuid."""

    __tablename__ = "sync_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"), index=True)
    version: Mapped[int]  # the current version
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    visit: Mapped[Visit] = relationship()
    versions: Mapped[list[SyncRecordVersion]] = relationship(
        back_populates="record", order_by="SyncRecordVersion.version")


class SyncRecordVersion(db.Model):
    """The exact bytes the tablet sent, per version; older versions are kept."""

    __tablename__ = "sync_record_versions"
    __table_args__ = (sa.UniqueConstraint("uuid", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("sync_records.id"), index=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    version: Mapped[int]
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    body_sha256: Mapped[str] = mapped_column(sa.String(64))
    blob_hashes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    outcome: Mapped[str] = mapped_column(sa.String(16))
    device_id: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[SyncRecord] = relationship(back_populates="versions")


class Blob(db.Model):
    """An evidence file, content-addressed; ``received`` bytes are durable on disk."""

    __tablename__ = "evidence_blobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)  # TOTAL announced by the first chunk
    received: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    mime: Mapped[str] = mapped_column(sa.String(64))
    complete: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
