"""Evidence files: keep the original untouched and hashed, make a stamped upload copy.

For a photo the original (as it came off the camera or SD card) is read once;
its bytes are hashed and written to private storage on a helper thread while
the same bytes are decoded for the copy.
The upload copy is at most 2048 px on the long edge, EXIF orientation applied,
with the time, place, enterprise and inspector burned into the lower-left
corner (so a printed photo still says what it shows), and the EXIF time/GPS
kept. JPEGs are decoded with libjpeg's DCT scaling (``Image.draft``), so a
12 MP photo is never decoded at full size, into the memory the previous photo of its
size used (``evidence_memory``); the stamp is drawn meanwhile, and after
the decode the copy's top and bottom halves are turned upright and encoded on two
cores (``evidence_strips``).

Audio notes and PDFs are stored as they are: the upload copy is the original.
All files are named by their SHA-256, so the same photo is stored once.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from PIL import ExifTags, Image, UnidentifiedImageError

from mobile.core import evidence_exif, evidence_files, evidence_strips
from mobile.core.errors import EvidenceError
from mobile.core.evidence_files import StoredFile, store_original
from mobile.core.evidence_memory import DECODE_BUFFERS
from mobile.core.evidence_stamp import Stamp, StampMark, draw_stamp, stamp_lines

MAX_EDGE = 2048
MIN_SPLIT_HEIGHT = 512  # below this a copy is encoded in one piece: too little to share
MAX_IMAGE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 64_000_000  # 64 MP: more than any tablet or explosion-proof camera makes
JPEG_QUALITY = 85
KIND_MIMES = {
    "photo": ("image/jpeg", "image/png"),
    "document": ("image/jpeg", "image/png", "application/pdf"),
    "audio": ("audio/mp4", "audio/mpeg", "audio/wav", "audio/amr", "audio/ogg"),
}
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Long-lived helpers (started on first use): keeping the original and drawing the
# stamp beside the decode, then the copy's two strips. Three, so that the strips do
# not queue behind a slow write of the original. Their jobs never wait on anything,
# so callers on any number of threads can share them.
_HELPERS = ThreadPoolExecutor(max_workers=3, thread_name_prefix="evidence")


@dataclass(frozen=True)
class Evidence:
    kind: str
    original: StoredFile
    original_name: str
    upload: StoredFile
    taken_at: datetime | None
    location: tuple[float, float] | None


@contextmanager
def _image_errors() -> Iterator[None]:
    """Chinese errors for bad image files."""
    try:
        yield
    except Image.DecompressionBombError as exc:
        raise EvidenceError("图片尺寸异常（像素数过大），可能是损坏或恶意文件，已拒绝导入") from exc
    except UnidentifiedImageError as exc:
        raise EvidenceError("文件不是有效的图片") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise EvidenceError("图片文件不完整或已损坏（可能未拷贝完），请重新拍摄或拷贝") from exc


def _open_image(path: Path | BinaryIO, max_edge: int) -> tuple[Image.Image, Image.Exif]:
    """Open and read the header, with a reduced DCT scale set for JPEGs; no pixel is
    decoded until ``_load``."""
    with _image_errors():
        # Pillow raises DecompressionBombError past 2 × Image.MAX_IMAGE_PIXELS (and
        # only warns below); our own, lower limit is checked on the header, before
        # any pixel is decoded. (No warnings.catch_warnings: it is not thread-safe.)
        im = Image.open(path)
        w, h = im.size
        if w * h > MAX_PIXELS:
            raise Image.DecompressionBombError(f"{w}x{h}")
        exif = im.getexif()
        if im.format == "JPEG":
            # libjpeg scales by 1/2, 1/4, 1/8 while decoding; ask for ≥ 3/4 of the
            # target so the copy stays sharp, the final resize does the rest.
            scale = max(w, h) / (max_edge * 0.75)
            if scale > 1:
                im.draft("RGB", (int(w / scale), int(h / scale)))
        if isinstance(path, io.BytesIO):
            # All in memory: decode in one call, which holds no GIL throughout, rather
            # than in 64 KB calls that each queue for the GIL the helpers are using.
            im.decodermaxblock = MAX_IMAGE_BYTES  # a read returns what there is
    return im, exif


def _load(im: Image.Image) -> Image.Image:
    with _image_errors():
        im.load()
    return im


def make_upload_copy(
    source: Path | BinaryIO,
    files_dir: Path,
    stamp: Stamp,
    font_path: str | Path,
    font_index: int = 0,
    *,
    max_edge: int = MAX_EDGE,
) -> tuple[StoredFile, datetime | None, tuple[float, float] | None]:
    """The stamped, upright, ≤ *max_edge* JPEG copy of an image; returns it with the
    time and place it shows (EXIF first, else the stamp's)."""
    im, exif = _open_image(source, max_edge)
    op = _TRANSPOSE.get(exif.get(ExifTags.Base.Orientation, 1))
    taken_at = evidence_exif.exif_time(exif) or stamp.taken_at
    where = evidence_exif.exif_gps(exif) or stamp.location
    lines = stamp_lines(stamp, taken_at, where)

    def marks(size: tuple[int, int]) -> tuple[StampMark, bytes]:
        """What goes on the copy besides its pixels: the stamp and the EXIF."""
        upright = evidence_strips.upright_size(size, op)
        mark = draw_stamp(upright, lines, str(font_path), font_index)
        return mark, evidence_exif.exif_bytes(exif, taken_at, where)

    # Drawn beside the decode when the decoded size is already the copy's (a JPEG that
    # DCT scaling brings within max_edge, as every camera photo).
    early = _HELPERS.submit(marks, im.size) if max(im.size) <= max_edge else None
    # A camera photo is decoded into the memory the last one of its size was decoded into.
    buffer = DECODE_BUFFERS.lend(im) if im.format == "JPEG" else None
    _load(im)
    if im.mode != "RGB":
        try:
            im = im.convert("RGB")
        except ValueError as exc:  # e.g. 16-bit greyscale PNG
            raise EvidenceError("不支持的图片颜色格式，请转换为普通JPEG或PNG后导入") from exc
    if max(im.size) > max_edge:
        im.thumbnail((max_edge, max_edge), Image.Resampling.BICUBIC, reducing_gap=2.0)
    mark, exif_bytes = early.result() if early else marks(im.size)
    height = evidence_strips.upright_size(im.size, op)[1]
    split = evidence_strips.split_row(height)
    if height < MIN_SPLIT_HEIGHT or mark.box[1] < split:  # small, or the box spans both
        parts: bytes | Iterator[bytes] = _copy_rows(im, op, 0, height, mark, exif_bytes, files_dir)
    else:
        # Both strips on the helpers, this thread only waits: measured faster than making
        # one here, whose fresh buffers page-faulted on every photo (~3 ms on 12 MP).
        top_job = _HELPERS.submit(_copy_rows, im, op, 0, split, None, exif_bytes, files_dir)
        bottom = _HELPERS.submit(_copy_rows, im, op, split, height, mark, b"", files_dir)
        try:
            top = top_job.result()
        except BaseException:
            wait([bottom])  # return only when no helper works on this image any more
            raise
        parts = _joined(top, bottom, height)
    stored, _ = evidence_files.write_blob(parts, files_dir, "image/jpeg")
    if buffer is not None:  # both strips are encoded: nothing reads the decoded rows now
        DECODE_BUFFERS.give_back(buffer)
    return stored, taken_at, where


def _joined(top: bytes, bottom: Future[bytes], height: int) -> Iterator[bytes]:
    """The copy's JPEG from its strips, the top one written while the bottom one is
    still being encoded."""
    yield evidence_strips.head(top, height)
    yield evidence_strips.tail(top, bottom.result())


def _copy_rows(
    im: Image.Image,
    op: Image.Transpose | None,
    y0: int,
    y1: int,
    mark: StampMark | None,
    exif: bytes,
    scratch: Path,
) -> bytes:
    """Rows *y0*–*y1* of the upright copy as JPEG, with the stamp if *mark*."""
    part = evidence_strips.upright_rows(im, op, y0, y1)
    if mark:
        mark.burn(part, top=y0)
    return evidence_strips.encode(part, JPEG_QUALITY, exif, scratch)


def ingest(
    src: Path,
    files_dir: Path,
    kind: str,
    stamp: Stamp,
    font_path: str | Path | None = None,
    font_index: int = 0,
    *,
    move: bool = False,
) -> Evidence:
    """Bring one file in as evidence of *kind* ('photo', 'audio', 'document').

    A file from elsewhere (an SD card, a chosen file) is copied and never touched. With
    *move*, *src* is a capture the app itself made (its camera, its microphone): it
    becomes the original where it is, moved into the store once the copy is made, so
    a photo is not written twice and no capture is left behind."""
    if kind not in KIND_MIMES:
        raise ValueError(f"unknown evidence kind {kind!r}")
    src = Path(src)
    try:
        # Read-only: the source is never touched. Unbuffered, so that the whole file is
        # read in one call into one buffer of its size.
        with open(src, "rb", buffering=0) as f:
            mime = evidence_files.check_mime(src.name, f.read(16), KIND_MIMES[kind])
            if mime.startswith("image/"):
                if os.fstat(f.fileno()).st_size > MAX_IMAGE_BYTES:
                    raise EvidenceError("图片文件过大（超过64MB），无法作为证据导入")
                f.seek(0)
                data = f.readall()  # the original and the copy come from the same bytes
    except OSError as exc:
        raise EvidenceError(f"无法读取文件：{src.name}") from exc
    if not mime.startswith("image/"):
        original = store_original(src, files_dir, KIND_MIMES[kind], move=move)
        return Evidence(kind, original, src.name, original, stamp.taken_at, stamp.location)
    if font_path is None:
        from mobile.platform.fonts import find_cjk_font

        spec = find_cjk_font()
        font_path, font_index = spec.path, spec.index
    # Keeping the original (hash, write, fsync) runs beside the decode; hashlib,
    # file I/O and Pillow's decoder all release the GIL. A capture of the app's own is
    # only hashed and synced meanwhile, and moved in once its copy exists.
    if move:
        keep = _HELPERS.submit(evidence_files.hashed_on_disk, data, src)
    else:
        keep = _HELPERS.submit(evidence_files.write_blob, data, files_dir, mime)
    try:
        upload, taken_at, where = make_upload_copy(
            io.BytesIO(data), files_dir, stamp, font_path, font_index
        )
    except BaseException:
        if not move:
            _discard_new(keep)  # nothing references a file that failed to decode
        raise
    try:
        if move:
            original = evidence_files.move_in(src, data, files_dir, keep.result(), mime)
        else:
            original, _ = keep.result()
    except OSError as exc:
        raise EvidenceError("无法保存原始文件（存储空间不足？）") from exc
    evidence_files.sync_dir(files_dir)  # both names durable before a record can refer to them
    return Evidence(kind, original, src.name, upload, taken_at, where)


def _discard_new(keep: Future[tuple[StoredFile, bool]]) -> None:
    """Wait for the original being kept and remove it if this import created it."""
    try:
        stored, new = keep.result()
    except OSError:
        return
    if new:
        stored.path.unlink(missing_ok=True)


def store_signature(src: Path, files_dir: Path) -> StoredFile:
    """A signature image from the signing pad (PNG or JPEG), checked and stored as is."""
    stored = store_original(Path(src), files_dir, ("image/png", "image/jpeg"))
    im = _load(_open_image(stored.path, MAX_EDGE)[0])
    if min(im.size) < 16:
        raise EvidenceError("签名图片过小，请重新签名")
    return stored
