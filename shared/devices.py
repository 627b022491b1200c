"""A tablet's number as people say it: the console's tablet list and the tablet's
own sync screen show the same characters, so the office can tell which tablet to
revoke without reading a UUID.

A tablet's id is a UUID it made at installation; its number is the first four hex
digits (F9DC for f9dc3a0f-5fde-…).  Four digits collide now and then among a
bureau's tablets, so the console, which sees them all, lengthens the number of the
ones that share a prefix until each is unique (F9DC3, F9DC7); the tablet's own
number is still the start of it.  An id that is not a UUID (a test tablet, an id
typed by hand) is short enough to be shown whole."""

from __future__ import annotations

import re
from collections.abc import Iterable

SHORT = 4
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)


def _hex(device_id: str) -> str | None:
    """The UUID's 32 hex digits, upper case, or None for an id that is not one."""
    return device_id.replace("-", "").upper() if _UUID.fullmatch(device_id) else None


def device_number(device_id: str, among: Iterable[str] = ()) -> str:
    """The number shown for ``device_id``; unique among the ids in ``among``."""
    digits = _hex(device_id)
    if digits is None:
        return device_id
    others = {h for h in map(_hex, among) if h is not None and h != digits}
    length = SHORT
    while length < len(digits) and any(o.startswith(digits[:length]) for o in others):
        length += 1
    return digits[:length]


def device_numbers(device_ids: Iterable[str]) -> dict[str, str]:
    """Each listed id's number, the numbers told apart from one another."""
    ids = list(dict.fromkeys(device_ids))
    return {d: device_number(d, ids) for d in ids}


def matches_number(device_id: str, number: str) -> bool:
    """Whether a number someone read off the console (any case, dashes or not)
    names this device: its whole id, or a prefix of its UUID at least four long."""
    if number == device_id:
        return True
    digits, typed = _hex(device_id), number.replace("-", "").upper()
    return digits is not None and len(typed) >= SHORT and digits.startswith(typed)
