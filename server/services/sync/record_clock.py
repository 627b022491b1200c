"""A record dated in the future was made on a tablet whose clock is wrong.

The tablet stamps every moment of an inspection with its own clock: start and
finish, each item checked, each hazard, photo and signature, the change trail.
A clock set ahead would put those times, and the date the 检查记录 and the
case's deadlines are counted from, after the real day. The server's clock is
the reference: a time more than ``SYNC_CLOCK_TOLERANCE_MINUTES`` ahead of it
(a tablet that has been offline for weeks drifts by a few minutes, which must
not lose a real inspection) is refused, and so is any time that falls on a
later bureau calendar day than today – whatever the tolerance, a record never
carries tomorrow's date. Days are the bureau's (``BUREAU_TIMEZONE``): just after
midnight in Beijing, UTC is still on yesterday.

The reference is the machine's real clock (:func:`server_now`), not
``dispatch.now()``: that one follows the bureau day the demo's history and the
case tests move into the past, and the records they then send are dated after
that simulated day but long before the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from ...localtime import local_date, local_time
from . import SyncError

DEFAULT_TOLERANCE_MINUTES = 10.0

# Where the record keeps its own times, and how the refusal names them.
_SINGLE = (("started_at", "开始时间"), ("finished_at", "结束时间"))
_LISTS = (("items", "checked_at", "检查事项的检查时间"),
          ("hazards", "created_at", "隐患的记录时间"),
          ("attachments", "taken_at", "证据的拍摄时间"),
          ("signatures", "signed_at", "签名时间"),
          ("trail", "at", "操作记录时间"))


def server_now() -> datetime:
    """The server's clock, aware UTC (tests replace this to stand at a moment)."""
    return datetime.now(UTC)


def tolerance() -> timedelta:
    minutes = current_app.config.get("SYNC_CLOCK_TOLERANCE_MINUTES",
                                     DEFAULT_TOLERANCE_MINUTES)
    return timedelta(minutes=float(minutes))


def _times(data: dict[str, Any]) -> Iterator[tuple[str, str, datetime]]:
    """(field path, Chinese name, aware time) for every time the record carries."""
    for key, label in _SINGLE:
        yield key, label, datetime.fromisoformat(data[key])
    for key, sub, label in _LISTS:
        for i, entry in enumerate(data.get(key) or []):
            if entry.get(sub):
                yield f"{key}.{i}.{sub}", label, datetime.fromisoformat(entry[sub])


def check_not_future(data: dict[str, Any]) -> None:
    """Refuse (422, nothing stored) a record with a time after the server's now
    plus the tolerance, or on a bureau day after today."""
    now = server_now()
    today = local_date(now)
    limit = now + tolerance()
    late = [(path, label, at) for path, label, at in _times(data)
            if at > limit or local_date(at) > today]
    if not late:
        return
    path, label, at = max(late, key=lambda t: t[2])
    raise SyncError(
        422, f"检查记录的{label}{local_time(at)}晚于服务器当前时间{local_time(now)}，"
             "平板的时钟似乎不准，服务器未保存；请在平板的系统设置中把日期、时间和时区"
             "改正（建议打开“自动确定日期和时间”），并联系科室处理这条记录"
             "（记录仍保存在平板上）",
        errors={p: [f"晚于服务器当前时间{local_time(now)}"] for p, _l, _a in late[:20]})
