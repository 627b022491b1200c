"""一企一档 on the tablet: what the inspector reads before going through the gate."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from shared.enums import Industry, LabeledEnum, RiskLevel, Scale

FACTS = (
    ("统一社会信用代码", "uscc", None),
    ("行业领域", "industry", Industry),
    ("属地", "street", None),
    ("地址", "address", None),
    ("法定代表人", "legal_rep", None),
    ("联系人", "contact", None),
    ("规模", "scale", Scale),
    ("安全风险等级", "risk_level", RiskLevel),
)
KNOWN = {k for _, k, _ in FACTS} | {"name"}


def _label(enum: type[LabeledEnum] | None, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if enum is None:
        return str(value)
    try:
        return enum.parse(value).label
    except ValueError:
        return str(value)


def _entry(d: dict[str, Any]) -> str:
    """A history row of unknown shape as one readable line (the server may add keys)."""
    return "；".join(f"{v}" for v in d.values() if v not in (None, ""))


def enterprise_text(pkg: dict[str, Any]) -> dict[str, str]:
    """The file's sections as display text."""
    ent, task, hist = pkg["enterprise"], pkg["task"], pkg.get("history") or {}
    facts = [f"{label}：{_label(enum, ent.get(key))}" for label, key, enum in FACTS]
    facts += [f"{k}：{v}" for k, v in ent.items() if k not in KNOWN and v not in (None, "")]
    team = [
        f"{m['name']}（执法证号 {m['cert_no']}）" + ("，组长" if m.get("leader") else "")
        for m in pkg["team"]
    ]
    prev = [_entry(r) for r in hist.get("previous_results") or []] or ["无以往检查记录"]
    hazards = []
    for h in hist.get("open_hazards") or []:
        line = h.get("description") or _entry(h)
        if h.get("deadline"):
            line += f"（整改期限：{h['deadline']}）"
        hazards.append(line)
    notice = pkg.get("notice")
    if task.get("unannounced"):
        notice_text = "暗查暗访任务：不向企业告知，检查完成前不得向企业和公众透露。"
    elif notice:
        notice_text = "；".join(f"{v}" for v in notice.values() if v)
    else:
        notice_text = "尚未发出检查告知"
    return {
        "title": ent["name"],
        "task": f"{task['name']}（{task['task_no']}）\n"
        f"检查时限：{task['window_start']} 至 {task['window_end']}\n"
        f"抽查事项：{len(pkg['items'])} 项",
        "facts": "\n".join(facts),
        "team": "\n".join(team),
        "previous": "\n".join(prev),
        "hazards": "\n".join(hazards) or "无未整改隐患",
        "notice": notice_text,
    }


class EnterpriseScreen(Screen):
    visit_id = StringProperty("")
    title = StringProperty("")
    task = StringProperty("")
    facts = StringProperty("")
    team = StringProperty("")
    previous = StringProperty("")
    hazards = StringProperty("")
    notice = StringProperty("")
    unannounced = BooleanProperty(False)
    action = StringProperty("开始检查")

    def prepare(self, visit_id: str | None = None, **_: Any) -> None:
        app = App.get_running_app()
        if visit_id:
            self.visit_id = app.visit_id = visit_id
        pkg = app.store.package(self.visit_id)
        if pkg is None:
            return
        for key, value in enterprise_text(pkg).items():
            setattr(self, key, value)
        self.unannounced = bool(pkg["task"].get("unannounced"))
        uuid = app.inspections.record_for_visit(self.visit_id)
        self.action = "继续检查" if uuid else "开始检查"

    def start(self) -> None:
        app = App.get_running_app()
        app.record_uuid = app.inspections.start(self.visit_id)
        app.go("inspection", uuid=app.record_uuid)


SCREEN = EnterpriseScreen
