"""One queued record to the server: its blobs first, then the record, then the
blobs the server still misses. The answer is one of three outcomes, and the
engine moves the outbox row accordingly:

- ``Sent(version)`` – the server holds the record and every blob;
- ``Rejected(message, status, version)`` – a definite refusal: quarantine it;
- ``Deferred(message, status, delay, counts)`` – try again later (the network,
  a busy server, a cancel); *counts* False when it says nothing about the record.

``AuthRequiredError`` is not an outcome of one record: it ends the whole run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from mobile.core.errors import CoreError
from mobile.core.outbox import OutboxEntry
from mobile.core.store import Store
from mobile.core.sync.blobs import Blob, BlobUploader, RecordRefused
from mobile.core.sync.pacing import CANCELLED_MESSAGE, Backoff, Cancelled, LinkWatch, StalledError
from mobile.core.transport import Abandoned, ApiError, TransientError, Transport
from shared.schemas.record import blob_hashes
from shared.schemas.sync import RecordStatusSchema

CHUNK_SIZE = 512 * 1024
# The same 5xx for one record this many runs in a row: quarantine it (kept, with
# the reason) and move on. 502/503/504 are the way to the server: never counted.
SERVER_ERROR_RUNS = 5
_GATEWAY = (502, 503, 504)


@dataclass(frozen=True)
class Sent:
    version: int


@dataclass(frozen=True)
class Rejected:
    message: str
    status: int | None
    version: int | None = None


@dataclass(frozen=True)
class Deferred:
    message: str
    status: int | None = None
    delay: float = 0.0
    counts: bool = True  # a failure of this record (not a pause, not a stall of the link)
    why: str = "network"  # or "stalled", "cancelled": the run ends either way


Outcome = Sent | Rejected | Deferred


def _keeps_failing(entry: OutboxEntry, exc: TransientError) -> bool:
    if exc.status is None or exc.status < 500 or exc.status in _GATEWAY:
        return False
    return entry.last_status == exc.status and entry.attempts + 1 >= SERVER_ERROR_RUNS


class RecordUploader:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        blobs: BlobUploader,
        watch: LinkWatch,
        backoff: Backoff,
        sleep: Callable[[float], None],
        *,
        max_tries: int,
        max_defer: float,
    ) -> None:
        self.store, self.transport, self.blobs = store, transport, blobs
        self.watch, self.backoff, self.sleep = watch, backoff, sleep
        self.max_tries, self.max_defer = max_tries, max_defer

    def plan(self, entry: OutboxEntry) -> list[Blob] | Rejected:
        """The blobs a record needs, or why it cannot be sent at all."""
        try:
            return self._blobs_for(entry)
        except (CoreError, ValueError, KeyError) as exc:
            return Rejected(str(exc), None)

    def send(self, entry: OutboxEntry, on_bytes: Callable[[int], None]) -> Outcome:
        """Upload *entry*; *on_bytes(n)* is told the bytes of this record sent so far."""
        blobs = self.plan(entry)
        if isinstance(blobs, Rejected):
            return blobs
        try:
            return Sent(self._send(entry, blobs, on_bytes))
        except RecordRefused as exc:
            return Rejected(exc.message, exc.status, exc.version)
        except (Cancelled, Abandoned, TransientError) as exc:
            if self.watch.cancelled:  # whatever ended the request, the user stopped it
                return Deferred(CANCELLED_MESSAGE, counts=False, why="cancelled")
            if isinstance(exc, StalledError):
                return Deferred(exc.message, counts=False, why="stalled")
            assert isinstance(exc, TransientError)
            if _keeps_failing(entry, exc):  # this record's problem, not the network's
                return Rejected(f"服务器多次处理该记录出错（{exc.status}），已暂停上传；"
                                "记录仍保存在本机，请联系管理员处理后点“重试”", exc.status)
            delay = self.backoff.delay(entry.attempts + 1, self.max_defer)
            return Deferred(exc.message, exc.status, delay)

    def _send(self, entry: OutboxEntry, blobs: list[Blob], on_bytes: Callable[[int], None]) -> int:
        uuid, done = entry.record_uuid, [0]

        def blob_bytes(offset_in_blob: int, base: list[int] = done) -> None:
            on_bytes(base[0] + offset_in_blob)

        for blob in blobs:
            self.blobs.upload(blob, blob_bytes)
            done[0] += blob.size
        try:
            status = self.retrying(lambda: self.transport.put_record(uuid, entry.payload))
        except ApiError as exc:
            raise self._refusal(uuid, exc) from exc
        on_bytes(done[0] + len(entry.payload or b""))
        status = _status(status)
        if not status["complete"]:
            by_hash = {b.sha256: b for b in blobs}
            for sha in status["missing_blobs"]:
                if sha not in by_hash:
                    raise RecordRefused(f"服务器要求的证据文件{sha[:12]}…不在本记录中", None)
                self.blobs.upload(by_hash[sha], lambda n: None, force=True)
            status = _status(self.retrying(lambda: self.transport.get_record(uuid)))
            if not status["complete"]:
                raise TransientError("服务器尚未收齐证据文件，稍后重试")
        return status["version"]

    def _refusal(self, uuid: str, exc: ApiError) -> RecordRefused:
        version = None
        if exc.status == 409:
            try:  # learn the server's version so an amendment can name its base
                version = _status(self.retrying(lambda: self.transport.get_record(uuid)))["version"]
            except (ApiError, TransientError):
                version = None
        message = exc.message
        if exc.errors:
            message += "（" + json.dumps(exc.errors, ensure_ascii=False)[:300] + "）"
        return RecordRefused(message, exc.status, version)

    def _blobs_for(self, entry: OutboxEntry) -> list[Blob]:
        payload = json.loads(entry.payload)
        rows = self.store.blob_rows(entry.record_uuid)
        known = {
            r["sha256"]: Blob(r["sha256"], Path(r["path"]), r["size"], r["mime"]) for r in rows
        }
        out = []
        for sha in blob_hashes(payload):
            if sha not in known:
                raise CoreError(f"记录引用的证据文件{sha[:12]}…在本机数据库中不存在")
            out.append(known[sha])
        return out

    def retrying(self, call: Callable[[], Any]) -> Any:
        for attempt in range(1, self.max_tries + 1):
            self.watch.check()
            try:
                result = call()
            except StalledError:
                raise
            except TransientError as exc:
                if attempt == self.max_tries:
                    raise
                self.watch.wait(self.backoff.delay(attempt, None, exc.retry_after), self.sleep)
            else:
                self.watch.moved()
                return result
        raise AssertionError("unreachable")


def _status(body: Any) -> dict[str, Any]:
    try:
        return RecordStatusSchema().load(body)
    except (ValidationError, TypeError) as exc:
        raise TransientError("服务器响应格式异常，稍后重试") from exc
