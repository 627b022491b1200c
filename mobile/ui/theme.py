"""Two themes: 夜间 (dark, the default indoors and at night) and 日间 (light, for
outdoor use in sunlight, where a dark screen turns into a mirror).

Every colour a screen uses comes from here (``app.theme.<name>`` in the .kv
files), so switching is one call and a contrast check can hold every screen to
WCAG: text ≥ 4.5:1 against what is behind it, a chosen answer ≥ 3:1 against an
unchosen one (tests/mobile/ui/test_contrast.py measures the drawn pixels).
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import ColorProperty, StringProperty


def _hex(value: str) -> tuple[float, float, float, float]:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)) + (1.0,)  # type: ignore[return-value]


DARK = {
    "bg": "#101215",
    "surface": "#1f2329",
    "surface_down": "#2f353d",
    "text": "#f2f2f2",
    "text_dim": "#c9ced6",
    "heading": "#8cc8ff",
    "warn": "#ffcc55",
    "error": "#ff9a85",
    "ok": "#8fe08f",
    "topbar": "#0b3d75",
    "on_topbar": "#ffffff",
    "primary": "#1d5fa8",
    "on_primary": "#ffffff",
    "quiet": "#3d434c",
    "on_quiet": "#ffffff",
    "danger": "#b3261e",
    "on_danger": "#ffffff",
    "unchosen": "#2b3038",
    "on_unchosen": "#f2f2f2",
    "chosen_ok": "#3ddc84",
    "chosen_bad": "#ff8a65",
    "chosen_na": "#a8c8ff",
    "on_chosen": "#0b0f14",
    "field": "#ffffff",
    "on_field": "#111111",
    "hint": "#555a60",
    "secret": "#ff9a85",
}
LIGHT = {
    "bg": "#ffffff",
    "surface": "#eef1f4",
    "surface_down": "#d5dbe2",
    "text": "#111111",
    "text_dim": "#363b41",
    "heading": "#0b4a8b",
    "warn": "#7a4f00",
    "error": "#a4231b",
    "ok": "#1b6e2a",
    "topbar": "#0b3d75",
    "on_topbar": "#ffffff",
    "primary": "#0b57a4",
    "on_primary": "#ffffff",
    "quiet": "#d9dee4",
    "on_quiet": "#111111",
    "danger": "#b3261e",
    "on_danger": "#ffffff",
    "unchosen": "#e3e7eb",
    "on_unchosen": "#111111",
    "chosen_ok": "#17703a",
    "chosen_bad": "#a4231b",
    "chosen_na": "#0b4a8b",
    "on_chosen": "#ffffff",
    "field": "#ffffff",
    "on_field": "#111111",
    "hint": "#555a60",
    "secret": "#a4231b",
}
PALETTES = {"dark": DARK, "light": LIGHT}
LABELS = {"dark": "夜间", "light": "日间（户外）"}


class Theme(EventDispatcher):
    """The current palette as Kivy properties: widgets bound to them recolour at once."""

    name = StringProperty("dark")
    bg = ColorProperty()
    surface = ColorProperty()
    surface_down = ColorProperty()
    text = ColorProperty()
    text_dim = ColorProperty()
    heading = ColorProperty()
    warn = ColorProperty()
    error = ColorProperty()
    ok = ColorProperty()
    topbar = ColorProperty()
    on_topbar = ColorProperty()
    primary = ColorProperty()
    on_primary = ColorProperty()
    quiet = ColorProperty()
    on_quiet = ColorProperty()
    danger = ColorProperty()
    on_danger = ColorProperty()
    unchosen = ColorProperty()
    on_unchosen = ColorProperty()
    chosen_ok = ColorProperty()
    chosen_bad = ColorProperty()
    chosen_na = ColorProperty()
    on_chosen = ColorProperty()
    field = ColorProperty()
    on_field = ColorProperty()
    hint = ColorProperty()
    secret = ColorProperty()

    def __init__(self, name: str = "dark", **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.use(name)

    def use(self, name: str) -> None:
        palette = PALETTES.get(name, DARK)
        for key, value in palette.items():
            setattr(self, key, _hex(value))
        self.name = name if name in PALETTES else "dark"

    @property
    def other(self) -> str:
        return "light" if self.name == "dark" else "dark"
