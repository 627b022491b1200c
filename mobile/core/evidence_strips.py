"""The upload copy made as two horizontal strips at once, joined into one JPEG.

After the decode, turning the picture upright and encoding it (libjpeg uses one
core) are most of the copy's time, and the tablet has more cores. Each strip is cut
from the decoded picture and turned on its own, then encoded with the same settings
(so with the same quantisation and standard Huffman tables); the bottom strip's
entropy-coded data follows the top strip's after an RST0 marker, the top strip being
the first restart interval (ITU T.81 B.2.4.4). DCT blocks do not depend on one
another, so the file decodes to exactly the pixels a one-piece encoding gives.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

MCU = 16  # YCbCr 4:2:0: one minimum coded unit is 16 × 16 pixels
SUBSAMPLING = 2  # Pillow's code for 4:2:0
_SOI, _EOI, _RST0 = b"\xff\xd8", b"\xff\xd9", b"\xff\xd0"
_SOF0, _SOF1, _DHT, _SOS, _DQT = 0xC0, 0xC1, 0xC4, 0xDA, 0xDB
_SWAPS_AXES = {
    Image.Transpose.TRANSPOSE,
    Image.Transpose.ROTATE_270,
    Image.Transpose.TRANSVERSE,
    Image.Transpose.ROTATE_90,
}


def upright_size(size: tuple[int, int], op: Image.Transpose | None) -> tuple[int, int]:
    return (size[1], size[0]) if op in _SWAPS_AXES else size


def upright_rows(im: Image.Image, op: Image.Transpose | None, y0: int, y1: int) -> Image.Image:
    """Rows *y0*–*y1* of *im* turned by *op*, cut out before turning so that each core
    turns only its own strip. The whole picture untouched is *im* itself."""
    w, h = im.size
    if op in (None, Image.Transpose.FLIP_LEFT_RIGHT):
        box = (0, y0, w, y1)
    elif op in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_TOP_BOTTOM):
        box = (0, h - y1, w, h - y0)
    elif op in (Image.Transpose.TRANSPOSE, Image.Transpose.ROTATE_270):
        box = (y0, 0, y1, h)  # upright row y is column y
    else:  # ROTATE_90, TRANSVERSE: upright row y is column w - 1 - y
        box = (w - y1, 0, w - y0, h)
    part = im if box == (0, 0, w, h) else im.crop(box)
    return part if op is None else part.transpose(op)


def split_row(height: int) -> int:
    """Height of the top strip: whole MCU rows, at least half the image, because the
    second restart interval may be shorter than the first but never longer."""
    return -(-height // (2 * MCU)) * MCU


def encode(im: Image.Image, quality: int, exif: bytes = b"", scratch: Path | None = None) -> bytes:
    """A baseline JPEG with the fixed settings that strips must share.

    It is encoded into an unnamed file in *scratch*: Pillow's encoder holds the GIL
    while it fills a Python buffer, not while it writes to a file descriptor, and the
    other strip needs the GIL at every step."""
    with tempfile.TemporaryFile(dir=scratch) as f:
        im.save(f, "JPEG", quality=quality, subsampling=SUBSAMPLING, exif=exif)
        f.seek(0)
        return f.read()


def _segments(jpeg: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """The marker segments up to and including SOS, and where the scan data starts."""
    if not (jpeg.startswith(_SOI) and jpeg.endswith(_EOI)):
        raise ValueError("not a complete JPEG")
    segments, pos = [], len(_SOI)
    while True:
        if jpeg[pos] != 0xFF:
            raise ValueError(f"no marker at byte {pos}")
        marker, length = jpeg[pos + 1], int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        segments.append((marker, jpeg[pos : pos + 2 + length]))
        pos += 2 + length
        if marker == _SOS:
            return segments, pos


def _with_height(sof: bytes, height: int) -> bytes:
    return sof[:5] + height.to_bytes(2, "big") + sof[7:]


def head(top: bytes, height: int) -> bytes:
    """The start of the whole picture's JPEG, *height* rows high, from its top strip
    (made by :func:`encode`, ``split_row(height)`` rows high, with the EXIF if any):
    the top strip's markers, a restart interval of the top strip's size, its data."""
    segments, scan = _segments(top)
    (sof,) = (seg for marker, seg in segments if marker in (_SOF0, _SOF1))
    width, components = int.from_bytes(sof[7:9], "big"), sof[10:]
    if components[1::3] != b"\x22\x11\x11":  # luma 2×2, both chroma 1×1: 4:2:0
        raise ValueError("the strips are not YCbCr 4:2:0")
    top_rows = int.from_bytes(sof[5:7], "big")
    if top_rows != split_row(height):
        raise ValueError(f"top strip is {top_rows} rows, not {split_row(height)}")
    interval = (top_rows // MCU) * -(-width // MCU)  # MCUs in the top strip
    if interval > 0xFFFF:
        raise ValueError(f"{width}×{height} is too large for one restart interval per strip")
    dri = b"\xff\xdd\x00\x04" + interval.to_bytes(2, "big")
    markers = [
        dri + seg if marker == _SOS else _with_height(seg, height) if marker in (_SOF0, _SOF1)
        else seg
        for marker, seg in segments
    ]  # fmt: skip
    return b"".join([_SOI, *markers, top[scan:-2]])


def tail(top: bytes, bottom: bytes) -> bytes:
    """The rest of the JPEG after :func:`head`: the bottom strip's data, in the second
    restart interval. Both strips must have been encoded alike."""

    def coding(jpeg: bytes) -> tuple[list[bytes], int]:
        segments, scan = _segments(jpeg)
        kept = (_SOF0, _SOF1, _DHT, _SOS, _DQT)
        return [_with_height(s, 0) if m in (_SOF0, _SOF1) else s for m, s in segments
                if m in kept], scan  # fmt: skip

    (top_coding, _), (bottom_coding, scan) = coding(top), coding(bottom)
    if top_coding != bottom_coding:
        raise ValueError("the strips were encoded with different settings")
    return b"".join([_RST0, bottom[scan:-2], _EOI])


def join(top: bytes, bottom: bytes, height: int) -> bytes:
    """The JPEG of the whole picture from its two strips."""
    return head(top, height) + tail(top, bottom)
