"""Getting photos in: the tablet's camera, or files from an explosion-proof camera.

Plants with explosion hazards (煤矿, 危化) forbid ordinary tablets' cameras in
some zones; inspectors then use certified explosion-proof cameras and bring
the SD card. On a desktop (and for such cards) photos come from a watched
import folder or a file path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mobile.platform import on_android

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def take_photo(target: Path, on_done: Callable[[Path | None], None]) -> bool:
    """Ask the Android camera to write a photo to *target*; False if there is no camera.

    *on_done* is called (from plyer's thread) with the path, or None if the user
    cancelled.
    """
    if not on_android():  # plyer prints tracebacks for missing facades
        return False
    try:
        from plyer import camera

        def _done(filename: str) -> bool:
            path = Path(filename)
            on_done(path if path.is_file() else None)
            return False

        camera.take_picture(filename=str(target), on_complete=_done)
    except (ImportError, NotImplementedError, ModuleNotFoundError, AttributeError):
        return False
    return True


class ImportFolder:
    """A folder (an SD card's DCIM, a USB mount) scanned for photos not yet imported.

    ``seen`` is the set of files already handed out, kept by the caller (the
    store keeps the originals' hashes, so re-importing is harmless anyway).
    """

    def __init__(self, root: Path, suffixes: Iterable[str] = PHOTO_SUFFIXES) -> None:
        self.root = Path(root)
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.seen: set[Path] = set()

    def new_files(self) -> list[Path]:
        """Files under the folder not returned before, oldest first."""
        if not self.root.is_dir():
            return []
        found = [
            p
            for p in self.root.rglob("*")
            if p.is_file() and p.suffix.lower() in self.suffixes and p not in self.seen
        ]
        found.sort(key=lambda p: (p.stat().st_mtime, p.name))
        self.seen.update(found)
        return found


def pick_file(path: str | Path) -> Path:
    """A photo or document chosen by path (desktop fallback for the camera)."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise FileNotFoundError(f"文件不存在：{p}")
    return p
