"""An order on a hazard as a person reads it: one wording for the tablet's signing
screen and the server's 现场检查记录, so what the enterprise signs is what is printed."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.enums import OrderKind


def _cn_date(value: str | date | None) -> str:
    if not value:
        return "（未填）"
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.year}年{d.month}月{d.day}日"


def describe_order(order: dict[str, Any]) -> str:
    """责令限期整改，期限至2026年12月10日 / 现场处理措施：停止使用 / 移送至…."""
    kind = order["kind"]
    try:
        text = OrderKind.parse(kind).label
    except ValueError:
        text = str(kind)
    if kind == OrderKind.DEADLINE:
        text += f"，期限至{_cn_date(order.get('deadline'))}"
    elif kind == OrderKind.ON_SITE_MEASURES and order.get("measures"):
        text += f"：{order['measures']}"
    elif kind == OrderKind.TRANSFER and order.get("transfer_to"):
        text += f"至{order['transfer_to']}"
    return text


def describe_orders(orders: list[dict[str, Any]]) -> str:
    return "；".join(describe_order(o) for o in orders if o.get("kind"))
