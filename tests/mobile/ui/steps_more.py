"""More driven steps (see ``scenarios.py``): the contrast tour, and the harms of
issue 18 tried as an inspector would (the card's old photos, the picker's
selection, signing an incomplete record, wiping, deleting)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.mobile.ui.driver import Driver


def _screen_kwargs(d: Driver, name: str) -> dict[str, Any]:
    if name == "enterprise":
        return {"visit_id": d.args["visit_id"]}
    if name == "enroll":
        return {"mode": "login"}
    return {}


def _screen_image(d: Driver) -> Any:
    """The screen as drawn, as an RGB image."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "screen.png"
        d.app.sm.export_to_png(str(path))
        image = Image.open(path).convert("RGB")
        image.load()
    return image


def _measure(d: Driver) -> list[dict[str, Any]]:
    """Every readable text on the current screen with its drawn contrast."""
    from kivy.uix.label import Label

    from tests.mobile.ui.contrast import text_contrast, visible_box

    image = _screen_image(d)
    out = []
    for w in d.screen.walk():
        # disabled texts too: a greyed button must still be legible (docs: every text)
        if not isinstance(w, Label) or not w.text.strip() or w.opacity == 0:
            continue
        box = visible_box(w, image.height)
        if box is None:
            continue
        value = text_contrast(image, box)
        if value is not None:
            out.append({"text": w.text.strip()[:24], "ratio": round(value, 2)})
    return out


def _field_edges(d: Driver) -> list[dict[str, Any]]:
    """Every visible text box: how its edge stands from the page around it (the
    strongest of the few pixels just inside, against the page 4 px outside, at the
    middle of each side)."""
    from kivy.uix.textinput import TextInput

    from tests.mobile.ui.contrast import ratio, visible_box

    image = _screen_image(d)
    out = []
    for w in d.screen.walk():
        if not isinstance(w, TextInput) or visible_box(w, image.height) is None:
            continue
        left, top, right, bottom = visible_box(w, image.height)
        left, top, right, bottom = left - 1, top - 1, right + 1, bottom + 1
        mid_x, mid_y = (left + right) // 2, (top + bottom) // 2
        sides = {  # (inside pixels, the page outside)
            "left": ([(left + i, mid_y) for i in range(4)], (left - 4, mid_y)),
            "right": ([(right - 1 - i, mid_y) for i in range(4)], (right + 3, mid_y)),
            "top": ([(mid_x, top + i) for i in range(4)], (mid_x, top - 4)),
            "bottom": ([(mid_x, bottom - 1 - i) for i in range(4)], (mid_x, bottom + 3)),
        }
        edges = []
        for inside, outside in sides.values():
            if not (0 <= outside[0] < image.width and 0 <= outside[1] < image.height):
                continue
            page = image.getpixel(outside)
            edges.append(max(ratio(image.getpixel(p), page) for p in inside))
        if edges:
            out.append({"field": w.hint_text[:16] or w.text[:16], "ratio": round(min(edges), 2)})
    return out


def _answer_contrast(d: Driver) -> list[float]:
    """Chosen against unchosen answer backgrounds, per item card (drawn pixels)."""
    from tests.mobile.ui.contrast import ratio

    image = _screen_image(d)

    def corner(button: Any) -> tuple[int, ...]:
        x, y = button.to_window(button.x + 3, button.y + 3)
        return image.getpixel((int(x), int(image.height - y)))

    out = []
    for card in d.ids("inspection").item_list.children:
        buttons = [card.ids.compliant, card.ids.noncompliant, card.ids.not_applicable]
        chosen = [b for b in buttons if b.chosen]
        others = [b for b in buttons if not b.chosen]
        if chosen and others:
            out += [ratio(corner(chosen[0]), corner(o)) for o in others]
    return out


def contrast_tour(d: Driver) -> Iterator[Any]:
    """Every screen in both themes: the drawn contrast of every text, and of the
    chosen answers against the others; screenshots of the light theme."""
    from tests.mobile.ui.scenarios import SCREEN_NAMES

    yield 0.2
    d.app.record_uuid = d.app.inspections.start(d.args["visit_id"])
    texts: dict[str, list[dict[str, Any]]] = {}
    answers: dict[str, list[float]] = {}
    fields: dict[str, list[dict[str, Any]]] = {}
    suffix = "-portrait" if d.args.get("portrait") else ""
    for theme in ("dark", "light"):
        d.app.use_theme(theme)
        for name in SCREEN_NAMES:
            d.app.go(name, **_screen_kwargs(d, name))
            yield d.on(name)
            yield 0.4
            texts[f"{theme}/{name}"] = _measure(d)
            fields[f"{theme}/{name}"] = _field_edges(d)
            if name == "inspection":
                answers[theme] = _answer_contrast(d)
            if theme == "light" and name in ("tasks", "inspection", "sync"):
                d.shot(f"{name}-light{suffix}")
    d.app.use_theme("dark")
    d.result["contrast"] = texts
    d.result["answers"] = answers
    d.result["fields"] = fields


def unlock_quietly(d: Driver) -> Iterator[Any]:
    """A restart: the PIN, straight to the task list."""
    yield d.on("enroll")
    d.type(d.ids().unlock_pin, d.args["pin"])
    yield from d.press(d.ids().unlock_button)
    yield d.on("tasks")


STEPS = {f.__name__: f for f in (contrast_tour, unlock_quietly)}
