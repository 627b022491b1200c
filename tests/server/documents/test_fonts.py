"""The server's CJK font comes with its Python packages: a TrueType-outline font
reportlab embeds, with a glyph for every character the demo and the documents print."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from PIL import ImageFont
from reportlab.pdfbase.ttfonts import TTFont

from server.documents import fonts

ROOT = Path(__file__).resolve().parents[3]
# WenQuanYi Micro Hei 0.2.0-beta, the same file as Debian's fonts-wqy-microhei.
WQY_MICROHEI_SHA256 = "2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3"
# Every source that puts Chinese on a page or a photo the demo produces.
SOURCES = ["server/services/demo_data.py", "server/services/demo_cases.py",
           "server/services/demo_items.py", "server/services/case_documents.py",
           *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "server/documents").glob("*.py")),
           *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "server/dossier").glob("*.py"))]
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_the_font_package_is_found_first(monkeypatch):
    monkeypatch.delenv("SUICHA_CJK_FONT", raising=False)
    packaged = fonts.packaged_font()
    assert packaged is not None, "pip install -e . brings paperang-p2-fonts-cjk"
    assert fonts.find_cjk_font.__wrapped__() == packaged
    data = Path(packaged[0]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == WQY_MICROHEI_SHA256


def test_an_explicit_font_still_wins(monkeypatch):
    path, _ = fonts.packaged_font()
    monkeypatch.setenv("SUICHA_CJK_FONT", f"{path}#1")  # the collection's second face
    assert fonts.find_cjk_font.__wrapped__() == (path, 1)


@pytest.mark.parametrize("source", SOURCES)
def test_every_character_printed_has_a_glyph(source):
    path, index = fonts.find_cjk_font()
    face = TTFont("probe", path, subfontIndex=index).face  # refuses CFF outlines
    chars = set(_CJK.findall((ROOT / source).read_text(encoding="utf-8")))
    missing = sorted(c for c in chars if ord(c) not in face.charToGlyph)
    assert not missing, f"{source}: no glyph for {''.join(missing)}"


def test_pillow_gets_the_same_face():
    path, index = fonts.find_cjk_font()
    font = fonts.cjk_image_font(40)
    assert font.path == path and font.index == index and font.size == 40
    assert font.getname() == ImageFont.truetype(path, 40, index=index).getname()
