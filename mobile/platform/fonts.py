"""Find a font that can draw Chinese, for the text burned onto evidence photos."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "SUICHA_CJK_FONT"

# (path, face index inside a .ttc). Noto CJK collections list JP, KR, SC, TC, HK:
# index 2 is Simplified Chinese, which is what the bureau's documents use.
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/system/fonts/NotoSansCJK-Regular.ttc", 2),
    ("/system/fonts/NotoSansSC-Regular.otf", 0),
    ("/system/fonts/DroidSansFallback.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
)


class FontNotFoundError(RuntimeError):
    pass


@dataclass(frozen=True)
class FontSpec:
    path: Path
    index: int = 0


def find_cjk_font(candidates: tuple[tuple[str, int], ...] = CANDIDATES) -> FontSpec:
    """The first CJK font found; ``SUICHA_CJK_FONT`` (a path) overrides the search."""
    env = os.environ.get(ENV_VAR)
    if env:
        if Path(env).is_file():
            return FontSpec(Path(env), 0)
        raise FontNotFoundError(
            f"SUICHA_CJK_FONT 指向的字体文件不存在：{env} (font file not found)"
        )
    for path, index in candidates:
        if Path(path).is_file():
            return FontSpec(Path(path), index)
    tried = ", ".join(p for p, _ in candidates)
    raise FontNotFoundError(
        "未找到可显示中文的字体，无法在照片上加注文字。请安装 fonts-noto-cjk 或 "
        "fonts-wqy-microhei，或设置 SUICHA_CJK_FONT。"
        f" / No CJK font found (tried: {tried}); install fonts-noto-cjk or set SUICHA_CJK_FONT."
    )
