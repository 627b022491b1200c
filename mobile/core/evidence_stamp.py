"""The stamp burned into the upload copy's lower-left corner: time, place, enterprise
and inspector, white on a translucent dark box, so a printed photo still says what it
shows. It is drawn once per copy, before the picture's pixels exist (while they are
being decoded), and burned into the strip of the picture that holds the box.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from mobile.core.timefmt import local


@dataclass(frozen=True)
class Stamp:
    """What is burned onto the upload copy. ``taken_at``/``location`` are used when the
    photo's own EXIF lacks them (explosion-proof cameras often write no GPS)."""

    enterprise: str
    inspector: str
    taken_at: datetime | None = None
    location: tuple[float, float] | None = None


_FONT_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def stamp_lines(stamp: Stamp, taken_at: datetime | None, where: tuple | None) -> list[str]:
    lines = []
    if taken_at:  # the bureau's wall clock, whatever zone the tablet's clock is set to
        lines.append(local(taken_at).strftime("%Y-%m-%d %H:%M:%S"))
    if where:
        lat, lon = where
        ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
        lines.append(f"{ns}{abs(lat):.5f}° {ew}{abs(lon):.5f}°")
    lines.append(stamp.enterprise)
    lines.append(f"检查人员：{stamp.inspector}")
    return lines


def stamp_layout(size: tuple[int, int], n_lines: int) -> tuple[int, int, int, int]:
    """Font size, padding, line height and top row of the stamp box on a picture of *size*."""
    font_size = max(14, max(size) // 48)
    pad = font_size // 2
    line_h = int(font_size * 1.3)
    return font_size, pad, line_h, size[1] - (line_h * n_lines + 2 * pad) - pad


@dataclass(frozen=True)
class StampMark:
    """The stamp for one picture size, drawn before the picture is decoded: a dark box
    in the lower-left corner and the glyphs to paste white over it."""

    box: tuple[int, int, int, int]
    glyphs: Image.Image  # "L": coverage, pasted at the box's corner

    def burn(self, im: Image.Image, top: int = 0) -> None:
        """Burn into *im*, in place; *im* may be the strip of the picture from row *top*."""
        x0, y0, x1, y1 = self.box
        ImageDraw.Draw(im, "RGBA").rectangle((x0, y0 - top, x1, y1 - top), fill=(0, 0, 0, 150))
        im.paste((255, 255, 255), (x0, y0 - top), self.glyphs)


def draw_stamp(
    size: tuple[int, int], lines: list[str], font_path: str, font_index: int
) -> StampMark:
    font_size, pad, line_h, y0 = stamp_layout(size, len(lines))
    with _FONT_LOCK:  # cached FreeType faces are shared between import threads
        font = _font(font_path, font_index, font_size)
        width = max(int(font.getlength(line)) for line in lines) + 2 * pad
        height = line_h * len(lines) + 2 * pad
        glyphs = Image.new("L", (width + pad, height + pad))  # room for overhanging glyphs
        draw = ImageDraw.Draw(glyphs)
        for i, line in enumerate(lines):
            draw.text((pad, pad + i * line_h), line, font=font, fill=255)
    return StampMark((pad, y0, pad + width, y0 + height), glyphs)
