"""A record the server keeps failing on (the same 5xx, run after run) is
quarantined instead of retried forever, and stops blocking the queue; trouble
on the way to the server (502/503/504, no answer) never quarantines anything."""

from __future__ import annotations

from mobile.core.outbox import Outbox
from mobile.core.sync import SERVER_ERROR_RUNS

from .fake_server import Fault
from .sync_harness import Harness, finished


def test_repeated_500_quarantines_the_record_and_the_queue_moves_on(
        insp, store, tmp_path, h: Harness, fake) -> None:
    a = finished(insp, store, tmp_path, "V-2024-001")
    b = finished(insp, store, tmp_path, "V-B")
    fake.faults += [Fault("PUT", f"/api/v1/records/{a}", 500, times=10_000)]
    for _ in range(SERVER_ERROR_RUNS - 1):
        report = h.engine.run()
        assert report.sent == [] and report.rejected == []
        assert Outbox(store).get(a).state == "queued"
    report = h.engine.run()
    assert report.sent == [b]
    assert report.rejected and report.rejected[0][0] == a
    entry = Outbox(store).get(a)
    assert entry.state == "rejected" and entry.last_status == 500
    assert "服务器多次处理该记录出错" in entry.last_error and entry.payload  # kept on the tablet
    assert h.engine.run().sent == []  # not retried by itself any more
    fake.faults.clear()
    Outbox(store).retry(a)  # the person retries once the server is fixed
    assert h.engine.run().sent == [a]


def test_gateway_errors_never_quarantine(insp, store, tmp_path, h: Harness, fake) -> None:
    a = finished(insp, store, tmp_path, "V-2024-001")
    fake.faults += [Fault("PUT", f"/api/v1/records/{a}", 503, times=10_000)]
    for _ in range(SERVER_ERROR_RUNS + 2):
        assert h.engine.run().rejected == []
    assert Outbox(store).get(a).state == "queued"
    fake.faults.clear()
    assert h.engine.run().sent == [a]
