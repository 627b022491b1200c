"""Must-show 1: tablets push through a connection-cutting proxy to a server that
is killed twice mid-upload; at the end everything is on the server exactly once.

A real gunicorn server on a SQLite file, several tablets each running the real
``mobile/core`` store, record API, outbox and sync engine under its own
inspector account, with the visits dispatched to it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest

from shared.schemas import blob_hashes

from .harness import ChaosProxy, ServerProcess, seed, server_state
from .tablets import Tablet

TABLETS = 5
RECORDS_PER_TABLET = 100
PHOTOS_PER_RECORD = 2
CUT_RATE = 0.25
RESTART_AT = (1500, 3500)  # proxy connections (of ~6,000) after which the server is killed


@pytest.fixture
def server(tmp_path):
    srv = ServerProcess(tmp_path / "server")
    srv.migrate()
    yield srv
    srv.stop()


def _restarter(server: ServerProcess, proxy: ChaosProxy, log: list[dict],
               done: threading.Event) -> None:
    """Kill -9 the server while a blob PUT is in flight, then start it again."""
    for threshold in RESTART_AT:
        while not done.is_set() and (proxy.stats.connections < threshold
                                     or proxy.stats.active_blob_puts == 0):
            time.sleep(0.001)
        if done.is_set():
            return
        in_flight = proxy.stats.active_blob_puts
        server.kill()
        log.append({"at_connection": proxy.stats.connections, "blob_puts_in_flight": in_flight})
        time.sleep(0.5)  # tablets meet a dead server for a moment
        server.start()


@pytest.mark.slow
def test_nothing_lost_nothing_doubled_under_cuts_and_crashes(server, tmp_path):
    accounts = seed(server, TABLETS, RECORDS_PER_TABLET)
    server.start()
    proxy = ChaosProxy(server.port, cut_rate=CUT_RATE, seed=20240305)
    tablets = [Tablet(tmp_path / a["username"], server.url, proxy.url, a["username"])
               for a in accounts]
    try:
        deadline = time.monotonic() + 60
        for t in tablets:
            t.pull_until_done(deadline)
        seed_no = 0
        for t in tablets:
            led = t.led_visits()
            assert len(led) == RECORDS_PER_TABLET  # dispatched to this tablet, and only those
            for visit_id in led:
                seed_no += 1
                t.inspect(visit_id, PHOTOS_PER_RECORD, seed_no)

        restarts: list[dict] = []
        done = threading.Event()
        chaos = threading.Thread(target=_restarter, args=(server, proxy, restarts, done))
        chaos.start()
        errors: list[BaseException] = []

        def push(t: Tablet) -> None:
            try:
                t.sync_until_empty(time.monotonic() + 240)
            except BaseException as exc:  # noqa: BLE001 – reported below
                errors.append(exc)

        workers = [threading.Thread(target=push, args=(t,)) for t in tablets]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        done.set()
        chaos.join()
        assert errors == []
        if server.proc.poll() is not None:
            server.start()

        # -- what the tablets hold -------------------------------------------
        payloads: dict[str, bytes] = {}
        for t in tablets:
            counts = t.engine.outbox.counts()
            assert counts["sent"] == RECORDS_PER_TABLET, (t.username, counts)
            assert t.engine.outbox.pending() == []
            assert counts["queued"] == counts["sending"] == counts["rejected"] == 0
            payloads.update(t.payloads())
        needed = {h for body in payloads.values() for h in blob_hashes(json.loads(body))}
        photos = sum(len(json.loads(b)["attachments"]) for b in payloads.values())

        # -- what the server holds -------------------------------------------
        state = server_state(server)
        heads = dict(state["heads"])
        assert len(state["heads"]) == len(payloads) == TABLETS * RECORDS_PER_TABLET
        assert set(heads) == set(payloads) and set(heads.values()) == {1}
        assert len(state["versions"]) == len(payloads)  # exactly once
        for uuid, _version, body in state["versions"]:
            assert bytes(body) == payloads[uuid]
        blobs = {sha: (size, complete) for sha, size, complete in state["blobs"]}
        assert len(state["blobs"]) == len(blobs) == len(needed)
        assert set(blobs) == needed and all(c for _s, c in blobs.values())
        assert state["bad_files"] == []
        on_disk = Counter(p.name for p in state["files"])
        assert set(on_disk) == needed and set(on_disk.values()) == {1}
        for p in state["files"]:
            assert p.stat().st_size == blobs[p.name][0]

        stats = proxy.stats
        cut_share = stats.cut / stats.connections
        escaped = sum(t.escaped_json_errors for t in tablets)
        print(f"\nrecords: {len(payloads)} on tablets, {len(heads)} on server "
              f"({len(state['versions'])} versions); photos: {photos}; "
              f"blobs: {len(needed)} needed, {len(blobs)} on server, {len(on_disk)} files, "
              f"{len(state['bad_files'])} hash mismatches; outboxes: "
              f"{[t.engine.outbox.counts()['queued'] for t in tablets]} queued")
        print(f"requests: {stats.connections}, cut: {stats.cut} ({cut_share:.0%}, "
              f"{dict(stats.modes)}), refused while down: {stats.refused}; "
              f"server restarts: {restarts}; engine runs ended by a truncated header "
              f"(client JSON error): {escaped}")
        assert photos >= 1000
        assert cut_share >= 0.20
        assert len(restarts) >= 2 and all(r["blob_puts_in_flight"] > 0 for r in restarts)
    finally:
        for t in tablets:
            t.close()
        proxy.close()
