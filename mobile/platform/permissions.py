"""Android runtime permissions, asked for once the first screen is up.

Since Android 6 the manifest's dangerous permissions must also be granted while the
app runs. Without them the GPS never reports a fix (photos get no place), the
microphone cannot record, the camera app cannot even be started (an app that
declares CAMERA must hold it to send ACTION_IMAGE_CAPTURE), and the photos on an
explosion-proof camera's SD card cannot be read (READ_MEDIA_IMAGES from Android 13,
READ_EXTERNAL_STORAGE before).
"""

from __future__ import annotations

from collections.abc import Callable

from mobile.platform import on_android

PREFIX = "android.permission."
BASE = ("CAMERA", "RECORD_AUDIO", "ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION")
TIRAMISU = 33  # Android 13: media read permissions split by type


def sdk_int() -> int:
    """The device's Android API level."""
    from jnius import autoclass  # type: ignore[import-not-found]

    return int(autoclass("android.os.Build$VERSION").SDK_INT)


def needed() -> tuple[str, ...]:
    """What the app asks for on this device."""
    photos = "READ_MEDIA_IMAGES" if sdk_int() >= TIRAMISU else "READ_EXTERNAL_STORAGE"
    return (*BASE, photos)


def _p4a() -> tuple[Callable[[str], bool], Callable[..., None]] | None:
    try:  # python-for-android provides this module on the device only
        from android.permissions import (  # type: ignore[import-not-found]
            check_permission,
            request_permissions,
        )
    except ImportError:
        return None
    return check_permission, request_permissions


def request(on_result: Callable[[dict[str, bool]], None]) -> bool:
    """Ask for the permissions not granted yet; *on_result* gets ``{name: granted}`` for
    every one of :func:`needed` (on Android's thread, or at once when nothing is
    missing). False where there is nothing to ask (a desktop)."""
    api = _p4a() if on_android() else None
    if api is None:
        return False
    check, ask = api
    granted = {name: bool(check(PREFIX + name)) for name in needed()}
    missing = [name for name, ok in granted.items() if not ok]
    if not missing:
        on_result(granted)
        return True

    def answered(permissions: list[str], grants: list[bool]) -> None:
        for permission, ok in zip(permissions, grants, strict=False):
            granted[permission.removeprefix(PREFIX)] = bool(ok)
        on_result(dict(granted))

    ask([PREFIX + name for name in missing], answered)
    return True


def granted(name: str) -> bool:
    """Whether *name* (e.g. ``"CAMERA"``) is granted now; True where nothing is asked."""
    api = _p4a() if on_android() else None
    return True if api is None else bool(api[0](PREFIX + name))
