"""End-to-end plumbing: a real server process, a connection-cutting TCP proxy and
simulated tablets running the real ``mobile/core`` engine.

Used by ``tests/integration`` and ``bench/sync_day.py``.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "tablet-pass-1"


def wait_healthy(url: str, proc: subprocess.Popen, log: str, seconds: float) -> None:
    """Return once ``/healthz`` at *url* answers 200; raise if *proc* exits first
    (naming its *log*) or *seconds* pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited, see {log}")
        time.sleep(0.1)
    raise RuntimeError("server did not come up")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the server ---------------------------------------------------------------

class ServerProcess:
    """gunicorn running ``server:create_app()`` on a SQLite file; killable."""

    def __init__(self, instance: Path, *, workers: int = 2, threads: int = 4) -> None:
        self.instance = Path(instance)
        self.instance.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.db_path}",
                    "SUICHA_INSTANCE": str(self.instance),
                    "EVIDENCE_DIR": str(self.evidence_dir), "FLASK_APP": "server",
                    "PYTHONPATH": str(ROOT)}

    @property
    def db_path(self) -> Path:
        return self.instance / "suicha.db"

    @property
    def evidence_dir(self) -> Path:
        return self.instance / "evidence"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> None:
        subprocess.run([str(BIN / "flask"), "db", "upgrade"], env=self.env, cwd=ROOT,
                       check=True, capture_output=True)

    def start(self) -> None:
        log = open(self.instance / f"gunicorn-{self.starts}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(self.workers), "-k", "gthread", "--threads",
             str(self.threads), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
             "server:create_app()"],
            env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)  # own process group: a kill takes the workers too
        self.starts += 1
        wait_healthy(self.url, self.proc, log.name, 30)

    def kill(self) -> None:
        """SIGKILL master and workers at once: a crash, not a shutdown."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:  # workers that outlived their master
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def seed(server: ServerProcess, tablets: int, visits_per_tablet: int,
         codes: tuple[str, ...] = ("WH-01", "WH-02", "WH-03")) -> list[dict]:
    """Inspector accounts ``tablet<i>`` and one dispatched task whose visits are led
    by tablet i with tablet i+1 as the second member. Returns the accounts."""
    from server import TestConfig, create_app
    from server.extensions import db
    from tests.server import factories as f

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{server.db_path}",
                  EVIDENCE_DIR=str(server.evidence_dir))
    app = create_app(config)
    with app.app_context():
        accounts = f.make_tablet_fleet(tablets, visits_per_tablet, password=PASSWORD,
                                       codes=codes, name="端到端测试企业", actor="integration")
        db.session.remove()
        db.engine.dispose()
    return accounts


# -- the proxy ----------------------------------------------------------------

@dataclass
class ProxyStats:
    connections: int = 0
    cut: int = 0
    refused: int = 0
    blob_body_bytes: Counter = field(default_factory=Counter)  # PUT body bytes per hash
    modes: Counter = field(default_factory=Counter)
    active_blob_puts: int = 0  # in flight right now (for "restart mid-upload")


class ChaosProxy:
    """One request per connection (the tablets send ``Connection: close``). A
    ``cut_rate`` share of connections is cut at a random byte: in the request
    ("up"), or after the server got all of it, somewhere in the response ("down")."""

    def __init__(self, upstream_port: int, *, cut_rate: float = 0.0, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.cut_rate = cut_rate
        self.rng = random.Random(seed)
        self.stats = ProxyStats()
        self.lock = threading.Lock()
        # Scripted cuts (tests): the first request matching (method, path prefix) gets mode.
        self.script: list[tuple[str, str, str]] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self.sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _mode(self, method: str, path: str) -> str | None:
        with self.lock:
            self.stats.connections += 1
            scripted = next((s for s in self.script
                             if s[0] == method and path.startswith(s[1])), None)
            if scripted:
                self.script.remove(scripted)
                mode = scripted[2]
            elif self.rng.random() < self.cut_rate:
                mode = self.rng.choice(("up", "down"))
            else:
                mode = None
            if mode:
                self.stats.cut += 1
                self.stats.modes[mode] += 1
            return mode

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            head, rest = _read_head(client)
            if head is None:
                return
            method, path, length = _request_line(head)
            length = length or 0
            mode = self._mode(method, path)
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            except OSError:
                with self.lock:
                    self.stats.refused += 1
                return
            total = len(head) + length
            limit = total
            blob_put = method == "PUT" and path.startswith("/api/v1/blobs/")
            if blob_put:
                with self.lock:
                    self.stats.active_blob_puts += 1
            if mode == "up":
                with self.lock:
                    limit = self.rng.randint(0, total - 1)
            try:
                sent = self._forward_request(client, upstream, head, rest, length, limit)
                if blob_put:
                    with self.lock:
                        self.stats.blob_body_bytes[path.rsplit("/", 1)[1]] += max(
                            0, sent - len(head))
                if mode != "up":
                    self._relay_response(upstream, client, method, mode)
            finally:
                if blob_put:
                    with self.lock:
                        self.stats.active_blob_puts -= 1
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass

    def _forward_request(self, client, upstream, head: bytes, rest: bytes, length: int,
                         limit: int) -> int:
        data = head + rest
        sent = 0
        while True:
            piece = data[: max(0, limit - sent)]
            if piece:
                upstream.sendall(piece)
                sent += len(piece)
            if sent >= limit or sent >= len(head) + length:
                return sent
            data = client.recv(256 * 1024)
            if not data:
                return sent

    def _relay_response(self, upstream, client, method: str, mode: str | None) -> None:
        head, rest = _read_head(upstream)
        if head is None:
            return
        _, _, length = _request_line(head)  # Content-Length of the response
        if length is None and method != "HEAD":
            length = 1 << 40  # no length: relay until the server closes
        body = 0 if method == "HEAD" else length
        limit = len(head) + body
        if mode == "down":
            with self.lock:
                limit = self.rng.randint(0, min(limit, len(head) + len(rest) + 65536) - 1)
        data, sent = head + rest, 0
        while sent < limit:
            piece = data[: limit - sent]
            if piece:
                client.sendall(piece)
                sent += len(piece)
            if sent >= limit:
                break
            data = upstream.recv(256 * 1024)
            if not data:
                break


def _read_head(sock: socket.socket) -> tuple[bytes | None, bytes]:
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return None, b""
        buf += data
    i = buf.index(b"\r\n\r\n") + 4
    return buf[:i], buf[i:]


def _request_line(head: bytes) -> tuple[str, str, int | None]:
    """Method (or HTTP version), path (or status) and Content-Length (None if absent)."""
    lines = head.decode("latin-1").split("\r\n")
    first = lines[0].split(" ")
    length = None
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    return first[0], first[1] if len(first) > 1 else "", length


# -- checks on the server's state ---------------------------------------------

def server_state(server: ServerProcess) -> dict:
    """Records and blobs as stored (read straight from SQLite and the disk)."""
    con = sqlite3.connect(server.db_path)
    try:
        heads = con.execute("SELECT uuid, version FROM sync_records").fetchall()
        versions = con.execute("SELECT uuid, version, body FROM sync_record_versions").fetchall()
        blobs = con.execute("SELECT sha256, size, complete FROM evidence_blobs").fetchall()
    finally:
        con.close()
    files = [p for p in server.evidence_dir.glob("??/*") if p.is_file()]
    bad = [p.name for p in files if hashlib.sha256(p.read_bytes()).hexdigest() != p.name]
    return {"heads": heads, "versions": versions, "blobs": blobs, "files": files,
            "bad_files": bad}
