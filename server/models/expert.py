"""专家库: experts drawn for complex enterprises or those flagged 需配专家."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import StrList, utcnow


class Expert(db.Model):
    __tablename__ = "experts"
    __table_args__ = (sa.UniqueConstraint("name", "organization"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    specialty: Mapped[str | None] = mapped_column(sa.String(64))
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    conflicts: Mapped[list[str]] = mapped_column(StrList, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SpecialtyMapping(db.Model):
    """How the bureau reads an expert's written 专业: “煤矿安全” covers 煤矿.

    Edited in the console; the map in force is recorded in each draw's
    snapshot, so a later edit changes no frozen draw.
    """

    __tablename__ = "specialty_mappings"

    word: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    industries: Mapped[list[str]] = mapped_column(StrList, default=list)  # Industry codes
    updated_by: Mapped[str] = mapped_column(sa.String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
