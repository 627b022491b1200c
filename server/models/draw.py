"""Draw records (append-only) and the visits they produce."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import StrList, utcnow
from .enterprise import Enterprise
from .inspector import Inspector
from .plan import Task


class DrawRecord(db.Model):
    """One draw, redraw or manual adjustment (调整). Never updated, never deleted."""

    __tablename__ = "draw_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # draw / redraw / adjustment
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draw_records.id"))
    actor: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seed: Mapped[str] = mapped_column(sa.String(64))
    seed_commitment: Mapped[str] = mapped_column(sa.String(64))
    pool_hash: Mapped[str] = mapped_column(sa.String(64))
    algorithm_version: Mapped[str] = mapped_column(sa.String(32))
    pool_size: Mapped[int]
    # The record as exported for `flask draw verify` (canonical JSON text). For
    # draws the pool's columns are kept once in ``draw_pools`` (by pool hash) and
    # the result in ``result``; ``services.draw.full_record`` puts them back.
    record_json: Mapped[str] = mapped_column(sa.Text)
    # The result summary ({"visits": […], "excluded": […], …}) for quick reads.
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # The freeze this record drew (format /2); None for /1 records and adjustments.
    freeze_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draw_freezes.id"))

    task: Mapped[Task] = relationship()


class DrawFreeze(db.Model):
    """冻结: one attempt at a task's draw, fixed before any randomness exists.

    The snapshot (its head here, its pool in the pool file named by
    ``snapshot_hash``), the commitment to a fresh seed, and the public value
    the draw will use (a future drand round, or a named future lottery draw).
    Its outcome is set once: 已抽取 (``record_id``), 失败 (why, when – the
    freeze is burnt) or 已作废 (replaced by a new freeze, with the reason).
    Every freeze is public on the task's page; none is ever deleted.
    """

    __tablename__ = "draw_freezes"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # draw / redraw
    reason: Mapped[str | None] = mapped_column(sa.Text)  # required for a redraw or a re-freeze
    actor: Mapped[str] = mapped_column(sa.String(64))
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A commitment is never reused: each freeze has a fresh seed.
    seed_commitment: Mapped[str] = mapped_column(sa.String(64), unique=True)
    seed_secret: Mapped[str] = mapped_column(sa.String(64))  # revealed in the record
    snapshot_hash: Mapped[str] = mapped_column(sa.String(64))
    snapshot_head: Mapped[str] = mapped_column(sa.Text)  # canonical JSON, pool values left out
    pool_size: Mapped[int]
    excluded_count: Mapped[int]
    # The pool's enterprise ids in pool order (int64 little-endian): the draw maps
    # its visits to rows without looking 30,000 USCCs up again.
    pool_ids: Mapped[bytes] = mapped_column(sa.LargeBinary)
    beacon: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # the promise
    beacon_due_at: Mapped[datetime]  # when the promised value is published
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")  # DrawAttemptStatus
    outcome_at: Mapped[datetime | None]
    outcome_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The record it produced (DrawRecord.freeze_id points back; a plain column
    # here, so the two tables do not reference each other).
    record_id: Mapped[int | None]

    task: Mapped[Task] = relationship()


class DrawPool(db.Model):
    """A draw's enterprise pool: its bytes (``shared.draw.encode_pool``, the
    framing the pool hash reads) are a file named by the pool hash
    (``services/draw/pools.py``); this row says it exists and how large it is.

    One per pool hash – a redraw on the same pool shares it.  Bytes rather
    than JSON: a 500,000-enterprise pool is ~35 MB here against ~53 MB of
    JSON text that would have to be built at draw time.
    """

    __tablename__ = "draw_pools"

    pool_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int]  # enterprises in the pool
    bytes: Mapped[int]  # length of the file
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(DrawRecord, "before_update")
@event.listens_for(DrawRecord, "before_delete")
@event.listens_for(DrawPool, "before_update")
@event.listens_for(DrawPool, "before_delete")
def _append_only(_mapper, _conn, _target):
    raise PermissionError("draw records are append-only; add a redraw or adjustment")


class Visit(db.Model):
    """One enterprise to inspect, by one team (joint tasks share one visit: 一企一表)."""

    __tablename__ = "visits"
    __table_args__ = (sa.UniqueConstraint("draw_record_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    # Indexed by the unique (draw_record_id, enterprise_id) constraint's prefix.
    draw_record_id: Mapped[int] = mapped_column(sa.ForeignKey("draw_records.id"))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    joint_task_nos: Mapped[list[str]] = mapped_column(StrList, default=list)
    item_version: Mapped[int | None]
    item_codes: Mapped[list[str]] = mapped_column(StrList, default=list)
    expert_names: Mapped[list[str]] = mapped_column(StrList, default=list)
    # 主办科室: hosts the (joint) visit's record; follows the industry (龙岗).
    host_department: Mapped[str | None] = mapped_column(sa.String(64))
    # drawn → notified → inspected → … (the case state machine lives with cases)
    status: Mapped[str] = mapped_column(sa.String(24), default="drawn")
    # False once a later redraw/adjustment replaced this visit (kept for the record).
    current: Mapped[bool] = mapped_column(default=True)  # (a flag: an index would not narrow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    task: Mapped[Task] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    members: Mapped[list[VisitMember]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitMember.id")


class VisitMember(db.Model):
    __tablename__ = "visit_members"
    __table_args__ = (sa.UniqueConstraint("visit_id", "inspector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique (visit_id, inspector_id) constraint's prefix.
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"))
    inspector_id: Mapped[int] = mapped_column(sa.ForeignKey("inspectors.id"), index=True)
    leader: Mapped[bool] = mapped_column(default=False)

    visit: Mapped[Visit] = relationship(back_populates="members")
    inspector: Mapped[Inspector] = relationship()
