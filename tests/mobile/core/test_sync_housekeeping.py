"""Housekeeping after a sync: the space of records the server confirmed long ago."""

from __future__ import annotations

from datetime import timedelta

from mobile.core import housekeeping

from .sync_harness import Harness, blob_paths, finished


def test_space_of_long_confirmed_records_is_freed_after_a_sync(
    insp, store, tmp_path, h: Harness, fake, clock, monkeypatch
) -> None:
    old = finished(insp, store, tmp_path, "V-2024-001")
    assert h.engine.run().sent == [old]
    files = blob_paths(store, old)
    monkeypatch.setattr(housekeeping, "GRACE_SECONDS", -10)  # the files are not new
    assert h.engine.run().purged == {"records": 0, "files": 0, "captures": 0}  # sent today
    queued = finished(insp, store, tmp_path, "V-B")  # finished, not uploaded yet
    kept = blob_paths(store, queued)
    clock.now += timedelta(days=31)
    report = h.engine.run(push=False)
    assert report.ok and report.purged["records"] == 1 and report.purged["files"] >= 1
    assert store.one("SELECT 1 FROM records WHERE uuid = ?", (old,)) is None
    assert not any(p.exists() for p in files.values() if p not in kept.values())
    assert all(p.exists() for p in kept.values())  # not sent: untouched


def test_a_failing_housekeeping_does_not_fail_the_sync(
    insp, store, tmp_path, h: Harness, fake, monkeypatch
) -> None:
    def broken(_store):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(housekeeping, "purge_sent", broken)
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    report = h.engine.run()
    assert report.ok and report.sent == [uuid] and report.purged is None
