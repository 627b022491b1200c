"""The one CJK font of the server: reportlab embeds it in PDFs, Pillow draws with it.

reportlab embeds only TrueType-outline fonts (``glyf``); the Noto CJK
``.ttc``/``.otf`` files of ``fonts-noto-cjk`` have PostScript (CFF) outlines,
which it refuses.  So the font comes first from a Python package that
``pip install`` brings with the server (``paperang-p2-fonts-cjk``: the
WenQuanYi Micro Hei ``.ttc`` of Debian's ``fonts-wqy-microhei``, byte for
byte).  A fresh machine needs no system font and no root for it, and every
machine prints the same glyphs.  After that come the usual system files, for
an installation that left the package out.  ``SUICHA_CJK_FONT=/path/to/font.ttf``
(or ``font.ttc#1`` for a collection member) forces a particular file.

Pillow gets the very same file (:func:`cjk_image_font`): a photo stamp or a
signature drawn with any other font would show tofu boxes for Chinese.
"""

from __future__ import annotations

import importlib.resources
import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_NAME = "SuichaCJK"

# (importable package, file inside it, face index)
PACKAGED = ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc", 0)

_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
)

# Names of files worth trying when none of the fixed paths exists.
_NAME_HINTS = ("wqy", "droidsansfallback", "uming", "ukai", "simsun", "simhei", "msyh")


class FontNotFoundError(RuntimeError):
    """No CJK font that reportlab can embed was found on this machine."""


def _parse(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return path, int(index or 0)


def packaged_font() -> tuple[str, int] | None:
    """``(path, index)`` of the font that ships as a Python package, if installed."""
    package, name, index = PACKAGED
    try:
        path = importlib.resources.files(package).joinpath(name)
    except ModuleNotFoundError:
        return None
    return (str(path), index) if path.is_file() else None


def _scan(roots: tuple[str, ...]) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for root in roots:
        base = Path(root)
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            name = path.name.lower()
            if path.suffix.lower() in (".ttf", ".ttc") and any(h in name for h in _NAME_HINTS):
                found.append((str(path), 0))
    return found


def _try(path: str, index: int) -> TTFont | None:
    if not os.path.isfile(path):
        return None
    try:
        return TTFont(FONT_NAME, path, subfontIndex=index)
    except (TTFError, OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, int]:
    """Return ``(path, subfont_index)`` of the first embeddable CJK font.

    Raises ``FontNotFoundError`` (with a Chinese message saying what to
    install) when there is none.
    """
    tried: list[str] = []
    env = os.environ.get("SUICHA_CJK_FONT")
    candidates = [_parse(env)] if env else []
    packaged = packaged_font()
    candidates += [packaged] if packaged else []
    candidates += list(_CANDIDATES)
    candidates += _scan(("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")))
    for path, index in candidates:
        tried.append(path)
        if _try(path, index) is not None:
            return path, index
    raise FontNotFoundError(
        "未找到可嵌入 PDF 的中文字体（需 TrueType 轮廓）：请运行 make run 安装依赖"
        "（含字体包 paperang-p2-fonts-cjk），或安装 fonts-wqy-microhei，"
        "或用环境变量 SUICHA_CJK_FONT 指定字体文件。已尝试：" + "、".join(dict.fromkeys(tried))
    )


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the CJK font with reportlab once and return its font name."""
    path, index = find_cjk_font()
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
    return FONT_NAME


def cjk_image_font(size: int) -> ImageFont.FreeTypeFont:
    """The same font file as the PDFs, for Pillow, at *size* pixels.

    A new object each call: a FreeType face is not safe to share between
    threads, and opening the file costs about a millisecond.  No fallback:
    Pillow's default font has no Chinese glyphs, so a stamp drawn with it
    would be unreadable – better the caller fails (and rolls back).
    """
    path, index = find_cjk_font()
    return ImageFont.truetype(path, size, index=index)
