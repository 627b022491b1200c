"""My tasks: by status, then deadline; unannounced (暗查暗访) tasks marked."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.screenmanager import Screen

from mobile.core.store import Store

# outbox state -> (sort rank, label); a visit without a record is "to do"
STATUS = {
    None: (1, "待检查"),
    "draft": (0, "检查中"),
    "rejected": (2, "被退回"),
    "queued": (3, "待上传"),
    "sending": (3, "待上传"),
    "sent": (4, "已上传"),
}
FILTERS = ("全部", "检查中", "待检查", "被退回", "待上传", "已上传")


def task_rows(store: Store) -> list[dict[str, Any]]:
    """One dict per task package, sorted by status then deadline (window end)."""
    states = {
        r["visit_id"]: r["state"]
        for r in store.all(
            "SELECT r.visit_id, o.state FROM records r LEFT JOIN outbox o"
            " ON o.record_uuid = r.uuid"
        )
    }
    rows = []
    for pkg in store.packages():
        task, ent = pkg["task"], pkg["enterprise"]
        rank, label = STATUS.get(states.get(pkg["visit_id"]), STATUS[None])
        if pkg.get("withdrawn"):
            label += "（任务已撤回）"
        rows.append(
            {
                "visit_id": pkg["visit_id"],
                "enterprise": ent["name"],
                "task": f"{task['name']}（{task['task_no']}）",
                "window": f"检查时限：{task['window_start']} 至 {task['window_end']}",
                "status": label,
                "unannounced": bool(task.get("unannounced")),
                "rank": rank,
                "deadline": task["window_end"],
            }
        )
    rows.sort(key=lambda r: (r["rank"], r["deadline"], r["visit_id"]))
    return rows


class TaskRow(RecycleDataViewBehavior, ButtonBehavior, BoxLayout):
    visit_id = StringProperty("")
    enterprise = StringProperty("")
    task = StringProperty("")
    window = StringProperty("")
    status = StringProperty("")
    unannounced = BooleanProperty(False)

    def on_release(self) -> None:
        App.get_running_app().go("enterprise", visit_id=self.visit_id)


class TaskListScreen(Screen):
    shown = StringProperty("")
    status_filter = StringProperty("全部")

    def prepare(self, **_: Any) -> None:
        self.refresh()

    def refresh(self, *_: Any) -> None:
        rows = task_rows(App.get_running_app().store)
        todo = sum(1 for r in rows if r["rank"] < 2)
        if self.status_filter != "全部":
            rows = [r for r in rows if r["status"].startswith(self.status_filter)]
        for r in rows:
            r.pop("rank")
            r.pop("deadline")
        self.ids.rv.data = rows
        self.shown = f"共 {len(rows)} 个任务，其中 {todo} 个尚未完成" if rows else "暂无任务"

    def set_filter(self, value: str) -> None:
        self.status_filter = value
        self.refresh()


SCREEN = TaskListScreen
