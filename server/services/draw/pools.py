"""Draw pools on disk: the framed bytes of ``shared.draw.encode_pool``.

A 500,000-enterprise pool is ~35 MB.  Kept in the database it would be
written twice (SQLite's WAL, then the checkpoint into the file; measured
0.2–0.25 s a draw against 0.06 s for one file written and fsynced), so it
lives beside the evidence, named by its pool hash::

    EVIDENCE_DIR/draw-pools/ab/ab12….pool

The file is durable before the draw's row commits, and never changed.  It
needs no hash of its own: the pool hash covers it, and :func:`load_pool`
checks it against the record on every read.  Backups copy it with the
evidence (services/backup.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from ..files import write_once

SUBDIR = "draw-pools"


def pool_path(pool_hash: str) -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]) / SUBDIR / pool_hash[:2] / f"{pool_hash}.pool"


def relative_path(pool_hash: str) -> str:
    """The file's path under EVIDENCE_DIR (as backups list it)."""
    return f"{SUBDIR}/{pool_hash[:2]}/{pool_hash}.pool"


def store_pool(pool_hash: str, data: bytes) -> Path:
    """Write the pool's bytes durably (once per pool hash) and return the path."""
    return write_once(pool_path(pool_hash), data)


class PoolWriter:
    """:func:`store_pool` on a helper thread, started as soon as the pool is
    encoded: the write and the fsync release the GIL, so they overlap the
    draw itself.  :meth:`wait` before committing the row that refers to the
    file.  (If the draw then fails, the file stays: it is named by its
    content, and the next draw of the same pool uses it.)
    """

    def __init__(self, pool_hash: str, data: bytes) -> None:
        self.path = pool_path(pool_hash)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(data,),
                                        name="draw-pool-writer", daemon=True)
        self._thread.start()

    def _run(self, data: bytes) -> None:
        try:
            write_once(self.path, data)
        except BaseException as exc:  # handed to wait(), in the request's thread
            self._error = exc

    def wait(self) -> Path:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.path


def load_pool(pool_hash: str) -> bytes:
    """The stored bytes; ``FileNotFoundError`` when the file is missing."""
    return pool_path(pool_hash).read_bytes()
