"""What the inspection screens call: start, fill in, sign, review, finish.

Every mutation is one transaction that also appends to the record's trail
(执法全过程记录: when, who, what, old value, new value), so a killed app loses
nothing and the record carries its own history. After ``finish`` the record
is locked; changing it again needs ``reopen`` with a reason (an amendment).

Slow work (decoding photos) happens before the transaction, never inside it.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any

from marshmallow import ValidationError

from mobile.core.errors import CoreError, IncompleteRecordError
from mobile.core.payload import build_payload
from mobile.core.record_base import Location, loc_dict
from mobile.core.record_evidence import EvidenceOps
from mobile.core.record_hazards import HazardOps, Order
from mobile.core.record_view import load_record
from mobile.core.summary import Summary, build_summary, problems
from shared.enums import ItemResult
from shared.schemas.record import RecordSchema, canonical_json

__all__ = ["Inspections", "Location", "Order"]


class Inspections(EvidenceOps, HazardOps):
    """The record API the inspection screens call. *actor* is who is holding the
    tablet (the logged-in user); *locate* returns the current GPS fix
    ``(lat, lon[, accuracy])`` or None."""

    # -- lifecycle ----------------------------------------------------------

    def start(self, visit_id: str, location: Location | None = None) -> str:
        """Start (or resume) the inspection of a visit; returns the record uuid."""
        pkg = self.store.package(visit_id)
        if pkg is None:
            raise CoreError("本机没有该检查任务，请先同步任务")
        location = location or self.locate()
        with self.store.tx() as c:
            row = c.execute("SELECT uuid FROM records WHERE visit_id = ?", (visit_id,)).fetchone()
            if row:
                return row["uuid"]
            uuid = str(uuidlib.uuid4())
            c.execute(
                "INSERT INTO records (uuid, visit_id, created_by, started_at, location)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    uuid,
                    visit_id,
                    self.actor,
                    self.store.now(),
                    json.dumps(loc_dict(location)) if location else None,
                ),
            )
            c.executemany(
                "INSERT INTO item_results (record_uuid, code) VALUES (?, ?)",
                [(uuid, item["code"]) for item in pkg["items"]],
            )
            self.outbox.create_draft(uuid)
            self._log(c, uuid, "start", visit_id)
        return uuid

    def overview(self) -> list[dict[str, Any]]:
        """One row per task package for the task list: what, where, when, and the
        state of its record (None = not started, else draft/queued/sending/sent/
        rejected with the server's message)."""
        states = {
            r["visit_id"]: r
            for r in self.store.all(
                "SELECT r.visit_id, r.uuid, o.state, o.last_error FROM records r"
                " LEFT JOIN outbox o ON o.record_uuid = r.uuid"
            )
        }
        rows = []
        for pkg in self.store.packages():
            rec = states.get(pkg["visit_id"])
            rows.append(
                {
                    "visit_id": pkg["visit_id"],
                    "enterprise": pkg["enterprise"]["name"],
                    "address": pkg["enterprise"].get("address"),
                    "task": pkg["task"]["name"],
                    "window_start": pkg["task"]["window_start"],
                    "window_end": pkg["task"]["window_end"],
                    "unannounced": bool(pkg["task"].get("unannounced")),
                    "withdrawn": pkg["withdrawn"],
                    "items": len(pkg["items"]),
                    "record_uuid": rec["uuid"] if rec else None,
                    "state": rec["state"] if rec else None,
                    "last_error": rec["last_error"] if rec else None,
                }
            )
        return rows

    def record_for_visit(self, visit_id: str) -> str | None:
        row = self.store.one("SELECT uuid FROM records WHERE visit_id = ?", (visit_id,))
        return row["uuid"] if row else None

    def view(self, uuid: str) -> dict[str, Any]:
        """The whole record as plain dicts (items in drawn order, with results)."""
        return load_record(self.store, uuid)

    def summary(self, uuid: str) -> Summary:
        """The 现场检查记录 text to review before signing, plus what blocks finishing."""
        return build_summary(self.view(uuid))

    def trail(self, uuid: str) -> list[dict[str, Any]]:
        return self.view(uuid)["trail"]

    # -- items --------------------------------------------------------------

    def set_result(
        self, uuid: str, code: str, result: ItemResult | str, note: str | None = None
    ) -> None:
        value = ItemResult.parse(result).value
        with self.store.tx() as c:
            self._editable(c, uuid)
            row = self._item(c, uuid, code)
            if row["result"] != value:
                c.execute(
                    "UPDATE item_results SET result = ?, checked_at = ?"
                    " WHERE record_uuid = ? AND code = ?",
                    (value, self.store.now(), uuid, code),
                )
                self._log(c, uuid, "set_result", code, "result", row["result"], value)
            if note is not None:
                self.set_note(uuid, code, note)

    def set_note(self, uuid: str, code: str, note: str) -> None:
        with self.store.tx() as c:
            self._editable(c, uuid)
            row = self._item(c, uuid, code)
            if row["note"] != note:
                c.execute(
                    "UPDATE item_results SET note = ? WHERE record_uuid = ? AND code = ?",
                    (note, uuid, code),
                )
                self._log(c, uuid, "set_note", code, "note", row["note"], note)

    def set_location(self, uuid: str, location: Location) -> None:
        with self.store.tx() as c:
            row = self._editable(c, uuid)
            new = loc_dict(location)
            c.execute("UPDATE records SET location = ? WHERE uuid = ?", (json.dumps(new), uuid))
            old = json.loads(row["location"]) if row["location"] else None
            self._log(c, uuid, "set_location", None, "location", old, new)

    # -- finishing ----------------------------------------------------------

    def finish(self, uuid: str) -> dict[str, Any]:
        """Lock the record, build its payload and queue it for upload (one transaction).
        Raises :class:`IncompleteRecordError` listing what is missing."""
        session = self.store.session() or {}
        device_id = self.store.device_id
        with self.store.tx() as c:
            self._editable(c, uuid)
            missing = problems(load_record(self.store, uuid))
            if missing:
                raise IncompleteRecordError(missing)
            # an amendment keeps the on-site end time; the trail has every finish
            c.execute(
                "UPDATE records SET finished_at = COALESCE(finished_at, ?), locked = 1"
                " WHERE uuid = ?",
                (self.store.now(), uuid),
            )
            self._log(c, uuid, "finish")
            payload = build_payload(
                load_record(self.store, uuid),
                device_id=device_id,
                submitted_by=session.get("username") or self.actor,
            )
            try:
                RecordSchema().load(payload)
            except ValidationError as exc:  # rolls the whole finish back
                raise IncompleteRecordError(_flatten(exc.messages)) from exc
            self.outbox.queue(uuid, canonical_json(payload))
        return payload

    def reopen(self, uuid: str, reason: str) -> None:
        """Unlock a rejected or already-sent record to correct it (an amendment:
        the next upload carries ``base_version``). The reason goes in the trail."""
        if not reason.strip():
            raise CoreError("重新打开已完成的记录须说明理由")
        with self.store.tx() as c:
            version = self.outbox.reopen(uuid)
            c.execute(
                "UPDATE records SET locked = 0, base_version = ? WHERE uuid = ?",
                (version, uuid),
            )
            self._log(c, uuid, "reopen", None, "reason", None, reason.strip())


def _flatten(messages: Any, prefix: str = "") -> list[str]:
    if isinstance(messages, dict):
        return [m for k, v in messages.items() for m in _flatten(v, f"{prefix}{k}.")]
    if isinstance(messages, list):
        return [f"{prefix.rstrip('.')}: {m}" if prefix else str(m) for m in messages]
    return [str(messages)]
