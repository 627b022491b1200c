"""Getting photos in: the tablet's camera, or files from an explosion-proof camera.

Plants with explosion hazards (煤矿, 危化) forbid ordinary tablets' cameras in
some zones; inspectors then use certified explosion-proof cameras and bring
the SD card. On a desktop (and for such cards) photos come from a watched
import folder or a file path.
"""

from __future__ import annotations

import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from mobile.platform import on_android, permissions

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")
SETTLE_SECONDS = 2.0  # a photo last written this long ago is not being copied any more


REQUEST_CODE = 0x5C01  # ours among the activity results the app receives
PROVIDER_SUFFIX = ".fileprovider"  # authority: <package name> + this (p4a/hook.py)


def take_photo(target: Path, on_done: Callable[[Path | None], None]) -> bool:
    """Ask the Android camera app to write a photo to *target*; False if it cannot be
    used (a desktop, a device without one, the camera permission refused).

    *target* is in the app's private storage (``Store.new_capture``): the camera app
    is another app, so it gets a ``content://`` URI from our FileProvider with a write
    grant for this one file. (plyer's camera passes a ``file://`` URI, which Android 7
    and later refuse with FileUriExposedException, and which another app could not
    write to in private storage anyway.) *on_done* is called (on Android's UI thread, so
    the screen marks its handler @mainthread) with
    *target*, or None if the inspector cancelled or nothing was written.
    """
    if not on_android() or not permissions.granted("CAMERA"):
        return False
    try:
        from android import activity  # type: ignore[import-not-found]
        from jnius import autoclass, cast  # type: ignore[import-not-found]

        context = autoclass("org.kivy.android.PythonActivity").mActivity
        intent_class = autoclass("android.content.Intent")
        media_store = autoclass("android.provider.MediaStore")
        uri = autoclass("androidx.core.content.FileProvider").getUriForFile(
            context, context.getPackageName() + PROVIDER_SUFFIX, autoclass("java.io.File")(
                str(target))
        )  # fmt: skip
        intent = intent_class(media_store.ACTION_IMAGE_CAPTURE)
        if intent.resolveActivity(context.getPackageManager()) is None:
            return False  # no camera app on this device
        intent.putExtra(media_store.EXTRA_OUTPUT, cast("android.os.Parcelable", uri))
        intent.addFlags(
            intent_class.FLAG_GRANT_WRITE_URI_PERMISSION
            | intent_class.FLAG_GRANT_READ_URI_PERMISSION
        )
        ok = autoclass("android.app.Activity").RESULT_OK
    except Exception:  # noqa: BLE001 - no jnius/AndroidX/provider: no camera, not a crash
        return False

    def on_result(request: int, result: int, _data: object) -> None:
        if request != REQUEST_CODE:
            return
        activity.unbind(on_activity_result=on_result)
        on_done(captured(target, result == ok))

    activity.bind(on_activity_result=on_result)
    try:
        context.startActivityForResult(intent, REQUEST_CODE)
    except Exception:  # noqa: BLE001 - e.g. SecurityException: the screen says so
        activity.unbind(on_activity_result=on_result)
        return False
    return True


def captured(target: Path, confirmed: bool) -> Path | None:
    """*target* if the camera confirmed and wrote something there; an empty file the
    camera app created and left (cancelled) is removed."""
    if confirmed and target.is_file() and target.stat().st_size > 0:
        return target
    target.unlink(missing_ok=True)
    return None


class ImportFolder:
    """A folder (an SD card's DCIM, a USB mount) scanned for photos not yet imported.

    A photo is handed out once it has settled – last written ``SETTLE_SECONDS``
    ago, or unchanged in size and time since the previous scan – so that one still
    being copied onto the card or into the folder is not imported half-written.
    Each is handed out once; one whose import failed is offered again only after it
    changes (copied again). Files named in *skip* (attached before) are never
    offered. Safe to use from a worker thread while the screen reports failures.
    """

    def __init__(
        self,
        root: Path,
        suffixes: Iterable[str] = PHOTO_SUFFIXES,
        *,
        skip: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = Path(root)
        self.suffixes = tuple(s.lower() for s in suffixes)
        self._skip = set(skip)
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: set[Path] = set()
        self._pending: dict[Path, tuple[int, float]] = {}  # written too recently last scan
        self._failed: dict[Path, tuple[int, float] | None] = {}  # as it was when it failed

    def new_files(self) -> list[Path]:
        """Settled files under the folder not handed out before, oldest first."""
        if not self.root.is_dir():
            return []
        now, ready, pending = self._clock(), [], {}
        with self._lock:
            for p in self.root.rglob("*"):
                if p.suffix.lower() not in self.suffixes or p in self._seen:
                    continue
                if p.name in self._skip:
                    self._seen.add(p)
                    continue
                try:
                    st = p.stat()
                except OSError:  # gone meanwhile
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                state = (st.st_size, st.st_mtime)
                if p in self._failed:
                    if self._failed[p] == state:
                        continue
                    del self._failed[p]  # copied again: worth another try
                if now - st.st_mtime >= SETTLE_SECONDS or self._pending.get(p) == state:
                    ready.append((st.st_mtime, p.name, p))
                else:
                    pending[p] = state
            self._pending = pending
            found = [p for _, _, p in sorted(ready)]
            self._seen.update(found)
        return found

    def failed(self, path: Path) -> None:
        """The import of *path* failed: offer it again once it changes."""
        try:
            st = Path(path).stat()
            state: tuple[int, float] | None = (st.st_size, st.st_mtime)
        except OSError:
            state = None
        with self._lock:
            self._seen.discard(Path(path))
            self._failed[Path(path)] = state


def pick_file(path: str | Path) -> Path:
    """A photo or document chosen by path (desktop fallback for the camera)."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise FileNotFoundError(f"文件不存在：{p}")
    return p
