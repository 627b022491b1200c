"""Evidence files: keep the original untouched and hashed, make a stamped upload copy.

For a photo the original (as it came off the camera or SD card) is read once;
its bytes are hashed and written to private storage on a helper thread while
the same bytes are decoded for the copy.
The upload copy is at most 2048 px on the long edge, EXIF orientation applied,
with the time, place, enterprise and inspector burned into the lower-left
corner (so a printed photo still says what it shows), and the EXIF time/GPS
kept. JPEGs are decoded with libjpeg's DCT scaling (``Image.draft``), so a
12 MP photo is never decoded at full size.

Audio notes and PDFs are stored as they are: the upload copy is the original.
All files are named by their SHA-256, so the same photo is stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from PIL import ExifTags, Image, ImageDraw, ImageFont, UnidentifiedImageError

from mobile.core.errors import EvidenceError
from shared.media import sniff_mime

MAX_EDGE = 2048
MAX_IMAGE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 64_000_000  # 64 MP: more than any tablet or explosion-proof camera makes
JPEG_QUALITY = 85
CHUNK = 1024 * 1024
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "audio/mp4": ".m4a",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "audio/amr": ".amr",
    "audio/ogg": ".ogg",
}
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


@dataclass(frozen=True)
class StoredFile:
    path: Path
    sha256: str
    size: int
    mime: str


@dataclass(frozen=True)
class Stamp:
    """What is burned onto the upload copy. ``taken_at``/``location`` are used when the
    photo's own EXIF lacks them (explosion-proof cameras often write no GPS)."""

    enterprise: str
    inspector: str
    taken_at: datetime | None = None
    location: tuple[float, float] | None = None


@dataclass(frozen=True)
class Evidence:
    kind: str
    original: StoredFile
    original_name: str
    upload: StoredFile
    taken_at: datetime | None
    location: tuple[float, float] | None


def _commit_file(tmp: Path, files_dir: Path, digest: str, mime: str) -> StoredFile:
    final = files_dir / f"{digest}{EXTENSIONS[mime]}"
    size = tmp.stat().st_size
    if final.exists():  # content-addressed: the same bytes are already here
        tmp.unlink()
        os.utime(final)  # in use again: housekeeping must not take it now
    else:
        os.replace(tmp, final)
    return StoredFile(final, digest, size, mime)


def _write_blob(data: bytes, files_dir: Path, mime: str) -> tuple[StoredFile, bool]:
    """Hash and durably write *data*; returns the file and whether it is new."""
    digest = hashlib.sha256(data).hexdigest()
    existed = (files_dir / f"{digest}{EXTENSIONS[mime]}").exists()
    tmp = files_dir / f".tmp-{uuid.uuid4().hex}"
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return _commit_file(tmp, files_dir, digest, mime), not existed


def _sniff_file(src: Path, allowed: tuple[str, ...]) -> str:
    try:
        with open(src, "rb") as f:
            mime = sniff_mime(f.read(16))
    except OSError as exc:
        raise EvidenceError(f"无法读取文件：{src.name}") from exc
    if mime not in allowed:
        names = "、".join(allowed)
        raise EvidenceError(f"“{src.name}”不是可用的证据文件（只接受 {names}）")
    return mime


def store_original(src: Path, files_dir: Path, allowed: tuple[str, ...]) -> StoredFile:
    """Copy *src* into *files_dir* unchanged, hashing while copying (one read)."""
    src = Path(src)
    try:
        fin = open(src, "rb")  # read-only: the source is never touched
    except OSError as exc:
        raise EvidenceError(f"无法读取文件：{src.name}") from exc
    with fin:
        head = fin.read(16)
        mime = sniff_mime(head)
        if mime not in allowed:
            names = "、".join(allowed)
            raise EvidenceError(f"“{src.name}”不是可用的证据文件（只接受 {names}）")
        tmp = files_dir / f".tmp-{uuid.uuid4().hex}"
        digest = hashlib.sha256(head)
        with open(tmp, "wb") as out:
            out.write(head)
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    return _commit_file(tmp, files_dir, digest.hexdigest(), mime)


def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


_FONT_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def _open_image(path: Path | BinaryIO, max_edge: int) -> tuple[Image.Image, Image.Exif]:
    """Open and decode, at a reduced DCT scale for JPEGs; Chinese errors for bad files."""
    try:
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
        im.load()
    except Image.DecompressionBombError as exc:
        raise EvidenceError("图片尺寸异常（像素数过大），可能是损坏或恶意文件，已拒绝导入") from exc
    except UnidentifiedImageError as exc:
        raise EvidenceError("文件不是有效的图片") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise EvidenceError("图片文件不完整或已损坏（可能未拷贝完），请重新拍摄或拷贝") from exc
    return im, exif


def _exif_time(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return naive.astimezone()  # camera clocks are local time


def _dms(value: Any) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def _exif_gps(exif: Image.Exif) -> tuple[float, float] | None:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat, lon = _dms(gps[2]), _dms(gps[4])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if gps.get(1) == "S":
        lat = -lat
    if gps.get(3) == "W":
        lon = -lon
    return lat, lon


def _to_dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    return float(d), float(m), round((value - d - m / 60) * 3600, 2)


def _exif_bytes(exif: Image.Exif, taken_at: datetime | None, where: tuple | None) -> bytes:
    """EXIF for the copy: orientation reset (pixels are upright now), time and GPS kept."""
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        exif.get_ifd(ExifTags.IFD.Interop)
        sub.pop(ExifTags.Base.MakerNote, None)
        exif[ExifTags.Base.Orientation] = 1
        if taken_at and ExifTags.Base.DateTimeOriginal not in sub:
            sub[ExifTags.Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
            exif[ExifTags.IFD.Exif] = sub
        if where and 2 not in gps:
            exif[ExifTags.IFD.GPSInfo] = {
                1: "N" if where[0] >= 0 else "S",
                2: _to_dms(where[0]),
                3: "E" if where[1] >= 0 else "W",
                4: _to_dms(where[1]),
            }
        data = exif.tobytes()
    except Exception:  # odd vendor EXIF must not cost the photo
        return b""
    return data if len(data) < 60_000 else b""


def _stamp_lines(stamp: Stamp, taken_at: datetime | None, where: tuple | None) -> list[str]:
    lines = []
    if taken_at:
        lines.append(taken_at.strftime("%Y-%m-%d %H:%M:%S"))
    if where:
        lat, lon = where
        ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
        lines.append(f"{ns}{abs(lat):.5f}° {ew}{abs(lon):.5f}°")
    lines.append(stamp.enterprise)
    lines.append(f"检查人员：{stamp.inspector}")
    return lines


def burn_text(im: Image.Image, lines: list[str], font_path: str, font_index: int = 0) -> None:
    """Draw *lines* on a translucent dark box in the lower-left corner, in place."""
    size = max(14, max(im.size) // 48)
    pad = size // 2
    line_h = int(size * 1.3)
    with _FONT_LOCK:  # cached FreeType faces are shared between import threads
        font = _font(str(font_path), font_index, size)
        width = max(int(font.getlength(line)) for line in lines) + 2 * pad
        height = line_h * len(lines) + 2 * pad
        x0, y0 = pad, im.height - height - pad
        draw = ImageDraw.Draw(im, "RGBA")
        draw.rectangle((x0, y0, x0 + width, y0 + height), fill=(0, 0, 0, 150))
        for i, line in enumerate(lines):
            xy = (x0 + pad, y0 + pad + i * line_h)
            draw.text(xy, line, font=font, fill=(255, 255, 255, 255))


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
    orientation = exif.get(ExifTags.Base.Orientation, 1)
    taken_at = _exif_time(exif) or stamp.taken_at
    where = _exif_gps(exif) or stamp.location
    if im.mode != "RGB":
        try:
            im = im.convert("RGB")
        except ValueError as exc:  # e.g. 16-bit greyscale PNG
            raise EvidenceError("不支持的图片颜色格式，请转换为普通JPEG或PNG后导入") from exc
    if max(im.size) > max_edge:
        im.thumbnail((max_edge, max_edge), Image.Resampling.BICUBIC, reducing_gap=2.0)
    if orientation in _TRANSPOSE:
        im = im.transpose(_TRANSPOSE[orientation])
    burn_text(im, _stamp_lines(stamp, taken_at, where), str(font_path), font_index)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=JPEG_QUALITY, exif=_exif_bytes(exif, taken_at, where))
    stored, _ = _write_blob(buf.getvalue(), files_dir, "image/jpeg")
    return stored, taken_at, where


def ingest(
    src: Path,
    files_dir: Path,
    kind: str,
    stamp: Stamp,
    font_path: str | Path | None = None,
    font_index: int = 0,
) -> Evidence:
    """Bring one file in as evidence of *kind* ('photo', 'audio', 'document')."""
    if kind not in KIND_MIMES:
        raise ValueError(f"unknown evidence kind {kind!r}")
    src = Path(src)
    mime = _sniff_file(src, KIND_MIMES[kind])
    if not mime.startswith("image/"):
        original = store_original(src, files_dir, KIND_MIMES[kind])
        return Evidence(kind, original, src.name, original, stamp.taken_at, stamp.location)
    if font_path is None:
        from mobile.platform.fonts import find_cjk_font

        spec = find_cjk_font()
        font_path, font_index = spec.path, spec.index
    if src.stat().st_size > MAX_IMAGE_BYTES:
        raise EvidenceError("图片文件过大（超过64MB），无法作为证据导入")
    data = src.read_bytes()  # one read: the original and the copy come from the same bytes
    # Keeping the original (hash, write, fsync) runs beside the decode; hashlib,
    # file I/O and Pillow's decoder all release the GIL.
    kept: dict[str, Any] = {}

    def keep() -> None:
        try:
            kept["file"], kept["new"] = _write_blob(data, files_dir, mime)
        except OSError as exc:
            kept["error"] = exc

    worker = threading.Thread(target=keep, name="evidence-keep-original")
    worker.start()
    try:
        upload, taken_at, where = make_upload_copy(
            io.BytesIO(data), files_dir, stamp, font_path, font_index
        )
    except BaseException:
        worker.join()
        if kept.get("new"):  # nothing references a file that failed to decode
            kept["file"].path.unlink(missing_ok=True)
        raise
    worker.join()
    if "error" in kept:
        raise EvidenceError("无法保存原始文件（存储空间不足？）") from kept["error"]
    return Evidence(kind, kept["file"], src.name, upload, taken_at, where)


def store_signature(src: Path, files_dir: Path) -> StoredFile:
    """A signature image from the signing pad (PNG or JPEG), checked and stored as is."""
    stored = store_original(Path(src), files_dir, ("image/png", "image/jpeg"))
    im, _ = _open_image(stored.path, MAX_EDGE)
    if min(im.size) < 16:
        raise EvidenceError("签名图片过小，请重新签名")
    return stored
