"""Durable, content-addressed files in the evidence store."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_once(path: Path, data: bytes) -> Path:
    """Put *data* at *path* durably, unless it is already there.

    The name is derived from the content (a hash), so a file of the right size
    at *path* is the same file: nothing is written.  Otherwise the bytes go to a
    temporary name, are fsynced, renamed into place and the directory fsynced –
    *path* never holds a partial file, and it survives a power cut once this
    returns, so a row naming it may commit.
    """
    if path.exists() and path.stat().st_size == len(data):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return path
