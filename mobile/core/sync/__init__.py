"""The sync engine (docs/sync.md §5), one module per part:

- :mod:`.engine` – ``SyncEngine.run``: push the outbox oldest first, then pull
  task packages; cancel, the stall watch, the report the screen shows.
- :mod:`.uploader` – one queued record to the server; returns ``Sent``,
  ``Rejected`` (quarantine it) or ``Deferred`` (try again later).
- :mod:`.blobs` – resumable evidence uploads, chunk by chunk, from the server's
  offset.
- :mod:`.pacing` – backoff with full jitter and the stall watch (no byte moved
  for ``STALL_SECONDS`` → the attempt ends, resumable, and says so).

Runs on a worker thread; reports through plain callables which the UI moves
onto its main thread.
"""

from mobile.core.sync.engine import Progress, SyncEngine, SyncReport
from mobile.core.sync.pacing import STALL_SECONDS
from mobile.core.sync.uploader import CHUNK_SIZE, SERVER_ERROR_RUNS, Deferred, Rejected, Sent

__all__ = [
    "CHUNK_SIZE",
    "STALL_SECONDS",
    "Deferred",
    "Progress",
    "Rejected",
    "SERVER_ERROR_RUNS",
    "Sent",
    "SyncEngine",
    "SyncReport",
]
