"""检查对象名录库: one row per supervised enterprise."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import StrList, utcnow

# Every column a draw reads or filters on, led by the USCC: the draw's pool
# read (services/draw/registry.py) is then one scan of this index, in USCC
# order, with no table lookups and no sort – on a 1M registry faster than a
# bare unsorted SELECT of the same columns through the industry index
# (bench/draw_1m.py), for the price of ~40 % more registry storage.
DRAW_POOL_COLUMNS = ("uscc", "name", "credit_class", "industry", "street", "needs_expert",
                     "status", "affiliation", "scale", "risk_level", "blacklisted",
                     "major_hazard", "special_work", "registries")


class Enterprise(db.Model):
    __tablename__ = "enterprises"
    # SQLite only: PostgreSQL cannot put JSON columns in a b-tree, and sorts the
    # pool in memory (services/draw/registry.py raises work_mem for it).
    __table_args__ = (
        sa.Index("ix_enterprises_draw_pool", *DRAW_POOL_COLUMNS,
                 info={"dialects": ("sqlite",)}).ddl_if(dialect="sqlite"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(sa.String(18), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    industry: Mapped[str] = mapped_column(sa.String(32), index=True)
    street: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    affiliation: Mapped[str | None] = mapped_column(sa.String(64))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    legal_rep: Mapped[str | None] = mapped_column(sa.String(64))
    contact: Mapped[str | None] = mapped_column(sa.String(64))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    scale: Mapped[str | None] = mapped_column(sa.String(16))
    risk_level: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    credit_class: Mapped[str | None] = mapped_column(sa.String(1), index=True)
    license_no: Mapped[str | None] = mapped_column(sa.String(64))
    license_expiry: Mapped[date | None]
    blacklisted: Mapped[bool] = mapped_column(default=False)
    major_hazard: Mapped[bool] = mapped_column(default=False)
    special_work: Mapped[list[str]] = mapped_column(StrList, default=list)
    needs_expert: Mapped[bool] = mapped_column(default=False)
    last_inspected: Mapped[date | None]
    # 二级库 memberships (industry or street sub-registries); 一级库 is everyone.
    registries: Mapped[list[str]] = mapped_column(StrList, default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
