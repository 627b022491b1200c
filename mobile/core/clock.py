"""Time as the core sees it: aware local datetimes, injectable for tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_now() -> datetime:
    """Now, timezone-aware in the device's local zone (Beijing time in practice)."""
    return datetime.now(UTC).astimezone()


def iso(dt: datetime) -> str:
    """ISO 8601 to the second, with offset: what records and the trail store."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: the core only handles aware times")
    return dt.replace(microsecond=0).isoformat()
