"""Widgets every screen uses: the top bar with the unsynced count, a message popup."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.popup import Popup


class TopBar(BoxLayout):
    """Title, the user, and how much is still only on this tablet (always visible)."""

    title = StringProperty("")
    back = StringProperty("")  # screen to go back to; empty: no back button
    show_sync = BooleanProperty(True)

    def go_back(self) -> None:
        if self.back:
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


def message(title: str, text: str) -> Popup:
    """A dismissable popup with a plain-Chinese message."""
    body = Label(text=text, font_size="20sp", halign="center", valign="middle")
    body.bind(size=lambda w, s: setattr(w, "text_size", s))
    popup = Popup(title=title, content=body, size_hint=(0.7, 0.45), title_size="22sp")
    body.bind(on_touch_down=lambda *a: popup.dismiss())
    popup.open()
    return popup
