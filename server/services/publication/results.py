"""The public results (检查结果公示): approved results only, searchable by
enterprise name or USCC and by year."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from shared.enums import Outcome

from ...extensions import db
from ...models import PublicationResult
from .items import ItemNames


def _results_query(text: str | None = None, year: int | None = None) -> sa.Select:
    """Approved results, newest first; *text* words each match the name or USCC
    (the public search), *year* the inspection year."""
    query = sa.select(PublicationResult).where(PublicationResult.status == "approved")
    for word in (text or "").replace("\u3000", " ").split():
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(PublicationResult.enterprise_name.ilike(like, escape="\\"),
                                   PublicationResult.uscc.ilike(like, escape="\\")))
    if year:
        query = query.where(PublicationResult.inspected_on.between(date(year, 1, 1),
                                                                   date(year, 12, 31)))
    return query


def public_results_count(text: str | None = None, year: int | None = None) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        _results_query(text, year).subquery()))


def public_result_years() -> list[int]:
    days = db.session.execute(sa.select(sa.func.min(PublicationResult.inspected_on),
                                        sa.func.max(PublicationResult.inspected_on)).where(
        PublicationResult.status == "approved")).one()
    return list(range(days[1].year, days[0].year - 1, -1)) if days[0] else []


def public_results(text: str | None = None, year: int | None = None, *,
                   limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    rows = db.session.execute(
        _results_query(text, year).options(selectinload(PublicationResult.task))
        .order_by(PublicationResult.published_on.desc(), PublicationResult.id.desc())
        .limit(limit).offset(offset)).scalars()
    out, item_names = [], ItemNames()
    for r in rows:
        names = item_names(r.item_version, r.item_codes)
        out.append({"enterprise": r.enterprise_name, "uscc": r.uscc,
                    "inspected_on": r.inspected_on.isoformat(),
                    "items": [{"code": c, "name": names.get(c, "")} for c in r.item_codes],
                    "outcome": Outcome(r.outcome).label, "task_no": r.task.task_no,
                    "task_name": r.task.name,
                    "published_on": r.published_on.isoformat() if r.published_on else ""})
    return out
