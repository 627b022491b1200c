"""What the photo picker shows: the photos in a folder (an SD card's DCIM, the
tablet's camera roll), newest first, with small upright previews.

Nothing here attaches anything: the inspector picks photos, sees which item
they go to, and confirms. Photos taken before the inspection started – the
previous plant's, still on the card – are left out unless asked for.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps

EDGE = 320
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")  # what cameras write (as mobile/platform/camera)


@dataclass(frozen=True)
class Photo:
    path: Path
    name: str
    size: int
    taken: datetime  # the file's time (cameras set it when they write the photo)


def list_photos(root: Path, since: datetime | None = None, limit: int = 2000) -> list[Photo]:
    """Photos under *root* (recursively), newest first; with *since*, only those
    taken at or after it. Unreadable entries are skipped."""
    root = Path(root).expanduser()
    if not root.is_dir():
        return []
    out = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if not name.lower().endswith(PHOTO_SUFFIXES) or name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                st = path.stat()
            except OSError:
                continue
            taken = datetime.fromtimestamp(st.st_mtime).astimezone()
            if since is not None and taken < since:
                continue
            out.append(Photo(path, name, st.st_size, taken))
    out.sort(key=lambda p: (p.taken, p.name), reverse=True)
    return out[:limit]


def preview(cache_dir: Path, photo: Photo) -> Path:
    """A ≤ 320 px upright JPEG of *photo*, made once per file version (path, size,
    time) in *cache_dir*; decoded at a reduced DCT scale, so a 12 MP photo costs
    a few milliseconds. Raises ``OSError``/``ValueError`` for an unreadable file."""
    key = hashlib.sha1(f"{photo.path}|{photo.size}|{photo.taken.timestamp()}".encode())
    out = cache_dir / f"pick-{key.hexdigest()}.jpg"
    if out.exists():
        return out
    with Image.open(photo.path) as im:
        im.draft("RGB", (EDGE, EDGE))
        small = ImageOps.exif_transpose(im).convert("RGB")
    small.thumbnail((EDGE, EDGE), Image.Resampling.BICUBIC)
    tmp = cache_dir / f".tmp-{uuid.uuid4().hex}"
    try:
        small.save(tmp, "JPEG", quality=80)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
