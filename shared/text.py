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

_BLANKS = re.compile(r"[\s\u3000]+")


def has_invisible(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cf" for ch in value)


def strip_invisible(value: str) -> str:
    """*value* NFC-normalised, without format characters; line breaks kept."""
    if value.isascii():
        return value
    return "".join(ch for ch in unicodedata.normalize("NFC", value)
                   if unicodedata.category(ch) != "Cf")


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
