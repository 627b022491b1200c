"""Review and finish: the readable 现场检查记录 before the record is locked and
queued; for a finished record, 更正 reopens it with a reason (an amendment the
server keeps as a new version; the reason goes in the trail)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from mobile.core.errors import CoreError, IncompleteRecordError
from mobile.ui.widgets import AppScreen, cjk_wrap, confirm


class ReviewScreen(AppScreen):
    uuid = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")
    problems = StringProperty("")
    ready = BooleanProperty(False)
    locked = BooleanProperty(False)
    status = StringProperty("")

    def prepare(self, uuid: str | None = None, **_: Any) -> None:
        self.uuid = uuid or self.uuid or self.app.record_uuid
        summary = self.app.inspections.summary(self.uuid)
        rec = self.app.inspections.view(self.uuid)
        self.title, self.text = summary.title, cjk_wrap(summary.text)
        self.problems = "\n".join(f"· {p}" for p in summary.problems)
        self.ready, self.locked = summary.ready, rec["locked"]
        self.status = {
            "queued": "该记录已完成并锁定，等待上传",
            "sending": "该记录正在上传",
            "sent": "该记录已上传到服务器",
            "rejected": "该记录被服务器退回：" + (rec["last_error"] or ""),
        }.get(rec["state"] or "", "")

    def finish(self) -> None:
        try:
            self.app.inspections.finish(self.uuid)
        except IncompleteRecordError as exc:
            self.problems = "\n".join(f"· {p}" for p in exc.problems)
            self.ready = False
            return
        except CoreError as exc:
            self.status = exc.message
            return
        self.prepare(self.uuid)
        self.status = "记录已锁定并加入上传队列；联网后点“同步”上传"
        self.app.refresh_counts()

    def ask_correction(self) -> None:
        """更正: reopen the finished record, saying why (kept in the trail; the
        upload becomes a new version of the record on the server)."""

        def reopen(reason: str) -> str | None:
            try:
                self.app.inspections.reopen(self.uuid, reason)
            except CoreError as exc:
                return exc.message
            self.app.go("inspection", uuid=self.uuid)
            return None

        confirm(
            "更正已完成的记录",
            "更正后须重新完成并上传；服务器保留原记录，更正作为新版本提交，理由记入执法全过程记录。",
            "开始更正",
            lambda: None,
            danger=False,
            answer_hint="更正理由（必填），例如：第2项说明填写有误",
            on_answer=reopen,
        )


SCREEN = ReviewScreen
