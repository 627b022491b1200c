"""Evidence files on the tablet: private, content-addressed, durable before use.

Every file is named by its SHA-256 in the store's files directory, written under a
temporary name, fsynced, renamed into place and the directory fsynced, so that a
record never refers to a file a power cut could take back. The same bytes are stored
once. Files from elsewhere are copied and never touched; captures the app made itself
(its camera, its microphone) are moved in, so that nothing is written twice or left
behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mobile.core.errors import EvidenceError
from shared.media import sniff_mime

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


@dataclass(frozen=True)
class StoredFile:
    path: Path
    sha256: str
    size: int
    mime: str


def commit_file(tmp: Path, files_dir: Path, digest: str, mime: str) -> tuple[StoredFile, bool]:
    """Move *tmp* to its content address; returns the file and whether it is new."""
    final = files_dir / f"{digest}{EXTENSIONS[mime]}"
    size = tmp.stat().st_size
    new = not final.exists()
    if new:
        os.replace(tmp, final)
    else:  # content-addressed: the same bytes are already here
        tmp.unlink()
        os.utime(final)  # in use again: housekeeping must not take it now
    return StoredFile(final, digest, size, mime), new


def write_blob(
    data: bytes | Iterator[bytes], files_dir: Path, mime: str
) -> tuple[StoredFile, bool]:
    """Hash and durably write *data*, or its parts as they come; returns the file and
    whether it is new."""
    digest = hashlib.sha256()
    tmp = files_dir / f".tmp-{uuid.uuid4().hex}"
    try:
        with open(tmp, "wb") as out:
            for part in [data] if isinstance(data, bytes) else data:
                digest.update(part)
                out.write(part)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return commit_file(tmp, files_dir, digest.hexdigest(), mime)


def sync_dir(path: Path) -> None:
    """Make the names just given to files in *path* durable (after their data)."""
    if not hasattr(os, "O_DIRECTORY"):  # not a POSIX system: nothing to sync
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def on_disk(src: Path, size: int) -> None:
    """Make sure a capture the app made is durable, and still the *size* bytes read."""
    with open(src, "rb") as f:
        if os.fstat(f.fileno()).st_size != size:
            raise EvidenceError(f"文件在导入过程中被改动：{src.name}，请重新拍摄")
        os.fsync(f.fileno())


def move_in(src: Path, data: bytes | None, files_dir: Path, digest: str, mime: str) -> StoredFile:
    """Move a capture the app made into the store under its content address; across
    file systems, copy it (from *data* when it is in memory) and remove it."""
    try:
        return commit_file(src, files_dir, digest, mime)[0]
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    stored, _ = write_blob(src.read_bytes() if data is None else data, files_dir, mime)
    src.unlink()
    return stored


def check_mime(name: str, head: bytes, allowed: tuple[str, ...]) -> str:
    mime = sniff_mime(head)
    if mime not in allowed:
        names = "、".join(allowed)
        raise EvidenceError(f"“{name}”不是可用的证据文件（只接受 {names}）")
    return mime


def store_original(
    src: Path, files_dir: Path, allowed: tuple[str, ...], *, move: bool = False
) -> StoredFile:
    """Copy *src* into *files_dir* unchanged, hashing while copying (one read); with
    *move*, *src* is a capture the app made, and it is moved there instead."""
    src = Path(src)
    try:
        fin = open(src, "rb")  # read-only: the source is never touched
    except OSError as exc:
        raise EvidenceError(f"无法读取文件：{src.name}") from exc
    with fin:
        head = fin.read(16)
        mime = check_mime(src.name, head, allowed)
        digest = hashlib.sha256(head)
        if move:
            size = len(head)
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        else:
            tmp = files_dir / f".tmp-{uuid.uuid4().hex}"
            with open(tmp, "wb") as out:
                out.write(head)
                while chunk := fin.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
    if move:
        on_disk(src, size)
        stored = move_in(src, None, files_dir, digest.hexdigest(), mime)
    else:
        stored = commit_file(tmp, files_dir, digest.hexdigest(), mime)[0]
    sync_dir(files_dir)
    return stored


def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def hashed_on_disk(data: bytes, src: Path) -> str:
    on_disk(src, len(data))
    return hashlib.sha256(data).hexdigest()
