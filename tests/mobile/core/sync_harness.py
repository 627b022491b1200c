"""The sync engine's test harness: an engine with recorded sleeps, progress and
record events, and finished records to upload (fixtures ``fake``, ``url`` and
``h`` in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.core.sync import Progress, SyncEngine
from mobile.core.transport import Transport

from .conftest import fill_record, make_package

CHUNK = 64 * 1024


class Harness:
    def __init__(self, store: Store, url: str) -> None:
        self.sleeps: list[float] = []
        self.progress: list[Progress] = []
        self.events: list[tuple[str, str, str | None]] = []
        self.transport = Transport(url, "good-token", timeout=(2, 5))
        self.engine = SyncEngine(
            store, self.transport, chunk_size=CHUNK, sleep=self.sleeps.append,
            rng=lambda: 0.5, on_progress=self.progress.append,
            on_record=lambda *e: self.events.append(e),
        )  # fmt: skip


def finished(insp: Inspections, store: Store, tmp_path: Path, visit_id: str, photos: int = 1):
    if store.package(visit_id) is None:
        store.apply_pull([make_package(visit_id)], [], store.cursor or "c")
    uuid = fill_record(insp, tmp_path, visit_id, photos=photos)
    insp.finish(uuid)
    return uuid


def blob_paths(store: Store, uuid: str) -> dict[str, Path]:
    rows = store.all(
        "SELECT sha256, upload_path p FROM attachments WHERE record_uuid = ? UNION"
        " SELECT original_sha256, original_path FROM attachments WHERE record_uuid = ? UNION"
        " SELECT sha256, path FROM signatures WHERE record_uuid = ?",
        (uuid,) * 3,
    )
    return {r[0]: Path(r[1]) for r in rows}
