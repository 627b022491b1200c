"""The sync engine: push the outbox (blobs first, then records), then pull tasks.

Runs on a worker thread; reports through plain callables (``on_progress``,
``on_record``) which the UI moves onto its main thread. Follows docs/sync.md §5:
oldest record first, resumable blob uploads, backoff with full jitter on
transient errors, 401 stops everything, other 4xx quarantine one record only.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from mobile.core import housekeeping
from mobile.core.errors import AuthRequiredError, CoreError
from mobile.core.evidence_files import hash_file
from mobile.core.outbox import Outbox, OutboxEntry, StateError
from mobile.core.store import Store
from mobile.core.transport import ApiError, TransientError, Transport
from shared.schemas.package import PullResponseSchema
from shared.schemas.record import blob_hashes
from shared.schemas.sync import RecordStatusSchema

CHUNK_SIZE = 512 * 1024
# The same 5xx for one record this many runs in a row: quarantine it (kept, with
# the reason) and move on. 502/503/504 are the way to the server: never counted.
SERVER_ERROR_RUNS = 5
_GATEWAY = (502, 503, 504)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    records_done: int
    records_total: int
    bytes_done: int
    bytes_total: int
    current: str | None = None


@dataclass
class SyncReport:
    sent: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    pulled: dict[str, int] | None = None
    auth_required: bool = False
    error: str | None = None  # the Chinese message to show, if the run stopped early
    purged: dict[str, int] | None = None  # what housekeeping freed after the run

    @property
    def ok(self) -> bool:
        return self.error is None and not self.auth_required


class _Rejected(Exception):
    def __init__(self, message: str, status: int | None, version: int | None = None) -> None:
        super().__init__(message)
        self.message, self.status, self.version = message, status, version


class _Paused(Exception):
    pass


@dataclass(frozen=True)
class _Blob:
    sha256: str
    path: Path
    size: int
    mime: str


class SyncEngine:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        chunk_size: int = CHUNK_SIZE,
        max_tries: int = 4,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        max_defer: float = 1800.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        on_progress: Callable[[Progress], None] | None = None,
        on_record: Callable[[str, str, str | None], None] | None = None,
    ) -> None:
        self.store = store
        self.outbox = Outbox(store)
        self.transport = transport
        self.chunk_size = chunk_size
        self.max_tries = max_tries
        self.base_delay, self.max_delay, self.max_defer = base_delay, max_delay, max_defer
        self.sleep, self.rng = sleep, rng
        self.on_progress = on_progress or (lambda p: None)
        self.on_record = on_record or (lambda uuid, state, message: None)
        self._stop = threading.Event()
        self._running = threading.Lock()
        self._done = self._total = self._bytes_done = self._bytes_total = 0

    def stop(self) -> None:
        """Ask a running sync to stop after the current chunk (nothing is lost)."""
        self._stop.set()

    # -- the run ------------------------------------------------------------

    def run(self, *, push: bool = True, pull: bool = True, due_only: bool = False) -> SyncReport:
        """One sync: upload queued records, then fetch task packages. Call it from a
        worker thread (see :meth:`run_in_background`); a second concurrent call
        returns at once with a message instead of waiting."""
        if not self._running.acquire(blocking=False):
            return SyncReport(error="正在同步，请稍候")
        try:
            return self._run(push, pull, due_only)
        finally:
            self._running.release()

    def run_in_background(
        self, on_done: Callable[[SyncReport], None], **kwargs: bool
    ) -> threading.Thread:
        """Run on a daemon thread; *on_done* is called on that thread with the report
        (the UI marshals it onto its main thread)."""

        def work() -> None:
            try:
                report = self.run(**kwargs)
            except Exception:  # a bug must not leave the UI waiting forever
                log.exception("sync run failed")
                report = SyncReport(error="同步时发生内部错误，记录已保存在本机，稍后重试")
            on_done(report)

        thread = threading.Thread(target=work, name="suicha-sync", daemon=True)
        thread.start()
        return thread

    def _run(self, push: bool, pull: bool, due_only: bool) -> SyncReport:
        self._stop.clear()
        report = SyncReport()
        try:
            if push:
                self._push(report, due_only)
            if pull and report.ok and not self._stop.is_set():
                report.pulled = self.pull()
        except AuthRequiredError as exc:
            report.auth_required, report.error = True, exc.message
        except TransientError as exc:
            report.error = exc.message
        except ApiError as exc:  # a pull the server refused
            report.error = exc.message
        except CoreError as exc:  # e.g. a malformed server address
            report.error = exc.message
        if self._stop.is_set() and report.error is None:
            report.error = "同步已暂停，记录已保存在本机"
        if report.ok:  # the server has just confirmed what it holds: free the old space
            try:
                report.purged = housekeeping.purge_sent(self.store)
            except (OSError, sqlite3.Error):  # space stays used; the next run tries again
                log.exception("housekeeping after sync failed")
        return report

    def _push(self, report: SyncReport, due_only: bool) -> None:
        entries = self.outbox.pending(due_only=due_only)
        plans = [self._plan(e) for e in entries]
        self._done, self._total = 0, len(entries)
        self._bytes_done = 0
        self._bytes_total = sum(b.size for p in plans if isinstance(p, list) for b in p) + sum(
            len(e.payload or b"") for e in entries
        )
        self._progress(None)
        for queued in entries:
            uuid = queued.record_uuid
            if self._stop.is_set():
                report.deferred.append(uuid)
                continue
            try:
                self.outbox.take(uuid)
            except StateError:  # reopened or retried by the user meanwhile
                continue
            entry = self.outbox.get(uuid)  # the bytes as of now, not as of the listing
            self.on_record(uuid, "sending", None)
            try:
                blobs = self._plan(entry)
                if isinstance(blobs, _Rejected):
                    raise blobs
                self._send(entry, blobs)
            except _Rejected as exc:
                self.outbox.mark_rejected(uuid, exc.message, exc.status, exc.version)
                self.on_record(uuid, "rejected", exc.message)
                report.rejected.append((uuid, exc.message))
            except _Paused:
                self.outbox.mark_retry(uuid, "同步已暂停", 0, count=False)
                self.on_record(uuid, "queued", None)
                report.deferred.append(uuid)
                continue
            except AuthRequiredError:
                self.outbox.mark_retry(uuid, "登录已失效，请重新登录", 0, 401, count=False)
                self.on_record(uuid, "queued", None)
                raise
            except TransientError as exc:
                if self._keeps_failing(entry, exc):
                    message = (f"服务器多次处理该记录出错（{exc.status}），已暂停上传；"
                               "记录仍保存在本机，请联系管理员处理后点“重试”")
                    self.outbox.mark_rejected(uuid, message, exc.status)
                    self.on_record(uuid, "rejected", message)
                    report.rejected.append((uuid, message))
                    self._done += 1
                    continue  # this record's problem, not the network's: go on
                delay = self._backoff(entry.attempts + 1, self.max_defer)
                self.outbox.mark_retry(uuid, exc.message, delay, exc.status)
                self.on_record(uuid, "queued", exc.message)
                report.deferred.append(uuid)
                raise  # the network is gone: stop the run, the rest stays queued
            except BaseException:
                self.outbox.mark_retry(uuid, "同步时发生内部错误，稍后重试", 60.0, count=False)
                raise
            else:
                report.sent.append(uuid)
                self.on_record(uuid, "sent", None)
            self._done += 1
            self._progress(None)

    @staticmethod
    def _keeps_failing(entry: OutboxEntry, exc: TransientError) -> bool:
        if exc.status is None or exc.status < 500 or exc.status in _GATEWAY:
            return False
        return entry.last_status == exc.status and entry.attempts + 1 >= SERVER_ERROR_RUNS

    def _send(self, entry: OutboxEntry, blobs: list[_Blob]) -> None:
        uuid = entry.record_uuid
        for blob in blobs:
            self._upload_blob(blob, uuid)
        try:
            status = self._retrying(lambda: self.transport.put_record(uuid, entry.payload))
        except ApiError as exc:
            raise self._rejection(uuid, exc) from exc
        self._bytes_done += len(entry.payload or b"")
        status = _status(status)
        if not status["complete"]:
            by_hash = {b.sha256: b for b in blobs}
            for sha in status["missing_blobs"]:
                if sha not in by_hash:
                    raise _Rejected(f"服务器要求的证据文件{sha[:12]}…不在本记录中", None)
                self._upload_blob(by_hash[sha], uuid, force=True)
            status = _status(self._retrying(lambda: self.transport.get_record(uuid)))
            if not status["complete"]:
                raise TransientError("服务器尚未收齐证据文件，稍后重试")
        self.outbox.mark_sent(uuid, status["version"])

    def _rejection(self, uuid: str, exc: ApiError) -> _Rejected:
        version = None
        if exc.status == 409:
            try:  # learn the server's version so an amendment can name its base
                version = _status(self._retrying(lambda: self.transport.get_record(uuid)))[
                    "version"
                ]
            except (ApiError, _Rejected):
                version = None
        message = exc.message
        if exc.errors:
            message += "（" + json.dumps(exc.errors, ensure_ascii=False)[:300] + "）"
        return _Rejected(message, exc.status, version)

    # -- blobs --------------------------------------------------------------

    def _plan(self, entry: OutboxEntry) -> list[_Blob] | _Rejected:
        """The blobs a record needs, or why it cannot be sent at all."""
        try:
            return self._blobs_for(entry)
        except (CoreError, ValueError, KeyError) as exc:
            return _Rejected(str(exc), None)

    def _blobs_for(self, entry: OutboxEntry) -> list[_Blob]:
        payload = json.loads(entry.payload)
        known: dict[str, _Blob] = {}
        rows = self.store.all(
            "SELECT sha256, upload_path AS path, size, mime FROM attachments WHERE record_uuid = ?"
            " UNION SELECT original_sha256, original_path, original_size, original_mime"
            " FROM attachments WHERE record_uuid = ?"
            " UNION SELECT sha256, path, size, mime FROM signatures WHERE record_uuid = ?",
            (entry.record_uuid,) * 3,
        )
        for r in rows:
            known[r["sha256"]] = _Blob(r["sha256"], Path(r["path"]), r["size"], r["mime"])
        out = []
        for sha in blob_hashes(payload):
            if sha not in known:
                raise CoreError(f"记录引用的证据文件{sha[:12]}…在本机数据库中不存在")
            out.append(known[sha])
        return out

    def _upload_blob(self, blob: _Blob, uuid: str, *, force: bool = False) -> None:
        """HEAD, then PUT the missing bytes chunk by chunk; resumes at the server's offset."""
        if not force and self.outbox.blob_known_uploaded(blob.sha256):
            self._bytes_done += blob.size
            self._progress(uuid)
            return
        if not blob.path.is_file():
            raise _Rejected(f"本机证据文件丢失：{blob.path.name}", None)
        if hash_file(blob.path) != blob.sha256:
            raise _Rejected(f"本机证据文件已损坏（校验值不符）：{blob.path.name}", None)
        start_done = self._bytes_done
        tries, hash_retried, offset, conflicts = 0, False, None, 0
        with open(blob.path, "rb") as f:
            while True:
                if self._stop.is_set():
                    raise _Paused()
                try:
                    if offset is None:
                        complete, offset = self.transport.head_blob(blob.sha256)
                        if complete:
                            break
                    f.seek(offset)
                    data = f.read(self.chunk_size)
                    sent_from = offset
                    complete, offset = self.transport.put_blob_chunk(
                        blob.sha256, data, offset, blob.size, blob.mime
                    )
                    if not complete and offset <= sent_from:
                        raise TransientError("服务器未能保存上传的数据，稍后重试")
                    tries = 0  # progress was made
                    self._bytes_done = start_done + offset
                    self._progress(uuid)
                    if complete:
                        break
                except TransientError as exc:
                    tries += 1
                    if tries >= self.max_tries:
                        raise
                    self.sleep(self._backoff(tries, self.max_delay, exc.retry_after))
                    offset = None  # whatever happened, ask the server where we are
                except ApiError as exc:
                    if exc.status == 416:
                        conflicts += 1
                        if conflicts > 2 * self.max_tries:
                            raise TransientError("服务器上传位置反复不一致，稍后重试") from exc
                        header = exc.headers.get("Blob-Offset")
                        offset = int(header) if header is not None else None
                    elif exc.status == 422 and not hash_retried:
                        hash_retried, offset = True, None  # server discarded; once more
                    else:
                        raise _Rejected(exc.message, exc.status) from exc
        self._bytes_done = start_done + blob.size
        self._progress(uuid)

    # -- pull ---------------------------------------------------------------

    def pull(self) -> dict[str, int]:
        """Fetch task packages and apply them (with the new cursor) in one transaction."""
        cursor = self.store.cursor
        try:
            body = self._retrying(lambda: self.transport.pull(cursor))
        except ApiError as exc:
            if exc.status != 410 or cursor is None:
                raise
            body = self._retrying(lambda: self.transport.pull(None))  # cursor expired
        try:
            PullResponseSchema().load(body)
        except ValidationError as exc:
            raise ApiError(0, "服务器返回的任务数据格式不正确，请联系管理员", exc.messages) from exc
        return self.store.apply_pull(body["packages"], body["withdrawn"], body["cursor"])

    # -- helpers ------------------------------------------------------------

    def _retrying(self, call: Callable[[], Any]) -> Any:
        for attempt in range(1, self.max_tries + 1):
            try:
                return call()
            except TransientError as exc:
                if attempt == self.max_tries:
                    raise
                self.sleep(self._backoff(attempt, self.max_delay, exc.retry_after))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, cap: float, retry_after: float | None = None) -> float:
        """Full jitter: uniform(0, min(cap, base·2^attempt)); at least Retry-After."""
        delay = self.rng() * min(cap, self.base_delay * 2**attempt)
        if retry_after is not None:
            delay = max(delay, min(retry_after, cap))
        return delay

    def _progress(self, current: str | None) -> None:
        self.on_progress(
            Progress(self._done, self._total, self._bytes_done, self._bytes_total, current)
        )


def _status(body: Any) -> dict[str, Any]:
    try:
        return RecordStatusSchema().load(body)
    except (ValidationError, TypeError) as exc:
        raise TransientError("服务器响应格式异常，稍后重试") from exc
