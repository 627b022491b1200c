"""Android runtime permissions, asked for once the first screen is up.

Since Android 6 the manifest's dangerous permissions must also be granted while the
app runs. Without them the GPS never reports a fix (photos get no place), the
microphone cannot record, and the camera app cannot even be started: an app that
declares CAMERA must hold it to send ACTION_IMAGE_CAPTURE.
"""

from __future__ import annotations

from collections.abc import Callable

from mobile.platform import on_android

NEEDED = ("CAMERA", "RECORD_AUDIO", "ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION")


def request(on_result: Callable[[dict[str, bool]], None]) -> bool:
    """Ask for the permissions not granted yet; *on_result* gets ``{name: granted}`` for
    every one of NEEDED (on Android's thread, or at once when nothing is missing).
    False where there is nothing to ask (a desktop)."""
    if not on_android():
        return False
    try:
        from android.permissions import (  # type: ignore[import-not-found]
            Permission,
            check_permission,
            request_permissions,
        )
    except ImportError:
        return False
    granted = {name: bool(check_permission(getattr(Permission, name))) for name in NEEDED}
    missing = [name for name, ok in granted.items() if not ok]
    if not missing:
        on_result(granted)
        return True

    def answered(permissions: list[str], grants: list[bool]) -> None:
        for permission, ok in zip(permissions, grants, strict=False):
            granted[permission.rsplit(".", 1)[-1]] = bool(ok)
        on_result(dict(granted))

    request_permissions([getattr(Permission, name) for name in missing], answered)
    return True


def granted(name: str) -> bool:
    """Whether *name* (one of NEEDED) is granted now; True where nothing is asked."""
    if not on_android():
        return True
    try:
        from android.permissions import Permission, check_permission  # type: ignore[import-not-found]
    except ImportError:
        return True
    return bool(check_permission(getattr(Permission, name)))
