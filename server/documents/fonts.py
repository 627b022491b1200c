"""Find and register an embeddable CJK font for reportlab.

reportlab embeds only TrueType-outline fonts (``glyf``).  Of the usual Debian
packages, ``fonts-wqy-microhei`` and ``fonts-wqy-zenhei`` qualify; the Noto
CJK ``.ttc``/``.otf`` files of ``fonts-noto-cjk`` have PostScript (CFF)
outlines, which reportlab refuses, so they are tried last and skipped.  Set
``SUICHA_CJK_FONT=/path/to/font.ttf`` (or ``font.ttc#1`` for a collection
member) to force a particular file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_NAME = "SuichaCJK"

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
    candidates += list(_CANDIDATES)
    candidates += _scan(("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")))
    for path, index in candidates:
        tried.append(path)
        if _try(path, index) is not None:
            return path, index
    raise FontNotFoundError(
        "未找到可嵌入 PDF 的中文字体（需 TrueType 轮廓），请安装 fonts-wqy-microhei，"
        "或用环境变量 SUICHA_CJK_FONT 指定字体文件。已尝试：" + "、".join(dict.fromkeys(tried))
    )


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the CJK font with reportlab once and return its font name."""
    path, index = find_cjk_font()
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
    return FONT_NAME
