"""Drive the real app like a user, in this process: ``python -m tests.mobile.ui.driver``.

The pytest process starts this module once per app run (a restart is a new
process on the same data directory, as on a tablet). Arguments come as JSON in
``SUICHA_DRIVER``: ``steps`` (names from ``scenarios.STEPS``), ``out`` (where the
result JSON goes), ``shots`` (where screenshots go) and what the steps need.

A step is a generator: it yields a number (wait that many seconds, letting Kivy
draw) or a predicate (wait until it is true, at most ``TIMEOUT`` seconds).
Touches go through Kivy's input pipeline (``UnitTestTouch``), like a finger.
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TIMEOUT = 90.0


class Driver:
    def __init__(self, app: Any, args: dict[str, Any]) -> None:
        self.app, self.args = app, args
        self.result: dict[str, Any] = {"ok": False, "steps": [], "labels": {}}
        self._gen: Iterator[Any] | None = None
        self._wait: tuple[Callable[[], bool], float, str] | None = None
        self._resume_at = 0.0
        self._settle_at = 0.0

    # -- the loop -------------------------------------------------------------

    def start(self, steps: list[Callable[[Driver], Iterator[Any]]]) -> None:
        from kivy.clock import Clock

        def chain() -> Iterator[Any]:
            for step in steps:
                self.result["steps"].append(step.__name__)
                yield from step(self)
            self.result["ok"] = True

        self._gen = chain()
        self._event = Clock.schedule_interval(self._tick, 0.05)

    def _tick(self, _dt: float) -> None:
        now = time.monotonic()
        if now < max(self._resume_at, self._settle_at):
            return
        if self._wait is not None:
            pred, deadline, what = self._wait
            if not pred():
                if now > deadline:
                    self._fail(f"timed out waiting for {what}")
                return
            self._wait = None
        try:
            cmd = next(self._gen)
        except StopIteration:
            self._finish()
            return
        except Exception:  # noqa: BLE001 - reported to the test
            self._fail(traceback.format_exc())
            return
        if callable(cmd):
            self._wait = (cmd, now + TIMEOUT, getattr(cmd, "__doc__", None) or repr(cmd))
        else:
            self._resume_at = now + float(cmd or 0)

    def _fail(self, why: str) -> None:
        self.result["error"] = why
        self.result["screen"] = self.app.sm.current
        self.shot("failure")
        self._finish()

    def _finish(self) -> None:
        self._event.cancel()
        Path(self.args["out"]).write_text(json.dumps(self.result, ensure_ascii=False, indent=1))
        self.app.stop()

    # -- what a user does ---------------------------------------------------------

    @property
    def screen(self) -> Any:
        return self.app.sm.current_screen

    def ids(self, screen: str | None = None) -> Any:
        return self.app.sm.get_screen(screen or self.app.sm.current).ids

    def tap(self, widget: Any) -> None:
        """A finger on the widget's centre (through the window's input pipeline)."""
        from kivy.tests.common import UnitTestTouch

        if widget.disabled:
            raise AssertionError(f"tapping a disabled widget: {getattr(widget, 'text', widget)}")
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        # a ScrollView delays a touch by scroll_timeout (250 ms) to tell taps from
        # scrolls; let it finish before the next gesture, as a finger would
        self._settle_at = time.monotonic() + 0.4
        if os.environ.get("SUICHA_DRIVER_DEBUG"):
            hits = [
                (type(w).__name__, w.disabled, getattr(w, "text", "")[:12])
                for w in self.screen.walk()
                if w.collide_point(*w.to_widget(x, y))
            ]
            print("TAP", getattr(widget, "text", ""), hits, file=sys.stderr)

    def press(self, widget: Any) -> Iterator[Any]:
        """Tap a button like a person: scroll it into view, tap, and tap again if it
        did not react (a touch can land while a screen is still laying out)."""
        from kivy.uix.scrollview import ScrollView

        parent, seen = widget.parent, set()
        while parent is not None and not isinstance(parent, ScrollView) and id(parent) not in seen:
            seen.add(id(parent))  # the window is its own parent
            parent = parent.parent
        # (a RecycleView only has views for visible rows: nothing to scroll to)
        if isinstance(parent, ScrollView) and hasattr(
            parent._viewport._trigger_layout, "is_triggered"
        ):
            parent.scroll_to(widget, padding=20, animate=False)
            yield 0.15
        pressed: list[int] = []

        def mark(*_: Any) -> None:
            pressed.append(1)

        widget.fbind("on_press", mark)
        try:
            for _ in range(3):
                self.tap(widget)
                yield 0.05
                if pressed:
                    return
        finally:
            widget.funbind("on_press", mark)
        raise AssertionError(f"{getattr(widget, 'text', widget)!r} did not react to 3 taps")

    def stroke(self, widget: Any, points: list[tuple[float, float]]) -> None:
        """Draw through *points* (fractions of the widget's size) with one finger."""
        from kivy.tests.common import UnitTestTouch

        def at(fx: float, fy: float) -> tuple[float, float]:
            return widget.to_window(widget.x + fx * widget.width, widget.y + fy * widget.height)

        touch = UnitTestTouch(*at(*points[0]))
        touch.touch_down()
        for p in points[1:]:
            touch.touch_move(*at(*p))
        touch.touch_up()

    def type(self, field: Any, text: str) -> None:
        """Focus a text input and enter *text* (as the on-screen keyboard would)."""
        field.focus = True
        field.text = ""
        field.insert_text(text)

    def into_view(self, scroll: Any, widget: Any) -> Iterator[Any]:
        """Scroll *scroll* until *widget* is wholly in view, as a finger would (the
        layout may still be growing a row that just opened)."""
        from kivy.core.window import Window

        from tests.mobile.ui.contrast import visible_box

        for _ in range(20):
            scroll.scroll_to(widget, animate=False)
            yield 0.15
            if visible_box(widget, Window.height) is not None:
                return
        raise AssertionError(f"{getattr(widget, 'text', widget)!r} never came into view")

    def top_button(self, text: str) -> Any:
        """A button of the current screen's top bar (返回, 同步)."""
        from kivy.uix.button import Button

        for w in self.screen.walk():
            if isinstance(w, Button) and w.text.endswith(text):
                return w
        raise LookupError(text)

    def on(self, name: str) -> Callable[[], bool]:
        def pred() -> bool:
            return self.app.sm.current == name and self.settled()

        pred.__doc__ = f"screen {name}"
        return pred

    def settled(self) -> bool:
        """The screen change is over: only the new screen is left in the manager."""
        sm = self.app.sm
        return not sm.transition.is_active and len(sm.children) == 1

    def shot(self, name: str) -> None:
        """Screenshot of the whole window to ``<shots>/app-<name>.png``."""
        shots = self.args.get("shots")
        if not shots:
            return
        if self.args.get("window") == "800x1280" and not name.endswith("-portrait"):
            name += "-portrait"  # the same picture in the other orientation, beside it
        Path(shots).mkdir(parents=True, exist_ok=True)
        # rendered into an offscreen buffer: reading the window's back buffer after a
        # swap can return an older frame (two screens on top of each other)
        self.app.sm.export_to_png(str(Path(shots) / f"app-{name}.png"))

    def collect_labels(self, key: str) -> None:
        """Every text on the current screen with the font file Kivy draws it with."""
        from kivy.core.text import LabelBase
        from kivy.uix.label import Label
        from kivy.uix.textinput import TextInput

        from tests.mobile.ui.fonts import visible_texts

        out = []
        for w in self.screen.walk():
            if isinstance(w, Label | TextInput):
                fonts = LabelBase._fonts.get(w.font_name)
                font = fonts[0] if fonts else w.font_name
                for text in visible_texts(w):
                    out.append({"widget": type(w).__name__, "text": text, "font": font})
        self.result["labels"][key] = out


def main() -> None:
    args = json.loads(os.environ["SUICHA_DRIVER"])
    # a hung run prints every thread's stack before the test's timeout kills it
    faulthandler.dump_traceback_later(float(args.get("hang_after", 400)), exit=True)
    from kivy.config import Config

    width, height = args.get("window", "1280x800").split("x")  # a 10-inch tablet, landscape
    Config.set("graphics", "width", width)
    Config.set("graphics", "height", height)
    from mobile.app import SuichaApp
    from tests.mobile.ui import scenarios

    app = SuichaApp(data_dir=Path(args["data_dir"]))
    driver = Driver(app, args)
    app.bind(on_start=lambda *_: driver.start([scenarios.STEPS[s] for s in args["steps"]]))
    app.run()
    sys.exit(0 if driver.result.get("ok") else 1)


if __name__ == "__main__":
    main()
