"""``HEAD``/``PUT /api/v1/blobs/<sha256>``: resumable, content-addressed evidence.

On disk, under ``EVIDENCE_DIR``:

* ``.partial/<sha256>`` – bytes received so far; appended and fsynced before the
  database row's ``received`` moves (the row is the truth: bytes past it, left
  by a crash between fsync and commit, are cut off on the next chunk);
* ``<sha256[:2]>/<sha256>`` – a complete blob, renamed into place only after
  its hash (and, for images, its decoding) checked out.

One upload per hash at a time: an exclusive ``flock`` on ``.locks/<sha256>``
serialises chunks of the same blob across threads and worker processes, so two
tablets sending the same photo cannot interleave bytes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from PIL import Image

from shared.media import sniff_mime
from shared.schemas.common import SHA256_RE
from shared.schemas.record import ALLOWED_MIME

from ...extensions import db
from ...models._types import utcnow
from ...models.sync import Blob
from . import SyncError

DEFAULT_MAX_BLOB = 64 * 1024 * 1024
# A tablet photo is ≤ 2048 px (upload copy) or a camera original (≤ ~50 MP).
MAX_IMAGE_PIXELS = 64_000_000
_RANGE = re.compile(r"^bytes (\d{1,15})-(\d{1,15})/(\d{1,15})\Z")
_PIECE = 256 * 1024


@dataclass(frozen=True)
class BlobState:
    complete: bool
    offset: int
    status: int = 200  # HTTP status for a PUT

    def headers(self) -> dict[str, str]:
        return {"Blob-Status": "complete" if self.complete else "partial",
                "Blob-Offset": str(self.offset)}


def _root() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def blob_path(sha256: str) -> Path:
    return _root() / sha256[:2] / sha256


def _partial_path(sha256: str) -> Path:
    return _root() / ".partial" / sha256


def max_blob() -> int:
    return int(current_app.config.get("SYNC_MAX_BLOB_BYTES", DEFAULT_MAX_BLOB))


@contextmanager
def locked(sha256: str) -> Iterator[None]:
    locks = _root() / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / sha256, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _row(sha256: str) -> Blob | None:
    return db.session.scalar(sa.select(Blob).where(Blob.sha256 == sha256)
                             .execution_options(populate_existing=True))


def head(sha256: str) -> BlobState | None:
    row = _row(sha256)
    if row is None or (row.received == 0 and not row.complete):
        return None
    return BlobState(row.complete, row.size if row.complete else row.received)


def parse_range(value: str | None, length: int | None) -> tuple[int, int, int]:
    """``(start, end, total)`` from ``Content-Range: bytes START-END/TOTAL``."""
    m = _RANGE.match(value or "")
    if not m:
        raise SyncError(400, "缺少或无法识别Content-Range（应为 bytes 起-止/总长）")
    start, end, total = (int(x) for x in m.groups())
    if end < start or end >= total:
        raise SyncError(416, "上传范围不正确：结束位置应不小于起始位置且小于文件总长",
                        headers={"Blob-Offset": "0"})
    if total > max_blob():
        raise SyncError(413, f"证据文件过大（上限{max_blob() // (1024 * 1024)}MB）")
    if length is None or length != end - start + 1:
        raise SyncError(400, "请求体长度与Content-Range不一致")
    return start, end, total


def put_chunk(sha256: str, content_range: str | None, length: int | None,
              stream: BinaryIO) -> BlobState:
    if not SHA256_RE.fullmatch(sha256 or ""):  # it names a file: nothing else may pass
        raise SyncError(400, "文件标识应为64位小写十六进制SHA-256值")
    from . import partials

    partials.maybe_collect()
    state = _put_chunk(sha256, content_range, length, stream)
    if state.status == 201:
        # The last evidence file a record waited for may be this one: its case
        # moves now (after our commit and outside the per-blob lock).
        from .. import case_observe

        case_observe.after_blob(sha256)
    return state


def _put_chunk(sha256: str, content_range: str | None, length: int | None,
               stream: BinaryIO) -> BlobState:
    start, end, total = parse_range(content_range, length)
    with locked(sha256):
        row = _row(sha256)
        if row is not None and row.complete:
            return BlobState(True, row.size, 200)
        if row is not None and (state := _recover(row)) is not None:
            return state
        offset = row.received if row is not None else 0
        if start != offset:
            raise SyncError(416, "上传位置与服务器已有数据不一致，请从服务器位置继续",
                            headers={"Blob-Offset": str(offset)})
        if row is not None and row.size != total:
            raise SyncError(400, "同一文件各段声明的总长度不一致")
        mime = row.mime if row is not None else None
        partial = _partial_path(sha256)
        partial.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(partial, "a+b") as fh:
                fh.truncate(offset)  # drop bytes a crash left past the committed offset
                fh.seek(offset)
                mime = _append(fh, stream, end - start + 1, offset, mime)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            if row is None:  # a refused first chunk: nothing was accepted, keep nothing
                partial.unlink(missing_ok=True)
            raise
        if row is None:
            row = Blob(sha256=sha256, size=total, received=0, mime=mime)
            db.session.add(row)
        if end + 1 < total:
            row.received = end + 1
            db.session.commit()  # durable before the 202
            return BlobState(False, row.received, 202)
        return _finish(row, partial)


def _recover(row: Blob) -> BlobState | None:
    """Repair what a crash between disk and database can leave; None if all is well.

    * renamed into place but the commit was lost: the file is complete → adopt it;
    * the partial file holds fewer bytes than the row says (lost with the disk
      cache): start again from 0 (416 with offset 0 tells the tablet)."""
    final = blob_path(row.sha256)
    if final.is_file():
        if _sha256_of(final) == row.sha256:
            row.received, row.complete, row.completed_at = row.size, True, utcnow()
            db.session.commit()
            return BlobState(True, row.size, 200)
        final.unlink()
    partial = _partial_path(row.sha256)
    held = partial.stat().st_size if partial.is_file() else 0
    if held < row.received:
        _discard(row, partial)
        raise SyncError(416, "服务器上的部分文件已丢失，请从头上传", headers={"Blob-Offset": "0"})
    return None


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for piece in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(piece)
    return digest.hexdigest()


def _append(fh: BinaryIO, stream: BinaryIO, length: int, offset: int,
            mime: str | None) -> str:
    """Copy exactly *length* body bytes; on a short body or a dropped connection
    undo them (the committed offset stays where it was)."""
    left = length
    try:
        while left:
            piece = stream.read(min(_PIECE, left))
            if not piece:
                raise SyncError(400, "上传内容不完整，请重试")
            if mime is None:
                mime = sniff_mime(piece[:16])
                if mime is None or mime not in ALLOWED_MIME:
                    raise SyncError(415, "文件类型不被接受：只能上传JPEG/PNG照片、录音或PDF文件")
            fh.write(piece)
            left -= len(piece)
    except BaseException:
        fh.flush()
        fh.truncate(offset)
        raise
    assert mime is not None
    return mime


def _finish(row: Blob, partial: Path) -> BlobState:
    if _sha256_of(partial) != row.sha256:
        _discard(row, partial)
        raise SyncError(422, "文件校验失败，请重新上传")
    problem = check_content(partial, row.mime)
    if problem:
        _discard(row, partial)
        raise SyncError(422, problem)
    final = blob_path(row.sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, final)
    _fsync_dir(final.parent)
    row.received, row.complete, row.completed_at = row.size, True, utcnow()
    db.session.commit()
    return BlobState(True, row.size, 201)


def _discard(row: Blob, partial: Path) -> None:
    partial.unlink(missing_ok=True)
    if row.id is not None:
        db.session.delete(row)
        db.session.commit()
    else:
        db.session.expunge(row)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_content(path: Path, mime: str) -> str | None:
    """Why the file is not a readable evidence file of its type, or None.
    Images are opened with Pillow behind a pixel limit (decompression bombs)."""
    if not mime.startswith("image/"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fmt = {"image/jpeg": "JPEG", "image/png": "PNG"}[mime]
            with Image.open(path, formats=[fmt]) as im:
                w, h = im.size
                if w * h > MAX_IMAGE_PIXELS:
                    return "图片像素过大，无法接收"
                if fmt == "JPEG":
                    # verify() does not read a JPEG's scan data, so a truncated photo
                    # passed; decode it all, at 1/8 scale (cheap, still every byte).
                    im.draft("RGB", (max(1, w // 8), max(1, h // 8)))
                    im.load()
                else:
                    im.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "图片像素过大，无法接收"
    except Exception:  # noqa: BLE001 – any decoder error means "not a readable image"
        return "图片文件已损坏或无法读取"
    return None
