"""Times are stored in UTC and shown in the bureau's time zone – one place.

``BUREAU_TIMEZONE`` (an IANA name, default ``Asia/Shanghai``) sets the zone;
every page, feed and official document that shows a time goes through
``local_time`` so that no reader ever sees a UTC time or an ISO "T", and every
"today" of the bureau (deadlines, dispatch, follow-up) is ``bureau_today``.
The zone is looked up on each call, never kept in a module constant: the app's
configuration (from the environment, or a test's) is what counts.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"
MINUTES, SECONDS = "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"


def zone_name() -> str:
    """The app's ``BUREAU_TIMEZONE``; outside an app (a script), the environment's."""
    name = current_app.config.get("BUREAU_TIMEZONE") if has_app_context() else None
    return name or os.environ.get("BUREAU_TIMEZONE") or DEFAULT_ZONE


def bureau_tz() -> tzinfo:
    return _zone(zone_name())


@functools.cache
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def check_zone(name: str) -> None:
    """Refuse a zone name the system does not know – at start, not at the first
    page that shows a time."""
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"BUREAU_TIMEZONE“{name}”不是有效的时区名称（例如 Asia/Shanghai）"
                         ) from None


def bureau_today() -> date:
    """The bureau's calendar day, whatever time zone the server runs in."""
    return datetime.now(bureau_tz()).date()


def to_local(value: datetime) -> datetime:
    """An aware time in the bureau's zone; a naive value is UTC (how we store them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(bureau_tz())


def local_time(value: datetime | date | str | None, fmt: str = MINUTES) -> str:
    """``2026-03-02 09:15`` in the bureau's zone; accepts a datetime, an ISO text
    (with or without offset: without one it is UTC) or a date (shown as is)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return value.isoformat()
    return to_local(value).strftime(fmt)


def local_iso(value: datetime | str | None) -> str | None:
    """``2026-03-02T09:15:00+08:00``: a stored time for a machine reader (public
    JSON) – in the bureau's zone and always with its offset, so nobody has to
    guess whether a time is UTC or local."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return to_local(value).isoformat(timespec="seconds")


def local_date(value: datetime | str) -> date:
    """The bureau's calendar day of a stored time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_local(value).date()
