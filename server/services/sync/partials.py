"""Collect evidence uploads abandoned half-way.

A tablet resumes an interrupted upload from the server's offset, usually
within minutes, at worst after some days offline. A ``.partial`` file nobody
has appended to for ``SYNC_PARTIAL_MAX_DAYS`` (default 7) is given up: its
row and its bytes go, and a tablet that comes back after all simply starts
that file again from 0 (HEAD answers 404). Complete blobs are never touched.

Runs by itself at most once an hour from the upload path, and on demand as
``flask sync collect-partials``.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...models._types import utcnow
from ...models.sync import Blob
from . import blobs

DEFAULT_MAX_DAYS = 7
_EVERY_S = 3600
_last_run = [0.0]
_run_lock = threading.Lock()


def max_age() -> timedelta:
    return timedelta(days=float(current_app.config.get("SYNC_PARTIAL_MAX_DAYS",
                                                       DEFAULT_MAX_DAYS)))


def maybe_collect() -> None:
    """Collect if the last sweep in this process is an hour old (cheap otherwise)."""
    now = time.monotonic()
    if now - _last_run[0] < _EVERY_S or not _run_lock.acquire(blocking=False):
        return
    try:
        _last_run[0] = now
        collect()
    finally:
        _run_lock.release()


def collect() -> int:
    """Remove abandoned partial uploads; returns how many were removed."""
    cutoff = time.time() - max_age().total_seconds()
    created_before = utcnow() - max_age()
    root = Path(current_app.config["EVIDENCE_DIR"]) / ".partial"
    removed = 0
    rows = db.session.scalars(sa.select(Blob.sha256).where(
        Blob.complete.is_(False), Blob.created_at < created_before)).all()
    for sha256 in rows:
        removed += _drop(root / sha256, sha256, cutoff)
    known = set(db.session.scalars(sa.select(Blob.sha256).where(Blob.complete.is_(False))))
    if root.is_dir():
        for path in root.iterdir():  # bytes no row points at (a refused first chunk)
            if path.name not in known:
                removed += _drop(path, path.name, cutoff)
    return removed


def _drop(partial: Path, sha256: str, cutoff: float) -> int:
    with blobs.locked(sha256):  # an upload of this hash in progress finishes first
        if partial.is_file() and partial.stat().st_mtime >= cutoff:
            return 0  # appended to lately: still in progress
        row = db.session.scalar(sa.select(Blob).where(Blob.sha256 == sha256)
                                .execution_options(populate_existing=True))
        if row is not None and row.complete:
            return 0
        partial.unlink(missing_ok=True)
        if row is not None:
            db.session.delete(row)
            db.session.commit()
        return 1
