"""The screens: one ``<name>.py`` (behaviour) + one ``<name>.kv`` (layout) each.

Kivy is imported only here and below; ``mobile.core`` never sees it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def load_screen_classes(names: tuple[str, ...]) -> dict[str, Any]:
    """Import ``mobile.ui.<name>``, load its .kv, return each module's ``SCREEN`` class."""
    from kivy.lang import Builder

    out = {}
    for name in names:
        module = importlib.import_module(f"mobile.ui.{name}")
        Builder.load_file(str(HERE / f"{name}.kv"))
        out[name] = module.SCREEN
    return out
