"""Record API, hazard part: 隐患 with their orders (处理措施)."""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from mobile.core.errors import CoreError
from mobile.core.record_base import RecordBase
from shared.enums import HazardLevel, OrderKind


@dataclass(frozen=True)
class Order:
    """One 处理措施 for a hazard."""

    kind: OrderKind | str
    deadline: date | None = None
    measures: str = ""
    transfer_to: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": OrderKind.parse(self.kind).value,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "measures": self.measures,
            "transfer_to": self.transfer_to,
        }


class HazardOps(RecordBase):
    # -- hazards ------------------------------------------------------------

    def add_hazard(
        self,
        uuid: str,
        *,
        description: str,
        level: HazardLevel | str,
        orders: Order | list[Order],
        location: str = "",
        legal_basis: str = "",
        item_code: str | None = None,
    ) -> str:
        """Record a hazard (隐患) with its order(s); returns the hazard id."""
        order_list = [orders] if isinstance(orders, Order) else list(orders)
        fields = _hazard_fields(description, level, order_list, location, legal_basis)
        self._no_past_deadline(fields["orders"], [])
        hazard_id = str(uuidlib.uuid4())
        now = self.store.now()
        with self.store.tx() as c:
            self._editable(c, uuid)
            if item_code is not None:
                self._item(c, uuid, item_code)
            c.execute(
                "INSERT INTO hazards (id, record_uuid, item_code, description, location, level,"
                " legal_basis, orders, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    hazard_id,
                    uuid,
                    item_code,
                    fields["description"],
                    fields["location"],
                    fields["level"],
                    fields["legal_basis"],
                    json.dumps(fields["orders"]),
                    now,
                    now,
                ),
            )
            self._log(
                c, uuid, "add_hazard", hazard_id, None, None, {**fields, "item_code": item_code}
            )
        return hazard_id

    def update_hazard(self, uuid: str, hazard_id: str, **changes: Any) -> None:
        """Change any of description, level, orders, location, legal_basis."""
        with self.store.tx() as c:
            row = self._hazard(c, uuid, hazard_id)
            current = {k: row[k] for k in ("description", "level", "location", "legal_basis")}
            current["orders"] = [Order(**o) for o in _orders_from_json(row["orders"])]
            unknown = set(changes) - set(current)
            if unknown:
                raise TypeError(f"unknown hazard fields {unknown}")
            merged = {**current, **changes}
            if isinstance(merged["orders"], Order):
                merged["orders"] = [merged["orders"]]
            new = _hazard_fields(**merged)
            old = {**current, "orders": json.loads(row["orders"])}
            self._no_past_deadline(new["orders"], old["orders"])
            for key in new:
                if new[key] != old[key]:
                    self._log(c, uuid, "update_hazard", hazard_id, key, old[key], new[key])
            c.execute(
                "UPDATE hazards SET description = ?, level = ?, location = ?, legal_basis = ?,"
                " orders = ?, updated_at = ? WHERE id = ?",
                (
                    new["description"],
                    new["level"],
                    new["location"],
                    new["legal_basis"],
                    json.dumps(new["orders"]),
                    self.store.now(),
                    hazard_id,
                ),
            )

    def _hazard(self, c: Any, uuid: str, hazard_id: str) -> Any:
        """The hazard's row, of a record that may still be edited (KeyError: no such hazard)."""
        self._editable(c, uuid)
        row = c.execute(
            "SELECT * FROM hazards WHERE id = ? AND record_uuid = ?", (hazard_id, uuid)
        ).fetchone()
        if row is None:
            raise KeyError(hazard_id)
        return row

    def _no_past_deadline(self, orders: list[dict[str, Any]], before: list[dict[str, Any]]) -> None:
        """A deadline set now cannot lie in the past (one kept from before may)."""
        today = self.store.clock().date().isoformat()
        kept = {o.get("deadline") for o in before}
        for o in orders:
            if o["deadline"] and o["deadline"] < today and o["deadline"] not in kept:
                raise CoreError("整改期限不能早于今天")

    def remove_hazard(self, uuid: str, hazard_id: str) -> None:
        with self.store.tx() as c:
            row = self._hazard(c, uuid, hazard_id)
            c.execute("DELETE FROM hazards WHERE id = ?", (hazard_id,))
            self._log(c, uuid, "remove_hazard", hazard_id, None, row["description"], None)


def _orders_from_json(text: str) -> list[dict[str, Any]]:
    out = []
    for o in json.loads(text):
        d = o.get("deadline")
        out.append({**o, "deadline": date.fromisoformat(d) if d else None})
    return out


def _hazard_fields(
    description: str,
    level: HazardLevel | str,
    orders: list[Order],
    location: str = "",
    legal_basis: str = "",
) -> dict[str, Any]:
    if not description.strip():
        raise CoreError("请填写隐患描述")
    if not orders:
        raise CoreError("每项隐患至少须有一项处理措施")
    order_dicts = [o.as_dict() for o in orders]
    for o in order_dicts:
        if o["kind"] == OrderKind.DEADLINE and not o["deadline"]:
            raise CoreError("责令限期整改须填写整改期限")
        if o["kind"] == OrderKind.ON_SITE_MEASURES and not o["measures"].strip():
            raise CoreError("现场处理措施须写明具体措施")
        if o["kind"] == OrderKind.TRANSFER and not o["transfer_to"].strip():
            raise CoreError("移送须写明移送机关")
    return {
        "description": description.strip(),
        "level": HazardLevel.parse(level).value,
        "orders": order_dicts,
        "location": location.strip(),
        "legal_basis": legal_basis.strip(),
    }
