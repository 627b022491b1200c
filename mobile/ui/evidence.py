"""Evidence: photos (camera on Android; the photo picker for an SD card or the
camera roll – explosion-proof cameras hand over a card), audio notes and
photos of documents. Nothing on a card is attached by itself: the watched
folder only says how many photos taken since this inspection started are
waiting, and the inspector picks them and confirms the item they go to.
Decoding a 12 MP photo takes a while, so it runs on a worker thread; the list
refreshes on the main thread when it is stored."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from kivy.clock import Clock, mainthread
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from mobile.core import thumbnails
from mobile.core.jobs import SerialJobs
from mobile.core.summary import hazard_target
from mobile.platform import audio, camera, permissions
from mobile.ui.threads import background
from mobile.ui.widgets import AppScreen, confirm, message

KINDS = (("photo", "现场照片"), ("document", "文件照片"), ("audio", "录音"))
WATCH_SECONDS = 3.0
# One import at a time, in the order given: each uses both cores and ~40 MB already,
# and an SD card brings hundreds of photos at once (mobile/core/jobs.py).
IMPORTS = SerialJobs("suicha-import")
THUMBS = SerialJobs("suicha-thumbs")


def default_import_dir() -> str:
    return os.environ.get("SUICHA_IMPORT_DIR") or str(Path.home() / "DCIM")


class EvidenceScreen(AppScreen):
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
    back_to = StringProperty("inspection")
    waiting = NumericProperty(0)  # new photos on the card, taken since the start, not added
    enterprise = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._folder: camera.ImportFolder | None = None
        self._recorder = audio.AudioRecorder()
        self._failures: list[str] = []  # of the current batch of imports
        self._scanning = False  # a read of the watched folder is under way
        self._watch = None
        self._fresh: dict[Path, None] = {}  # settled card photos of this inspection
        self._started: datetime | None = None

    def prepare(
        self,
        uuid: str | None = None,
        item_code: str | None = None,
        hazard_id: str | None = None,
        back: str = "",
        **_: Any,
    ) -> None:
        if back:  # 返回 leads where the inspector came from (the picker keeps it)
            self.back_to = back
        elif uuid is not None:
            self.back_to = "inspection"
        new_uuid = uuid or self.uuid or self.app.record_uuid
        if new_uuid != self.uuid:
            self._folder, self._fresh = None, {}  # another inspection: its own photos
        returning = uuid is None and item_code is None and hazard_id is None
        self.uuid = new_uuid
        if not returning:  # back from the picker: the same target
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
        rec = self.app.inspections.view(self.uuid)
        self.locked = rec["locked"]
        self.enterprise = rec["package"]["enterprise"]["name"]
        self._started = datetime.fromisoformat(rec["started_at"])
        items = {i["code"]: (n, i["name"]) for n, i in enumerate(rec["items"], start=1)}
        hazards = {h["id"]: h for h in rec["hazards"]}
        if self.item_code:
            n, name = items[self.item_code]
            self.target = f"第{n}项：{name}"
        elif self.hazard_id:
            self.target = hazard_target(hazards.get(self.hazard_id), items)
        else:
            self.target = "整体现场证据"
        labels = dict(KINDS)
        thumbs = self.app.store.thumbs_dir
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
                "locked": self.locked,
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
        self.app.refresh_counts()

    def _make_thumbs(self, missing: list[tuple[Path, str]]) -> int:
        thumbs, made = self.app.store.thumbs_dir, 0
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
                 folder: camera.ImportFolder | None = None,
                 aim: tuple[str, str | None, str | None] | None = None) -> None:  # fmt: skip
        """Import one file as evidence of the current target (on a worker thread);
        *capture*: the app's camera or microphone wrote it, and it is moved in;
        *folder*: the watched folder it came from, told if the import fails."""
        if self.locked:
            message("记录已锁定", "该检查记录已完成，不能再添加证据")
            return
        app = self.app
        uuid, item, hazard = aim or (self.uuid, self.item_code or None, self.hazard_id or None)
        kind = self.kind
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

    def add_typed(self) -> None:
        """A file named by its path (an audio note or a document on a desktop)."""
        typed = self.ids.path.text.strip()
        if not typed:
            self.status = "请输入文件路径，或点“选择照片”"
            return
        self.ids.path.text = ""
        self.add_file(typed)

    def pick(self, only_new: bool = True) -> None:
        """The photo picker on the watched folder: the inspector chooses, sees the
        target named, confirms; only then are the photos imported."""
        if self.locked:
            message("记录已锁定", "该检查记录已完成，不能再添加证据")
            return
        folder = self.ids.folder.text.strip() or default_import_dir()
        # the target as it is now, fixed for these photos whatever happens meanwhile
        aim = (self.uuid, self.item_code or None, self.hazard_id or None)
        self.app.go("picker", folder=folder, since=self._started if only_new else None,
                    target=self.target, enterprise=self.enterprise,
                    on_pick=lambda paths: self._picked(paths, aim))  # fmt: skip

    def _picked(self, paths: list[Path], aim: tuple[str, str | None, str | None]) -> None:
        for p in paths:
            self._fresh.pop(Path(p), None)
            self.add_file(p, aim=aim)
        self.waiting = len(self._fresh)

    def scan_folder(self) -> None:
        """Count what is new in the watched folder (an SD card, a USB mount): photos
        taken since this inspection started, settled, not added yet. Nothing is
        attached here. Read on a worker thread: a card with thousands of files, or
        a slow mount, must not stall the screen every few seconds."""
        root = Path(self.ids.folder.text.strip()).expanduser()
        if self._folder is None or self._folder.root != root:
            # files already attached (by name) are not offered again
            done = {r["text"].rsplit("\n", 1)[-1] for r in self.rows}
            self._folder = camera.ImportFolder(root, skip=done)
            self._fresh = {}
        if self.locked or self._scanning:
            return
        self._scanning = True
        folder, since = self._folder, self._started

        def fresh() -> list[Path]:
            found = folder.new_files()
            if since is None:
                return found
            cut = since.timestamp()
            return [p for p in found if _mtime(p) >= cut]

        background(fresh, self._scanned, lambda text: self._scanned([]))

    def _scanned(self, found: list[Path]) -> None:
        self._scanning = False
        for p in found:
            self._fresh[p] = None
        self.waiting = len(self._fresh)

    def take_photo(self) -> None:
        target = self.app.store.new_capture(".jpg")
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
            target = self.app.store.new_capture(".m4a")
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

    def ask_remove(self, att_id: str) -> None:
        row = next((r for r in self.rows if r["att_id"] == att_id), None)
        if row is None:
            return
        what = row["text"].replace("\n", "，").strip("，")
        confirm("移除证据", f"从本记录中移除这份证据？\n{what}\n移除后须重新添加才能恢复。",
                "确认移除", lambda: self.remove(att_id))  # fmt: skip

    def remove(self, att_id: str) -> None:
        try:
            self.app.inspections.remove_attachment(self.uuid, att_id)
        except Exception as exc:  # noqa: BLE001 - a locked record, shown to the user
            message("无法删除", str(exc))
        self.refresh()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


SCREEN = EvidenceScreen
