"""The photo picker: thumbnails of a folder's photos (an SD card, the camera
roll), tap to select several, 放大 to see one full-screen, and a confirmation
that names the item they go to. The selection starts empty every time it
opens: nothing chosen for one item is ever carried to the next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.modalview import ModalView

from mobile.core import gallery
from mobile.core.jobs import SerialJobs
from mobile.core.timefmt import short_time
from mobile.ui.threads import background
from mobile.ui.widgets import AppScreen, confirm

PREVIEWS = SerialJobs("suicha-previews")


class PickTile(ButtonBehavior, BoxLayout):
    path = StringProperty("")
    source = StringProperty("")
    label = StringProperty("")
    selected = BooleanProperty(False)

    def on_release(self) -> None:
        self.screen().toggle(self.path)

    def screen(self) -> PickerScreen:
        from kivy.app import App

        return App.get_running_app().sm.get_screen("picker")


class PickerScreen(AppScreen):
    folder = StringProperty("")
    target = StringProperty("")  # 第3项：…, said in the header and in the confirmation
    enterprise = StringProperty("")
    only_new = BooleanProperty(True)  # only photos taken since the inspection started
    tiles = ListProperty([])
    chosen = NumericProperty(0)
    status = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._photos: list[gallery.Photo] = []
        self._selected: list[str] = []
        self._since: datetime | None = None
        self._on_pick: Callable[[list[Path]], None] = lambda paths: None
        self._back = "evidence"
        self._load_id = 0

    def prepare(
        self,
        folder: str = "",
        since: datetime | None = None,
        target: str = "",
        enterprise: str = "",
        on_pick: Callable[[list[Path]], None] | None = None,
        back: str = "evidence",
        **_: Any,
    ) -> None:
        self.folder, self._since, self.target, self.enterprise = folder, since, target, enterprise
        self._on_pick = on_pick or (lambda paths: None)
        self._back = back
        self._selected = []  # never the previous item's choice
        self.chosen = 0
        self.only_new = since is not None
        self.ids.folder.text = folder
        self.load()

    def load(self) -> None:
        self.folder = self.ids.folder.text.strip()
        self._load_id += 1
        if not self.folder:
            self._photos, self.tiles = [], []
            self.status = "请输入照片所在的文件夹（存储卡或相机文件夹）"
            return
        load_id, folder = self._load_id, Path(self.folder)
        since = self._since if self.only_new else None
        self.status = "正在读取照片……"
        background(lambda: gallery.list_photos(folder, since),
                   lambda photos: self._listed(load_id, photos),
                   lambda text: setattr(self, "status", text))  # fmt: skip

    def _listed(self, load_id: int, photos: list[gallery.Photo]) -> None:
        if load_id != self._load_id:
            return  # a newer listing was asked for
        self._photos = photos
        self._selected = [p for p in self._selected if any(str(x.path) == p for x in photos)]
        if not photos:
            self.status = (
                "该文件夹中没有本次检查开始后拍摄的照片（可关闭“只看本次检查的照片”查看全部）"
                if self.only_new
                else "该文件夹中没有照片"
            )
        else:
            self.status = f"共 {len(photos)} 张照片，点选要添加的照片（可多选）"
        self._show()
        cache, wanted = self.app.store.thumbs_dir, list(photos)

        def make() -> dict[str, str]:
            out = {}
            for photo in wanted:
                try:
                    out[str(photo.path)] = str(gallery.preview(cache, photo))
                except (OSError, ValueError):
                    out[str(photo.path)] = ""
            return out

        background(make, lambda made: self._previews(load_id, made), lambda _t: None,
                   jobs=PREVIEWS)  # fmt: skip

    def _previews(self, load_id: int, made: dict[str, str]) -> None:
        if load_id == self._load_id:
            self._made = made
            self._show()

    def _show(self) -> None:
        made = getattr(self, "_made", {})
        self.chosen = len(self._selected)
        self.tiles = [
            {
                "path": str(p.path),
                "source": made.get(str(p.path), ""),
                "label": f"{p.name}\n{short_time(p.taken.isoformat())}",
                "selected": str(p.path) in self._selected,
            }
            for p in self._photos
        ]

    def toggle(self, path: str) -> None:
        if path in self._selected:
            self._selected.remove(path)
        else:
            self._selected.append(path)
        self._show()

    def set_only_new(self, value: bool) -> None:
        self.only_new = value and self._since is not None
        self.load()

    def view(self, path: str) -> None:
        """One photo full-screen, with 选中/取消选中 and 关闭."""
        from kivy.factory import Factory

        modal = ModalView(size_hint=(1, 1), background="", background_color=(0, 0, 0, 1))
        box = BoxLayout(orientation="vertical", padding=dp(8), spacing=dp(8))
        box.add_widget(Image(source=path, fit_mode="contain"))
        row = BoxLayout(size_hint_y=None, height=dp(64), spacing=dp(8))
        close = Factory.QuietButton(text="关闭")
        pick = Factory.BigButton(text="取消选中" if path in self._selected else "选中这张")
        close.bind(on_release=lambda *_: modal.dismiss())
        pick.bind(on_release=lambda *_: (self.toggle(path), modal.dismiss()))
        row.add_widget(close)
        row.add_widget(pick)
        box.add_widget(row)
        modal.add_widget(box)
        modal.open()

    def ask_add(self) -> None:
        if not self._selected:
            self.status = "请先点选要添加的照片"
            return
        paths = [p.path for p in sorted(self._photos, key=lambda p: (p.taken, p.name))
                 if str(p.path) in self._selected]  # fmt: skip
        confirm(
            "添加照片",
            f"将所选 {len(paths)} 张照片添加到：\n{self.target}\n（{self.enterprise}）",
            f"确认添加 {len(paths)} 张",
            lambda: self._add(paths),
            danger=False,
        )

    def _add(self, paths: list[Path]) -> None:
        self._selected = []
        self.chosen = 0
        on_pick = self._on_pick
        self.app.go(self._back)
        on_pick(paths)

    def cancel(self) -> None:
        self._selected = []
        self.chosen = 0
        self.app.go(self._back)


SCREEN = PickerScreen
