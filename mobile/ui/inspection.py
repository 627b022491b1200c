"""The inspection: every drawn item with its legal basis and content, a result,
notes and photos per item; start and end time on top. Each tap is saved at once
(the core writes one transaction per change), so a killed app loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.core.errors import CoreError
from mobile.ui.widgets import message
from shared.enums import CheckMethod, ItemCategory, ItemResult

RESULTS = (ItemResult.COMPLIANT, ItemResult.NONCOMPLIANT, ItemResult.NOT_APPLICABLE)


def cn_time(value: str | None) -> str:
    if not value:
        return "（完成时自动记录）"
    dt = datetime.fromisoformat(value)
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt.hour:02d}:{dt.minute:02d}"


class ItemCard(BoxLayout):
    """One drawn item. ``result`` is the code ('' = not checked yet)."""

    code = StringProperty("")
    number = NumericProperty(0)
    name = StringProperty("")
    detail = StringProperty("")
    result = StringProperty("")
    note = StringProperty("")
    photos = NumericProperty(0)
    locked = BooleanProperty(False)

    def choose(self, code: str) -> None:
        if self.locked or code == self.result:
            return
        self.result = code
        self.parent_screen().save_result(self.code, code)

    def save_note(self, text: str) -> None:
        if not self.locked and text != self.note:
            self.note = text
            self.parent_screen().save_note(self.code, text)

    def parent_screen(self) -> InspectionScreen:
        return App.get_running_app().sm.get_screen("inspection")


class InspectionScreen(Screen):
    uuid = StringProperty("")
    title = StringProperty("")
    started = StringProperty("")
    finished = StringProperty("")
    progress = StringProperty("")
    hazards = NumericProperty(0)
    evidence = NumericProperty(0)
    signatures = StringProperty("")
    locked = BooleanProperty(False)
    state_text = StringProperty("")

    def prepare(self, uuid: str | None = None, **_: Any) -> None:
        app = App.get_running_app()
        if uuid:
            self.uuid = uuid
        self.uuid = self.uuid or app.record_uuid
        app.record_uuid = self.uuid
        self.refresh(rebuild=True)

    def refresh(self, rebuild: bool = False) -> None:
        rec = App.get_running_app().inspections.view(self.uuid)
        pkg = rec["package"]
        self.title = pkg["enterprise"]["name"]
        self.started, self.finished = cn_time(rec["started_at"]), cn_time(rec["finished_at"])
        done = sum(1 for i in rec["items"] if i["result"])
        self.progress = f"已检查 {done} / {len(rec['items'])} 项"
        self.hazards = len(rec["hazards"])
        self.evidence = len(rec["attachments"])
        self.signatures = f"{len(rec['signatures'])} / {len(pkg['team']) + 1}"
        self.locked = rec["locked"]
        self.state_text = {
            "draft": "检查中（自动保存）",
            "queued": "已完成，等待上传",
            "sending": "正在上传",
            "sent": "已上传到服务器",
            "rejected": "被服务器退回：" + (rec["last_error"] or ""),
        }.get(rec["state"], "")
        photos: dict[str, int] = {}
        for a in rec["attachments"]:
            if a["item_code"]:
                photos[a["item_code"]] = photos.get(a["item_code"], 0) + 1
        box = self.ids.item_list
        if rebuild or len(box.children) != len(rec["items"]):
            box.clear_widgets()
            for n, item in enumerate(rec["items"], start=1):
                box.add_widget(ItemCard(code=item["code"], number=n))
        cards = {c.code: c for c in box.children}
        for item in rec["items"]:
            card = cards[item["code"]]
            card.name = item["name"] + (f"—{item['sub_item']}" if item.get("sub_item") else "")
            card.detail = _detail(item)
            card.result = item["result"] or ""
            card.note = item["note"] or ""
            card.photos = photos.get(item["code"], 0)
            card.locked = self.locked

    # -- saving (each call is one transaction in the core) -------------------

    def save_result(self, code: str, result: str) -> None:
        self._call(lambda insp: insp.set_result(self.uuid, code, result))

    def save_note(self, code: str, text: str) -> None:
        self._call(lambda insp: insp.set_note(self.uuid, code, text))

    def _call(self, fn: Any) -> None:
        app = App.get_running_app()
        try:
            fn(app.inspections)
        except CoreError as exc:
            message("无法保存", exc.message)
        self.refresh()
        app.refresh_counts()

    # -- navigation ------------------------------------------------------------

    def add_photo(self, code: str) -> None:
        App.get_running_app().go("evidence", uuid=self.uuid, item_code=code)

    def add_hazard(self, code: str | None = None) -> None:
        App.get_running_app().go("hazard", uuid=self.uuid, item_code=code)


def _detail(item: dict[str, Any]) -> str:
    parts = []
    if item.get("category") == ItemCategory.KEY:
        parts.append("【重点事项】")
    if item.get("method"):
        try:
            parts.append(f"检查方式：{CheckMethod.parse(item['method']).label}")
        except ValueError:
            pass
    text = "  ".join(parts)
    if item.get("legal_basis"):
        text += f"\n依据：{item['legal_basis']}"
    if item.get("content"):
        text += f"\n检查内容：{item['content']}"
    return text.strip()


SCREEN = InspectionScreen
