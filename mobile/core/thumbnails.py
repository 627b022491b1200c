"""Small pictures for the evidence list, made from the upload copies.

The list shows each photo about 150 dp high. Showing the 2048 px copy there means
decoding it on the main thread (25–40 ms, a stutter per row while scrolling) and a
12 MB texture per row. A 320 px thumbnail is made once, off the main thread, from
the copy with DCT scaling (a few milliseconds), and kept in ``thumbs/`` under the
copy's SHA-256. It is derived data: not fsynced, made again if it is missing.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from PIL import Image

EDGE = 320
QUALITY = 80


def path_for(thumbs_dir: Path, sha256: str) -> Path:
    return thumbs_dir / f"{sha256}.jpg"


def make(thumbs_dir: Path, copy: Path, sha256: str) -> Path:
    """The thumbnail of the upload copy *copy* (named by its *sha256*), made if needed."""
    out = path_for(thumbs_dir, sha256)
    if out.exists():
        return out
    with Image.open(copy) as im:
        im.draft("RGB", (EDGE, EDGE))  # the largest DCT scale still ≥ EDGE on both sides
        small = im.convert("RGB")
    small.thumbnail((EDGE, EDGE), Image.Resampling.BICUBIC)
    tmp = thumbs_dir / f".tmp-{uuid.uuid4().hex}"
    try:
        small.save(tmp, "JPEG", quality=QUALITY)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
