"""Query helpers shared by the registry list endpoints."""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields, validate


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_of(query: sa.Select, page: int, per_page: int, session) -> dict:
    total = session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return {"total": total, "page": page, "per_page": per_page, "items": rows}


def like_any(columns, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return sa.or_(*[c.ilike(pattern, escape="\\") for c in columns])
