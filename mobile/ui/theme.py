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
    "topbar_text": "#ffffff",
    "primary": "#1d5fa8",
    "primary_text": "#ffffff",
    "quiet": "#3d434c",
    "quiet_text": "#ffffff",
    "danger": "#b3261e",
    "danger_text": "#ffffff",
    "unchosen": "#2b3038",
    "unchosen_text": "#f2f2f2",
    "chosen_ok": "#3ddc84",
    "chosen_bad": "#ff8a65",
    "chosen_na": "#a8c8ff",
    "chosen_text": "#0b0f14",
    "field": "#ffffff",
    "field_text": "#111111",
    "field_border": "#6b7480",  # ≥ 3:1 against the dark page and against a white box beside
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
    "topbar_text": "#ffffff",
    "primary": "#0b57a4",
    "primary_text": "#ffffff",
    "quiet": "#d9dee4",
    "quiet_text": "#111111",
    "danger": "#b3261e",
    "danger_text": "#ffffff",
    "unchosen": "#e3e7eb",
    "unchosen_text": "#111111",
    "chosen_ok": "#17703a",
    "chosen_bad": "#a4231b",
    "chosen_na": "#0b4a8b",
    "chosen_text": "#ffffff",
    "field": "#ffffff",
    "field_text": "#111111",
    "field_border": "#5b6673",  # a white box on a white page: its edge must show
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
    topbar_text = ColorProperty()
    primary = ColorProperty()
    primary_text = ColorProperty()
    quiet = ColorProperty()
    quiet_text = ColorProperty()
    danger = ColorProperty()
    danger_text = ColorProperty()
    unchosen = ColorProperty()
    unchosen_text = ColorProperty()
    chosen_ok = ColorProperty()
    chosen_bad = ColorProperty()
    chosen_na = ColorProperty()
    chosen_text = ColorProperty()
    field = ColorProperty()
    field_text = ColorProperty()
    field_border = ColorProperty()
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
        # A label's colour may be bound twice: the generic rule (``<Label>``: text) and
        # its own (a warning colour…). A colour equal in both palettes is not
        # dispatched by its setter, so the generic one would win: dispatch every
        # colour again, the generic ones first, so the specific rule is applied last.
        for key in ("text", "text_dim", *(k for k in palette if k not in ("text", "text_dim"))):
            self.property(key).dispatch(self)

    @property
    def other(self) -> str:
        return "light" if self.name == "dark" else "dark"
