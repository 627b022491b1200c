"""The tablet database's tables, as numbered migrations (``PRAGMA user_version``).

Never edit a released migration: append a new one. Constraints live here, not
in Python: one record per visit, one outbox row per record, a package with a
local record cannot be deleted (``ON DELETE RESTRICT``), states are checked.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1 – first schema
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE session (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        server_url    TEXT NOT NULL,
        username      TEXT NOT NULL,
        token         TEXT,
        role          TEXT,
        inspector     TEXT,             -- JSON {cert_no, name} or NULL
        pin_hash      TEXT,
        pin_salt      TEXT,
        pin_failures  INTEGER NOT NULL DEFAULT 0,
        logged_in_at  TEXT NOT NULL
    );
    CREATE TABLE packages (
        visit_id    TEXT PRIMARY KEY,
        body        TEXT NOT NULL,      -- the task package JSON as received
        received_at TEXT NOT NULL,
        withdrawn   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE records (
        uuid         TEXT PRIMARY KEY,
        visit_id     TEXT NOT NULL UNIQUE REFERENCES packages (visit_id) ON DELETE RESTRICT,
        created_by   TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        locked       INTEGER NOT NULL DEFAULT 0,
        location     TEXT,              -- JSON {lat, lon, accuracy_m}
        base_version INTEGER
    );
    CREATE TABLE item_results (
        record_uuid TEXT NOT NULL REFERENCES records (uuid) ON DELETE CASCADE,
        code        TEXT NOT NULL,
        result      TEXT CHECK (result IN ('compliant', 'noncompliant', 'not_applicable')),
        note        TEXT NOT NULL DEFAULT '',
        checked_at  TEXT,
        PRIMARY KEY (record_uuid, code)
    );
    CREATE TABLE hazards (
        id          TEXT PRIMARY KEY,
        record_uuid TEXT NOT NULL REFERENCES records (uuid) ON DELETE CASCADE,
        item_code   TEXT,
        description TEXT NOT NULL,
        location    TEXT NOT NULL DEFAULT '',
        level       TEXT NOT NULL CHECK (level IN ('general', 'major')),
        legal_basis TEXT NOT NULL DEFAULT '',
        orders      TEXT NOT NULL,      -- JSON list of {kind, deadline, measures, transfer_to}
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX hazards_record ON hazards (record_uuid);
    CREATE TABLE attachments (
        id              TEXT PRIMARY KEY,
        record_uuid     TEXT NOT NULL REFERENCES records (uuid) ON DELETE CASCADE,
        item_code       TEXT,
        hazard_id       TEXT REFERENCES hazards (id) ON DELETE SET NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('photo', 'audio', 'document')),
        original_path   TEXT NOT NULL,
        original_sha256 TEXT NOT NULL,
        original_size   INTEGER NOT NULL,
        original_mime   TEXT NOT NULL,
        original_name   TEXT NOT NULL DEFAULT '',
        upload_path     TEXT NOT NULL,
        sha256          TEXT NOT NULL,
        size            INTEGER NOT NULL,
        mime            TEXT NOT NULL,
        taken_at        TEXT,
        location        TEXT,
        created_at      TEXT NOT NULL,
        UNIQUE (record_uuid, original_sha256, item_code, hazard_id)
    );
    CREATE INDEX attachments_record ON attachments (record_uuid);
    CREATE TABLE signatures (
        record_uuid TEXT NOT NULL REFERENCES records (uuid) ON DELETE CASCADE,
        signer_key  TEXT NOT NULL,      -- cert_no for officers, 'enterprise' for the enterprise
        role        TEXT NOT NULL CHECK (role IN ('inspector', 'enterprise')),
        name        TEXT NOT NULL,
        cert_no     TEXT,
        path        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        mime        TEXT NOT NULL,
        signed_at   TEXT NOT NULL,
        PRIMARY KEY (record_uuid, signer_key)
    );
    CREATE TABLE trail (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        record_uuid TEXT NOT NULL REFERENCES records (uuid) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        by          TEXT NOT NULL,
        action      TEXT NOT NULL,
        target      TEXT,
        field       TEXT,
        old         TEXT,               -- JSON
        new         TEXT                -- JSON
    );
    CREATE INDEX trail_record ON trail (record_uuid, seq);
    CREATE TABLE outbox (
        record_uuid     TEXT PRIMARY KEY REFERENCES records (uuid) ON DELETE CASCADE,
        state           TEXT NOT NULL
                        CHECK (state IN ('draft', 'queued', 'sending', 'sent', 'rejected')),
        payload         BLOB,           -- canonical JSON bytes, fixed once queued
        queued_at       TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL,           -- epoch seconds
        last_error      TEXT,
        last_status     INTEGER,
        server_version  INTEGER,
        sent_at         TEXT,
        updated_at      TEXT NOT NULL,
        CHECK (state IN ('draft') OR payload IS NOT NULL)
    );
    CREATE INDEX outbox_state ON outbox (state, queued_at);
    CREATE TABLE uploaded_blobs (
        sha256      TEXT PRIMARY KEY,
        confirmed_at TEXT NOT NULL
    );
    """,
    # 2 – why the office withdrew a task; a refused enterprise signature (拒签) with
    #     its reason and the witness who signed instead
    """
    ALTER TABLE packages ADD COLUMN withdrawn_reason TEXT;
    ALTER TABLE signatures ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE signatures ADD COLUMN refusal_reason TEXT;
    ALTER TABLE signatures ADD COLUMN witness TEXT;
    """,
)
