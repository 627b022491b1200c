"""A simulated tablet: the real ``mobile/core`` store, record API, outbox and sync
engine, talking HTTP (through the chaos proxy) to the real server."""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from pathlib import Path

import requests
from PIL import Image

from mobile.core import account
from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.core.sync import SyncEngine, SyncReport
from mobile.core.transport import Transport
from mobile.platform.fonts import find_cjk_font

from .harness import PASSWORD


def closing_session() -> requests.Session:
    """One request per TCP connection, so the proxy's cuts count per request."""
    s = requests.Session()
    s.headers["Connection"] = "close"
    return s


def noise_jpeg(path: Path, seed: int, size: tuple[int, int] = (160, 120),
               quality: int = 85) -> Path:
    """A photo-like JPEG (noise does not compress): ~15 KB at 160×120."""
    raw = hashlib.shake_256(seed.to_bytes(8, "big")).digest(size[0] * size[1] * 3)
    Image.frombytes("RGB", size, raw).save(path, "JPEG", quality=quality)
    return path


def signature_png(path: Path, seed: int, stroke: int = 0) -> Path:
    """A signature; *stroke* varies it per record (no two hand signatures are the
    same bytes, and the server binds evidence to one enterprise)."""
    im = Image.new("RGB", (120, 48), (255, 255, 255))
    for x in range(0, 120, 3):
        im.putpixel((x, (x * seed) % 48), (0, 0, 0))
    for bit in range(24):
        if stroke >> bit & 1:
            im.putpixel((1 + bit * 5, 46), (0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    return path


class Tablet:
    def __init__(self, root: Path, server_url: str, sync_url: str, username: str, *,
                 chunk_size: int = 64 * 1024,
                 http: Callable[[], requests.Session] = closing_session,
                 sleep: Callable[[float], None] = lambda s: time.sleep(min(s, 0.02))) -> None:
        self.root = Path(root)
        self.store = Store(self.root / "data")
        account.login(self.store, server_url, username, PASSWORD,
                      transport_factory=lambda url: Transport(url, session=closing_session()))
        session = self.store.session()
        self.username, self.cert_no = username, session["inspector"]["cert_no"]
        self.transport = Transport(sync_url, session["token"], session=http(),
                                   timeout=(3, 15))
        self.engine = SyncEngine(self.store, self.transport, chunk_size=chunk_size,
                                 sleep=sleep)
        spec = find_cjk_font()
        self.insp = Inspections(self.store, font=(str(spec.path), spec.index),
                                locate=lambda: (40.95, 117.96, 8.0))

    escaped_json_errors = 0

    def close(self) -> None:
        self.transport.close()
        self.store.close()

    def pull_until_done(self, deadline: float) -> dict[str, int]:
        while time.monotonic() < deadline:
            report = self.engine.run(push=False)
            if report.ok:
                return report.pulled or {}
            time.sleep(0.05)
        raise TimeoutError(f"{self.username}: pull did not finish")

    def led_visits(self) -> list[str]:
        return [p["visit_id"] for p in self.store.packages()
                if p["team"][0]["cert_no"] == self.cert_no]

    def inspect(self, visit_id: str, photos: int, seed: int,
                photo: Callable[[Path, int], Path] = noise_jpeg) -> str:
        """A whole inspection the way the screens drive it: results, photos, three
        signatures, finish (which queues the record)."""
        pkg = self.store.package(visit_id)
        uuid = self.insp.start(visit_id)
        for item in pkg["items"]:
            self.insp.set_result(uuid, item["code"], "compliant")
        work = self.root / "camera"
        work.mkdir(exist_ok=True)
        for n in range(photos):
            src = photo(work / f"{visit_id}-{n}.jpg", seed * 100 + n)
            self.insp.add_attachment(uuid, src, item_code=pkg["items"][0]["code"])
        for i, member in enumerate(pkg["team"]):
            self.insp.add_signature(uuid, role="inspector", name=member["name"],
                                    cert_no=member["cert_no"],
                                    image=signature_png(work / f"s{i}.png", i + 1, seed))
        self.insp.add_signature(uuid, role="enterprise", name="企业负责人",
                                image=signature_png(work / "se.png", 7, seed))
        self.insp.finish(uuid)
        return uuid

    def sync_until_empty(self, deadline: float) -> list[SyncReport]:
        """Run the engine again and again (as the app's timer would) until nothing
        is queued; transient failures stop a run, the next run resumes."""
        reports = []
        while self.engine.outbox.pending():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.username}: {self.engine.outbox.counts()}")
            try:
                report = self.engine.run()
            except ValueError:
                # A response cut inside its header block parses as a complete response
                # with an empty body; Transport.put_record/get_record/pull then raise a
                # JSON error instead of TransientError and it escapes run(). Nothing is
                # lost (the record went back to the queue); counted and reported.
                self.escaped_json_errors += 1
                continue
            reports.append(report)
            if report.auth_required:
                raise AssertionError(f"{self.username}: {report.error}")
            if not report.ok:
                time.sleep(0.05)
        return reports

    def payloads(self) -> dict[str, bytes]:
        return {e.record_uuid: e.payload for e in self.engine.outbox.entries()}
