"""年度抽查计划 and its 抽查任务 (domain.md §3)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import StrList, utcnow


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_no: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")  # draft / published
    published_at: Mapped[datetime | None]
    # Changes after publication: [{"at", "by", "reason"}] – each needs republication.
    change_log: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.task_no")


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_no: Mapped[str] = mapped_column(sa.String(64), unique=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    draw_type: Mapped[str] = mapped_column(sa.String(16))  # shared.enums.DrawType
    ratio: Mapped[str] = mapped_column(sa.String(100))  # "20%" or "A:3%;B:5%;C:20%;D:100%"
    item_scope: Mapped[str | None] = mapped_column(sa.Text)  # 抽查事项 as written in the plan
    target_filter: Mapped[str | None] = mapped_column(sa.Text)  # 抽查对象范围
    department: Mapped[str | None] = mapped_column(sa.String(64))  # 发起科室
    joint_departments: Mapped[list[str]] = mapped_column(StrList, default=list)
    window_start: Mapped[date]
    window_end: Mapped[date]
    team_size: Mapped[int] = mapped_column(default=2)
    unannounced: Mapped[bool] = mapped_column(default=False)  # 暗查暗访
    # Draw policy switches and parameters (composition, recusal, general item count …).
    rules: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    # A task imported as the plan prints it: {"columns": {header: text as
    # printed}, "proposal": {...}, "confirmed_by", "confirmed_at"}.  The plan
    # is published only once each such task's structured ratio, filter and
    # items are confirmed (services/plan_review.py).  None for typed tasks.
    printed: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # 抽查事项 as item numbers of the item list; empty: every applicable item.
    item_codes: Mapped[list[str]] = mapped_column(StrList, default=list)
    # The latest freeze's seed commitment and time (services/draw/freeze.py); the
    # seed is kept on the freeze (DrawFreeze), never here (seed_secret: old rows only).
    seed_commitment: Mapped[str | None] = mapped_column(sa.String(64))
    seed_secret: Mapped[str | None] = mapped_column(sa.String(64))
    committed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="tasks")

    @property
    def is_reinspection(self) -> bool:
        """A 复查 companion task (assigned, not drawn): not a 双随机 campaign."""
        return bool((self.rules or {}).get("reinspection_of"))
