"""Shared plumbing of the record API: the store, who is acting, trail entries, locks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mobile.core.errors import CoreError, RecordLockedError
from mobile.core.outbox import Outbox
from mobile.core.store import Store

Location = tuple[float, float] | tuple[float, float, float | None]


def loc_dict(value: Location | None) -> dict[str, Any] | None:
    if value is None:
        return None
    acc = value[2] if len(value) > 2 else None
    return {"lat": float(value[0]), "lon": float(value[1]), "accuracy_m": acc}


class RecordBase:
    """Construction and helpers of :class:`mobile.core.records.Inspections`."""

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        inspector_label: str | None = None,
        font: tuple[str | Path, int] | None = None,
        locate: Callable[[], Location | None] = lambda: None,
    ) -> None:
        self.store = store
        self.outbox = Outbox(store)
        self._actor = actor
        self._inspector_label = inspector_label
        self.font = font
        self.locate = locate

    @property
    def actor(self) -> str:
        """Who the trail names: the logged-in user (read each time: the app may
        build this object before the first login)."""
        session = self.store.session() or {}
        return self._actor or session.get("username") or "unknown"

    @property
    def inspector_label(self) -> str:
        """Burned onto photos: the officer's name and certificate number."""
        if self._inspector_label:
            return self._inspector_label
        insp = (self.store.session() or {}).get("inspector")
        return f"{insp['name']} {insp['cert_no']}" if insp else self.actor

    # -- helpers ------------------------------------------------------------

    def _log(
        self,
        c: Any,
        uuid: str,
        action: str,
        target: Any = None,
        field: Any = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        c.execute(
            "INSERT INTO trail (record_uuid, at, by, action, target, field, old, new)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                self.store.now(),
                self.actor,
                action,
                target,
                field,
                None if old is None else json.dumps(old, ensure_ascii=False),
                None if new is None else json.dumps(new, ensure_ascii=False),
            ),
        )

    def _editable(self, c: Any, uuid: str) -> Any:
        row = c.execute("SELECT * FROM records WHERE uuid = ?", (uuid,)).fetchone()
        if row is None:
            raise KeyError(f"no record {uuid}")
        if row["locked"]:
            raise RecordLockedError()
        return row

    def _item(self, c: Any, uuid: str, code: str) -> Any:
        row = c.execute(
            "SELECT * FROM item_results WHERE record_uuid = ? AND code = ?", (uuid, code)
        ).fetchone()
        if row is None:
            raise CoreError(f"事项{code}不在本次抽查清单中（清单之外无检查）")
        return row
