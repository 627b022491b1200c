"""Where the app keeps its private data (database, evidence files)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SUICHA_DATA_DIR"


def _android_dir() -> Path | None:
    try:  # python-for-android provides this module on the device only
        from android.storage import app_storage_path  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(app_storage_path()) / "suicha"


def data_dir(create: bool = True) -> Path:
    """The app's private data directory.

    ``SUICHA_DATA_DIR`` wins (tests, kiosk setups); then Android app storage;
    else ``$XDG_DATA_HOME/suicha`` (``~/.local/share/suicha``). Created with mode
    0700: evidence and the session token are nobody else's business.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
    else:
        path = _android_dir() or (
            Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "suicha"
        )
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    return path
