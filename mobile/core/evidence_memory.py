"""The memory a photo is decoded into, kept from one photo to the next.

A 12 MP camera photo decodes (at half scale) into 12 MB. Memory the process has not
written to before costs a page fault for every 4 KB page on its first write: about
3,000 per photo, 4–7 ms of a 33 ms decode measured on the benchmark machine, and paid
on every photo as soon as anything else (the screens, another import) has used the
heap in between, because the allocator hands freed memory back to the system. The
photos of one camera all have one size, so the buffer a finished copy was decoded
into is handed to the decoder of the next photo of that size.

Reuse is safe because a decode that succeeds writes every row of its buffer: Pillow
raises on a truncated file unless ``ImageFile.LOAD_TRUNCATED_IMAGES`` is set, and
while it is set nothing is reused (the rows a short file never reached would still
show the previous photo). A buffer is taken by one decode at a time and given back
only once nothing reads it any more.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from PIL import Image, ImageFile

KEEP_PER_SIZE = 1  # photos are imported one after another; a concurrent one allocates
SIZES = 2  # e.g. the tablet's own camera and an explosion-proof camera's SD card

Key = tuple[str, tuple[int, int]]


class DecodeBuffers:
    """Buffers of decoded pictures, by mode and size, at most *sizes* × *keep*."""

    def __init__(self, keep: int = KEEP_PER_SIZE, sizes: int = SIZES) -> None:
        self._keep, self._sizes = keep, sizes
        self._free: OrderedDict[Key, list[Image.core.ImagingCore]] = OrderedDict()
        self._lock = threading.Lock()

    def lend(self, im: ImageFile.ImageFile) -> Image.core.ImagingCore | None:
        """Give *im* (opened, drafted, not loaded) a kept buffer of its mode and size to
        be decoded into; returns the buffer, or None when *im* is left to allocate."""
        if ImageFile.LOAD_TRUNCATED_IMAGES:
            return None
        key = (im.mode, im.size)
        with self._lock:
            free = self._free.get(key)
            buffer = free.pop() if free else None
        if buffer is None:
            buffer = Image.core.new(*key)  # to be given back like a kept one
        im.im = buffer  # Pillow decodes into the image's memory when it already has one
        return buffer

    def give_back(self, buffer: Image.core.ImagingCore) -> None:
        """Keep *buffer* for the next photo of its size; nothing may read it any more."""
        key = (buffer.mode, buffer.size)
        with self._lock:
            free = self._free.setdefault(key, [])
            self._free.move_to_end(key)
            if len(free) < self._keep:
                free.append(buffer)
            while len(self._free) > self._sizes:
                self._free.popitem(last=False)  # the size least recently used

    def release(self) -> None:
        """Let every kept buffer go (the app is paused, or memory is short)."""
        with self._lock:
            self._free.clear()

    def kept(self) -> dict[Key, int]:
        with self._lock:
            return {key: len(free) for key, free in self._free.items() if free}


DECODE_BUFFERS = DecodeBuffers()
