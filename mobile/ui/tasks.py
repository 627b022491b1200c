"""My tasks: search, filter by status, sort by status and deadline or by deadline
alone; each row says how many days are left (or how many overdue), where the
plant is and whom to call; unannounced (暗查暗访) tasks marked."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior

from mobile.core.store import Store
from mobile.core.timefmt import cn_date, days_left, today
from mobile.ui.widgets import AppScreen

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
SORTS = {"status": "按状态", "deadline": "按截止日期"}


def task_rows(store: Store, query: str = "", sort: str = "status") -> list[dict[str, Any]]:
    """One dict per task package matching *query* (enterprise, address, street,
    task, contact), sorted by status then deadline, or by deadline alone."""
    states = store.record_states()
    now, q = today(), query.strip()
    rows = []
    for pkg in store.packages():
        task, ent = pkg["task"], pkg["enterprise"]
        haystack = " ".join(
            str(ent.get(k) or "")
            for k in ("name", "address", "street", "contact", "contact_phone", "uscc")
        )
        if q and q not in haystack + task["name"] + task["task_no"]:
            continue
        state = (states.get(pkg["visit_id"]) or {}).get("state")
        rank, label = STATUS.get(state, STATUS[None])
        open_work = state in (None, "draft", "rejected")
        left = days_left(task["window_end"], now) if open_work else ""
        if open_work and str(task["window_start"]) > now.isoformat():
            left = f"{cn_date(task['window_start'])}起"  # not "剩余17天" before it opens
        if pkg.get("withdrawn"):
            label += "（任务已撤回）"
            left = ""
        where = "　".join(x for x in (ent.get("street"), ent.get("address")) if x)
        contact = "　".join(x for x in (ent.get("contact"), ent.get("contact_phone")) if x)
        rows.append(
            {
                "visit_id": pkg["visit_id"],
                "enterprise": ent["name"],
                "task": f"{task['name']}（{task['task_no']}）",
                "window": f"截止 {cn_date(task['window_end'])}",
                "left": left,
                "overdue": left.startswith("已逾期"),
                "where": where or "地址未登记",
                "contact": f"联系人：{contact}" if contact else "联系人未登记",
                "status": label,
                "unannounced": bool(task.get("unannounced")),
                "reinspection": bool(task.get("reinspection")),
                "rank": rank,
                "deadline": str(task["window_end"]),
            }
        )
    if sort == "deadline":
        rows.sort(key=lambda r: (r["deadline"], r["rank"], r["visit_id"]))
    else:
        rows.sort(key=lambda r: (r["rank"], r["deadline"], r["visit_id"]))
    return rows


class TaskRow(RecycleDataViewBehavior, ButtonBehavior, BoxLayout):
    visit_id = StringProperty("")
    enterprise = StringProperty("")
    task = StringProperty("")
    window = StringProperty("")
    left = StringProperty("")
    overdue = BooleanProperty(False)
    where = StringProperty("")
    contact = StringProperty("")
    status = StringProperty("")
    unannounced = BooleanProperty(False)
    reinspection = BooleanProperty(False)

    def on_release(self) -> None:
        App.get_running_app().go("enterprise", visit_id=self.visit_id)


class TaskListScreen(AppScreen):
    shown = StringProperty("")
    status_filter = StringProperty("全部")
    sort = StringProperty("status")

    def prepare(self, **_: Any) -> None:
        self.refresh()

    def refresh(self, *_: Any) -> None:
        rows = task_rows(self.app.store, self.ids.search.text, self.sort)
        todo = sum(1 for r in rows if r["rank"] < 2)
        late = sum(1 for r in rows if r["overdue"])
        if self.status_filter != "全部":
            rows = [r for r in rows if r["status"].startswith(self.status_filter)]
        for r in rows:
            r.pop("rank")
            r.pop("deadline")
        self.ids.rv.data = rows
        self.shown = (
            f"共 {len(rows)} 个任务，其中 {todo} 个尚未完成"
            + (f"，{late} 个已逾期" if late else "")
            if rows
            else ("没有符合条件的任务" if self.ids.search.text.strip() else "暂无任务")
        )

    def set_filter(self, value: str) -> None:
        self.status_filter = value
        self.refresh()

    def set_sort(self, value: str) -> None:
        self.sort = value
        self.refresh()


SCREEN = TaskListScreen
