"""The hazard (隐患) form: description, location, 一般/重大, legal basis and the
order(s): 当场整改 / 责令限期整改 + deadline / 现场处理措施 / 立案处罚 / 移送."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, StringProperty

from mobile.core.errors import CoreError
from mobile.core.records import Order
from mobile.core.timefmt import cn_date, today
from mobile.ui.widgets import AppScreen, confirm, message
from shared.enums import HazardLevel, OrderKind
from shared.orders import describe_order

NO_ITEM = "（不关联具体事项）"
ORDER_IDS = ("order_fixed", "order_deadline", "order_measures", "order_case", "order_transfer")
ORDER_KINDS = (OrderKind.FIXED_ON_SITE, OrderKind.DEADLINE, OrderKind.ON_SITE_MEASURES,
               OrderKind.PENALTY_CASE, OrderKind.TRANSFER)  # fmt: skip


class HazardScreen(AppScreen):
    uuid = StringProperty("")
    editing = StringProperty("")  # the id of the saved hazard in the form, or ''
    deadline_text = StringProperty("")
    item_code = StringProperty("")
    item_choices = ListProperty([])
    hazards = ListProperty([])  # dicts for the list on the left
    level = StringProperty(HazardLevel.GENERAL.value)
    locked = BooleanProperty(False)
    error = StringProperty("")
    back_to = StringProperty("inspection")
    _deadline: date | None = None

    def prepare(
        self,
        uuid: str | None = None,
        item_code: str | None = None,
        back: str = "",
        prefill: dict[str, Any] | None = None,
        **_: Any,
    ) -> None:
        returning = uuid is None and item_code is None  # back from a hazard's photos
        self.uuid = uuid or self.uuid or self.app.record_uuid
        if back:
            self.back_to = back
        rec = self.app.inspections.view(self.uuid)
        if returning:
            self.locked = rec["locked"]
            self._show(rec)
            return
        self.reset()
        self._items = {f"{n}. {i['name']}": i for n, i in enumerate(rec["items"], start=1)}
        self.item_choices = [NO_ITEM, *self._items]
        self.ids.item.text = next(
            (k for k, i in self._items.items() if i["code"] == item_code), NO_ITEM
        )
        if item_code:  # the item's legal basis is the usual basis of its hazard
            self.ids.legal_basis.text = self._items[self.ids.item.text].get("legal_basis") or ""
        self.locked = rec["locked"]
        if prefill:  # 复查, 未整改: the earlier hazard, to be confirmed or changed
            self.ids.description.text = "复查发现仍未整改：" + (prefill.get("description") or "")
            self.ids.location.text = prefill.get("location") or ""
            self.level = prefill.get("level") or HazardLevel.GENERAL.value
        self._show(rec)

    def _show(self, rec: dict[str, Any]) -> None:
        self.hazards = [
            {
                "id": h["id"],
                "text": f"{n}. 【{HazardLevel.parse(h['level']).label}】{h['description']}"
                + (f"（{h['location']}）" if h["location"] else "")
                + "\n处理："
                + "；".join(describe_order(o) for o in h["orders"]),
            }
            for n, h in enumerate(rec["hazards"], start=1)
        ]

    def on_item(self, text: str) -> None:
        item = self._items.get(text)
        if item and not self.ids.legal_basis.text:
            self.ids.legal_basis.text = item.get("legal_basis") or ""

    def quick_deadline(self, days: int) -> None:
        self.set_deadline(today() + timedelta(days=days))

    def set_deadline(self, when: date | None) -> None:
        self._deadline = when
        self.deadline_text = f"整改期限：{cn_date(when)}" if when else "尚未选择整改期限"
        if when:
            self.ids.order_deadline.state = "down"

    def pick_deadline(self) -> None:
        from mobile.ui.datepick import DatePicker

        DatePicker(earliest=today(), chosen=self._deadline, on_pick=self.set_deadline).open()

    def reset(self) -> None:
        """An empty form: nothing of the previous hazard is carried to the next."""
        ids = self.ids
        for key in ("description", "location", "measures", "transfer_to",
                    "legal_basis"):  # fmt: skip
            ids[key].text = ""
        for key in ORDER_IDS:
            ids[key].state = "normal"
        self.level = HazardLevel.GENERAL.value
        self.editing, self.error = "", ""
        self.set_deadline(None)

    def edit(self, hazard_id: str) -> None:
        """Load a saved hazard into the form; 保存修改 updates it (in the trail)."""
        rec = self.app.inspections.view(self.uuid)
        h = next((h for h in rec["hazards"] if h["id"] == hazard_id), None)
        if h is None:
            return
        self.reset()
        ids = self.ids
        ids.item.text = next(
            (k for k, i in self._items.items() if i["code"] == h["item_code"]), NO_ITEM
        )
        ids.description.text, ids.location.text = h["description"], h["location"]
        ids.legal_basis.text, self.level = h["legal_basis"], h["level"]
        kinds = dict(zip(ORDER_KINDS, ORDER_IDS, strict=True))
        for o in h["orders"]:
            ids[kinds[OrderKind.parse(o["kind"])]].state = "down"
            if o.get("deadline"):
                self.set_deadline(date.fromisoformat(o["deadline"]))
            ids.measures.text = o.get("measures") or ids.measures.text
            ids.transfer_to.text = o.get("transfer_to") or ids.transfer_to.text
        self.editing = hazard_id

    def orders(self) -> list[Order]:
        ids, out = self.ids, []
        if ids.order_fixed.state == "down":
            out.append(Order(OrderKind.FIXED_ON_SITE))
        if ids.order_deadline.state == "down":
            when = self._deadline
            if when is None:
                raise CoreError("请选择整改期限")
            if when < today():
                raise CoreError("整改期限不能早于今天")
            out.append(Order(OrderKind.DEADLINE, deadline=when))
        if ids.order_measures.state == "down":
            out.append(Order(OrderKind.ON_SITE_MEASURES, measures=ids.measures.text))
        if ids.order_case.state == "down":
            out.append(Order(OrderKind.PENALTY_CASE))
        if ids.order_transfer.state == "down":
            out.append(Order(OrderKind.TRANSFER, transfer_to=ids.transfer_to.text))
        return out

    def save(self) -> None:
        app, ids = self.app, self.ids
        item = self._items.get(ids.item.text)
        try:
            if self.editing:
                app.inspections.update_hazard(
                    self.uuid, self.editing, description=ids.description.text,
                    level=self.level, orders=self.orders(), location=ids.location.text,
                    legal_basis=ids.legal_basis.text,
                )  # fmt: skip
            else:
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
        self.reset()
        self._show(app.inspections.view(self.uuid))
        app.refresh_counts()

    def ask_remove(self, hazard_id: str) -> None:
        row = next((h for h in self.hazards if h["id"] == hazard_id), None)
        if row is None:
            return
        text = f"删除这项隐患及其处理措施？\n{row['text']}\n（为它拍的照片保留在记录中）"
        confirm("删除隐患", text, "确认删除", lambda: self.remove(hazard_id))

    def remove(self, hazard_id: str) -> None:
        app = self.app
        try:
            app.inspections.remove_hazard(self.uuid, hazard_id)
        except CoreError as exc:
            message("无法删除", exc.message)
        self._show(app.inspections.view(self.uuid))

    def photo(self, hazard_id: str) -> None:
        self.app.go("evidence", uuid=self.uuid, hazard_id=hazard_id, back="hazard")

    def back(self) -> None:
        if self.back_to == "inspection":
            self.app.go("inspection", uuid=self.uuid)
        else:
            self.app.go(self.back_to)


SCREEN = HazardScreen
