"""Evidence: photos (camera on Android; a file or a watched import folder on a
desktop – explosion-proof cameras hand over an SD card), audio notes and
photos of documents. Decoding a 12 MP photo takes a while, so it runs on a
worker thread; the list refreshes on the main thread when it is stored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core import thumbnails
from mobile.core.jobs import SerialJobs
from mobile.platform import audio, camera, permissions
from mobile.ui.threads import background
from mobile.ui.widgets import message

KINDS = (("photo", "现场照片"), ("document", "文件照片"), ("audio", "录音"))
FILTERS = [
    "*.jpg", "*.jpeg", "*.JPG", "*.png", "*.pdf", "*.m4a", "*.mp3", "*.wav", "*.amr", "*.ogg"
]
WATCH_SECONDS = 3.0
# One import at a time, in the order given: each uses both cores and ~40 MB already,
# and an SD card brings hundreds of photos at once (mobile/core/jobs.py).
IMPORTS = SerialJobs("suicha-import")
THUMBS = SerialJobs("suicha-thumbs")


def default_import_dir() -> str:
    return os.environ.get("SUICHA_IMPORT_DIR") or str(Path.home() / "DCIM")


class EvidenceScreen(Screen):
    uuid = StringProperty("")
    item_code = StringProperty("", allownone=True)
    hazard_id = StringProperty("", allownone=True)
    target = StringProperty("")
    kind = StringProperty("photo")
    busy = NumericProperty(0)  # files being imported right now
    status = StringProperty("")
    rows = ListProperty([])
    recording = BooleanProperty(False)
    locked = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._folder: camera.ImportFolder | None = None
        self._recorder = audio.AudioRecorder()
        self._failures: list[str] = []  # of the current batch of imports
        self._scanning = False  # a read of the watched folder is under way
        self._watch = None

    def prepare(
        self,
        uuid: str | None = None,
        item_code: str | None = None,
        hazard_id: str | None = None,
        **_: Any,
    ) -> None:
        self.uuid = uuid or self.uuid or App.get_running_app().record_uuid
        self.item_code, self.hazard_id = item_code or "", hazard_id or ""
        if not self.ids.folder.text:
            self.ids.folder.text = default_import_dir()
        self.status = ""
        self.refresh()

    def on_enter(self, *_: Any) -> None:
        self._watch = Clock.schedule_interval(lambda dt: self.scan_folder(), WATCH_SECONDS)

    def on_leave(self, *_: Any) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def refresh(self) -> None:
        rec = App.get_running_app().inspections.view(self.uuid)
        self.locked = rec["locked"]
        items = {i["code"]: (n, i["name"]) for n, i in enumerate(rec["items"], start=1)}
        hazards = {h["id"]: h["description"] for h in rec["hazards"]}
        if self.item_code:
            n, name = items[self.item_code]
            self.target = f"第{n}项：{name}"
        elif self.hazard_id:
            self.target = f"隐患：{hazards.get(self.hazard_id, '')[:30]}"
        else:
            self.target = "整体现场证据"
        labels = dict(KINDS)
        thumbs = App.get_running_app().store.thumbs_dir
        missing = []
        for a in rec["attachments"]:
            a["thumb"] = ""
            if a["mime"].startswith("image/"):
                thumb = thumbnails.path_for(thumbs, a["sha256"])
                if thumb.exists():
                    a["thumb"] = str(thumb)
                else:
                    missing.append((Path(a["upload_path"]), a["sha256"]))
        if missing:  # made off the main thread; the list is shown again when they are
            background(lambda: self._make_thumbs(missing), self._thumbs_made, lambda _: None,
                       jobs=THUMBS)  # fmt: skip
        self.rows = [
            {
                "att_id": a["id"],
                "source": a["thumb"],
                "text": labels.get(a["kind"], a["kind"])
                + "\n"
                + (
                    f"第{items[a['item_code']][0]}项"
                    if a["item_code"] in items
                    else ("隐患" if a["hazard_id"] else "整体")
                )
                + f"\n{a['original_name'] or ''}",
            }
            for a in rec["attachments"]
        ]
        App.get_running_app().refresh_counts()

    def _make_thumbs(self, missing: list[tuple[Path, str]]) -> int:
        thumbs, made = App.get_running_app().store.thumbs_dir, 0
        for copy, sha in missing:
            try:
                thumbnails.make(thumbs, copy, sha)
                made += 1
            except (OSError, ValueError):  # the copy is gone (purged) or unreadable
                continue
        return made

    def _thumbs_made(self, made: int) -> None:
        if made and self.uuid:
            self.refresh()

    # -- getting files in ------------------------------------------------------

    def add_file(self, path: str | Path, capture: bool = False,
                 folder: camera.ImportFolder | None = None) -> None:  # fmt: skip
        """Import one file as evidence of the current target (on a worker thread);
        *capture*: the app's camera or microphone wrote it, and it is moved in;
        *folder*: the watched folder it came from, told if the import fails."""
        if self.locked:
            message("记录已锁定", "该检查记录已完成，不能再添加证据")
            return
        app = App.get_running_app()
        uuid, kind = self.uuid, self.kind
        item, hazard = self.item_code or None, self.hazard_id or None
        name = Path(path).name
        if not self.busy:
            self._failures = []  # a new batch
        self.busy += 1
        self.status = f"正在处理：{name}"

        def work() -> str:
            return app.inspections.add_attachment(
                uuid, camera.pick_file(path), kind=kind, item_code=item, hazard_id=hazard,
                capture=capture,
            )  # fmt: skip

        def failed(text: str) -> None:
            if folder is not None:
                folder.failed(Path(path))  # tried again if the file is copied again
            self._failed(name, text)

        background(work, self._added, failed, jobs=IMPORTS)

    def _added(self, _: Any) -> None:
        self.busy -= 1
        if not self.busy:
            self.status = "已保存" if not self._failures else self._failed_text()
        self.refresh()

    def _failed(self, name: str, text: str) -> None:
        self.busy -= 1
        self._failures.append(f"{name}：{text}")
        self.status = self._failed_text()

    def _failed_text(self) -> str:
        if len(self._failures) == 1:
            return self._failures[0]
        return f"{len(self._failures)} 个文件未能导入，最近一个：{self._failures[-1]}"

    def add_selected(self) -> None:
        chosen = list(self.ids.chooser.selection)
        typed = self.ids.path.text.strip()
        if typed:
            chosen.append(typed)
            self.ids.path.text = ""
        if not chosen:
            self.status = "请先选择文件，或输入文件路径"
        for p in chosen:
            self.add_file(p)

    def scan_folder(self) -> None:
        """Import what is new in the watched folder (an SD card, a USB mount). The
        folder is read on a worker thread: a card with thousands of files, or a slow
        mount, must not stall the screen every few seconds."""
        root = Path(self.ids.folder.text.strip()).expanduser()
        if self._folder is None or self._folder.root != root:
            # files already attached (by name) are not imported again
            done = {r["text"].rsplit("\n", 1)[-1] for r in self.rows}
            self._folder = camera.ImportFolder(root, skip=done)
        if self.locked or self._scanning:
            return
        self._scanning = True
        folder = self._folder
        background(folder.new_files, lambda found: self._scanned(folder, found),
                   lambda text: self._scanned(folder, []))  # fmt: skip

    def _scanned(self, folder: camera.ImportFolder, found: list[Path]) -> None:
        self._scanning = False
        for p in found:
            self.add_file(p, folder=folder)

    def take_photo(self) -> None:
        target = App.get_running_app().store.new_capture(".jpg")
        if not camera.take_photo(target, self._camera_done):
            message(
                "无法使用相机",
                "本机没有可用的相机，或未允许本应用使用相机（可在系统设置中开启）。"
                "也可从文件或导入文件夹（防爆相机的存储卡）添加照片。",
            )

    @mainthread
    def _camera_done(self, path: Path | None) -> None:
        if path is not None:
            self.add_file(path, capture=True)

    def toggle_audio(self) -> None:
        """Record an audio note with the device microphone (Android): the first press
        starts, the second stops and imports it."""
        if not self.recording:
            target = App.get_running_app().store.new_capture(".m4a")
            if not permissions.granted("RECORD_AUDIO") or not self._recorder.start(target):
                message(
                    "无法录音",
                    "本机不支持录音，或未允许本应用使用麦克风（可在系统设置中开启）。"
                    "也可从文件添加录音（m4a、mp3、wav、amr、ogg）。",
                )
                return
            self.recording = True
            return
        self.recording = False
        recorded = self._recorder.stop()
        if recorded is None:
            self.status = "录音失败，未保存"
            return
        self.kind = "audio"
        self.add_file(recorded, capture=True)

    def remove(self, att_id: str) -> None:
        try:
            App.get_running_app().inspections.remove_attachment(self.uuid, att_id)
        except Exception as exc:  # noqa: BLE001 - a locked record, shown to the user
            message("无法删除", str(exc))
        self.refresh()


SCREEN = EvidenceScreen
