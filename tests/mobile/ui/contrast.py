"""WCAG 2.x contrast, measured on what the app actually drew.

For every label (and button text) on a screen the driver crops the label's box
from an off-screen rendering: the most frequent colour is its background, the
pixel that differs most from it is its text (glyph stems reach the full text
colour at these sizes). Their contrast ratio is what a reader gets.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PIL import Image


def luminance(rgb: tuple[float, ...]) -> float:
    """Relative luminance of an sRGB colour with channels 0..255."""

    def lin(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_contrast(image: Image.Image, box: tuple[int, int, int, int]) -> float | None:
    """The contrast of the text drawn in *box* (left, top, right, bottom) against its
    background; None if the box holds a single colour (nothing drawn)."""
    crop = image.crop(box).convert("RGB")
    colours = Counter(crop.get_flattened_data())
    if len(colours) < 2:
        return None
    bg = colours.most_common(1)[0][0]
    return max(ratio(bg, c) for c in colours)


def visible_box(widget: Any, height: int) -> tuple[int, int, int, int] | None:
    """The widget's box in image coordinates, if it is wholly on screen and inside
    every scrolling ancestor's viewport; None otherwise."""
    from kivy.uix.scrollview import ScrollView

    x0, y0 = widget.to_window(widget.x, widget.y)
    x1, y1 = widget.to_window(widget.right, widget.top)
    if x1 - x0 < 6 or y1 - y0 < 6:
        return None
    parent, seen = widget.parent, set()
    while parent is not None and id(parent) not in seen:
        seen.add(id(parent))
        if parent.opacity == 0:
            return None
        if isinstance(parent, ScrollView):
            px0, py0 = parent.to_window(parent.x, parent.y)
            px1, py1 = parent.to_window(parent.right, parent.top)
            if x0 < px0 or y0 < py0 or x1 > px1 or y1 > py1:
                return None
        parent = parent.parent
    return int(x0) + 1, int(height - y1) + 1, int(x1) - 1, int(height - y0) - 1
