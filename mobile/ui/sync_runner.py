"""Runs ``SyncEngine`` on a worker thread and mirrors its progress in Kivy properties.

The engine calls back from its thread, often (every chunk). We keep the latest
progress under a lock and fire a ``Clock.create_trigger``: however many chunks
arrive between two frames, the widgets are updated once, on the main thread.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from kivy.clock import Clock, mainthread
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from mobile.core import account, housekeeping
from mobile.core.errors import CoreError
from mobile.core.store import Store
from mobile.core.sync import STALL_SECONDS, Progress, SyncEngine, SyncReport


class SyncRunner(EventDispatcher):
    running = BooleanProperty(False)
    records_done = NumericProperty(0)
    records_total = NumericProperty(0)
    bytes_done = NumericProperty(0)
    bytes_total = NumericProperty(0)
    message = StringProperty("")  # plain-Chinese outcome of the last run
    failed = BooleanProperty(False)
    auth_required = BooleanProperty(False)
    runs = NumericProperty(0)  # finished runs (screens refresh on change)
    cancelling = BooleanProperty(False)  # 取消 pressed; the request ends at its next block
    current = StringProperty("")  # record uuid being uploaded

    __events__ = ("on_record",)

    def __init__(self, store: Store, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._records: list[tuple[str, str, str | None]] = []
        self._engine: SyncEngine | None = None
        self._flush = Clock.create_trigger(self._apply)
        # short backoff for tests and demos; the engine default suits the field
        self.base_delay = float(os.environ.get("SUICHA_SYNC_BASE_DELAY", "1.0"))

    def on_record(self, uuid: str, state: str, message: str | None) -> None:
        pass

    def start(self, *, push: bool = True, pull: bool = True, due_only: bool = False) -> bool:
        """Start a sync unless one is running; False if not started."""
        if self.running:
            return False
        try:
            transport = account.transport_for(self.store)
        except CoreError as exc:
            self.failed, self.auth_required, self.message = True, True, exc.message
            return False
        # no socket wait longer than the stall window: a dead link is called dead in time
        transport.timeout = (min(10.0, STALL_SECONDS), STALL_SECONDS)
        self.running, self.failed, self.auth_required = True, False, False
        self.cancelling = False
        self.records_done = self.records_total = self.bytes_done = self.bytes_total = 0
        self.message = "正在同步……"
        self._engine = SyncEngine(
            self.store,
            transport,
            base_delay=self.base_delay,
            on_progress=self._on_progress,
            on_record=self._on_record,
        )
        engine = self._engine
        threading.Thread(target=self._run, args=(engine, push, pull, due_only), daemon=True).start()
        return True

    def stop(self) -> None:
        """Cancel the running sync (取消, or the app stopping): nothing is lost."""
        if self._engine is not None and self.running:
            self.cancelling = True
            self._engine.stop()

    # -- worker thread ------------------------------------------------------

    def _run(self, engine: SyncEngine, push: bool, pull: bool, due_only: bool) -> None:
        try:
            report = engine.run(push=push, pull=pull, due_only=due_only)
        except Exception as exc:  # noqa: BLE001 - never leave the UI spinning
            report = SyncReport(error=f"同步时发生内部错误：{exc}")
        finally:
            engine.transport.close()
        self._finished(report)

    def _on_progress(self, progress: Progress) -> None:
        with self._lock:
            self._latest = progress
        self._flush()

    def _on_record(self, uuid: str, state: str, message: str | None) -> None:
        with self._lock:
            self._records.append((uuid, state, message))
        self._flush()

    # -- main thread --------------------------------------------------------

    def _apply(self, *_: Any) -> None:
        with self._lock:
            p, self._latest = self._latest, None
            records, self._records = self._records, []
        if p is not None:
            self.records_done, self.records_total = p.records_done, p.records_total
            self.bytes_done, self.bytes_total = p.bytes_done, p.bytes_total
            self.current = p.current or ""
        for uuid, state, msg in records:
            self.dispatch("on_record", uuid, state, msg)

    @mainthread
    def _finished(self, report: SyncReport) -> None:
        self._apply()
        self.running = self.cancelling = False
        self.current = ""
        self.auth_required = report.auth_required
        self.failed = not report.ok or bool(report.rejected)
        parts = []
        if report.sent:
            parts.append(f"已上传 {len(report.sent)} 份记录")
        if report.rejected:
            parts.append(f"{len(report.rejected)} 份记录被服务器退回，请查看原因")
        if report.pulled is not None:
            parts.append(f"收到任务 {report.pulled['stored']} 个")
            if report.pulled["removed"]:
                parts.append(f"撤回任务 {report.pulled['removed']} 个")
        if report.purged and report.purged["records"]:
            parts.append(
                f"已清理 {report.purged['records']} 份上传超过"
                f"{housekeeping.KEEP_DAYS}天的记录，释放存储空间"
            )
        if report.error and not report.cancelled:
            parts.append(report.error)
        if report.cancelled:
            parts.append(
                "同步已取消；已上传的部分保存在服务器上，下次从中断处继续，记录已保存在本机"
            )
        self.message = "；".join(parts) or "没有需要同步的内容"
        self.runs += 1
