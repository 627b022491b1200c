"""The inspection: every drawn item with its legal basis and content, a result,
notes and photos per item; start and end time on top. Each tap is saved at once
(the core writes one transaction per change), so a killed app loses nothing."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from mobile.core.errors import CoreError
from mobile.core.summary import signature_states
from mobile.core.timefmt import cn_datetime
from mobile.ui.enterprise import hazard_text
from mobile.ui.widgets import AppScreen, confirm, message
from shared.enums import CheckMethod, ItemCategory, ItemResult

RESULTS = (ItemResult.COMPLIANT, ItemResult.NONCOMPLIANT, ItemResult.NOT_APPLICABLE)


def cn_time(value: str | None) -> str:
    return cn_datetime(value, "（完成时自动记录）")


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
    # a 复查 asks of each earlier hazard: 已整改 (符合) or 未整改 (不符合)
    ok_label = StringProperty(RESULTS[0].label)
    bad_label = StringProperty(RESULTS[1].label)
    earlier = StringProperty("")  # the earlier hazard(s) on this item, for a 复查
    earlier_photos = ListProperty([])  # …and the photos taken of them then
    hazard_line = StringProperty("")  # the hazards registered on this item, or what is missing
    hazard_missing = BooleanProperty(False)  # 不符合 without a hazard yet

    def on_earlier_photos(self, _card: Any, paths: list[str]) -> None:
        from kivy.metrics import dp
        from kivy.uix.image import Image

        box = self.ids.earlier_box
        box.clear_widgets()
        for path in paths[:6]:  # 4:3 photos, as high as the row
            box.add_widget(Image(source=path, fit_mode="contain", size_hint_x=None, width=dp(160)))

    def choose(self, code: str) -> None:
        if self.locked or code == self.result:
            return
        self.result = code
        self.parent_screen().save_result(self.code, code)
        if code == ItemResult.NONCOMPLIANT.value:
            self.parent_screen().ask_hazard(self)

    def save_note(self, text: str) -> None:
        if not self.locked and text != self.note:
            self.note = text
            self.parent_screen().save_note(self.code, text)

    def parent_screen(self) -> InspectionScreen:
        return App.get_running_app().sm.get_screen("inspection")


class InspectionScreen(AppScreen):
    uuid = StringProperty("")
    title = StringProperty("")
    void_text = StringProperty("")  # signatures the last change voided
    next_text = StringProperty("")
    started = StringProperty("")
    finished = StringProperty("")
    progress = StringProperty("")
    hazards = NumericProperty(0)
    evidence = NumericProperty(0)
    signatures = StringProperty("")
    locked = BooleanProperty(False)
    state_text = StringProperty("")

    _resume = False  # scroll to the first unanswered item on entering (继续检查)

    def prepare(self, uuid: str | None = None, resume: bool = False, **_: Any) -> None:
        app = self.app
        self._resume = resume
        if uuid:
            self.uuid = uuid
        self.uuid = self.uuid or app.record_uuid
        app.record_uuid = self.uuid
        self.refresh(rebuild=True)

    def refresh(self, rebuild: bool = False) -> None:
        rec = self.app.inspections.view(self.uuid)
        pkg = rec["package"]
        self.title = pkg["enterprise"]["name"]
        self.started, self.finished = cn_time(rec["started_at"]), cn_time(rec["finished_at"])
        done = sum(1 for i in rec["items"] if i["result"])
        self.progress = f"已检查 {done} / {len(rec['items'])} 项"
        self.hazards = len(rec["hazards"])
        self.evidence = len(rec["attachments"])
        states = signature_states(rec)
        valid = sum(1 for v in states.values() if v == "valid")
        void = [s["name"] for s in rec["signatures"] if states[s["signer_key"]] == "void"]
        self.signatures = f"{valid} / {len(pkg['team']) + 1}"
        self.void_text = (
            f"记录在签名后有改动，{'、'.join(void)}的签名已失效，请重新签名" if void else ""
        )
        todo = [n for n, i in enumerate(rec["items"], start=1) if not i["result"]]
        self.next_text = f"下一未检查项（第{todo[0]}项）" if todo else "全部已检查"
        self.locked = rec["locked"]
        self.state_text = {
            "draft": "检查中（自动保存）",
            "queued": "已完成，等待上传",
            "sending": "正在上传",
            "sent": "已上传到服务器",
            "rejected": "被服务器退回：" + (rec["last_error"] or ""),
        }.get(rec["state"], "")
        linked: dict[str, list[str]] = {}
        for h in rec["hazards"]:
            if h["item_code"]:
                linked.setdefault(h["item_code"], []).append(h["description"])
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
        recheck = bool(pkg["task"].get("reinspection"))
        self._earlier = earlier = {}
        for h in (pkg.get("history") or {}).get("open_hazards") or []:
            earlier.setdefault(h.get("item_code"), []).append(h)
        for item in rec["items"]:
            card = cards[item["code"]]
            card.name = item["name"] + (f"—{item['sub_item']}" if item.get("sub_item") else "")
            card.detail = _detail(item)
            card.earlier = "\n\n".join(
                "原隐患：" + hazard_text(h) for h in earlier.get(item["code"], [])
            ) if recheck else ""  # fmt: skip
            card.earlier_photos = [
                str(p) for h in earlier.get(item["code"], []) if recheck
                for p in (self.app.store.reference_path(sha) for sha in h.get("photos") or [])
                if p.exists()
            ]  # fmt: skip
            card.ok_label = "已整改" if recheck and card.earlier else RESULTS[0].label
            card.bad_label = "未整改" if recheck and card.earlier else RESULTS[1].label
            card.result = item["result"] or ""
            card.note = item["note"] or ""
            card.photos = photos.get(item["code"], 0)
            card.hazard_line, card.hazard_missing = hazard_line(
                linked.get(item["code"], []), card.result == ItemResult.NONCOMPLIANT.value)
            card.locked = self.locked

    # -- saving (each call is one transaction in the core) -------------------

    def save_result(self, code: str, result: str) -> None:
        self._call(lambda insp: insp.set_result(self.uuid, code, result))

    def save_note(self, code: str, text: str) -> None:
        self._call(lambda insp: insp.set_note(self.uuid, code, text))

    def _call(self, fn: Any) -> None:
        app = self.app
        try:
            fn(app.inspections)
        except CoreError as exc:
            message("无法保存", exc.message)
        self.refresh()
        app.refresh_counts()

    # -- navigation ------------------------------------------------------------

    def add_photo(self, code: str) -> None:
        self.app.go("evidence", uuid=self.uuid, item_code=code)

    def add_hazard(self, code: str | None = None) -> None:
        # a 复查 finding on an item with an earlier hazard starts from that hazard
        before = getattr(self, "_earlier", {}).get(code) if code else None
        self.app.go("hazard", uuid=self.uuid, item_code=code, back="inspection",
                                 prefill=before[0] if before else None)  # fmt: skip

    def ask_hazard(self, card: ItemCard) -> None:
        """不符合 needs a hazard with its orders (or at least a note saying why):
        asked at once, while the inspector stands in front of it."""
        confirm(
            card.bad_label,
            f"第{card.number}项「{card.name}」{card.bad_label}。\n请登记隐患及处理措施（完成记录前必须登记），"
            "或先在说明中写明情况，稍后再登记。",
            "登记隐患",
            lambda: self.add_hazard(card.code),
            no="先写说明",
            danger=False,
        )

    def on_enter(self, *_: Any) -> None:
        # 继续检查 opens where the inspector left off, once the cards are laid out
        if self._resume:
            self._resume = False
            Clock.schedule_once(lambda _dt: self.next_unanswered(), 0)

    def next_unanswered(self) -> None:
        """Scroll the first item without a result to the top of the page (the
        items before it are done; ScrollView.scroll_to would leave it at the bottom)."""
        scroll, page = self.ids.scroll, self.ids.page
        for card in reversed(self.ids.item_list.children):
            if not card.result:
                overflow = page.height - scroll.height
                if overflow > 0:  # content coordinates: the page is not a relative layout
                    from_top = page.top - card.top - dp(8)
                    scroll.scroll_y = max(0.0, min(1.0, 1 - from_top / overflow))
                return


def hazard_line(descriptions: list[str], noncompliant: bool) -> tuple[str, bool]:
    """The card's line under its buttons: the hazards registered on the item (the
    inspector sees 不符合 is followed up), or that 不符合 still needs one."""
    if descriptions:
        shown = "；".join(d if len(d) <= 24 else d[:23] + "…" for d in descriptions[:3])
        more = "等" if len(descriptions) > 3 else ""
        return f"已登记隐患 {len(descriptions)} 条：{shown}{more}", False
    if noncompliant:
        return "尚未登记隐患（完成记录前须登记隐患及处理措施）", True
    return "", False


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
