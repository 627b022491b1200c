"""Must-show 2 (resume) and 3 (isolation) end to end: the real tablet engine over
real HTTP, bytes counted at the proxy."""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

from .harness import ChaosProxy, ServerProcess, seed, server_state
from .tablets import Tablet, noise_jpeg

CHUNK = 64 * 1024


@pytest.fixture
def world(tmp_path):
    srv = ServerProcess(tmp_path / "server", workers=1)
    srv.migrate()
    accounts = seed(srv, 3, 1)  # visits: (t0,t1), (t1,t2), (t2,t0)
    srv.start()
    proxy = ChaosProxy(srv.port)
    tablets = [Tablet(tmp_path / a["username"], srv.url, proxy.url, a["username"],
                      chunk_size=CHUNK) for a in accounts]
    for t in tablets:
        t.pull_until_done(time.monotonic() + 30)
    yield srv, proxy, tablets
    for t in tablets:
        t.close()
    proxy.close()
    srv.stop()


def _big_photo(path, seed):
    return noise_jpeg(path, seed, size=(640, 480), quality=95)  # ~ 300 KB: several chunks


def test_resumed_upload_sends_only_the_missing_bytes(world):
    srv, proxy, (a, _b, _c) = world
    uuid = a.inspect(a.led_visits()[0], photos=1, seed=1, photo=_big_photo)
    row = a.store.one("SELECT original_sha256, original_path, original_size FROM attachments"
                      " WHERE record_uuid = ?", (uuid,))
    sha, data = row["original_sha256"], open(row["original_path"], "rb").read()
    assert len(data) > 4 * CHUNK
    # Yesterday's upload got three chunks through before the network went.
    held = 3 * CHUNK
    for start in range(0, held, CHUNK):
        resp = requests.put(f"{srv.url}/api/v1/blobs/{sha}", data=data[start:start + CHUNK],
                            headers={"Authorization": f"Bearer {a.transport.token}",
                                     "Content-Type": "image/jpeg",
                                     "Content-Range": f"bytes {start}-{start + CHUNK - 1}/"
                                                      f"{len(data)}"})
        assert resp.status_code == 202
    # And today the answer to the first chunk it sends is lost on the way back:
    # the server keeps the bytes, the tablet asks where it stands and goes on.
    proxy.script.append(("PUT", f"/api/v1/blobs/{sha}", "down"))
    a.sync_until_empty(time.monotonic() + 60)
    assert a.engine.outbox.counts()["sent"] == 1
    assert proxy.stats.cut == 1
    sent = proxy.stats.blob_body_bytes[sha]
    print(f"\nblob {sha[:12]}… {len(data)} bytes, {held} held by the server, "
          f"{sent} sent by the tablet after resuming")
    assert sent == len(data) - held  # only the missing bytes, not one resent
    stored = (srv.evidence_dir / sha[:2] / sha).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == sha
    # Every other blob of the record travelled exactly once.
    for other, n in proxy.stats.blob_body_bytes.items():
        if other != sha:
            assert n == (srv.evidence_dir / other[:2] / other).stat().st_size


def test_a_tablet_cannot_pull_read_or_push_another_teams_visit(world):
    srv, _proxy, (a, _b, c) = world
    a_visit = a.led_visits()[0]  # team t0 + t1; tablet2 is not on it
    assert a_visit not in {p["visit_id"] for p in c.store.packages()}
    assert len(c.store.packages()) == 2
    uuid = a.inspect(a_visit, photos=1, seed=5)
    a.sync_until_empty(time.monotonic() + 30)
    # tablet2 gets hold of the package some other way and records on it anyway.
    c.store.apply_pull([a.store.package(a_visit)], [], c.store.cursor)
    forged = c.inspect(a_visit, photos=1, seed=6)
    report = c.engine.run(pull=False)
    assert report.rejected and report.rejected[0][0] == forged
    assert "检查组" in report.rejected[0][1]  # the server's Chinese message, quarantined
    assert c.engine.outbox.counts()["rejected"] == 1
    state = server_state(srv)
    assert [u for u, _v in state["heads"]] == [uuid]
    # Reading a's record with tablet2's token is refused too.
    from mobile.core.transport import ApiError

    with pytest.raises(ApiError) as err:
        c.transport.get_record(uuid)
    assert err.value.status == 403
