"""The decode buffer kept from one photo to the next (mobile/core/evidence_memory.py)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from mobile.core import evidence
from mobile.core.errors import EvidenceError
from mobile.core.evidence_memory import DECODE_BUFFERS, DecodeBuffers

from .test_evidence_strips import STAMP, busy


@pytest.fixture(autouse=True)
def no_kept_buffers():
    DECODE_BUFFERS.release()
    yield
    DECODE_BUFFERS.release()


def photo(path: Path, im: Image.Image) -> Path:
    im.save(path, "JPEG", quality=90)
    return path


def copy_sha(src: Path, files: Path, font) -> str:
    return evidence.ingest(src, files, "photo", STAMP, *font).upload.sha256


def test_next_photo_of_the_size_is_decoded_into_the_kept_buffer(tmp_path, font, monkeypatch):
    lent, given = [], []
    lend, give_back = DECODE_BUFFERS.lend, DECODE_BUFFERS.give_back
    monkeypatch.setattr(DECODE_BUFFERS, "lend", lambda im: lent.append(lend(im)) or lent[-1])
    monkeypatch.setattr(DECODE_BUFFERS, "give_back", lambda b: given.append(b) or give_back(b))
    a = photo(tmp_path / "a.jpg", busy((3200, 2400)))
    b = photo(tmp_path / "b.jpg", busy((3200, 2400)))
    copy_sha(a, tmp_path, font)
    assert DECODE_BUFFERS.kept() == {("RGB", (1600, 1200)): 1}  # decoded at half scale
    reused = copy_sha(b, tmp_path, font)
    assert lent[1] is given[0]  # b was decoded into a's memory
    DECODE_BUFFERS.release()
    (tmp_path / "fresh").mkdir()
    fresh = copy_sha(b, tmp_path / "fresh", font)
    assert lent[2] is not given[0]
    assert reused == fresh  # byte for byte the copy a fresh buffer gives


def test_concurrent_imports_of_one_size_never_share_a_buffer(tmp_path, font):
    srcs = [photo(tmp_path / f"p{i}.jpg", busy((1600, 1200))) for i in range(6)]
    alone = []
    for src in srcs:
        DECODE_BUFFERS.release()
        alone.append(copy_sha(src, tmp_path, font))
    assert len(set(alone)) == 6
    concurrent = tmp_path / "concurrent"
    concurrent.mkdir()
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(lambda src: copy_sha(src, concurrent, font), srcs * 2))
    assert together == alone * 2


def test_a_short_file_never_shows_the_previous_photo(tmp_path, font, monkeypatch):
    """While Pillow is told to accept truncated files, the rows a short file never
    reached are whatever the decoder leaves there (libjpeg-turbo fills them with grey
    today); a kept buffer would be the previous photo's rows, so none is lent."""
    red = photo(tmp_path / "red.jpg", Image.new("RGB", (1200, 900), (255, 0, 0)))
    copy_sha(red, tmp_path, font)
    assert DECODE_BUFFERS.kept() == {("RGB", (1200, 900)): 1}
    whole = photo(tmp_path / "g.jpg", busy((1200, 900))).read_bytes()
    short = tmp_path / "short.jpg"
    short.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(EvidenceError, match="不完整"):  # the default: refused
        copy_sha(short, tmp_path, font)
    assert DECODE_BUFFERS.kept() == {}  # lent to the failed decode, not given back
    copy_sha(red, tmp_path, font)
    lent = []
    lend = DECODE_BUFFERS.lend
    monkeypatch.setattr(DECODE_BUFFERS, "lend", lambda im: lent.append(lend(im)) or lent[-1])
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    ev = evidence.ingest(short, tmp_path, "photo", STAMP, *font)
    assert lent == [None]  # decoded into fresh memory
    assert DECODE_BUFFERS.kept() == {("RGB", (1200, 900)): 1}  # the red one, still kept
    copy = Image.open(ev.upload.path).convert("RGB")
    r, g, b = copy.getpixel((copy.width - 5, copy.height - 5))  # never decoded
    assert not (r > 200 and g < 60 and b < 60), "the previous photo shows through"


def test_sizes_and_count_kept_are_bounded():
    buffers = DecodeBuffers(keep=1, sizes=2)
    for size in [(10, 10), (20, 20), (10, 10), (30, 30)]:
        buffers.give_back(Image.core.new("RGB", size))
    assert buffers.kept() == {("RGB", (10, 10)): 1, ("RGB", (30, 30)): 1}  # (20, 20) least used
    buffers.release()
    assert buffers.kept() == {}


def test_copies_made_with_kept_buffers_equal_fresh_ones(tmp_path, font):
    """A run of photos of one camera: each copy as if it were the first."""
    srcs = [photo(tmp_path / f"s{i}.jpg", busy((2400, 1800))) for i in range(3)]
    run = [copy_sha(src, tmp_path, font) for src in srcs]
    first = []
    for src in srcs:
        DECODE_BUFFERS.release()
        first.append(copy_sha(src, tmp_path, font))
    assert run == first
    assert all(len(h) == 64 and h == hashlib.sha256(
        (tmp_path / f"{h}.jpg").read_bytes()).hexdigest() for h in run)  # fmt: skip


@pytest.mark.parametrize("kind", ["grey", "cmyk", "progressive"])
def test_other_jpegs_decoded_into_kept_buffers_equal_fresh_ones(tmp_path, font, kind):
    """Greyscale and CMYK decode into buffers of their own mode; progressive files are
    decoded whole before any row is handed over."""
    srcs = []
    for i in range(2):
        im = busy((1800, 1350))
        path = tmp_path / f"{kind}{i}.jpg"
        if kind == "grey":
            im.convert("L").save(path, "JPEG", quality=90)
        elif kind == "cmyk":
            im.convert("CMYK").save(path, "JPEG", quality=90)
        else:
            im.save(path, "JPEG", quality=90, progressive=True)
        srcs.append(path)
    run = [copy_sha(src, tmp_path, font) for src in srcs]
    assert sum(DECODE_BUFFERS.kept().values()) == 1
    first = []
    for src in srcs:
        DECODE_BUFFERS.release()
        first.append(copy_sha(src, tmp_path, font))
    assert run == first and len(set(run)) == 2
