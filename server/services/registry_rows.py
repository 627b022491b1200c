"""Single-row create/update of registry rows, each change written to the audit log."""

from __future__ import annotations

from typing import Any

from shared.text import strip_invisible

from ..extensions import db
from ..models import AuditLog
from .registry_io.applying import ENTITY, jsonable
from .registry_io.specs import SPECS


def row_values(kind: str, obj) -> dict[str, Any]:
    return {col.attr: getattr(obj, col.attr) for col in SPECS[kind].columns}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """No bidi or zero-width characters in what the API stores (shared/text.py)."""
    return {k: strip_invisible(v) if isinstance(v, str) else v for k, v in values.items()}


def create_row(kind: str, model, values: dict[str, Any], actor: str):
    obj = model(**_clean(values))
    db.session.add(obj)
    db.session.flush()
    after = row_values(kind, obj)
    _log(kind, actor, "create", SPECS[kind].key_of(after), None, after)
    db.session.commit()
    return obj


def update_row(kind: str, obj, values: dict[str, Any], actor: str):
    before = row_values(kind, obj)
    for key, value in _clean(values).items():
        setattr(obj, key, value)
    after = row_values(kind, obj)
    if after != before:
        changed = [k for k in after if after[k] != before[k]]
        _log(kind, actor, "update", SPECS[kind].key_of(before),
             {k: before[k] for k in changed}, {k: after[k] for k in changed})
    db.session.commit()
    return obj


def _log(kind, actor, action, key, before, after) -> None:
    db.session.add(AuditLog(
        actor=actor, action=action, entity=ENTITY[kind], entity_key=key,
        before=jsonable(before) if before else None, after=jsonable(after) if after else None,
        source="api",
    ))
