"""The sync engine against the fake server of docs/sync.md on loopback."""

from __future__ import annotations

import hashlib
import json
from itertools import pairwise
from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.errors import AuthRequiredError
from mobile.core.outbox import Outbox
from mobile.core.sync import SyncEngine
from mobile.core.transport import Transport

from .conftest import fill_record
from .fake_server import FakeServer, Fault
from .sync_harness import Harness, blob_paths, finished


def test_happy_path_blobs_then_records_oldest_first(
    insp, store, tmp_path, h: Harness, fake: FakeServer
) -> None:
    a = finished(insp, store, tmp_path, "V-2024-001")
    b = finished(insp, store, tmp_path, "V-B", photos=2)
    report = h.engine.run()
    assert report.ok and report.sent == [a, b]
    assert Outbox(store).counts()["sent"] == 2
    for uuid in (a, b):
        assert fake.status_of(uuid)["complete"]
        for sha, path in blob_paths(store, uuid).items():
            assert bytes(fake.blobs[sha]) == path.read_bytes()
    # every blob of a record went up before the record itself
    puts = [p for m, p, _ in fake.log if m == "PUT"]
    first_record = next(i for i, p in enumerate(puts) if "/records/" in p)
    assert all("/blobs/" in p for p in puts[:first_record])
    assert puts.index(f"/api/v1/records/{a}") < puts.index(f"/api/v1/records/{b}")
    last = h.progress[-1]
    assert (last.records_done, last.records_total) == (2, 2)
    assert last.bytes_done == last.bytes_total > 0
    assert all(x.bytes_done <= y.bytes_done for x, y in pairwise(h.progress))
    assert ("sent" in {e[1] for e in h.events}) and h.sleeps == []
    assert report.pulled == {"stored": 1, "removed": 0, "kept_withdrawn": 0, "photos": 0}


def test_repeat_upload_is_idempotent(insp, store, tmp_path, h: Harness, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    h.engine.run()
    body = Outbox(store).get(uuid).payload
    again = h.transport.put_record(uuid, body)
    assert again["version"] == 1 and len(fake.records[uuid]) == 1


def test_resume_sends_only_missing_bytes(insp, store, tmp_path, h: Harness, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    original = next(
        Path(r[0]) for r in store.all("SELECT original_path FROM attachments")
    )  # fmt: skip
    data = original.read_bytes()
    sha = next(s for s, p in blob_paths(store, uuid).items() if p == original)
    assert len(data) > 3 * 1024  # enough to split
    held = len(data) // 3
    fake.blobs[sha] = bytearray(data[:held])  # an upload cut off yesterday
    assert h.engine.run().ok
    assert fake.received[sha] == len(data) - held
    assert bytes(fake.blobs[sha]) == data


def test_lost_response_and_foreign_append_resume_via_416(
    insp, store, tmp_path, h: Harness, fake: FakeServer
) -> None:
    big = tmp_path / "big.jpg"
    from .conftest import make_photo

    make_photo(big, size=(1600, 1200), quality=100)
    h.engine.chunk_size = 16 * 1024
    uuid = insp.start("V-2024-001")
    att = insp.add_attachment(uuid, big, item_code="WH-01")
    sha = store.one("SELECT original_sha256 FROM attachments WHERE id = ?", (att,))[0]
    data = big.read_bytes()

    def other_device_appends(server: FakeServer) -> None:
        have = server.blobs.setdefault(sha, bytearray())
        have.extend(data[len(have) : len(have) + 1000])

    fake.faults += [
        Fault("PUT", f"/api/v1/blobs/{sha}", "drop_after"),  # stored, answer lost
        Fault("PUT", f"/api/v1/blobs/{sha}", 503),
        Fault("PUT", f"/api/v1/blobs/{sha}", other_device_appends),  # → 416
    ]
    insp.set_result(uuid, "WH-01", "compliant")
    fill_record(insp, tmp_path)  # same visit: completes the record
    insp.finish(uuid)
    assert h.engine.run().ok
    assert bytes(fake.blobs[sha]) == data and sha in fake.complete
    assert any(s == 416 for m, p, s in fake.log if sha in p)
    # only the chunk whose answer was lost (and the one refused with 416) travelled twice
    assert fake.received[sha] <= len(data) + 2 * h.engine.chunk_size
    assert len(h.sleeps) == 2  # the drop and the 503


def test_server_errors_retried_with_backoff(insp, store, tmp_path, h: Harness, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    fake.faults += [Fault("PUT", "/api/v1/records/", 503, times=2)]
    report = h.engine.run()
    assert report.sent == [uuid]
    assert h.sleeps == [1.0, 2.0]  # full jitter with rng 0.5: 0.5·2, 0.5·4


def test_network_down_defers_and_stops(insp, store, tmp_path, h: Harness, fake) -> None:
    a = finished(insp, store, tmp_path, "V-2024-001")
    b = finished(insp, store, tmp_path, "V-B")
    fake.faults += [Fault("HEAD", "/api/v1/blobs/", "drop", times=100)]
    report = h.engine.run()
    assert report.error == "无法连接服务器（网络未连接或信号太弱），稍后自动重试；记录已保存在本机"
    assert report.sent == [] and report.deferred == [a]
    box = Outbox(store)
    assert box.get(a).state == "queued" and box.get(a).attempts == 1
    assert box.get(a).next_attempt_at is not None
    assert box.get(b).state == "queued" and box.get(b).attempts == 0
    assert len(h.sleeps) == 3  # max_tries 4 → 3 waits, then give up for now
    assert not any(m == "PUT" for m, _, _ in fake.log)
    fake.faults.clear()
    assert h.engine.run().sent == [a, b]


def test_unreachable_server(insp, store, tmp_path) -> None:
    finished(insp, store, tmp_path, "V-2024-001")
    sleeps: list[float] = []
    engine = SyncEngine(store, Transport("http://127.0.0.1:9", "t", timeout=(1, 1)),
                        sleep=sleeps.append)  # fmt: skip
    report = engine.run()
    assert not report.ok and "稍后自动重试" in report.error
    assert Outbox(store).counts()["queued"] == 1


def test_rejected_record_does_not_block_others(insp, store, tmp_path, h: Harness, fake) -> None:
    a = finished(insp, store, tmp_path, "V-2024-001")
    b = finished(insp, store, tmp_path, "V-B")
    fake.faults += [Fault("PUT", f"/api/v1/records/{a}", 422)]
    report = h.engine.run()
    assert report.sent == [b]
    assert report.rejected == [(a, "故障注入（422）")]
    entry = Outbox(store).get(a)
    assert (entry.state, entry.last_status, entry.last_error) == (
        "rejected",
        422,
        "故障注入（422）",
    )
    assert h.engine.run().sent == []  # quarantined: not retried by itself
    Outbox(store).retry(a)
    assert h.engine.run().sent == [a]


def test_schema_failure_keeps_server_errors(insp, store, tmp_path, h: Harness) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    payload = json.loads(Outbox(store).get(uuid).payload)
    payload["items"][0]["result"] = "maybe"
    with store.tx() as c:
        c.execute("UPDATE outbox SET payload = ? WHERE record_uuid = ?",
                  (json.dumps(payload).encode(), uuid))  # fmt: skip
    h.engine.run()
    entry = Outbox(store).get(uuid)
    assert entry.state == "rejected" and entry.last_status == 400
    assert entry.last_error.startswith("记录格式错误") and "result" in entry.last_error


def test_401_stops_without_quarantine(insp, store, tmp_path, h: Harness, fake) -> None:
    a = finished(insp, store, tmp_path, "V-2024-001")
    finished(insp, store, tmp_path, "V-B")
    fake.token = "rotated"
    report = h.engine.run()
    assert report.auth_required and report.error.startswith("登录已失效")
    assert Outbox(store).counts() == {"draft": 0, "queued": 2, "sending": 0, "sent": 0,
                                      "rejected": 0}  # fmt: skip
    assert Outbox(store).get(a).attempts == 0
    assert len(fake.log) == 1  # stopped at the first refusal
    with pytest.raises(AuthRequiredError, match="用户名或密码错误"):
        account.login(store, h.transport.base_url, "zhangsan", "wrong")
    session = account.login(store, h.transport.base_url, "zhangsan", "secret")
    assert session["token"] == "rotated"
    h.transport.token = session["token"]
    assert len(h.engine.run().sent) == 2


def test_conflict_then_amendment_with_base_version(
    insp, store, tmp_path, h: Harness, fake: FakeServer
) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    other = json.loads(Outbox(store).get(uuid).payload)
    other["items"][0]["note"] = "另一台平板的版本"
    fake.records[uuid] = [json.dumps(other).encode()]
    report = h.engine.run()
    assert report.rejected and "不同内容" in report.rejected[0][1]
    assert Outbox(store).get(uuid).server_version == 1
    insp.reopen(uuid, "与服务器版本冲突，核对后重新提交")
    assert insp.finish(uuid)["base_version"] == 1
    assert h.engine.run().sent == [uuid]
    assert len(fake.records[uuid]) == 2


def test_record_first_then_missing_blobs(insp, store, tmp_path, h: Harness, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    with store.tx() as c:  # the tablet wrongly believes the server has everything
        for sha in blob_paths(store, uuid):
            c.execute("INSERT INTO uploaded_blobs VALUES (?, 'x')", (sha,))
    assert h.engine.run().sent == [uuid]
    assert fake.status_of(uuid)["complete"]
    assert ("GET", f"/api/v1/records/{uuid}", 200) in fake.log


def test_hash_mismatch_retried_once_then_quarantined(insp, store, tmp_path, h, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    fake.faults += [Fault("PUT", "/api/v1/blobs/", 422, times=2)]
    h.engine.run()
    entry = Outbox(store).get(uuid)
    assert entry.state == "rejected" and entry.last_status == 422


def test_corrupted_local_file_is_quarantined(insp, store, tmp_path, h, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    path = next(iter(blob_paths(store, uuid).values()))
    path.write_bytes(path.read_bytes()[:-10])
    h.engine.run()
    assert "已损坏" in Outbox(store).get(uuid).last_error


def test_pull_applies_packages_withdrawn_and_cursor(store, insp, h: Harness, fake) -> None:
    insp.start("V-2024-001")
    fake.withdrawn = ["V-2024-001"]
    assert h.engine.pull() == {"stored": 1, "removed": 0, "kept_withdrawn": 1, "photos": 0}
    assert store.cursor == "s1" and store.package("V-9") is not None
    assert h.engine.pull() == {"stored": 0, "removed": 0, "kept_withdrawn": 0, "photos": 0}
    fake.expired_cursors.add("s1")
    fake.cursor = "s2"
    assert h.engine.pull()["stored"] == 1 and store.cursor == "s2"


def test_bad_package_changes_nothing(store, h: Harness, fake) -> None:
    fake.packages = [{"visit_id": "V-X", "task": {}}]
    report = h.engine.run(push=False)
    assert "任务数据格式不正确" in report.error
    assert store.cursor == "c1" and store.package("V-X") is None


def test_background_run_and_no_overlap(insp, store, tmp_path, h: Harness, fake) -> None:
    import threading

    uuid = finished(insp, store, tmp_path, "V-2024-001")
    gate, entered = threading.Event(), threading.Event()

    def hold(server: FakeServer) -> None:
        entered.set()
        gate.wait(5)

    fake.faults.append(Fault("HEAD", "/api/v1/blobs/", hold))
    done: list = []
    thread = h.engine.run_in_background(done.append)
    assert entered.wait(5)
    assert h.engine.run().error == "正在同步，请稍候"  # a second tap does nothing
    gate.set()
    thread.join(10)
    assert done[0].sent == [uuid] and thread.name == "suicha-sync"


def test_stop_defers_without_losing_anything(insp, store, tmp_path, h: Harness) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    h.engine.on_progress = lambda p: p.current and h.engine.stop()  # mid-upload
    report = h.engine.run()
    assert report.sent == [] and report.error == "同步已暂停，记录已保存在本机"
    entry = Outbox(store).get(uuid)
    assert entry.state == "queued" and entry.attempts == 0  # a pause is not a failure
    h.engine.on_progress = lambda p: None
    assert h.engine.run().sent == [uuid]


def test_bad_server_address_is_reported_not_raised(insp, store, tmp_path) -> None:
    finished(insp, store, tmp_path, "V-2024-001")
    engine = SyncEngine(store, Transport("not a url", "t"), sleep=lambda s: None)
    done: list = []
    engine.run_in_background(done.append).join(10)
    assert "服务器地址格式不正确" in done[0].error
    assert Outbox(store).counts()["queued"] == 1


def test_429_honours_retry_after(insp, store, tmp_path, h: Harness, fake) -> None:
    uuid = finished(insp, store, tmp_path, "V-2024-001")
    fake.faults.append(Fault("PUT", "/api/v1/records/", 429))
    assert h.engine.run().sent == [uuid]
    assert h.sleeps == [7.0]


def test_connection_cut_mid_chunk_resumes(insp, store, tmp_path, h: Harness, fake) -> None:
    from .conftest import make_photo

    big = make_photo(tmp_path / "big.jpg", size=(1600, 1200), quality=100)
    h.engine.chunk_size = 16 * 1024
    uuid = fill_record(insp, tmp_path)
    insp.add_attachment(uuid, big, item_code="WH-01")
    sig = tmp_path / "again"  # content changed after signing: sign again
    sig.mkdir()
    from .conftest import make_signature

    for name, cert in (("张三", "13080020001"), ("李四", "13080020002")):
        insp.add_signature(uuid, role="inspector", name=name, cert_no=cert,
                           image=make_signature(sig / f"{cert}.png"))  # fmt: skip
    insp.add_signature(uuid, role="enterprise", name="王五",
                       image=make_signature(sig / "e.png"))  # fmt: skip
    insp.finish(uuid)
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    fake.faults += [Fault("PUT", f"/api/v1/blobs/{sha}", "cut", times=2)]
    assert h.engine.run().sent == [uuid]
    assert bytes(fake.blobs[sha]) == big.read_bytes()
    assert len(h.sleeps) == 2
