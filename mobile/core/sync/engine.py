"""``SyncEngine.run``: push the outbox (oldest record first), then pull tasks.

docs/sync.md §5: 401 stops everything, other 4xx quarantine one record only,
transient trouble defers the record with backoff and ends the run (the link
is gone), a stalled link ends the attempt with a message that says so, and a
cancel ends it at once (mid-chunk). Nothing acknowledged is lost either way.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import ValidationError

from mobile.core import housekeeping
from mobile.core.errors import AuthRequiredError, CoreError
from mobile.core.outbox import Outbox, StateError
from mobile.core.store import Store
from mobile.core.sync import references
from mobile.core.sync.blobs import BlobUploader
from mobile.core.sync.pacing import (
    CANCELLED_MESSAGE,
    STALL_SECONDS,
    Backoff,
    Cancelled,
    LinkWatch,
    StalledError,
)
from mobile.core.sync.uploader import CHUNK_SIZE, Deferred, RecordUploader, Rejected, Sent
from mobile.core.transport import Abandoned, ApiError, TransientError, Transport
from shared.schemas.package import PullResponseSchema

log = logging.getLogger(__name__)
KEPT = "；记录已保存在本机"


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
    stalled: bool = False  # the link stopped moving (resumable)
    cancelled: bool = False
    purged: dict[str, int] | None = None  # what housekeeping freed after the run

    @property
    def ok(self) -> bool:
        return self.error is None and not self.auth_required


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
        stall_seconds: float = STALL_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        on_progress: Callable[[Progress], None] | None = None,
        on_record: Callable[[str, str, str | None], None] | None = None,
    ) -> None:
        self.store = store
        self.outbox = Outbox(store)
        self.transport = transport
        self.max_tries = max_tries
        self.sleep = sleep
        self.backoff = Backoff(base_delay, max_delay, rng)
        self.watch = LinkWatch(stall_seconds, clock)
        transport.abandon = self.watch.cancel_event
        self.max_defer = max_defer
        self.chunk_size = chunk_size
        self.on_progress = on_progress or (lambda p: None)
        self.on_record = on_record or (lambda uuid, state, message: None)
        self._running = threading.Lock()
        self._done = self._total = self._bytes_before = self._bytes_total = 0
        self._bytes_done = 0

    def stop(self) -> None:
        """Cancel a running sync: the current request ends at its next block;
        nothing is lost, what the server holds of a blob is resumed next time."""
        self.watch.cancel()

    def _uploader(self) -> RecordUploader:
        blobs = BlobUploader(
            self.transport, self.outbox, self.watch, self.backoff, self.sleep,
            chunk_size=self.chunk_size, max_tries=self.max_tries,
        )  # fmt: skip
        return RecordUploader(
            self.store, self.transport, blobs, self.watch, self.backoff, self.sleep,
            max_tries=self.max_tries, max_defer=self.max_defer,
        )  # fmt: skip

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
        self.watch.restart()
        report = SyncReport()
        self.store.set_meta("last_sync_attempt", self.store.now())
        try:
            if push:
                self._push(report, due_only)
            if pull and report.ok and not self.watch.cancelled:
                report.pulled = self.pull()
        except AuthRequiredError as exc:
            report.auth_required, report.error = True, exc.message
        except StalledError as exc:
            report.stalled, report.error = True, exc.message
        except (Cancelled, Abandoned):
            report.cancelled = True
        except TransientError as exc:
            report.error = exc.message + KEPT
        except ApiError as exc:  # a pull the server refused
            report.error = exc.message
        except CoreError as exc:  # e.g. a malformed server address
            report.error = exc.message
        if self.watch.cancelled and report.error is None:
            report.cancelled, report.error = True, CANCELLED_MESSAGE
        if report.ok:  # the server has just confirmed what it holds
            self.store.set_meta("last_sync_at", self.store.now())
            try:  # …so free the old space
                report.purged = housekeeping.purge_sent(self.store)
            except (OSError, sqlite3.Error):  # space stays used; the next run tries again
                log.exception("housekeeping after sync failed")
        return report

    def _push(self, report: SyncReport, due_only: bool) -> None:
        uploader = self._uploader()
        entries = self.outbox.pending(due_only=due_only)
        plans = [uploader.plan(e) for e in entries]
        self._done, self._total = 0, len(entries)
        self._bytes_before = self._bytes_done = 0
        self._bytes_total = sum(b.size for p in plans if isinstance(p, list) for b in p) + sum(
            len(e.payload or b"") for e in entries
        )
        self._progress(None)
        stop: Deferred | None = None
        for queued in entries:
            uuid = queued.record_uuid
            if self.watch.cancelled:
                report.deferred.append(uuid)
                continue
            try:
                self.outbox.take(uuid)
            except StateError:  # reopened or retried by the user meanwhile
                continue
            entry = self.outbox.get(uuid)  # the bytes as of now, not as of the listing
            self.on_record(uuid, "sending", None)

            def moved(n: int, u: str = uuid) -> None:
                self._bytes_done = self._bytes_before + n
                self._progress(u)

            try:
                outcome = uploader.send(entry, moved)
            except AuthRequiredError:
                self.outbox.mark_retry(uuid, "登录已失效，请重新登录", 0, 401, count=False)
                self.on_record(uuid, "queued", None)
                raise
            except BaseException:
                self.outbox.mark_retry(uuid, "同步时发生内部错误，稍后重试", 60.0, count=False)
                raise
            plan = uploader.plan(entry)
            size = sum(b.size for b in plan) if isinstance(plan, list) else 0
            size += len(entry.payload or b"")
            if isinstance(outcome, Sent):
                self.outbox.mark_sent(uuid, outcome.version)
                self.on_record(uuid, "sent", None)
                report.sent.append(uuid)
            elif isinstance(outcome, Rejected):
                self.outbox.mark_rejected(uuid, outcome.message, outcome.status, outcome.version)
                self.on_record(uuid, "rejected", outcome.message)
                report.rejected.append((uuid, outcome.message))
            else:
                self.outbox.mark_retry(
                    uuid, outcome.message, outcome.delay, outcome.status, count=outcome.counts
                )
                self.on_record(uuid, "queued", outcome.message)
                report.deferred.append(uuid)
                stop = outcome
                break
            self._done += 1
            self._bytes_before += size
            self._bytes_done = self._bytes_before
            self._progress(None)
        if stop is not None:
            self._end_with(stop)

    def _end_with(self, deferred: Deferred) -> None:
        """A deferred record ends the run: say why the way the engine's callers expect."""
        if deferred.why == "cancelled":
            raise Cancelled()
        if deferred.why == "stalled":
            raise StalledError(self.watch.stall_seconds)
        raise TransientError(deferred.message, status=deferred.status)

    # -- pull ---------------------------------------------------------------

    def pull(self) -> dict[str, int]:
        """Fetch task packages and apply them (with the new cursor) in one transaction."""
        uploader = self._uploader()
        cursor = self.store.cursor
        try:
            body = uploader.retrying(lambda: self.transport.pull(cursor))
        except ApiError as exc:
            if exc.status != 410 or cursor is None:
                raise
            body = uploader.retrying(lambda: self.transport.pull(None))  # cursor expired
        try:
            PullResponseSchema().load(body)
        except ValidationError as exc:
            raise ApiError(0, "服务器返回的任务数据格式不正确，请联系管理员", exc.messages) from exc
        counts = self.store.apply_pull(
            body["packages"], body["withdrawn"], body["cursor"], body.get("withdrawn_reasons")
        )
        self.store.set_bureau_zone(body.get("bureau_timezone"))
        counts["photos"] = references.fetch(self.store, self.transport)  # for 复查
        return counts

    # -- helpers ------------------------------------------------------------

    def _progress(self, current: str | None) -> None:
        self.on_progress(
            Progress(self._done, self._total, self._bytes_done, self._bytes_total, current)
        )
