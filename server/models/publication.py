"""一公开: an inspection result proposed for publication, reviewed, then public."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import StrList, utcnow
from .draw import Visit
from .enterprise import Enterprise
from .plan import Task


class PublicationResult(db.Model):
    """One visit's result. Pending until a reviewer (法制审核) approves it.

    Enterprise name and USCC are copied at proposal time so that what the
    reviewer approved is exactly what the public sees, even if the registry
    row is edited later.
    """

    __tablename__ = "publication_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id"), unique=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    enterprise_name: Mapped[str] = mapped_column(sa.String(200))
    uscc: Mapped[str] = mapped_column(sa.String(18))
    inspected_on: Mapped[date] = mapped_column(index=True)  # the inspection's end
    item_version: Mapped[int | None]
    item_codes: Mapped[list[str]] = mapped_column(StrList, default=list)
    outcome: Mapped[str] = mapped_column(sa.String(16))  # shared.enums.Outcome
    # pending → approved (public) | rejected (back to the case workflow)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    # Every change of the row is a new revision (SQLAlchemy's version counter:
    # each UPDATE says WHERE revision = the one read). An approval names the
    # revision the reviewer read, so he never approves content he did not see,
    # and of a re-proposal and an approval racing, one fails instead of mixing.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": revision}
    proposed_by: Mapped[str] = mapped_column(sa.String(64))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(64))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    published_on: Mapped[date | None]
    # The deadline in force when it was published, frozen for the on-time figure.
    due_on: Mapped[date | None]
    working_days: Mapped[int | None]

    visit: Mapped[Visit] = relationship()
    task: Mapped[Task] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
