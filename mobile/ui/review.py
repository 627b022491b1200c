"""Review and finish: the readable 现场检查记录 before the record is locked and queued."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.errors import CoreError, IncompleteRecordError


class ReviewScreen(Screen):
    uuid = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")
    problems = StringProperty("")
    ready = BooleanProperty(False)
    locked = BooleanProperty(False)
    status = StringProperty("")

    def prepare(self, uuid: str | None = None, **_: Any) -> None:
        self.uuid = uuid or self.uuid or App.get_running_app().record_uuid
        app = App.get_running_app()
        summary = app.inspections.summary(self.uuid)
        rec = app.inspections.view(self.uuid)
        self.title, self.text = summary.title, summary.text
        self.problems = "\n".join(f"· {p}" for p in summary.problems)
        self.ready, self.locked = summary.ready, rec["locked"]
        self.status = "该记录已完成并锁定，等待上传或已上传" if self.locked else ""

    def finish(self) -> None:
        app = App.get_running_app()
        try:
            app.inspections.finish(self.uuid)
        except IncompleteRecordError as exc:
            self.problems = "\n".join(f"· {p}" for p in exc.problems)
            self.ready = False
            return
        except CoreError as exc:
            self.status = exc.message
            return
        self.prepare(self.uuid)
        self.status = "记录已锁定并加入上传队列；联网后点“同步”上传"
        app.refresh_counts()


SCREEN = ReviewScreen
