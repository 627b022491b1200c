"""The public draw files and the append-only log that vouches for them.

Every file published for a draw (public pool, public draw, adjustment) is one
leaf of an RFC 9162-style Merkle tree, in the order published; after each
append the new tree head is signed (Ed25519) and kept.  Rows are never
updated or deleted.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow
from .plan import Task


class PublicDrawFile(db.Model):
    """One published draw file; its bytes live in EVIDENCE_DIR, named by SHA-256."""

    __tablename__ = "public_draw_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    leaf_index: Mapped[int] = mapped_column(unique=True)  # 0-based place in the log
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    # The freeze the file belongs to (a pool file is published at the freeze,
    # the draw file at the draw); an adjustment's file names its record only.
    freeze_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draw_freezes.id"))
    record_id: Mapped[int | None] = mapped_column(sa.ForeignKey("draw_records.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))  # pool / draw / adjustment
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    # The log leaf: canonical JSON naming the file (kind, task, hash, time).
    entry_json: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship()


class LogHead(db.Model):
    """A signed tree head: the log's size and root at one moment."""

    __tablename__ = "log_heads"

    tree_size: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    root_hash: Mapped[str] = mapped_column(sa.String(64))
    # The exact signed bytes (canonical JSON of size, root, timestamp).
    signed_json: Mapped[str] = mapped_column(sa.Text)
    signature: Mapped[str | None] = mapped_column(sa.String(128))  # hex; None: no key set
    key_id: Mapped[str | None] = mapped_column(sa.String(64))  # SHA-256 of the public key
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(PublicDrawFile, "before_update")
@event.listens_for(PublicDrawFile, "before_delete")
@event.listens_for(LogHead, "before_update")
@event.listens_for(LogHead, "before_delete")
def _append_only(_mapper, _conn, _target):
    raise PermissionError("the public draw log is append-only")
