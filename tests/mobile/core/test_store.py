from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.errors import PinError, PinLockedError, UnsentRecordsError
from mobile.core.outbox import Outbox, StateError
from mobile.core.records import Inspections
from mobile.core.schema import MIGRATIONS
from mobile.core.store import Store

from .conftest import fill_record, make_package

ROOT = Path(__file__).resolve().parents[3]


def test_migrated_wal_foreign_keys(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS)
    assert store.one("PRAGMA journal_mode")[0] == "wal"
    assert store.one("PRAGMA foreign_keys")[0] == 1
    assert store.device_id == store.device_id


def test_data_dir_is_private(store: Store) -> None:
    assert store.data_dir.stat().st_mode & 0o077 == 0
    assert store.files_dir.stat().st_mode & 0o077 == 0


def test_apply_pull_upserts_and_keeps_cursor(store: Store) -> None:
    changed = make_package(notice={"doc_no": "告〔2024〕3号"})
    counts = store.apply_pull([changed, make_package("V-2")], [], "c2")
    assert counts == {"stored": 2, "removed": 0, "kept_withdrawn": 0}
    assert store.package("V-2024-001")["notice"] == {"doc_no": "告〔2024〕3号"}
    assert [p["visit_id"] for p in store.packages()] == ["V-2", "V-2024-001"]
    assert store.cursor == "c2"


def test_apply_pull_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(KeyError):
        store.apply_pull([make_package("V-3"), {"no": "visit id"}], [], "c9")
    assert store.package("V-3") is None
    assert store.cursor == "c1"


def test_withdrawn_only_deleted_without_local_record(insp: Inspections, store: Store) -> None:
    store.apply_pull([make_package("V-2")], [], "c2")
    insp.start("V-2024-001")
    counts = store.apply_pull([], ["V-2024-001", "V-2"], "c3")
    assert counts == {"stored": 0, "removed": 1, "kept_withdrawn": 1}
    assert store.package("V-2") is None
    assert store.package("V-2024-001")["withdrawn"] is True
    # and the database itself refuses to orphan a record
    with pytest.raises(sqlite3.IntegrityError):
        with store.tx() as c:
            c.execute("DELETE FROM packages WHERE visit_id = 'V-2024-001'")


def test_outbox_transitions(insp: Inspections, store: Store, tmp_path: Path) -> None:
    box = Outbox(store, wall=lambda: 1000.0)
    uuid = fill_record(insp, tmp_path)
    with pytest.raises(StateError):
        box.take(uuid)  # still a draft
    insp.finish(uuid)
    assert box.counts()["queued"] == 1
    box.take(uuid)
    with pytest.raises(StateError):
        box.take(uuid)  # a second worker cannot take it too
    box.mark_retry(uuid, "无法连接服务器", 30.0, 503)
    e = box.get(uuid)
    assert (e.state, e.attempts, e.next_attempt_at, e.last_status) == ("queued", 1, 1030.0, 503)
    assert box.pending(due_only=True) == []
    assert [x.record_uuid for x in box.pending()] == [uuid]
    box.take(uuid)
    box.mark_rejected(uuid, "记录格式错误", 400)
    assert box.get(uuid).state == "rejected" and box.get(uuid).last_error == "记录格式错误"
    box.retry(uuid)
    assert box.get(uuid).state == "queued" and box.get(uuid).attempts == 0
    box.take(uuid)
    box.mark_sent(uuid, 1)
    assert box.get(uuid).state == "sent" and box.get(uuid).server_version == 1
    assert store.one("SELECT COUNT(*) FROM uploaded_blobs")[0] == 5


def test_sending_goes_back_to_queue_after_crash(
    insp: Inspections, store: Store, tmp_path: Path
) -> None:
    uuid = fill_record(insp, tmp_path)
    insp.finish(uuid)
    Outbox(store).take(uuid)
    again = Store(store.data_dir)
    assert Outbox(again).get(uuid).state == "queued"
    again.close()


def test_killed_process_keeps_every_committed_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    script = textwrap.dedent(
        f"""
        import os, signal
        from mobile.core.store import Store
        from mobile.core.records import Inspections
        from tests.mobile.core.conftest import make_package
        s = Store({str(data)!r})
        s.apply_pull([make_package()], [], "c1")
        insp = Inspections(s, actor="zhangsan")
        u = insp.start("V-2024-001")
        insp.set_result(u, "WH-01", "compliant")
        insp.set_note(u, "WH-01", "已查阅")
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    s = Store(data)
    insp = Inspections(s, actor="zhangsan")
    rec = insp.view(insp.record_for_visit("V-2024-001"))
    assert rec["items"][0]["result"] == "compliant" and rec["items"][0]["note"] == "已查阅"
    assert [t["action"] for t in rec["trail"]] == ["start", "set_result", "set_note"]
    s.close()


def test_wipe_refuses_with_unsent_records(insp: Inspections, store: Store, tmp_path: Path) -> None:
    uuid = fill_record(insp, tmp_path)
    insp.finish(uuid)
    with pytest.raises(UnsentRecordsError) as err:
        account.wipe(store)
    assert err.value.count == 1
    assert store.path.exists()
    box = Outbox(store)
    box.take(uuid)
    box.mark_sent(uuid, 1)
    account.wipe(store)
    assert not store.path.exists() and not store.files_dir.exists()


def test_wipe_force(insp: Inspections, store: Store) -> None:
    insp.start("V-2024-001")  # a draft counts as unsent
    stray = store.data_dir / "tmpcam" / "camera.jpg"  # e.g. a photo the UI kept aside
    stray.parent.mkdir()
    stray.write_bytes(b"x")
    with pytest.raises(UnsentRecordsError):
        account.wipe(store)
    assert stray.exists()
    account.wipe(store, force=True)
    assert list(store.data_dir.iterdir()) == []


def test_pin_unlock_and_lockout(store: Store) -> None:
    with pytest.raises(PinError):
        account.set_pin(store, "12a4")
    account.set_pin(store, "2468")
    assert account.unlock(store, "2468")
    clock = [1000.0]
    for n in range(account.PIN_MAX_FAILURES - 1):
        assert not account.unlock(store, "0000", now=lambda: clock[0])
        assert account.pin_tries_left(store) == account.PIN_MAX_FAILURES - 1 - n
    with pytest.raises(PinLockedError, match="已锁定15分钟"):
        account.unlock(store, "0000", now=lambda: clock[0])
    with pytest.raises(PinLockedError, match="15分钟后再试"):  # even the right PIN waits
        account.unlock(store, "2468", now=lambda: clock[0])
    assert store.session()["token"] == "good-token"  # still offline-capable
    clock[0] += account.PIN_LOCK_MINUTES * 60
    assert account.unlock(store, "2468", now=lambda: clock[0])  # back to work, offline
    for _ in range(account.PIN_MAX_FAILURES - 1):
        account.unlock(store, "0000", now=lambda: clock[0])
    with pytest.raises(PinLockedError):
        account.unlock(store, "0000", now=lambda: clock[0])
    clock[0] += account.PIN_LOCK_MINUTES * 60
    for _ in range(account.PIN_HARD_LIMIT - account.PIN_MAX_FAILURES - 1):
        assert not account.unlock(store, "0000", now=lambda: clock[0])
    with pytest.raises(PinError, match="请联网重新登录"):
        account.unlock(store, "0000", now=lambda: clock[0])
    assert store.session()["token"] is None  # must log in online again
    assert store.session()["username"] == "zhangsan"  # data stays


def test_purge_only_touches_confirmed_records(
    insp: Inspections, store: Store, tmp_path: Path, clock, monkeypatch
) -> None:
    from datetime import timedelta

    from mobile.core import housekeeping

    sent = fill_record(insp, tmp_path, photos=1)
    insp.finish(sent)
    store.apply_pull([make_package("V-2")], [], "c2")
    queued = fill_record(insp, tmp_path, "V-2", photos=2)
    insp.finish(queued)
    box = Outbox(store)
    box.take(sent)
    box.mark_sent(sent, 1)
    only_sent = Path(insp.view(sent)["attachments"][0]["upload_path"])
    monkeypatch.setattr(housekeeping, "GRACE_SECONDS", -10)  # treat every file as old
    assert housekeeping.purge_sent(store) == {"records": 0, "files": 0, "captures": 0}
    clock.now += timedelta(days=31)
    result = housekeeping.purge_sent(store)
    # the camera original and the signature images are shared with the unsent record
    assert result == {"records": 1, "files": 1, "captures": 0} and not only_sent.exists()
    assert box.get(sent) is None and store.package("V-2024-001") is None
    rec = insp.view(queued)  # the unsent record and all its files are intact
    for a in rec["attachments"]:
        assert Path(a["upload_path"]).is_file() and Path(a["original_path"]).is_file()
    for s in rec["signatures"]:
        assert Path(s["path"]).is_file()
    assert box.get(queued).state == "queued"


def test_captures_that_failed_to_import_go_after_a_week(store: Store) -> None:
    import os
    import time

    from mobile.core import housekeeping

    old, fresh = store.new_capture(".jpg"), store.new_capture(".jpg")
    assert old.parent == store.captures_dir and old != fresh
    assert store.captures_dir.stat().st_mode & 0o777 == 0o700
    old.write_bytes(b"camera wrote this, then its import failed")
    fresh.write_bytes(b"being imported now")
    week = housekeeping.CAPTURE_DAYS * 86400
    os.utime(old, (time.time() - week - 60, time.time() - week - 60))
    assert housekeeping.purge_sent(store)["captures"] == 1
    assert not old.exists() and fresh.exists()


def test_thumbnails_of_purged_records_go_too(insp: Inspections, store: Store, tmp_path: Path,
                                             monkeypatch) -> None:  # fmt: skip
    from mobile.core import housekeeping, thumbnails

    uuid = fill_record(insp, tmp_path, photos=1)
    (att,) = insp.view(uuid)["attachments"]
    kept = thumbnails.make(store.thumbs_dir, Path(att["upload_path"]), att["sha256"])
    orphan = thumbnails.path_for(store.thumbs_dir, "0" * 64)
    orphan.write_bytes(b"a thumbnail of a photo no record has any more")
    monkeypatch.setattr(housekeeping, "GRACE_SECONDS", -10)
    housekeeping.purge_sent(store)
    assert kept.exists() and not orphan.exists()
