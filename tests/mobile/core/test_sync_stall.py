"""A link that stops moving, and a cancel: the attempt ends, says so, and the next
run resumes from what the server holds (against the loopback fake server)."""

from __future__ import annotations

import threading
import time

from mobile.core.outbox import Outbox
from mobile.core.sync import SyncEngine
from mobile.core.transport import Transport

from .conftest import fill_record, make_photo, make_signature
from .fake_server import Fault
from .sync_harness import blob_paths

CHUNK = 4 * 1024


def _big_record(insp, tmp_path) -> tuple[str, str]:
    big = make_photo(tmp_path / "big.jpg", size=(1600, 1200), quality=100)
    uuid = fill_record(insp, tmp_path)
    att = insp.add_attachment(uuid, big, item_code="WH-01")
    again = tmp_path / "again"  # content changed after signing: everyone signs again
    again.mkdir()
    for name, cert in (("张三", "13080020001"), ("李四", "13080020002")):
        insp.add_signature(uuid, role="inspector", name=name, cert_no=cert,
                           image=make_signature(again / f"{cert}.png"))  # fmt: skip
    insp.add_signature(uuid, role="enterprise", name="王五", image=make_signature(again / "e.png"))
    insp.finish(uuid)
    sha = insp.store.one("SELECT original_sha256 FROM attachments WHERE id = ?", (att,))[0]
    return uuid, sha


def _engine(store, url, **kw) -> SyncEngine:
    return SyncEngine(store, Transport(url, "good-token", timeout=(1, 1)), chunk_size=CHUNK,
                      base_delay=0.05, **kw)  # fmt: skip


def test_a_link_that_stops_moving_ends_the_attempt_and_resumes(insp, store, tmp_path, fake, url):
    uuid, sha = _big_record(insp, tmp_path)
    hang = threading.Event()
    calls = {"n": 0}

    def stall(f) -> None:
        if len(f.blobs.get(sha, b"")) >= 3 * CHUNK:  # the signal dies mid-photo
            calls["n"] += 1
            hang.wait(5)  # no answer to anything from here on

    fake.faults += [Fault(m, "/api/v1/", stall, times=10**6) for m in ("PUT", "HEAD", "GET")]
    engine = _engine(store, url, stall_seconds=2.0)
    report = engine.run()
    hang.set()
    assert report.stalled and not report.ok
    assert report.error.startswith("网络中断：2秒内没有传输任何数据")
    assert "下次同步从中断处继续" in report.error
    entry = Outbox(store).get(uuid)
    assert entry.state == "queued" and entry.attempts == 0  # the link, not the record
    assert calls["n"] <= 2  # no retrying into a dead link past the window

    # the link is back: the rest goes, from the server's offset
    fake.faults.clear()
    held = len(fake.blobs[sha])
    assert held >= 3 * CHUNK  # what moved before the stall stays on the server
    report = _engine(store, url).run()
    assert report.sent == [uuid]
    size = blob_paths(store, uuid)[sha].stat().st_size
    assert bytes(fake.blobs[sha]) == blob_paths(store, uuid)[sha].read_bytes()
    assert fake.received[sha] <= size + CHUNK  # resumed: at most the cut chunk went twice


def test_cancel_ends_a_slow_upload_mid_chunk(insp, store, tmp_path, fake, url):
    uuid, sha = _big_record(insp, tmp_path)
    engine = _engine(store, url)
    engine.chunk_size = 4 * 1024 * 1024  # one big chunk: the cancel must cut into it
    started = threading.Event()

    def on_progress(p) -> None:
        if p.current and p.bytes_done:
            started.set()
            time.sleep(0.01)  # a slow link: blocks trickle out

    engine.on_progress = on_progress
    done: list = []
    thread = engine.run_in_background(done.append)
    assert started.wait(10)
    engine.stop()
    thread.join(10)
    report = done[0]
    assert report.cancelled and report.error == "同步已暂停，记录已保存在本机"
    assert Outbox(store).get(uuid).state == "queued"
    assert sha not in fake.complete
    engine.on_progress = lambda p: None
    assert engine.run().sent == [uuid]
    assert sha in fake.complete


def test_cancel_does_not_wait_for_a_server_that_does_not_answer(insp, store, tmp_path, fake, url):
    uuid, sha = _big_record(insp, tmp_path)
    entered, release = threading.Event(), threading.Event()

    def hang(_fake) -> None:
        entered.set()
        release.wait(60)  # the server never answers while the test waits

    fake.faults.append(Fault("HEAD", "/api/v1/blobs/", hang))
    engine = SyncEngine(store, Transport(url, "good-token", timeout=(30, 60)), chunk_size=CHUNK)
    done: list = []
    thread = engine.run_in_background(done.append)
    assert entered.wait(10)
    engine.stop()
    thread.join(10)
    answered = release.is_set()
    release.set()
    assert not answered and done, "the cancel waited for the server"
    assert done[0].cancelled and Outbox(store).get(uuid).state == "queued"
    assert Outbox(store).get(uuid).attempts == 0
    fake.faults.clear()
    engine.transport = Transport(url, "good-token")
    assert SyncEngine(store, engine.transport).run().sent == [uuid]
