"""Load: 100 simulated tablets pull and push records with photos for 60 s against
gunicorn (production config, several workers) + PostgreSQL on loopback.

    .venv/bin/python -m bench.load_tablets [--tablets 100] [--seconds 60]
                                           [--restart term|hup|kill|none] [--think S]
                                           [--ramp S] [--rush] [--no-write]

Each tablet is a thread with its own keep-alive HTTP session and loops:
pull (with its cursor) → PUT 2 photos (~40 KB, unique per record) → PUT the
record that cites them, for the next visit it leads. Every request counts:
an exception or a non-2xx answer is an error. Latency is per request.

Run 1 is steady load. Run 2 is the same load while the server is restarted
once at one third of the run (``term``: graceful stop + start on the same port;
``hup``: gunicorn reload of all workers; ``kill``: SIGKILL + start). During a
restart a tablet does what the real one does on a refused connection: back off
and retry (counted as ``retried``, not as an error). Afterwards every record and
blob the server acknowledged with a 2xx is looked up in PostgreSQL and on disk:
``lost`` must be 0.

Before the timed run every tablet enrols (``enrol``: a token request, i.e. a scrypt
password check) and takes its first, full pull (``first_pull``): all within ``--ramp``
seconds (each at a random moment; ``--ramp 0``: all 100 at the same instant, so the
first pulls share the CPU with the other tablets' enrolments). ``--rush`` then repeats
every full pull at once with no enrolment competing (``rush_pull``). None of the three
counts in req/s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_report import OUT, write_doc  # noqa: E402
from bench.load_seed import PASSWORD, seed  # noqa: E402
from bench.load_server import Gunicorn  # noqa: E402
from tests.pgserver import PostgresServer  # noqa: E402

AT = "2024-03-05T09:30:00+08:00"


# -- the tablets -------------------------------------------------------------------------

@dataclass
class Stats:
    lat: dict[str, list[float]] = field(default_factory=lambda: {
        "first_pull": [], "pull": [], "blob": [], "record": [], "enrol": [],
        "rush_pull": []})
    errors: list[str] = field(default_factory=list)
    retried: int = 0
    acked_records: dict[str, str] = field(default_factory=dict)  # uuid -> body sha256
    acked_blobs: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def jpeg_with_comment(base: bytes, text: str) -> bytes:
    """A distinct, valid JPEG for free: a COM segment right after SOI."""
    body = text.encode()
    return base[:2] + b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body + base[2:]


def base_photo() -> bytes:
    import io

    from PIL import Image
    raw = hashlib.shake_256(b"load").digest(200 * 150 * 3)
    buf = io.BytesIO()
    Image.frombytes("RGB", (200, 150), raw).save(buf, "JPEG", quality=90)
    return buf.getvalue()


class SimTablet(threading.Thread):
    def __init__(self, n: int, url: str, stats: Stats, stop_at: float, photo: bytes,
                 think: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.think = think
        self.n, self.url, self.stats, self.stop_at, self.photo = n, url, stats, stop_at, photo
        self.http = requests.Session()
        self.token = ""
        self.cursor: str | None = None
        self.packages: dict[str, dict] = {}
        self.done: set[str] = set()
        self.signature = jpeg_with_comment(photo, f"signature {n}")

    def call(self, kind: str | None, method: str, path: str, **kw) -> requests.Response | None:
        """One request; connection failures are retried with backoff (a restart)."""
        delay = 0.05
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        # Before the timed run stop_at is still 0: give up 60 s after this call began, not
        # at once (a first pull on a keep-alive connection the server had closed was
        # dropped without a latency or an error).
        give_up = max(self.stop_at, time.monotonic()) + 60
        while True:
            t0 = time.perf_counter()
            try:
                resp = self.http.request(method, self.url + path, timeout=30, headers=headers,
                                         **kw)
            except requests.ConnectionError as exc:
                with self.stats.lock:
                    self.stats.retried += 1
                if time.monotonic() > give_up:
                    with self.stats.lock:
                        self.stats.errors.append(f"{method} {path.split('?')[0][:40]} gave up: "
                                                 f"{type(exc).__name__}")
                    return None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            elapsed = time.perf_counter() - t0
            if resp.status_code in (502, 503):  # a worker going away mid-restart
                with self.stats.lock:
                    self.stats.retried += 1
                time.sleep(delay)
                continue
            with self.stats.lock:
                if kind:
                    self.stats.lat[kind].append(elapsed)
                if resp.status_code >= 300:
                    self.stats.errors.append(f"{method} {path.split('?')[0][:40]} "
                                             f"{resp.status_code} {resp.text[:120]}")
            return resp

    def login(self) -> None:
        """Enrol and take the first, full pull (every package) – the morning's
        start, timed on its own (``enrol``: the token request, a scrypt password check;
        ``first_pull``), not part of the steady loop."""
        t0 = time.perf_counter()
        resp = self.http.post(self.url + "/api/v1/auth/token", json={
            "username": f"tablet{self.n}", "password": PASSWORD,
            "device_id": f"load-{self.n}"}, timeout=60)
        resp.raise_for_status()
        with self.stats.lock:
            self.stats.lat["enrol"].append(time.perf_counter() - t0)
        self.token = resp.json()["token"]
        self.cert_no = resp.json()["inspector"]["cert_no"]
        self.pull("first_pull")

    def rush_pull(self) -> None:
        """A full pull (no cursor) that changes nothing on the tablet: ``--rush``."""
        self.call("rush_pull", "GET", "/api/v1/sync/pull")

    def pull(self, kind: str = "pull") -> None:
        q = f"?cursor={self.cursor}" if self.cursor else ""
        resp = self.call(kind, "GET", "/api/v1/sync/pull" + q)
        if resp is not None and resp.status_code == 200:
            body = resp.json()
            self.cursor = body["cursor"]
            for pkg in body["packages"]:
                self.packages[pkg["visit_id"]] = pkg

    def put_blob(self, data: bytes) -> bool:
        digest = hashlib.sha256(data).hexdigest()
        resp = self.call("blob", "PUT", f"/api/v1/blobs/{digest}", data=data, headers={
            "Content-Type": "image/jpeg", "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"})
        if resp is not None and resp.status_code in (200, 201):
            with self.stats.lock:
                self.stats.acked_blobs.add(digest)
            return True
        return False

    def next_visit(self) -> dict | None:
        for vid, pkg in sorted(self.packages.items()):
            lead = any(m["cert_no"] == self.cert_no and m["leader"] for m in pkg["team"])
            if lead and vid not in self.done:
                return pkg
        return None

    def push(self, pkg: dict, seq: int) -> None:
        photos = [jpeg_with_comment(self.photo, f"t{self.n} r{seq} p{k} {uuidlib.uuid4()}")
                  for k in range(2)]
        if not all(self.put_blob(p) for p in photos):
            return
        rec = record_for(pkg, photos, self.signature, f"tablet{self.n}")
        body = json.dumps(rec, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()
        resp = self.call("record", "PUT", f"/api/v1/records/{rec['uuid']}", data=body,
                         headers={"Content-Type": "application/json; charset=utf-8"})
        if resp is not None and resp.status_code in (200, 201):
            with self.stats.lock:
                self.stats.acked_records[rec["uuid"]] = hashlib.sha256(body).hexdigest()
            self.done.add(pkg["visit_id"])

    def run(self) -> None:
        try:
            self.put_blob(self.signature)
            seq = 0
            while time.monotonic() < self.stop_at:
                self.pull()
                pkg = self.next_visit()
                if pkg is None:
                    break
                self.push(pkg, seq)
                seq += 1
                # Paced runs: the inspector works before the next sync (random phase,
                # so the tablets do not march in step).
                pause = self.think * random.uniform(0.5, 1.5)
                time.sleep(max(0.0, min(pause, self.stop_at - time.monotonic())))
        except Exception as exc:  # noqa: BLE001 - a crashed tablet is an error, reported
            with self.stats.lock:
                self.stats.errors.append(f"tablet {self.n}: {type(exc).__name__}: {exc}")


def record_for(pkg: dict, photos: list[bytes], signature: bytes, user: str) -> dict:
    def sha(b: bytes) -> str:
        return hashlib.sha256(b).hexdigest()

    team = [{"cert_no": m["cert_no"], "name": m["name"], "leader": m["leader"]}
            for m in pkg["team"]]
    return {
        "schema_version": 1, "uuid": str(uuidlib.uuid4()), "visit_id": pkg["visit_id"],
        "base_version": None, "device_id": "load", "submitted_by": user,
        "task_no": pkg["task"]["task_no"],
        "enterprise": {"uscc": pkg["enterprise"]["uscc"], "name": pkg["enterprise"]["name"]},
        "team": team, "started_at": AT, "finished_at": "2024-03-05T11:00:00+08:00",
        "location": None,
        "items": [{"code": i["code"], "result": "compliant", "note": "", "checked_at": AT}
                  for i in pkg["items"]],
        "hazards": [],
        "attachments": [
            {"sha256": sha(p), "size": len(p), "mime": "image/jpeg", "kind": "photo",
             "item_code": None, "hazard_id": None, "taken_at": AT, "location": None,
             "original": {"sha256": sha(p), "size": len(p), "mime": "image/jpeg",
                          "filename": f"IMG_{k}.JPG"}} for k, p in enumerate(photos)],
        "signatures": [
            *({"role": "inspector", "name": m["name"], "cert_no": m["cert_no"], "signed_at": AT,
               "sha256": sha(signature), "size": len(signature), "mime": "image/jpeg"}
              for m in team),
            {"role": "enterprise", "name": "王五", "cert_no": None, "signed_at": AT,
             "sha256": sha(signature), "size": len(signature), "mime": "image/jpeg"}],
        "outcome": "no_problem",
        "trail": [{"seq": 1, "at": AT, "by": user, "action": "start", "target": None,
                   "field": None, "old": None, "new": None}],
    }


# -- one run ---------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _all_at_once(target: list, ramp: float = 0.0) -> None:
    """Run every callable on its own thread; with *ramp*, each starts at a random
    moment within that many seconds (seeded: the same moments every run)."""
    rng = random.Random(2024)

    def later(fn, delay: float) -> None:
        time.sleep(delay)
        fn()

    pool = [threading.Thread(target=later, args=(t, rng.uniform(0, ramp))) for t in target]
    for th in pool:
        th.start()
    for th in pool:
        th.join()


def run(server: Gunicorn, tablets: int, seconds: float, restart: str,
        think: float = 0.0, rush: bool = False, ramp: float = 0.0) -> dict:
    photo = base_photo()
    stats = Stats()
    sims = [SimTablet(i, server.url, stats, 0, photo, think) for i in range(tablets)]
    _all_at_once([t.login for t in sims], ramp)  # enrolment, outside the 60 s
    warm = len(stats.lat["first_pull"])
    if rush:  # every tablet's full pull again, at once, with no enrolment competing
        _all_at_once([t.rush_pull for t in sims])
    start = time.monotonic()
    for t in sims:
        t.stop_at = start + seconds
        t.start()
    downtime = None
    if restart != "none":
        time.sleep(seconds / 3)
        downtime = server.restart(restart)
    for t in sims:
        t.join(timeout=seconds + 120)
    wall = time.monotonic() - start
    total = sum(len(v) for k, v in stats.lat.items()
                if k not in ("first_pull", "enrol", "rush_pull"))
    assert warm == tablets, "every tablet took its first pull before the timed run"
    out = {"restart": restart, "think": think, "ramp": ramp, "tablets": tablets,
           "seconds": round(wall, 1),
           "requests": total, "rps": round(total / wall, 1), "errors": len(stats.errors),
           "error_samples": stats.errors[:5], "retried": stats.retried,
           "records_acked": len(stats.acked_records), "blobs_acked": len(stats.acked_blobs),
           "restart_s": round(downtime, 2) if downtime is not None else None}
    for kind, values in stats.lat.items():
        if not values and kind == "rush_pull":
            continue
        out[kind] = {"n": len(values), "p50": round(pct(values, .5), 3),
                     "p95": round(pct(values, .95), 3), "p99": round(pct(values, .99), 3),
                     "mean": round(statistics.fmean(values), 3) if values else None}
    out["_acked"] = (stats.acked_records, stats.acked_blobs)
    return out


def lost(db_url: str, evidence: Path, records: dict[str, str], blobs: set[str]) -> dict:
    """Every 2xx-acknowledged record and blob, looked up in the database and on disk."""
    import psycopg
    with psycopg.connect(db_url) as conn:
        heads = dict(conn.execute("SELECT v.uuid, v.body_sha256 FROM sync_record_versions v "
                                  "JOIN sync_records r ON r.id = v.record_id "
                                  "AND r.version = v.version").fetchall())
        done = {r[0] for r in conn.execute(
            "SELECT sha256 FROM evidence_blobs WHERE complete").fetchall()}
    missing_records = [u for u, body in records.items() if heads.get(u) != body]
    missing_blobs = []
    for digest in blobs:
        path = evidence / digest[:2] / digest
        if digest not in done or not path.is_file() or \
                hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            missing_blobs.append(digest)
    return {"records_checked": len(records), "blobs_checked": len(blobs),
            "records_lost": len(missing_records), "blobs_lost": len(missing_blobs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tablets", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--visits", type=int, default=30, help="visits each tablet leads")
    ap.add_argument("--restart", default="term", choices=["term", "hup", "kill", "none"])
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean seconds a tablet waits after each record (0: closed loop)")
    ap.add_argument("--ramp", type=float, default=10.0,
                    help="tablets enrol and take their first pull within this many seconds "
                         "(0: all at the same instant)")
    ap.add_argument("--rush", action="store_true",
                    help="after the first pulls, every tablet's full pull again at once, "
                         "without the enrolments (rush_pull, not in req/s)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="suicha-load-") as tmp:
        pg = PostgresServer().start()
        try:
            for n, restart in enumerate(("none", args.restart)):
                name = f"load{n}"
                import psycopg
                with psycopg.connect(pg.url().replace("+psycopg", ""), autocommit=True) as c:
                    c.execute(f'CREATE DATABASE "{name}"')
                url = pg.url(name).replace("+psycopg", "")
                evidence = Path(tmp) / name / "evidence"
                evidence.mkdir(parents=True)
                server = Gunicorn(url, evidence, Path(tmp) / f"{name}.log", args.workers)
                server.migrate()
                t0 = time.monotonic()
                seed(pg.url(name), str(evidence), args.tablets, args.visits)
                print(f"seeded {args.tablets * args.visits} visits in "
                      f"{time.monotonic() - t0:.1f}s", flush=True)
                server.start()
                try:
                    result = run(server, args.tablets, args.seconds, restart, args.think, args.rush,
                                 args.ramp)
                finally:
                    server.stop()
                records, blobs = result.pop("_acked")
                result.update(lost(url, evidence, records, blobs))
                result["log_lines"] = sum(1 for ln in open(server.log, errors="replace")
                                          if ln.startswith('{"time"'))
                result["load_avg"] = round(os.getloadavg()[0], 1)
                print(json.dumps(result, ensure_ascii=False, indent=1), flush=True)
                results.append(result)
        finally:
            pg.stop()
    if not args.no_write:
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"load_tablets-think{args.think:g}-ramp{args.ramp:g}.json").write_text(json.dumps(
            {"args": vars(args), "date": time.strftime("%Y-%m-%d %H:%M"), "results": results},
            ensure_ascii=False, indent=1))
        write_doc()


if __name__ == "__main__":
    main()
