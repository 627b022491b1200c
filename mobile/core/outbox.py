"""The upload queue: one row per record, an explicit state machine.

    draft ─finish─▶ queued ─▶ sending ─▶ sent
                      ▲          ├─ transient error / 401 ─▶ queued (retry later)
                      │          └─ other 4xx ─────────────▶ rejected (quarantined)
                      └─ retry ── rejected
          draft ◀── reopen ── queued | rejected | sent

Every transition is one SQLite transaction and checks the state it leaves, so
two threads cannot both take a record. Nothing is ever deleted here before the
server confirmed the record complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mobile.core.store import Store
from shared.lifecycle import OutboxState

STATES = tuple(s.value for s in OutboxState)  # labels for the screens: OutboxState


class StateError(RuntimeError):
    """A transition from the wrong state (a programming error or a race lost)."""


@dataclass(frozen=True)
class OutboxEntry:
    record_uuid: str
    state: str
    payload: bytes | None
    queued_at: str | None
    attempts: int
    next_attempt_at: float | None
    last_error: str | None
    last_status: int | None
    server_version: int | None
    sent_at: str | None

    @classmethod
    def from_row(cls, row: Any) -> OutboxEntry:
        return cls(**{f: row[f] for f in cls.__dataclass_fields__})


class Outbox:
    def __init__(self, store: Store, *, wall: Callable[[], float] = time.time) -> None:
        self.store = store
        self.wall = wall  # epoch seconds, for next_attempt_at

    def _move(self, uuid: str, from_states: tuple[str, ...], sql_set: str, params: tuple) -> None:
        with self.store.tx() as c:
            row = c.execute("SELECT state FROM outbox WHERE record_uuid = ?", (uuid,)).fetchone()
            if row is None or row["state"] not in from_states:
                state = row["state"] if row else "missing"
                raise StateError(f"record {uuid} is {state}, expected {from_states}")
            c.execute(
                f"UPDATE outbox SET {sql_set}, updated_at = ? WHERE record_uuid = ?",
                (*params, self.store.now(), uuid),
            )

    # -- transitions --------------------------------------------------------

    def create_draft(self, uuid: str) -> None:
        with self.store.tx() as c:
            c.execute(
                "INSERT INTO outbox (record_uuid, state, updated_at) VALUES (?, 'draft', ?)",
                (uuid, self.store.now()),
            )

    def queue(self, uuid: str, payload: bytes) -> None:
        """draft → queued with the record's final bytes."""
        self._move(
            uuid,
            ("draft",),
            "state = 'queued', payload = ?, queued_at = ?, attempts = 0,"
            " next_attempt_at = NULL, last_error = NULL, last_status = NULL",
            (payload, self.store.now()),
        )

    def take(self, uuid: str) -> None:
        """queued → sending (the sync worker owns it now)."""
        self._move(uuid, ("queued",), "state = 'sending'", ())

    def mark_sent(self, uuid: str, version: int) -> None:
        """sending → sent, and remember its blobs as held by the server (one transaction)."""
        now = self.store.now()
        with self.store.tx() as c:
            self._move(
                uuid,
                ("sending",),
                "state = 'sent', server_version = ?, sent_at = ?,"
                " last_error = NULL, last_status = NULL",
                (version, now),
            )
            c.execute(
                "INSERT OR IGNORE INTO uploaded_blobs (sha256, confirmed_at)"
                " SELECT sha256, ? FROM attachments WHERE record_uuid = ?"
                " UNION SELECT original_sha256, ? FROM attachments WHERE record_uuid = ?"
                " UNION SELECT sha256, ? FROM signatures WHERE record_uuid = ?",
                (now, uuid) * 3,
            )

    def mark_retry(
        self,
        uuid: str,
        message: str,
        delay_s: float,
        status: int | None = None,
        *,
        count: bool = True,
    ) -> None:
        """sending → queued, try again no sooner than *delay_s* from now. *count*
        False when the failure says nothing about the record (a 401, a pause)."""
        self._move(
            uuid,
            ("sending",),
            "state = 'queued', attempts = attempts + ?, next_attempt_at = ?,"
            " last_error = ?, last_status = ?",
            (1 if count else 0, self.wall() + delay_s, message, status),
        )

    def mark_rejected(
        self, uuid: str, message: str, status: int | None, server_version: int | None = None
    ) -> None:
        """sending → rejected: quarantined with the server's message."""
        self._move(
            uuid,
            ("sending",),
            "state = 'rejected', last_error = ?, last_status = ?,"
            " server_version = COALESCE(?, server_version)",
            (message, status, server_version),
        )

    def retry(self, uuid: str) -> None:
        """rejected → queued, same bytes (the user thinks the server will take it now)."""
        self._move(
            uuid,
            ("rejected",),
            "state = 'queued', attempts = 0, next_attempt_at = NULL",
            (),
        )

    def reopen(self, uuid: str) -> int | None:
        """queued | rejected | sent → draft; returns the server version to amend
        (``base_version``; None for a record the server never held)."""
        entry = self.get(uuid)
        self._move(uuid, ("queued", "rejected", "sent"), "state = 'draft', payload = NULL", ())
        return entry.server_version if entry else None

    # -- queries ------------------------------------------------------------

    def get(self, uuid: str) -> OutboxEntry | None:
        row = self.store.one("SELECT * FROM outbox WHERE record_uuid = ?", (uuid,))
        return OutboxEntry.from_row(row) if row else None

    def pending(self, *, due_only: bool = False) -> list[OutboxEntry]:
        """Queued records, oldest first; *due_only* skips those still backing off."""
        sql = "SELECT * FROM outbox WHERE state = 'queued'"
        params: tuple = ()
        if due_only:
            sql += " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            params = (self.wall(),)
        sql += " ORDER BY queued_at, record_uuid"
        return [OutboxEntry.from_row(r) for r in self.store.all(sql, params)]

    def entries(self, state: str | None = None) -> list[OutboxEntry]:
        if state is not None and state not in STATES:
            raise ValueError(state)
        sql = "SELECT * FROM outbox" + (" WHERE state = ?" if state else "")
        rows = self.store.all(sql + " ORDER BY queued_at, record_uuid", (state,) if state else ())
        return [OutboxEntry.from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATES, 0)
        for row in self.store.all("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"):
            out[row["state"]] = row["n"]
        return out

    def seconds_until_due(self) -> float | None:
        """When the next queued record may be retried (0 = now); None if nothing is queued.
        The UI schedules ``SyncEngine.run(due_only=True)`` with this."""
        row = self.store.one(
            "SELECT COUNT(*) AS n, MIN(COALESCE(next_attempt_at, 0)) AS t"
            " FROM outbox WHERE state = 'queued'"
        )
        if not row["n"]:
            return None
        return max(0.0, row["t"] - self.wall())

    def blob_known_uploaded(self, sha256: str) -> bool:
        return (
            self.store.one("SELECT 1 FROM uploaded_blobs WHERE sha256 = ?", (sha256,)) is not None
        )
