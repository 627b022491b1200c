"""Is every character drawable with a font? (no tofu boxes)

FreeType draws a character the font lacks with glyph 0 (.notdef, the "tofu"
box). We render each character and compare its bitmap with the bitmap of a
code point no font maps (U+10FFFD, private use): identical means missing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PIL import ImageFont

NOT_A_CHAR = "\U0010fffd"


@lru_cache(maxsize=8)
def _font(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, 48)


@lru_cache(maxsize=8)
def _notdef(path: str) -> tuple[tuple[int, int], bytes]:
    mask = _font(path).getmask(NOT_A_CHAR)
    return mask.size, bytes(mask)


def missing_glyphs(font_path: str, text: str) -> set[str]:
    """The characters of *text* that *font_path* (face 0, as Kivy opens it) cannot draw."""
    font = _font(font_path)
    notdef = _notdef(font_path)
    missing = set()
    for ch in set(text):
        if ch.isspace() or not ch.isprintable():
            continue
        mask = font.getmask(ch)
        if (mask.size, bytes(mask)) == notdef:
            missing.add(ch)
    return missing


def visible_texts(widget: Any) -> list[str]:
    """The texts a widget shows (a text input's hint while it is empty, a spinner's options)."""
    if widget.opacity == 0 or widget.height <= 0:
        return []
    out = []
    text = getattr(widget, "text", "")
    if text:
        out.append(text)
    if not text and getattr(widget, "hint_text", ""):
        out.append(widget.hint_text)
    out += [v for v in getattr(widget, "values", []) if isinstance(v, str)]
    return out
