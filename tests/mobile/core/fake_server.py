"""A small in-memory server that follows docs/sync.md, for the sync engine tests.

It validates records with the shared ``RecordSchema`` like the real server and
can be told to misbehave: answer a status, drop the connection before or after
storing a request, or run a hook (e.g. another device appending bytes).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from marshmallow import ValidationError

from shared.schemas import RecordSchema, blob_hashes

MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"%PDF-", b"RIFF", b"OggS", b"#!AMR", b"ID3")


@dataclass
class Fault:
    method: str
    path_prefix: str
    # a status, "drop" (no answer), "drop_after" (stored, no answer), "cut" (body
    # half read, nothing stored) or a hook run before the request is handled
    action: int | str | Callable[[FakeServer], None]
    times: int = 1


@dataclass
class FakeServer:
    token: str = "good-token"
    password: str = "secret"
    blobs: dict[str, bytearray] = field(default_factory=dict)
    complete: set[str] = field(default_factory=set)
    records: dict[str, list[bytes]] = field(default_factory=dict)
    received: Counter = field(default_factory=Counter)  # blob bytes that arrived, per hash
    log: list[tuple[str, str, int]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    cursor: str = "s1"
    expired_cursors: set[str] = field(default_factory=set)
    bureau_timezone: str | None = None  # sent with the login and pulls when set
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fault_for(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.method == method and path.startswith(f.path_prefix) and f.times > 0:
                    f.times -= 1
                    return f
        return None

    def status_of(self, uuid: str) -> dict[str, Any]:
        versions = self.records[uuid]
        missing = [h for h in blob_hashes(json.loads(versions[-1])) if h not in self.complete]
        return {"uuid": uuid, "version": len(versions), "complete": not missing,
                "missing_blobs": missing}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    # -- plumbing -----------------------------------------------------------

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.fake.log.append((self.command, self.path, status))

    def _error(self, status: int, message: str, errors: dict | None = None,
               headers: dict[str, str] | None = None) -> None:  # fmt: skip
        body = {"code": status, "status": HTTPStatus(status).phrase, "message": message}
        if errors:
            body["errors"] = errors
        self._send(status, body, headers)

    @property
    def fake(self) -> FakeServer:
        return self.server.fake

    def _dispatch(self) -> None:
        fault = self.fake.fault_for(self.command, self.path)
        if fault is not None and fault.action == "cut":  # connection lost mid-body
            self.rfile.read(int(self.headers.get("Content-Length") or 0) // 2)
            self.close_connection = True
            return
        body = self._body() if self.command in ("PUT", "POST") else b""
        if fault is not None:
            if fault.action == "drop":
                self.close_connection = True
                return
            if isinstance(fault.action, int):
                extra = {"Retry-After": "7"} if fault.action == 429 else None
                self._error(fault.action, f"故障注入（{fault.action}）", headers=extra)
                return
            if callable(fault.action):
                fault.action(self.fake)
        parts = urlparse(self.path)
        if parts.path != "/api/v1/auth/token":
            if self.headers.get("Authorization") != f"Bearer {self.fake.token}":
                self._error(401, "登录已失效")
                return
        handler = ROUTES.get((self.command, parts.path.rsplit("/", 1)[0] + "/"))
        if handler is None and (self.command, parts.path) in ROUTES:
            handler = ROUTES[(self.command, parts.path)]
        if handler is None:
            self._error(404, "没有该接口")
            return
        if fault is not None and fault.action == "drop_after":
            real_send = self._send
            self._send = lambda *a, **k: None  # type: ignore[method-assign]
            handler(self, parts, body)
            self._send = real_send  # type: ignore[method-assign]
            self.close_connection = True
            return
        handler(self, parts, body)

    do_GET = do_PUT = do_POST = do_HEAD = _dispatch

    # -- endpoints ----------------------------------------------------------

    def token(self, parts: Any, body: bytes) -> None:
        data = json.loads(body)
        if data.get("password") != self.fake.password:
            self._error(401, "用户名或密码错误")
            return
        self._send(201, {"token": self.fake.token, "username": data["username"],
                         "role": "inspector",
                         "inspector": {"cert_no": "13080020001", "name": "张三"},
                         **self._zone()})  # fmt: skip

    def pull(self, parts: Any, body: bytes) -> None:
        cursor = parse_qs(parts.query).get("cursor", [None])[0]
        if cursor in self.fake.expired_cursors:
            self._error(410, "同步游标已过期")
            return
        fresh = cursor != self.fake.cursor
        self._send(200, {"cursor": self.fake.cursor,
                         "packages": self.fake.packages if fresh else [],
                         "withdrawn": self.fake.withdrawn if fresh else [],
                         **self._zone()})  # fmt: skip

    def _zone(self) -> dict[str, str]:
        zone = self.fake.bureau_timezone
        return {"bureau_timezone": zone} if zone else {}

    def head_blob(self, parts: Any, body: bytes) -> None:
        sha = parts.path.rsplit("/", 1)[1]
        f = self.fake
        if sha in f.complete:
            self._send(
                200, None, {"Blob-Status": "complete", "Blob-Offset": str(len(f.blobs[sha]))}
            )
        elif f.blobs.get(sha):
            self._send(200, None, {"Blob-Status": "partial", "Blob-Offset": str(len(f.blobs[sha]))})
        else:
            self._send(404, None)

    def put_blob(self, parts: Any, body: bytes) -> None:
        sha = parts.path.rsplit("/", 1)[1]
        f = self.fake
        f.received[sha] += len(body)
        if sha in f.complete:
            self._send(
                200, None, {"Blob-Status": "complete", "Blob-Offset": str(len(f.blobs[sha]))}
            )
            return
        rng, total = self.headers["Content-Range"].removeprefix("bytes ").split("/")
        start, end = (int(x) for x in rng.split("-"))
        have = f.blobs.setdefault(sha, bytearray())
        if start != len(have):
            self._error(416, "上传位置不一致", headers={"Blob-Offset": str(len(have))})
            return
        if start == 0 and not body.startswith(MAGIC):
            self._error(415, "文件类型不被接受")
            return
        have.extend(body)
        if end + 1 < int(total):
            self._send(202, None, {"Blob-Status": "partial", "Blob-Offset": str(len(have))})
        elif hashlib.sha256(have).hexdigest() == sha:
            f.complete.add(sha)
            self._send(201, None, {"Blob-Status": "complete", "Blob-Offset": str(len(have))})
        else:
            del f.blobs[sha]
            self._error(422, "文件校验失败")

    def put_record(self, parts: Any, body: bytes) -> None:
        uuid = parts.path.rsplit("/", 1)[1]
        try:
            data = json.loads(body)
            RecordSchema().load(data)
        except ValidationError as exc:
            self._error(400, "记录格式错误", exc.messages)
            return
        f = self.fake
        versions = f.records.get(uuid)
        if versions is None:
            f.records[uuid] = [body]
            self._send(201, f.status_of(uuid))
        elif versions[-1] == body:
            self._send(200, f.status_of(uuid))
        elif data.get("base_version") == len(versions):
            versions.append(body)
            self._send(200, f.status_of(uuid))
        else:
            self._error(409, "服务器上已有该记录的不同内容")

    def get_record(self, parts: Any, body: bytes) -> None:
        uuid = parts.path.rsplit("/", 1)[1]
        if uuid not in self.fake.records:
            self._error(404, "没有该记录")
            return
        self._send(200, self.fake.status_of(uuid))


ROUTES = {
    ("POST", "/api/v1/auth/token"): _Handler.token,
    ("GET", "/api/v1/sync/pull"): _Handler.pull,
    ("HEAD", "/api/v1/blobs/"): _Handler.head_blob,
    ("PUT", "/api/v1/blobs/"): _Handler.put_blob,
    ("PUT", "/api/v1/records/"): _Handler.put_record,
    ("GET", "/api/v1/records/"): _Handler.get_record,
}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer


def serve(fake: FakeServer) -> tuple[_HTTPServer, str]:
    """Start *fake* on a free loopback port in a thread; returns (server, base url)."""
    httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
    httpd.fake = fake
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
