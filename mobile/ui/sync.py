"""Sync: progress in records and bytes, errors in plain Chinese, records the
server quarantined with its reason, and a retry button for each."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen

from mobile.core import account
from mobile.core.errors import CoreError

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


class SyncScreen(Screen):
    rows = ListProperty([])
    progress_text = StringProperty("")
    last_sync = StringProperty("")

    def prepare(self, **_: Any) -> None:
        app = App.get_running_app()
        runner = app.sync_runner
        if not getattr(self, "_bound", False):
            runner.bind(
                records_done=self._progress,
                records_total=self._progress,
                bytes_done=self._progress,
                bytes_total=self._progress,
                runs=lambda *a: self.refresh(),
                on_record=lambda *a: self.refresh(),
            )
            self._bound = True
        self.refresh()

    def _progress(self, *_: Any) -> None:
        r = App.get_running_app().sync_runner
        self.progress_text = (
            f"记录：{r.records_done} / {r.records_total} 份    "
            f"数据：{human_bytes(r.bytes_done)} / {human_bytes(r.bytes_total)}"
        )

    def refresh(self) -> None:
        app = App.get_running_app()
        names = {}
        for row in app.store.all("SELECT uuid, visit_id FROM records"):
            pkg = app.store.package(row["visit_id"]) or {}
            names[row["uuid"]] = pkg.get("enterprise", {}).get("name", row["visit_id"])
        order = {"rejected": 0, "queued": 1, "sending": 1, "draft": 2, "sent": 3}
        entries = sorted(app.outbox.entries(), key=lambda e: order.get(e.state, 9))
        rows = [
            {
                "uuid": e.record_uuid,
                "title": names.get(e.record_uuid, e.record_uuid[:8]),
                "state": STATE_LABELS.get(e.state, e.state),
                "reason": (e.last_error or "") if e.state in ("rejected", "queued") else "",
                "can_retry": e.state == "rejected",
            }
            for e in entries
        ]
        self.rows = rows
        self._progress()
        app.refresh_counts()

    def sync_now(self) -> None:
        App.get_running_app().sync_runner.start()

    def retry(self, uuid: str) -> None:
        app = App.get_running_app()
        app.outbox.retry(uuid)
        self.refresh()
        app.sync_runner.start()

    def relogin(self) -> None:
        App.get_running_app().go("enroll", mode="login")

    def wipe(self, force: bool = False) -> None:
        """Logout on a lost or handed-back tablet: refuse while records are unsent
        unless the user confirms (the core enforces the same)."""
        app = App.get_running_app()
        try:
            account.wipe(app.store, force=force)
        except CoreError as exc:
            self._confirm_wipe(exc.message)
            return
        app.stop()

    def _confirm_wipe(self, text: str) -> None:
        box = BoxLayout(orientation="vertical", spacing=10, padding=10)
        label = Label(text=text, font_size="20sp", halign="center")
        label.bind(size=lambda w, s: setattr(w, "text_size", s))
        box.add_widget(label)
        buttons = BoxLayout(size_hint_y=None, height=70, spacing=10)
        popup = Popup(title="清除本机数据", content=box, size_hint=(0.7, 0.5))
        keep = Button(text="取消", font_size="20sp")
        keep.bind(on_release=lambda *_: popup.dismiss())
        drop = Button(text="确认清除", font_size="20sp", background_color=(0.8, 0.2, 0.2, 1))
        drop.bind(on_release=lambda *_: (popup.dismiss(), self.wipe(force=True)))
        buttons.add_widget(keep)
        buttons.add_widget(drop)
        box.add_widget(buttons)
        popup.open()


SCREEN = SyncScreen
