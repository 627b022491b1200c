"""Sync: progress in records and bytes (labelled), 取消, the last successful sync,
errors in plain Chinese, records the server quarantined with its reason and a
retry button for each. Wiping the tablet is apart from all that, always asks
first, and cannot start while a sync runs."""

from __future__ import annotations

from typing import Any

from kivy.properties import ListProperty, StringProperty

from mobile.core import account
from mobile.core.timefmt import short_time
from mobile.ui.widgets import AppScreen, confirm
from shared.devices import device_number

STATE_LABELS = {
    "draft": "检查中（未完成）",
    "queued": "待上传",
    "sending": "正在上传",
    "sent": "已上传",
    "rejected": "被服务器退回",
}


def human_bytes(n: float) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class SyncScreen(AppScreen):
    rows = ListProperty([])
    records_text = StringProperty("")
    bytes_text = StringProperty("")
    current_text = StringProperty("")
    last_sync = StringProperty("")

    def prepare(self, **_: Any) -> None:
        runner = self.app.sync_runner
        if not getattr(self, "_bound", False):
            runner.bind(
                records_done=self._progress,
                records_total=self._progress,
                bytes_done=self._progress,
                bytes_total=self._progress,
                current=self._progress,
                runs=lambda *a: self.refresh(),
                on_record=lambda *a: self.refresh(),
            )
            self._bound = True
        self.refresh()

    def _progress(self, *_: Any) -> None:
        r = self.app.sync_runner
        if r.running or r.records_total:  # this run's progress
            self.records_text = f"本次同步：已上传 {r.records_done} / {r.records_total} 份记录"
            self.bytes_text = f"数据：{human_bytes(r.bytes_done)} / {human_bytes(r.bytes_total)}"
        else:  # no run yet since the app started: what is waiting, not "0 / 0"
            waiting = self.app.store.unsent_count()
            self.records_text = f"未上传记录 {waiting} 份" if waiting else "记录均已上传"
            self.bytes_text = ""
        name = self._names.get(r.current, "") if r.current else ""
        self.current_text = f"正在上传：{name}" if name else ""

    def refresh(self) -> None:
        store = self.app.store
        self._names = store.record_names()
        order = {"rejected": 0, "queued": 1, "sending": 1, "draft": 2, "sent": 3}
        entries = sorted(self.app.outbox.entries(), key=lambda e: order.get(e.state, 9))
        self.rows = [
            {
                "uuid": e.record_uuid,
                "title": self._names.get(e.record_uuid, "（任务已不在本机）"),
                "state": STATE_LABELS.get(e.state, "未知状态"),
                "reason": (e.last_error or "") if e.state in ("rejected", "queued") else "",
                "can_retry": e.state == "rejected",
            }
            for e in entries
        ]
        last = store.get_meta("last_sync_at")
        tried = store.get_meta("last_sync_attempt")
        self.last_sync = (f"上次成功同步：{short_time(last)}" if last else "本机尚未成功同步过") + (
            f"    上次尝试：{short_time(tried)}" if tried and tried != last else ""
        ) + f"    本机编号：{device_number(store.device_id)}"  # as the console lists it
        self._progress()
        self.app.refresh_counts()

    def sync_now(self) -> None:
        self.app.sync_runner.start()

    def cancel(self) -> None:
        self.app.sync_runner.stop()

    def retry(self, uuid: str) -> None:
        self.app.outbox.retry(uuid)
        self.refresh()
        self.app.sync_runner.start()

    def relogin(self) -> None:
        self.app.go("enroll", mode="login", back="sync")

    def ask_wipe(self) -> None:
        """退出并清除本机数据 (a lost or handed-back tablet): always asked first; with
        records not yet on the server the user must type 清除 to go on."""
        if self.app.sync_runner.running:
            return
        unsent = self.app.store.unsent_count()
        tasks = len(self.app.store.packages())
        text = f"将删除本机全部数据：{tasks} 个检查任务、所有检查记录、照片和签名，并退出登录。"
        if unsent:
            text += f"\n\n其中 {unsent} 份检查记录尚未上传到服务器，清除后将永久丢失，无法恢复！"
            text += "\n如确需清除，请在下面输入“清除”两个字。"

            def typed(answer: str) -> str | None:
                if answer.strip() != "清除":
                    return "请输入“清除”两个字以确认，或点“取消”"
                self._wipe(force=True)
                return None

            confirm("清除本机数据", text, "确认清除", lambda: None,
                    answer_hint="输入“清除”", on_answer=typed)  # fmt: skip
            return
        confirm("清除本机数据", text + "\n所有记录均已上传到服务器。", "确认清除",
                lambda: self._wipe(force=False))  # fmt: skip

    def _wipe(self, force: bool) -> None:
        account.wipe(self.app.store, force=force)
        self.app.stop()

    def toggle_theme(self) -> None:
        self.app.use_theme(self.app.theme.other)


SCREEN = SyncScreen
