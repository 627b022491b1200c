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
