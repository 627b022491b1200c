"""Append-only audit log of every change to a registry row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(16))  # create / update / delete
    entity: Mapped[str] = mapped_column(sa.String(32), index=True)
    entity_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    source: Mapped[str | None] = mapped_column(sa.String(200))  # e.g. import file name


@event.listens_for(AuditLog, "before_update")
@event.listens_for(AuditLog, "before_delete")
def _refuse_change(_mapper, _conn, _target):
    raise PermissionError("audit log is append-only")
