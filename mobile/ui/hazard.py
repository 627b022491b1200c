"""The hazard (隐患) form: description, location, 一般/重大, legal basis and the
order(s): 当场整改 / 责令限期整改 + deadline / 现场处理措施 / 立案处罚 / 移送."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.errors import CoreError
from mobile.core.records import Order
from mobile.core.summary import describe_order
from mobile.ui.widgets import message
from shared.enums import HazardLevel, OrderKind

NO_ITEM = "（不关联具体事项）"
ORDER_IDS = ("order_fixed", "order_deadline", "order_measures", "order_case", "order_transfer")


class HazardScreen(Screen):
    uuid = StringProperty("")
    item_code = StringProperty("")
    item_choices = ListProperty([])
    hazards = ListProperty([])  # dicts for the list on the left
    level = StringProperty(HazardLevel.GENERAL.value)
    locked = BooleanProperty(False)
    error = StringProperty("")

    def prepare(self, uuid: str | None = None, item_code: str | None = None, **_: Any) -> None:
        self.uuid = uuid or self.uuid or App.get_running_app().record_uuid
        rec = App.get_running_app().inspections.view(self.uuid)
        self._items = {f"{n}. {i['name']}": i for n, i in enumerate(rec["items"], start=1)}
        self.item_choices = [NO_ITEM, *self._items]
        self.ids.item.text = next(
            (k for k, i in self._items.items() if i["code"] == item_code), NO_ITEM
        )
        if item_code:  # the item's legal basis is the usual basis of its hazard
            self.ids.legal_basis.text = self._items[self.ids.item.text].get("legal_basis") or ""
        self.locked = rec["locked"]
        self._show(rec)

    def _show(self, rec: dict[str, Any]) -> None:
        self.hazards = [
            {
                "id": h["id"],
                "text": f"{n}. 【{HazardLevel.parse(h['level']).label}】{h['description']}"
                + (f"（{h['location']}）" if h["location"] else "")
                + "\n处理：" + "；".join(describe_order(o) for o in h["orders"]),
            }
            for n, h in enumerate(rec["hazards"], start=1)
        ]

    def on_item(self, text: str) -> None:
        item = self._items.get(text)
        if item and not self.ids.legal_basis.text:
            self.ids.legal_basis.text = item.get("legal_basis") or ""

    def quick_deadline(self, days: int) -> None:
        self.ids.deadline.text = (date.today() + timedelta(days=days)).isoformat()
        self.ids.order_deadline.state = "down"

    def orders(self) -> list[Order]:
        ids, out = self.ids, []
        if ids.order_fixed.state == "down":
            out.append(Order(OrderKind.FIXED_ON_SITE))
        if ids.order_deadline.state == "down":
            try:
                when = date.fromisoformat(ids.deadline.text.strip())
            except ValueError as exc:
                raise CoreError("整改期限格式应为 年-月-日，例如 2024-04-30") from exc
            out.append(Order(OrderKind.DEADLINE, deadline=when))
        if ids.order_measures.state == "down":
            out.append(Order(OrderKind.ON_SITE_MEASURES, measures=ids.measures.text))
        if ids.order_case.state == "down":
            out.append(Order(OrderKind.PENALTY_CASE))
        if ids.order_transfer.state == "down":
            out.append(Order(OrderKind.TRANSFER, transfer_to=ids.transfer_to.text))
        return out

    def save(self) -> None:
        app, ids = App.get_running_app(), self.ids
        item = self._items.get(ids.item.text)
        try:
            app.inspections.add_hazard(
                self.uuid,
                description=ids.description.text,
                level=self.level,
                orders=self.orders(),
                location=ids.location.text,
                legal_basis=ids.legal_basis.text,
                item_code=item["code"] if item else None,
            )
        except CoreError as exc:
            self.error = exc.message
            return
        self.error = ""
        for key in ("description", "location", "deadline", "measures", "transfer_to"):
            ids[key].text = ""
        for key in ORDER_IDS:
            ids[key].state = "normal"
        self._show(app.inspections.view(self.uuid))
        app.refresh_counts()

    def remove(self, hazard_id: str) -> None:
        app = App.get_running_app()
        try:
            app.inspections.remove_hazard(self.uuid, hazard_id)
        except CoreError as exc:
            message("无法删除", exc.message)
        self._show(app.inspections.view(self.uuid))

    def photo(self, hazard_id: str) -> None:
        App.get_running_app().go("evidence", uuid=self.uuid, hazard_id=hazard_id)

    def back(self) -> None:
        App.get_running_app().go("inspection", uuid=self.uuid)


SCREEN = HazardScreen
