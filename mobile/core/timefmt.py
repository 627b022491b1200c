"""Times as the inspector reads them: in the bureau's zone whatever zone the
tablet's clock is set to, in Chinese.

The zone is the server's (``BUREAU_TIMEZONE``): it comes with the login and
every pull, the store keeps it (``Store.set_bureau_zone``) and hands it here
with :func:`use_zone`. Before the first contact with a server the tablet falls
back to ``SUICHA_TZ`` (default Asia/Shanghai).
"""

from __future__ import annotations

import os
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK = "Asia/Shanghai"

# The zone learnt from the server; None until then (one app, one bureau).
_bureau: tzinfo | None = None


def zone_from_name(name: str) -> tzinfo | None:
    """The zone called *name*, or None when this device does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def use_zone(name: str | None) -> None:
    """Show times in the zone *name* from now on (None: back to the fallback)."""
    global _bureau
    _bureau = zone_from_name(name) if name else None


def zone() -> tzinfo:
    """The bureau's zone as far as this tablet knows it."""
    if _bureau is not None:
        return _bureau
    return zone_from_name(os.environ.get("SUICHA_TZ") or FALLBACK) or ZoneInfo(FALLBACK)


def local(value: str | datetime) -> datetime:
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dt.astimezone(zone())


def short_time(value: str | None) -> str:
    """12月3日 16:05 (today: 今天 16:05)."""
    if not value:
        return ""
    dt = local(value)
    if dt.date() == datetime.now(zone()).date():
        return f"今天 {dt:%H:%M}"
    return f"{dt.month}月{dt.day}日 {dt:%H:%M}"


def cn_datetime(value: str | None, missing: str = "") -> str:
    """2026年10月9日 09:30."""
    if not value:
        return missing
    dt = local(value)
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"


def cn_date(value: str | date | None, missing: str = "（未填）") -> str:
    """2026年10月9日."""
    if not value:
        return missing
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.year}年{d.month}月{d.day}日"


def today() -> date:
    return datetime.now(zone()).date()


def outside_window(start: str | date, end: str | date, on: date | None = None) -> str:
    """Why *on* (today) is not inside the task's 检查时限, or "" when it is."""
    first = date.fromisoformat(start) if isinstance(start, str) else start
    last = date.fromisoformat(end) if isinstance(end, str) else end
    day = on or today()
    if day < first:
        return f"检查时限尚未开始：{cn_date(first)}起，还有{(first - day).days}天"
    if day > last:
        return f"检查时限已过：截至{cn_date(last)}，已逾期{(day - last).days}天"
    return ""


def days_left(deadline: str | date, on: date | None = None) -> str:
    """剩余3天 / 今天截止 / 已逾期2天."""
    d = date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
    n = (d - (on or today())).days
    if n > 0:
        return f"剩余{n}天"
    if n == 0:
        return "今天截止"
    return f"已逾期{-n}天"
