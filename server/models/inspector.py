"""执法检查人员名录库: certified officers who can be drawn."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import StrList, utcnow


class Inspector(db.Model):
    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    cert_no: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    cert_expiry: Mapped[date]
    department: Mapped[str | None] = mapped_column(sa.String(64))
    # None: bureau pool (一级库); otherwise the street pool (二级库) it belongs to.
    street: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    fields: Mapped[list[str]] = mapped_column(StrList, default=list)  # industry codes
    is_expert: Mapped[bool] = mapped_column(default=False)
    duty_status: Mapped[str] = mapped_column(sa.String(16), default="on_duty")
    conflicts: Mapped[list[str]] = mapped_column(StrList, default=list)  # USCCs (回避单位)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def cert_valid_through(self, day: date) -> bool:
        return self.cert_expiry >= day
