"""Widgets every screen uses: the base screen, the top bar with the unsynced
count, and dialogs (a message, a confirmation, a question with a typed answer)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput

if TYPE_CHECKING:
    from mobile.app import SuichaApp


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def cjk_wrap(text: str) -> str:
    """Text for a wrapping Label. Kivy breaks lines only at spaces, so in a line
    mixing Chinese and Latin words the Chinese run after the last space moved whole
    to the next line, leaving half a line empty ("…（Warehouse 2" / "east）。依据：…",
    outside test #18). Chinese wraps at any character: in a line holding Chinese
    the spaces become no-break spaces, and Kivy breaks where the line is full."""
    return "\n".join(line.replace(" ", "\u00a0") if _CJK.search(line) else line
                     for line in text.split("\n"))


class AppScreen(Screen):
    """Every screen: ``self.app`` is the running app, typed (store, record API, go)."""

    @property
    def app(self) -> SuichaApp:
        return App.get_running_app()  # type: ignore[return-value]


class SavingField(TextInput):
    """A field saved as it is typed: a second after the last key and when it loses
    focus (``on_save``), so an app killed mid-sentence loses at most a second of it.
    Only typing saves: text set from the record (a reload) is not written back."""

    SAVE_AFTER_S = 1.0
    __events__ = ("on_save",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pending = Clock.create_trigger(self._save, self.SAVE_AFTER_S)
        self.bind(text=self._typed, focus=self._focused, on_text_validate=self._save)

    def _typed(self, _field: Any, _text: str) -> None:
        if self.focus and not self.readonly:
            self._pending()

    def _focused(self, _field: Any, focused: bool) -> None:
        if not focused:
            self._pending.cancel()
            self._save()

    def _save(self, *_args: Any) -> None:
        if not self.readonly:
            self.dispatch("on_save", self.text)

    def on_save(self, text: str) -> None:
        pass


class TopBar(BoxLayout):
    """Title, the user, and how much is still only on this tablet (always visible)."""

    title = StringProperty("")
    back = StringProperty("")  # screen to go back to; empty: no back button
    show_sync = BooleanProperty(True)
    # what 返回 does instead of going to ``back`` (a screen that remembers its origin)
    back_action = ObjectProperty(None, allownone=True)

    def go_back(self) -> None:
        if self.back_action is not None:
            self.back_action()
        elif self.back:
            App.get_running_app().go(self.back)


class Reveal(BoxLayout):
    """A box that can be hidden: no height, invisible, and deaf to touches (its
    children would otherwise still catch touches where they overflow)."""

    shown = BooleanProperty(True)

    def on_touch_down(self, touch: object) -> bool:
        return super().on_touch_down(touch) if self.shown else False

    def on_touch_move(self, touch: object) -> bool:
        return super().on_touch_move(touch) if self.shown else False

    def on_touch_up(self, touch: object) -> bool:
        return super().on_touch_up(touch) if self.shown else False


class Dialog(Popup):
    """A themed popup; the app remembers the open one (tests find its buttons).
    No open/close animation: it costs frames on cheap tablets, and a closing
    popup would still swallow the next tap while it fades."""

    def open(self, *args: Any, **kwargs: Any) -> None:
        App.get_running_app().dialog = self
        super().open(*args, animation=False, **kwargs)

    def dismiss(self, *args: Any, **kwargs: Any) -> None:
        kwargs["animation"] = False
        super().dismiss(*args, **kwargs)

    def on_dismiss(self) -> None:
        app = App.get_running_app()
        if getattr(app, "dialog", None) is self:
            app.dialog = None


def _body(text: str) -> Label:
    label = Label(text=text, font_size="20sp", halign="left", valign="top", size_hint_y=None)
    label.bind(width=lambda w, v: setattr(w, "text_size", (v, None)))
    label.bind(texture_size=lambda w, s: setattr(w, "height", s[1] + dp(8)))
    return label


def _button(text: str, style: str) -> Any:
    from kivy.factory import Factory

    return getattr(Factory, style)(text=text)


def message(title: str, text: str) -> Dialog:
    """A plain-Chinese message with a 知道了 button."""
    box = BoxLayout(orientation="vertical", spacing=dp(12), padding=dp(12), size_hint_y=None)
    box.bind(minimum_height=box.setter("height"))
    box.add_widget(_body(text))
    popup = Dialog(title=title, content=box)
    ok = _button("知道了", "BigButton")
    ok.bind(on_release=lambda *_: popup.dismiss())
    box.add_widget(ok)
    popup.yes_button = ok
    popup.open()
    return popup


def confirm(
    title: str,
    text: str,
    yes: str,
    on_yes: Callable[[], None],
    *,
    no: str = "取消",
    danger: bool = True,
    answer_hint: str | None = None,
    on_answer: Callable[[str], str | None] | None = None,
) -> Dialog:
    """Ask before doing something that cannot be undone. With *answer_hint*, a text
    field is shown and *on_answer(text)* is called instead of *on_yes*; it returns
    an error to show (the dialog stays open) or None (done)."""
    box = BoxLayout(orientation="vertical", spacing=dp(12), padding=dp(12), size_hint_y=None)
    box.bind(minimum_height=box.setter("height"))
    box.add_widget(_body(text))
    popup = Dialog(title=title, content=box, auto_dismiss=False)
    field = None
    error = _body("")
    if answer_hint is not None:
        from kivy.factory import Factory

        field = Factory.Field(hint_text=answer_hint)
        box.add_widget(field)
        error.color = App.get_running_app().theme.error
        box.add_widget(error)
    row = BoxLayout(size_hint_y=None, height=dp(64), spacing=dp(12))
    keep = _button(no, "QuietButton")
    act = _button(yes, "DangerButton" if danger else "BigButton")

    def go(*_: Any) -> None:
        if field is not None and on_answer is not None:
            problem = on_answer(field.text)
            if problem:
                error.text = problem
                return
            popup.dismiss()
            return
        popup.dismiss()
        on_yes()

    keep.bind(on_release=lambda *_: popup.dismiss())
    act.bind(on_release=go)
    row.add_widget(keep)
    row.add_widget(act)
    box.add_widget(row)
    popup.yes_button, popup.no_button, popup.field = act, keep, field
    popup.open()
    return popup
