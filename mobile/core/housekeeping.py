"""Freeing space on the tablet – only ever for records the server has confirmed.

A record reaches ``sent`` only after the server answered ``complete: true``
(all its blobs held). Drafts, queued and rejected records, and every file they
reference, are never touched here.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from mobile.core.clock import iso
from mobile.core.store import Store

GRACE_SECONDS = 3600
KEEP_DAYS = 30  # a sent record stays on the tablet this long (to look things up)
CAPTURE_DAYS = 7  # a capture whose import failed stays this long, for a technician


def purge_sent(store: Store, *, keep_days: int = KEEP_DAYS) -> dict[str, int]:
    """Delete records sent more than *keep_days* ago, their packages, the files no
    remaining record references, and captures that failed to import a week ago.
    Returns counts for the UI."""
    cutoff = iso(store.clock() - timedelta(days=keep_days))
    with store.tx() as c:
        old = [
            r["record_uuid"]
            for r in c.execute(
                "SELECT record_uuid FROM outbox WHERE state = 'sent' AND sent_at < ?", (cutoff,)
            )
        ]
        visits = []
        for uuid in old:
            visits.append(
                c.execute("SELECT visit_id FROM records WHERE uuid = ?", (uuid,)).fetchone()[0]
            )
            c.execute("DELETE FROM records WHERE uuid = ?", (uuid,))  # cascades
        for visit_id in visits:
            c.execute("DELETE FROM packages WHERE visit_id = ?", (visit_id,))
        keep = {
            Path(r[0]).name
            for r in c.execute(
                "SELECT upload_path FROM attachments UNION SELECT original_path FROM attachments"
                " UNION SELECT path FROM signatures"
            )
        }
        thumbs = {f"{r[0]}.jpg" for r in c.execute("SELECT sha256 FROM attachments")}
    # Files are written before their row is inserted (decoding happens outside the
    # transaction), so anything touched in the last hour may belong to an import in
    # progress; evidence.py refreshes the mtime when it reuses an existing file.
    fresh = time.time() - GRACE_SECONDS
    removed = 0
    for path in store.files_dir.iterdir():
        if path.is_file() and path.name not in keep and path.stat().st_mtime < fresh:
            path.unlink()
            removed += 1
    for path in store.thumbs_dir.iterdir():  # made again if needed: not counted
        if path.name not in thumbs and path.stat().st_mtime < fresh:
            path.unlink()
    # Captures are moved into files/ when imported; one still here failed to import.
    stale = time.time() - CAPTURE_DAYS * 86400
    captures = 0
    for path in store.captures_dir.iterdir():
        if path.is_file() and path.stat().st_mtime < stale:
            path.unlink()
            captures += 1
    return {"records": len(old), "files": removed, "captures": captures}
