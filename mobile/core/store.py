"""The tablet's local SQLite store: one file in the app's private data directory.

Every change is committed at once (a tablet can be killed or lose power at any
moment), WAL journal with ``synchronous=FULL``, foreign keys on. Evidence files
live beside the database under ``files/``, named by their SHA-256.

One connection shared by the UI thread and the sync worker, guarded by a
re-entrant lock: SQLite calls are short, network calls never hold it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mobile.core import timefmt
from mobile.core.clock import Clock, iso, system_now
from mobile.core.schema import MIGRATIONS

DB_NAME = "suicha.db"
FILES_DIR = "files"
CAPTURES_DIR = "captures"  # what the app's camera and microphone write, until imported
THUMBS_DIR = "thumbs"  # small pictures for the evidence list (mobile/core/thumbnails.py)
BUREAU_ZONE_KEY = "bureau_timezone"  # meta key of the server's zone (timefmt.py)
REFS_DIR = "refs"  # earlier hazards' photos for a 复查 (mobile/core/sync/references.py)


class Store:
    """Open with :meth:`open`; use :meth:`tx` for multi-statement changes."""

    def __init__(self, data_dir: Path, *, clock: Clock = system_now) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.files_dir = self.data_dir / FILES_DIR
        self.files_dir.mkdir(mode=0o700, exist_ok=True)
        self.captures_dir = self.data_dir / CAPTURES_DIR
        self.captures_dir.mkdir(mode=0o700, exist_ok=True)
        self.thumbs_dir = self.data_dir / THUMBS_DIR
        self.thumbs_dir.mkdir(mode=0o700, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.clock = clock
        self._lock = threading.RLock()
        self._depth = 0
        self.conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self._migrate()
        self._recover()
        timefmt.use_zone(self.get_meta(BUREAU_ZONE_KEY))

    @classmethod
    def open(cls, data_dir: Path | None = None, *, clock: Clock = system_now) -> Store:
        """Open (creating and migrating if needed) the store in *data_dir*
        (default: the platform's private data directory)."""
        if data_dir is None:
            from mobile.platform.storage import data_dir as default_dir

            data_dir = default_dir()
        return cls(data_dir, clock=clock)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # -- plumbing -----------------------------------------------------------

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def now(self) -> str:
        return iso(self.clock())

    @property
    def schema_version(self) -> int:
        return int(self.one("PRAGMA user_version")[0])

    def _migrate(self) -> None:
        current = self.schema_version
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            # executescript commits first; the BEGIN…COMMIT makes each step atomic.
            self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )

    def _recover(self) -> None:
        """A record caught mid-upload by a crash goes back to the queue."""
        with self.tx() as c:
            c.execute(
                "UPDATE outbox SET state = 'queued', updated_at = ? WHERE state = 'sending'",
                (self.now(),),
            )

    # -- meta, device id, pull cursor --------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def device_id(self) -> str:
        """A random id made once per installation (sent with logins and records)."""
        with self.tx():
            value = self.get_meta("device_id")
            if value is None:
                value = str(uuid.uuid4())
                self.set_meta("device_id", value)
        return value

    @property
    def cursor(self) -> str | None:
        return self.get_meta("pull_cursor")

    def set_bureau_zone(self, name: str | None) -> None:
        """Keep the server's ``BUREAU_TIMEZONE`` (sent with the login and each
        pull) and show every time in it from now on. A name this device's zone
        database does not know changes nothing: times stay as they were shown."""
        if not name or timefmt.zone_from_name(name) is None:
            return
        if self.get_meta(BUREAU_ZONE_KEY) != name:
            self.set_meta(BUREAU_ZONE_KEY, name)
        timefmt.use_zone(name)

    # -- session ------------------------------------------------------------

    def save_session(
        self,
        *,
        server_url: str,
        username: str,
        token: str,
        role: str | None,
        inspector: dict[str, str] | None,
    ) -> None:
        """Store a fresh login; keeps the PIN if the same user logs in again."""
        with self.tx() as c:
            old = self.session()
            keep_pin = old is not None and old["username"] == username
            c.execute("DELETE FROM session")
            c.execute(
                "INSERT INTO session (id, server_url, username, token, role, inspector,"
                " pin_hash, pin_salt, logged_in_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    server_url.rstrip("/"),
                    username,
                    token,
                    role,
                    json.dumps(inspector, ensure_ascii=False) if inspector else None,
                    old["pin_hash"] if keep_pin else None,
                    old["pin_salt"] if keep_pin else None,
                    self.now(),
                ),
            )

    def session(self) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM session WHERE id = 1")
        if row is None:
            return None
        out = dict(row)
        out["inspector"] = json.loads(row["inspector"]) if row["inspector"] else None
        return out

    def update_session(self, **fields: Any) -> None:
        allowed = {"token", "pin_hash", "pin_salt", "pin_failures"}
        if not fields or not set(fields) <= allowed:
            raise ValueError(f"unknown session fields: {set(fields) - allowed}")
        cols = ", ".join(f"{k} = ?" for k in fields)
        with self.tx() as c:
            c.execute(f"UPDATE session SET {cols} WHERE id = 1", tuple(fields.values()))

    # -- task packages ------------------------------------------------------

    def apply_pull(
        self,
        packages: Sequence[dict[str, Any]],
        withdrawn: Sequence[str],
        cursor: str,
        reasons: dict[str, str] | None = None,
    ) -> dict[str, int]:
        """Upsert packages, drop withdrawn ones without a local record (keep the others,
        marked, with the office's *reasons* by visit id), store the cursor: all in one
        transaction. Returns counts for the UI."""
        reasons = reasons or {}
        now = self.now()
        stored = removed = kept = 0
        with self.tx() as c:
            for p in packages:
                c.execute(
                    "INSERT INTO packages (visit_id, body, received_at, withdrawn)"
                    " VALUES (?, ?, ?, 0) ON CONFLICT (visit_id) DO UPDATE SET"
                    " body = excluded.body, received_at = excluded.received_at, withdrawn = 0,"
                    " withdrawn_reason = NULL",
                    (p["visit_id"], json.dumps(p, ensure_ascii=False, default=str), now),
                )
                stored += 1
            for visit_id in withdrawn:
                if c.execute("SELECT 1 FROM records WHERE visit_id = ?", (visit_id,)).fetchone():
                    c.execute(
                        "UPDATE packages SET withdrawn = 1, withdrawn_reason = ?"
                        " WHERE visit_id = ?",
                        (reasons.get(visit_id), visit_id),
                    )
                    kept += 1
                else:
                    removed += c.execute(
                        "DELETE FROM packages WHERE visit_id = ?", (visit_id,)
                    ).rowcount
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('pull_cursor', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (cursor,),
            )
        return {"stored": stored, "removed": removed, "kept_withdrawn": kept}

    def package(self, visit_id: str) -> dict[str, Any] | None:
        row = self.one(
            "SELECT body, withdrawn, withdrawn_reason FROM packages WHERE visit_id = ?",
            (visit_id,),
        )
        if row is None:
            return None
        body = json.loads(row["body"])
        body["withdrawn"] = bool(row["withdrawn"])
        body["withdrawn_reason"] = row["withdrawn_reason"] or ""
        return body

    def packages(self) -> list[dict[str, Any]]:
        """All task packages, by window start then visit id (the UI's task list)."""
        out = []
        for row in self.all("SELECT visit_id FROM packages"):
            out.append(self.package(row["visit_id"]))
        out.sort(key=lambda p: (p["task"].get("window_start", ""), p["visit_id"]))
        return out

    # -- queries the screens and the sync engine read -------------------------

    def record_states(self) -> dict[str, dict[str, Any]]:
        """Per visit id: its record's uuid, outbox state and last error."""
        return {
            r["visit_id"]: dict(r)
            for r in self.all(
                "SELECT r.visit_id, r.uuid, o.state, o.last_error FROM records r"
                " LEFT JOIN outbox o ON o.record_uuid = r.uuid"
            )
        }

    def record_names(self) -> dict[str, str]:
        """Per record uuid: the enterprise it is about (the upload queue's titles)."""
        out = {}
        for row in self.all("SELECT uuid, visit_id FROM records"):
            pkg = self.package(row["visit_id"]) or {}
            out[row["uuid"]] = pkg.get("enterprise", {}).get("name", row["visit_id"])
        return out

    def unsynced_files(self) -> int:
        """Evidence files and signatures of records the server has not confirmed."""
        row = self.one(
            "SELECT (SELECT COUNT(*) FROM attachments a LEFT JOIN outbox o"
            "         ON o.record_uuid = a.record_uuid WHERE o.state IS NULL OR o.state != 'sent')"
            " + (SELECT COUNT(*) FROM signatures s LEFT JOIN outbox o"
            "         ON o.record_uuid = s.record_uuid WHERE o.state IS NULL OR o.state != 'sent')"
        )
        return int(row[0])

    def blob_rows(self, record_uuid: str) -> list[sqlite3.Row]:
        """Every file a record names (upload copies, originals, signatures):
        sha256, path, size, mime."""
        return self.all(
            "SELECT sha256, upload_path AS path, size, mime FROM attachments WHERE record_uuid = ?"
            " UNION SELECT original_sha256, original_path, original_size, original_mime"
            " FROM attachments WHERE record_uuid = ?"
            " UNION SELECT sha256, path, size, mime FROM signatures WHERE record_uuid = ?",
            (record_uuid,) * 3,
        )

    # -- wiping -------------------------------------------------------------

    def reference_path(self, sha256: str) -> Path:
        """Where an earlier hazard's photo (for a 复查) is kept once downloaded."""
        return self.data_dir / REFS_DIR / f"{sha256}.jpg"

    def new_capture(self, suffix: str) -> Path:
        """A fresh path for the camera or microphone to write to, on the evidence's own
        file system (so importing it is a rename), never world-readable."""
        return self.captures_dir / f"{uuid.uuid4().hex}{suffix}"

    def unsent_count(self) -> int:
        """Records that exist only on this tablet (any state but 'sent')."""
        row = self.one(
            "SELECT COUNT(*) FROM records r LEFT JOIN outbox o ON o.record_uuid = r.uuid"
            " WHERE o.state IS NULL OR o.state != 'sent'"
        )
        return int(row[0])

    def destroy(self) -> None:
        """Close and delete everything in the data directory: database, evidence,
        and whatever the app kept beside them (camera temp files, signature
        drafts). The directory is the app's own. No checks: see
        :func:`mobile.core.account.wipe` for the guarded version."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        for child in self.data_dir.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
