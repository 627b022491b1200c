"""A calendar to pick a date with a finger: a month of day buttons, 上月/下月,
days before *earliest* not selectable (a rectification deadline in the past
makes no sense). Opens as a dialog; calls ``on_pick(date)``."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label

from mobile.ui.widgets import Dialog

WEEKDAYS = "一二三四五六日"


class DatePicker(Dialog):
    def __init__(
        self, *, earliest: date, chosen: date | None, on_pick: Callable[[date], None], **kw
    ) -> None:
        box = BoxLayout(orientation="vertical", spacing=dp(6), padding=dp(8), size_hint_y=None)
        box.bind(minimum_height=box.setter("height"))
        # content as an argument: the dialog's height rule binds to it (Popup.content
        # does not rebind when set later)
        super().__init__(title="选择整改期限", auto_dismiss=True, content=box, **kw)
        self.box = box
        self.earliest, self.on_pick = earliest, on_pick
        start = chosen or earliest
        self.year, self.month = start.year, start.month
        self.chosen = chosen
        self._draw()

    def _draw(self) -> None:
        box = self.box
        box.clear_widgets()
        head = BoxLayout(size_hint_y=None, height=dp(64), spacing=dp(6))
        prev = Factory.QuietButton(text="〈 上月", size_hint_x=0.3)
        nxt = Factory.QuietButton(text="下月 〉", size_hint_x=0.3)
        prev.disabled = (self.year, self.month) <= (self.earliest.year, self.earliest.month)
        prev.bind(on_release=lambda *_: self._shift(-1))
        nxt.bind(on_release=lambda *_: self._shift(1))
        head.add_widget(prev)
        head.add_widget(Label(text=f"{self.year}年{self.month}月", font_size="22sp", bold=True))
        head.add_widget(nxt)
        box.add_widget(head)
        grid = GridLayout(cols=7, spacing=dp(4), size_hint_y=None, row_default_height=dp(60),
                          row_force_default=True)  # fmt: skip
        grid.bind(minimum_height=grid.setter("height"))
        for w in WEEKDAYS:
            grid.add_widget(Label(text=w, font_size="18sp"))
        for week in calendar.Calendar().monthdatescalendar(self.year, self.month):
            for day in week:
                if day.month != self.month:
                    grid.add_widget(Label(text=""))
                    continue
                b = Factory.Choice(
                    label=str(day.day), group=f"day-{id(self)}", allow_no_selection=True,
                    state="down" if day == self.chosen else "normal", height=dp(60),
                )  # fmt: skip
                b.day = day
                b.disabled = day < self.earliest
                b.opacity = 0.35 if b.disabled else 1
                b.bind(on_release=lambda w: self._pick(w.day))
                grid.add_widget(b)
        box.add_widget(grid)
        cancel = Factory.QuietButton(text="取消")
        cancel.bind(on_release=lambda *_: self.dismiss())
        box.add_widget(cancel)

    def _shift(self, months: int) -> None:
        m = self.year * 12 + self.month - 1 + months
        self.year, self.month = m // 12, m % 12 + 1
        self._draw()

    def _pick(self, day: date) -> None:
        self.dismiss()
        self.on_pick(day)
