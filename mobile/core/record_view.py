"""Read one inspection record from the store as plain dicts (for the UI, the
summary and the payload builder)."""

from __future__ import annotations

import json
from typing import Any

from mobile.core.store import Store


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


def load_record(store: Store, uuid: str) -> dict[str, Any]:
    """Everything about record *uuid*. Items come in the package's (drawn) order,
    each merged with its result; raises ``KeyError`` for an unknown uuid."""
    with store.tx():  # one consistent snapshot even while the UI keeps writing
        row = store.one("SELECT * FROM records WHERE uuid = ?", (uuid,))
        if row is None:
            raise KeyError(uuid)
        package = store.package(row["visit_id"]) or {}
        results = {
            r["code"]: dict(r)
            for r in store.all("SELECT * FROM item_results WHERE record_uuid = ?", (uuid,))
        }
        items = []
        for item in package.get("items", []):
            res = results.get(item["code"], {})
            items.append(
                {
                    **item,
                    "result": res.get("result"),
                    "note": res.get("note", ""),
                    "checked_at": res.get("checked_at"),
                }
            )
        hazards = [
            {**dict(h), "orders": _json(h["orders"])}
            for h in store.all(
                "SELECT * FROM hazards WHERE record_uuid = ? ORDER BY created_at, rowid", (uuid,)
            )
        ]
        attachments = [
            {**dict(a), "location": _json(a["location"])}
            for a in store.all(
                "SELECT * FROM attachments WHERE record_uuid = ? ORDER BY created_at, rowid",
                (uuid,),
            )
        ]
        signatures = [
            dict(s)
            for s in store.all(
                "SELECT * FROM signatures WHERE record_uuid = ? ORDER BY role DESC, signed_at",
                (uuid,),
            )
        ]
        trail = [
            {**dict(t), "old": _json(t["old"]), "new": _json(t["new"])}
            for t in store.all("SELECT * FROM trail WHERE record_uuid = ? ORDER BY seq", (uuid,))
        ]
        box = store.one(
            "SELECT state, last_error, server_version FROM outbox WHERE record_uuid = ?", (uuid,)
        )
    return {
        "uuid": uuid,
        "visit_id": row["visit_id"],
        "created_by": row["created_by"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "locked": bool(row["locked"]),
        "location": _json(row["location"]),
        "base_version": row["base_version"],
        "package": package,
        "items": items,
        "hazards": hazards,
        "attachments": attachments,
        "signatures": signatures,
        "trail": trail,
        "state": box["state"] if box else None,
        "last_error": box["last_error"] if box else None,
        "server_version": box["server_version"] if box else None,
    }
