"""Administrator overrides of the State Council holiday schedule, one row per year.

``chinese_calendar`` only knows the years whose schedule was announced when the
package was released; a deadline can run into the next year, so an
administrator enters that year's holidays and make-up working days here.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import StrList, utcnow


class CalendarYear(db.Model):
    __tablename__ = "calendar_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    # ISO dates: weekdays off (节假日) and weekend make-up working days (调休上班).
    holidays: Mapped[list[str]] = mapped_column(StrList, default=list)
    workdays: Mapped[list[str]] = mapped_column(StrList, default=list)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    updated_by: Mapped[str] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
