"""The public check-item list (检查事项清单) and item names by list version."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

import sqlalchemy as sa

from shared.enums import CheckMethod, Industry, ItemCategory

from ...extensions import db
from ...models import CheckItem, ItemListVersion


def labels(enum: type[Enum], codes: Iterable[str]) -> list[str]:
    """Chinese labels of stored codes; a code the enum no longer knows stays as is."""
    out = []
    for c in codes or ():
        try:
            out.append(enum(c).label)
        except ValueError:
            out.append(str(c))
    return out


def latest_item_version() -> ItemListVersion | None:
    return db.session.execute(sa.select(ItemListVersion).order_by(
        ItemListVersion.number.desc()).limit(1)).scalar_one_or_none()


def public_items() -> dict[str, Any]:
    version = latest_item_version()
    if version is None:
        return {"version": None, "items": []}
    items = [{"code": i.code, "name": i.name, "sub_item": i.sub_item or "",
              "legal_basis": i.legal_basis, "enforcing_dept": i.enforcing_dept or "",
              "industries": labels(Industry, i.industries), "content": i.content or "",
              "methods": labels(CheckMethod, i.methods),
              "category": labels(ItemCategory, [i.category])[0],
              "liability": i.liability or ""} for i in version.items]
    return {"version": version.number, "items": items}


class ItemNames:
    """Item names per list version, one query per version (not one per visit)."""

    def __init__(self) -> None:
        self._versions: dict[int, dict[str, str]] = {}

    def __call__(self, version: int | None, codes: Iterable[str]) -> dict[str, str]:
        if version is None:
            return {}
        if version not in self._versions:
            self._versions[version] = dict(db.session.execute(
                sa.select(CheckItem.code, CheckItem.name).join(ItemListVersion)
                .where(ItemListVersion.number == version)).all())
        names = self._versions[version]
        return {c: names[c] for c in codes if c in names}
