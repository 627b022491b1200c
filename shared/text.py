"""Names as people typed them, without the invisible characters that break
search and print reversed in a PDF.

Bidirectional controls (U+202A–202E, U+2066–2069, LRM/RLM/ALM), zero-width
characters (U+200B–200D, U+2060, U+FEFF) and the other format characters
(Unicode category Cf) are removed on input; blanks are collapsed; the text is
NFC-normalised so that one name has one spelling in the database.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_BLANKS = re.compile(r"[\s\u3000]+")


@cache
def _format_characters() -> re.Pattern[str]:
    """Every category-Cf character of this Python's Unicode tables as one class
    of ranges, built once.  One search is the fast test that spares a
    100,000-row import a Python step per character; written as ranges, not
    163 single characters, it is ten times faster.

    Format characters live in planes 0, 1 and 14 only (2 and 3 hold
    ideographs, 15 and 16 private use, the rest is unassigned), so only those
    are scanned; tests/shared/test_text.py checks that against every plane.
    """
    planes = (*range(0, 0x20000), *range(0xE0000, 0xF0000))
    points = [c for c in planes if unicodedata.category(chr(c)) == "Cf"]
    ranges: list[list[int]] = []
    for c in points:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return re.compile("[" + "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges) + "]")


def has_invisible(value: str) -> bool:
    return _format_characters().search(value) is not None


def strip_invisible(value: str) -> str:
    """*value* NFC-normalised, without format characters; line breaks kept."""
    if value.isascii():
        return value
    invisible = _format_characters()
    if unicodedata.is_normalized("NFC", value) and not invisible.search(value):
        return value  # the common case: nothing to change
    return invisible.sub("", unicodedata.normalize("NFC", value))


def clean_name(value: str | None) -> str:
    """A one-line name: invisible characters gone, blanks collapsed, trimmed."""
    if not value:
        return ""
    return _BLANKS.sub(" ", strip_invisible(value)).strip()


# C0 and C1 control characters other than tab, line feed and carriage return:
# nothing a person types needs them, and they break what the text is written to
# (PostgreSQL refuses NUL, an xlsx cannot hold them, a PDF or web page shows junk).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "不能包含控制字符（如空字符），请删除后重新填写"


def has_control(value: str) -> bool:
    return _CONTROL.search(value) is not None


def control_paths(data: object, path: tuple = ()) -> list[tuple]:
    """The places (key paths) in a parsed body or form where text holds a control
    character, keys included. A werkzeug MultiDict is walked through ``lists()``."""
    if isinstance(data, str):
        return [path] if has_control(data) else []
    found: list[tuple] = []
    if hasattr(data, "lists") or isinstance(data, dict):
        items = data.lists() if hasattr(data, "lists") else data.items()
        for key, value in items:
            if isinstance(key, str) and has_control(key):
                found.append((*path, key))
            found.extend(control_paths(value, (*path, key)))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            found.extend(control_paths(value, (*path, i)))
    return found


def control_errors(data: object) -> dict:
    """marshmallow-shaped errors (``{"field": ["…"]}``, nested) for every place
    :func:`control_paths` finds."""
    errors: dict = {}
    for path in control_paths(data):
        node: object = errors
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else None
        if isinstance(node, dict):  # None: a key already refused holds this place
            node.setdefault(path[-1] if path else "_schema", [CONTROL_MESSAGE])
    return errors
