"""The demo's stamped photos and signatures draw Chinese with the CJK font – the
very file reportlab embeds in the PDFs – and not with a fallback font, whose
missing glyphs come out as identical tofu boxes (or nothing)."""

from __future__ import annotations

from io import BytesIO
from itertools import combinations

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from server.documents import fonts
from server.services import demo_cases

CHARS = "现场照片污水处理池秦晓梅"  # from the demo's labels, stamps and names


def _image(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data)).convert("L")


def _signature(text: str) -> Image.Image:
    return _image(demo_cases._signature(text))


def _stamp_bar(text: str) -> Image.Image:
    """The black bar the tablet burns at the photo's foot, with *text* on it."""
    im = _image(demo_cases._photo(0, "", text))
    return im.crop((0, im.height - 70, im.width, im.height))


def _label(text: str) -> Image.Image:
    """The label in the photo's top-left corner."""
    return _image(demo_cases._photo(0, text, None)).crop((0, 0, 800, 200))


@pytest.mark.parametrize("draw", [_signature, _stamp_bar, _label],
                         ids=["signature", "stamp", "label"])
def test_every_glyph_is_drawn_and_each_is_its_own(draw):
    empty = draw(" ")
    glyphs = {ch: draw(ch) for ch in CHARS}
    for ch, im in glyphs.items():
        assert ImageChops.difference(im, empty).getbbox(), f"{ch} left no ink"
    for a, b in combinations(CHARS, 2):  # tofu boxes are all alike
        assert ImageChops.difference(glyphs[a], glyphs[b]).getbbox(), f"{a} looks like {b}"


def test_photo_and_signature_use_the_font_the_pdfs_embed(monkeypatch):
    stamp = "2026-10-05 10:03 长子县丹朱华美实业有限公司 秦晓梅"
    drawn = (demo_cases._photo(3, "现场照片4：污水处理池有限空间", stamp),
             demo_cases._signature("秦晓梅"))
    path, index = fonts.find_cjk_font()  # what register_cjk_font() gives reportlab
    monkeypatch.setattr(demo_cases, "cjk_image_font",
                        lambda size: ImageFont.truetype(path, size, index=index))
    assert (demo_cases._photo(3, "现场照片4：污水处理池有限空间", stamp),
            demo_cases._signature("秦晓梅")) == drawn
    # The comparison can fail: Pillow's own font draws something else.
    monkeypatch.setattr(demo_cases, "cjk_image_font", ImageFont.load_default)
    assert demo_cases._photo(3, "现场照片4：污水处理池有限空间", stamp) != drawn[0]
    assert demo_cases._signature("秦晓梅") != drawn[1]


def test_the_fallback_font_would_be_caught():
    """What the glyph test above guards against, shown on Pillow's default font."""
    fallback = ImageFont.load_default(70)
    boxes = []
    for ch in "秦晓":
        im = Image.new("L", (120, 100), 255)
        ImageDraw.Draw(im).text((10, 10), ch, fill=0, font=fallback)
        boxes.append(im)
    assert not ImageChops.difference(*boxes).getbbox()  # two characters, one box
