from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops, ImageFilter

from mobile.core import evidence, evidence_strips
from mobile.core.errors import EvidenceError

from .conftest import BEIJING, make_photo

STAMP = evidence.Stamp(
    enterprise="承德某化工有限公司",
    inspector="张三 13080020001",
    taken_at=datetime(2024, 3, 5, 10, 6, 31, tzinfo=BEIJING),
    location=(40.9512, 117.9634),
)


def busy(size: tuple[int, int]) -> Image.Image:
    """Photo-like detail, so that every DCT block and both chroma planes matter."""
    noise = Image.effect_noise(size, 50).filter(ImageFilter.SMOOTH)
    return Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise))


def decoded(jpeg: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(jpeg))
    im.load()
    return im


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


@pytest.mark.parametrize("height", [513, 800, 1000, 1007, 1500, 2048])
def test_split_row_whole_mcu_rows_top_not_shorter(height) -> None:
    top = evidence_strips.split_row(height)
    assert top % evidence_strips.MCU == 0
    assert height - top <= top < height


@pytest.mark.parametrize("op", [None, *Image.Transpose])
def test_upright_rows_are_strips_of_the_turned_picture(op) -> None:
    im = busy((301, 203))
    whole = im if op is None else im.transpose(op)
    w, h = whole.size
    for y0, y1 in [(0, h), (0, 64), (64, h), (17, 90)]:
        part = evidence_strips.upright_rows(im, op, y0, y1)
        assert same_pixels(part, whole.crop((0, y0, w, y1))), (op, y0, y1)
    assert evidence_strips.upright_size(im.size, op) == whole.size


@pytest.mark.parametrize("size", [(1500, 2000), (2048, 1365), (999, 613), (640, 517)])
def test_joined_strips_decode_to_the_one_piece_pixels(size) -> None:
    im = busy(size)
    w, h = size
    split = evidence_strips.split_row(h)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 1
    top = evidence_strips.encode(im.crop((0, 0, w, split)), 85, exif.tobytes())
    bottom = evidence_strips.encode(im.crop((0, split, w, h)), 85)
    joined = evidence_strips.join(top, bottom, h)
    whole = evidence_strips.encode(im, 85)
    assert same_pixels(decoded(joined), decoded(whole))
    out = Image.open(io.BytesIO(joined))
    assert out.size == size and out.getexif()[ExifTags.Base.Orientation] == 1


def test_join_refuses_strips_encoded_differently() -> None:
    im = busy((320, 600))
    split = evidence_strips.split_row(600)
    top = evidence_strips.encode(im.crop((0, 0, 320, split)), 85)
    with pytest.raises(ValueError, match="different settings"):
        evidence_strips.join(top, evidence_strips.encode(im.crop((0, split, 320, 600)), 70), 600)
    short_top = evidence_strips.encode(im.crop((0, 0, 320, 288)), 85)
    long_bottom = evidence_strips.encode(im.crop((0, 288, 320, 600)), 85)
    with pytest.raises(ValueError, match="rows"):  # would need a second restart marker
        evidence_strips.join(short_top, long_bottom, 600)
    with pytest.raises(ValueError, match="complete"):
        evidence_strips.join(top[:-100], top, 600)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "files"
    d.mkdir()
    return d


@pytest.mark.parametrize(
    ("size", "orientation"),
    [((4000, 3000), 6), ((4000, 3000), 1), ((3000, 4000), 8), ((2200, 1650), 3),
     ((2048, 530), 1), ((1000, 750), 5)],
)  # fmt: skip
def test_copy_in_strips_equals_copy_in_one_piece(tmp_path, files, font, monkeypatch, size,
                                                 orientation) -> None:  # fmt: skip
    src = tmp_path / "IMG_0001.JPG"
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    busy(size).save(src, "JPEG", quality=92, exif=exif.tobytes())
    ev = evidence.ingest(src, files, "photo", STAMP, *font)
    monkeypatch.setattr(evidence, "MIN_SPLIT_HEIGHT", 10**6)
    one_piece = evidence.ingest(src, tmp_path, "photo", STAMP, *font)
    up = Image.open(ev.upload.path)
    assert same_pixels(up, Image.open(one_piece.upload.path))
    upright = size[::-1] if orientation in (5, 6, 7, 8) else size
    assert min(max(size), 1536) <= max(up.size) <= evidence.MAX_EDGE
    assert up.size[0] * upright[1] == up.size[1] * upright[0]  # same shape, turned upright
    assert up.getexif().get(ExifTags.Base.Orientation, 1) == 1
    assert ev.upload.sha256 == hashlib.sha256(ev.upload.path.read_bytes()).hexdigest()
    data = src.read_bytes()
    assert ev.original.path.read_bytes() == data
    assert ev.original.sha256 == hashlib.sha256(data).hexdigest()


def test_twelve_megapixel_photo_gives_a_2000_px_copy(tmp_path, files, font) -> None:
    src = make_photo(tmp_path / "IMG_0002.JPG", size=(4000, 3000), orientation=6)
    ev = evidence.ingest(src, files, "photo", STAMP, *font)
    assert Image.open(ev.upload.path).size == (1500, 2000)


def test_corrupt_photo_leaves_no_file_behind(tmp_path, files, font) -> None:
    whole = io.BytesIO()
    busy((2000, 1500)).save(whole, "JPEG", quality=90)
    src = tmp_path / "cut.jpg"
    src.write_bytes(whole.getvalue()[: len(whole.getvalue()) * 2 // 3])
    with pytest.raises(EvidenceError, match="不完整"):
        evidence.ingest(src, files, "photo", STAMP, *font)
    assert list(files.iterdir()) == []
