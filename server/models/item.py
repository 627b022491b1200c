"""随机抽查事项清单, versioned: a draw records which version it used."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import StrList, utcnow


class ItemListVersion(db.Model):
    """A frozen snapshot of the list. Changes create a new version, never edit one."""

    __tablename__ = "item_list_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    created_by: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[CheckItem]] = relationship(
        back_populates="version", order_by="CheckItem.code", cascade="all, delete-orphan"
    )


class CheckItem(db.Model):
    __tablename__ = "check_items"
    __table_args__ = (sa.UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("item_list_versions.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(200))
    sub_item: Mapped[str | None] = mapped_column(sa.String(200))
    legal_basis: Mapped[str] = mapped_column(sa.Text)
    enforcing_dept: Mapped[str | None] = mapped_column(sa.String(64))
    industries: Mapped[list[str]] = mapped_column(StrList, default=list)
    content: Mapped[str | None] = mapped_column(sa.Text)
    methods: Mapped[list[str]] = mapped_column(StrList, default=list)
    category: Mapped[str] = mapped_column(sa.String(16))
    liability: Mapped[str | None] = mapped_column(sa.Text)

    version: Mapped[ItemListVersion] = relationship(back_populates="items")
