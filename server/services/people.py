"""A person's name where a stored actor is a login name (documents, pages)."""

from __future__ import annotations

import sqlalchemy as sa

from shared.enums import Role

from ..extensions import db
from ..models import User

SYSTEM = "系统"


def name_of(actor: str | None) -> str:
    """姓名 for a login name; the role when the account has no name; "系统" for the
    system; anything else (already a name) as it is."""
    if not actor:
        return ""
    if actor == "system":
        return SYSTEM
    row = db.session.execute(sa.select(User.display_name, User.role).where(
        User.username == actor)).first()
    if row is None:
        return actor
    return row.display_name or Role(row.role).label
