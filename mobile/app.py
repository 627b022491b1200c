"""The tablet app: font, store and screens wired together.

``SuichaApp`` owns the one ``Store`` of this run and the services the screens
share (record API, outbox counts, the sync runner). Screens reach them with
``App.get_running_app()``. Slow work (network, photo decoding) runs on worker
threads; results come back to the main thread through ``ui.threads.on_main``.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("KIVY_NO_ARGS", "1")  # our own argv is not Kivy's business

from kivy.logger import Logger  # noqa: E402


class _CutBufferNotice(logging.Filter):
    """X11's middle-click cut buffer needs xclip or xsel. Without them Kivy logs a
    CRITICAL with two tracebacks, though the app needs no clipboard at all (copy and
    paste still work through SDL2): said once, at INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Cutbuffer: Unable to find"):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "Cutbuffer: no xclip/xsel, middle-click paste is off", ()
        return True


def quiet_logs() -> None:
    """INFO by default (``SUICHA_LOG_LEVEL``): DEBUG would log every HTTP request and
    the raw EXIF bytes of every photo."""
    level = os.environ.get("SUICHA_LOG_LEVEL", "INFO").upper()
    logging.getLogger().setLevel(level)
    Logger.setLevel(level)
    Logger.addFilter(_CutBufferNotice())


quiet_logs()

from kivy.app import App  # noqa: E402
from kivy.clock import Clock, mainthread  # noqa: E402
from kivy.core.text import DEFAULT_FONT, LabelBase  # noqa: E402
from kivy.properties import NumericProperty, ObjectProperty, StringProperty  # noqa: E402

from mobile.core.outbox import Outbox  # noqa: E402
from mobile.core.store import Store  # noqa: E402
from mobile.platform import fonts  # noqa: E402
from mobile.platform.gps import GpsTracker  # noqa: E402

AUTO_SYNC_SECONDS = float(os.environ.get("SUICHA_AUTO_SYNC_SECONDS", "300"))
SCREENS = (
    "enroll",
    "tasks",
    "enterprise",
    "inspection",
    "hazard",
    "evidence",
    "signature",
    "review",
    "picker",
    "sync",
)


def register_cjk_font() -> fonts.FontSpec:
    """Make a CJK font Kivy's default, or raise ``FontNotFoundError`` (shown to the user).

    Kivy's SDL2 text renderer always opens face 0 of a font collection, so a
    font whose Simplified-Chinese face is face 0 is preferred; a collection whose
    SC face is elsewhere (Noto CJK .ttc: face 0 is Japanese) still has every
    hanzi and is the fallback.
    """
    try:
        spec = fonts.find_cjk_font(tuple(c for c in fonts.CANDIDATES if c[1] == 0))
    except fonts.FontNotFoundError:
        spec = fonts.find_cjk_font()
    LabelBase.register(DEFAULT_FONT, str(spec.path))
    return spec


def unsynced_counts(store: Store) -> tuple[int, int]:
    """(records, evidence files) that exist only on this tablet."""
    return store.unsent_count(), store.unsynced_files()


class SuichaApp(App):
    title = "随查 · 现场检查"
    unsynced_records = NumericProperty(0)
    unsynced_files = NumericProperty(0)
    last_sync_text = StringProperty("")  # 上次同步：… (the top bar shows it on every screen)
    user_label = StringProperty("")
    theme = ObjectProperty(None, rebind=True)  # mobile/ui/theme.py; kv binds to its colours
    dialog = ObjectProperty(None, allownone=True)  # the open confirmation, if any
    # the task and record the inspection screens work on
    visit_id = StringProperty("")
    record_uuid = StringProperty("")

    def __init__(self, data_dir: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_dir = data_dir
        self.font = register_cjk_font()
        self.store: Store | None = None
        self.gps = GpsTracker()
        self._insp: Any = None
        self._sync_runner: Any = None
        from mobile.ui.theme import Theme

        self.theme = Theme()

    # -- services -----------------------------------------------------------

    @property
    def inspections(self) -> Any:
        """The record API for the logged-in user (rebuilt after a login)."""
        if self._insp is None:
            # imported here: the schemas behind it are not needed to show the task list
            from mobile.core.records import Inspections

            self._insp = Inspections(
                self.store, font=(str(self.font.path), self.font.index), locate=self.gps.locate
            )
        return self._insp

    @property
    def outbox(self) -> Outbox:
        return Outbox(self.store)

    def session_changed(self) -> None:
        self._insp = None
        session = self.store.session() or {}
        insp = session.get("inspector") or {}
        self.user_label = insp.get("name") or session.get("username") or ""
        self.refresh_counts()

    def refresh_counts(self, *_: Any) -> None:
        self.unsynced_records, self.unsynced_files = unsynced_counts(self.store)
        from mobile.core.timefmt import short_time

        last = self.store.get_meta("last_sync_at")
        self.last_sync_text = f"上次同步：{short_time(last)}" if last else "尚未同步"

    def use_theme(self, name: str) -> None:
        """夜间 or 日间（户外）; remembered on this tablet."""
        self.theme.use(name)
        self.store.set_meta("theme", self.theme.name)

    # -- Kivy ---------------------------------------------------------------

    def build(self) -> Any:
        from kivy.graphics import Color, Rectangle
        from kivy.lang import Builder
        from kivy.uix.screenmanager import NoTransition, ScreenManager

        from mobile.ui import widgets  # noqa: F401 - registers TopBar, Reveal

        self.store = Store.open(self.data_dir)
        self.theme.use(self.store.get_meta("theme") or "dark")
        Builder.load_file(str(Path(__file__).parent / "ui" / "widgets.kv"))
        # no slide animation: it costs frames on cheap tablets and helps nobody in gloves
        self.sm = ScreenManager(transition=NoTransition())
        with self.sm.canvas.before:  # an opaque background, also in exported screenshots
            paint = Color(*self.theme.bg)
            bg = Rectangle(pos=self.sm.pos, size=self.sm.size)
        self.theme.bind(bg=lambda _t, v: setattr(paint, "rgba", v))
        self.sm.bind(
            size=lambda _w, v: setattr(bg, "size", v), pos=lambda _w, v: setattr(bg, "pos", v)
        )
        self.session_changed()
        # after the first frame: plyer probes the platform, which is slow on a cold start;
        # on Android the GPS starts once location may be used
        Clock.schedule_once(self._ask_permissions, 0.5)
        if AUTO_SYNC_SECONDS > 0:  # retry queued uploads when their backoff is over
            Clock.schedule_interval(self._auto_sync, AUTO_SYNC_SECONDS)
        session = self.store.session()
        if session and session.get("pin_hash"):
            self.go("enroll", mode="unlock")
        elif session and session.get("token"):
            self.go("tasks")  # stored session without a PIN: open straight away
        else:
            self.go("enroll", mode="login")
        return self.sm

    def screen(self, name: str) -> Any:
        """The screen *name*, built on first use: building all nine up front would
        double the cold start, and most runs only see a few of them."""
        if not self.sm.has_screen(name):
            from mobile.ui import load_screen_classes

            self.sm.add_widget(load_screen_classes((name,))[name](name=name))
        return self.sm.get_screen(name)

    @property
    def sync_runner(self) -> Any:
        """The one sync runner (made on first use: it imports the HTTP stack)."""
        if self._sync_runner is None:
            from mobile.ui.sync_runner import SyncRunner

            self._sync_runner = SyncRunner(self.store)
            self._sync_runner.bind(runs=self._synced)
        return self._sync_runner

    def _synced(self, *_: Any) -> None:
        if self.sm.has_screen("tasks"):
            self.sm.get_screen("tasks").refresh()
        self.refresh_counts()

    def _auto_sync(self, _dt: float) -> None:
        session = self.store.session() or {}
        if session.get("token") and self.outbox.seconds_until_due() == 0:
            self.sync_runner.start(pull=False, due_only=True)

    def go(self, name: str, **kwargs: Any) -> None:
        """Show screen *name*; ``kwargs`` go to its ``prepare`` (what to show)."""
        screen = self.screen(name)
        if hasattr(screen, "prepare"):
            screen.prepare(**kwargs)
        self.sm.current = name
        self.refresh_counts()

    def _ask_permissions(self, _dt: float = 0) -> None:
        from mobile.platform import permissions

        if not permissions.request(self._permissions_answered):
            self.gps.start()  # nothing to ask here (a desktop)

    @mainthread
    def _permissions_answered(self, granted: dict[str, bool]) -> None:
        if granted.get("ACCESS_FINE_LOCATION") or granted.get("ACCESS_COARSE_LOCATION"):
            self.gps.start()

    def on_pause(self) -> bool:
        """Sent to the background (Android may end us there): let go of the memory kept
        for decoding the next photo, which a later import makes again."""
        memory = sys.modules.get("mobile.core.evidence_memory")  # only once photos came in
        if memory is not None:
            memory.DECODE_BUFFERS.release()
        return True  # pause, do not stop

    def on_stop(self) -> None:
        self.gps.stop()
        if self._sync_runner is not None:
            self._sync_runner.stop()
        if self.store is not None:
            self.store.close()


DESKTOP_WINDOW = "1280x800"  # a 10-inch tablet in landscape


def desktop_window() -> tuple[int, int]:
    """The window ``make app`` opens: ``SUICHA_WINDOW`` (``800x1280`` is the tablet in
    portrait), else 1280×800. Set before the window exists; a tablet ignores it."""
    from kivy.config import Config

    text = os.environ.get("SUICHA_WINDOW") or DESKTOP_WINDOW
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        print(f"SUICHA_WINDOW：格式应为 宽x高，例如 800x1280（收到“{text}”）", file=sys.__stderr__)
        width, height = (int(v) for v in DESKTOP_WINDOW.split("x"))
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    return width, height


def main(argv: list[str] | None = None) -> int:
    desktop_window()
    try:
        app = SuichaApp()
    except fonts.FontNotFoundError as exc:
        print(exc, file=sys.__stderr__)  # Kivy may have redirected sys.stderr into its log
        return 2
    app.run()
    return 0
