"""一企一档 on the tablet: what the inspector reads before going through the gate."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from mobile.core.timefmt import cn_date, days_left, outside_window, today
from mobile.ui.widgets import AppScreen, confirm
from shared.enums import CheckMethod, HazardLevel, Industry, LabeledEnum, Outcome, RiskLevel, Scale
from shared.orders import describe_order

FACTS = (
    ("统一社会信用代码", "uscc", None),
    ("行业领域", "industry", Industry),
    ("属地", "street", None),
    ("地址", "address", None),
    ("法定代表人", "legal_rep", None),
    ("联系人", "contact", None),
    ("联系电话", "contact_phone", None),
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


def _previous(d: dict[str, Any]) -> str:
    """One earlier result in words: 2026年10月9日：发现问题已责令改正."""
    when = cn_date(d.get("date"), "日期不详")
    return f"{when}：{_label(Outcome, d.get('outcome'))}" if d.get("outcome") else when


def hazard_text(h: dict[str, Any], items: dict[str, str] | None = None) -> str:
    """An earlier hazard: what, where, how serious, by when, what was ordered."""
    line = ""
    if h.get("level"):
        line += f"【{_label(HazardLevel, h['level'])}隐患】"
    line += h.get("description") or "（未写明）"
    if h.get("location"):
        line += f"（{h['location']}）"
    if items and h.get("item_code") in items:
        line += f"\n对应事项：{items[h['item_code']]}"
    if h.get("deadline"):
        line += f"\n整改期限：{cn_date(h['deadline'])}（{days_left(h['deadline'])}）"
    orders = [describe_order(o) for o in h.get("orders") or [] if o.get("kind")]
    if orders:
        line += "\n原处理措施：" + "；".join(orders)
    return line


def enterprise_text(pkg: dict[str, Any]) -> dict[str, str]:
    """The file's sections as display text."""
    ent, task, hist = pkg["enterprise"], pkg["task"], pkg.get("history") or {}
    facts = [f"{label}：{_label(enum, ent.get(key))}" for label, key, enum in FACTS]
    facts += [f"{k}：{v}" for k, v in ent.items() if k not in KNOWN and v not in (None, "")]
    team = [
        f"{m['name']}（执法证号 {m['cert_no']}）" + ("，组长" if m.get("leader") else "")
        for m in pkg["team"]
    ]
    # Drawn with the team (absent in packages of older servers).
    team += [f"专家：{e}" for e in pkg.get("experts") or []]
    if pkg.get("host_department"):
        team.append(f"主办科室：{pkg['host_department']}")
    prev = [_previous(r) for r in hist.get("previous_results") or []] or ["无以往检查记录"]
    names = {i["code"]: f"第{n}项 {i['name']}" for n, i in enumerate(pkg["items"], start=1)}
    hazards = [hazard_text(h, names) for h in hist.get("open_hazards") or []]
    notice = pkg.get("notice")
    if task.get("unannounced"):
        notice_text = "暗查暗访任务：不向企业告知，检查完成前不得向企业和公众透露。"
    elif notice:
        notice_text = notice_line(notice)
    else:
        notice_text = "尚未发出检查告知"
    items = []
    for n, i in enumerate(pkg["items"], start=1):
        line = f"{n}. {i['name']}" + (f"—{i['sub_item']}" if i.get("sub_item") else "")
        if i.get("method"):
            line += f"（{_label(CheckMethod, i['method'])}）"
        if i.get("legal_basis"):
            line += f"\n   依据：{i['legal_basis']}"
        items.append(line)
    return {
        "title": ent["name"],
        "task": f"{task['name']}（{task['task_no']}）\n"
        f"检查时限：{cn_date(task['window_start'])} 至 {cn_date(task['window_end'])}"
        f"（{_window_note(task)}）\n"
        f"抽查事项：{len(pkg['items'])} 项",
        "items": "\n".join(items),
        "facts": "\n".join(facts),
        "team": "\n".join(team),
        "previous": "\n".join(prev),
        "hazards": "\n\n".join(hazards) or "无未整改隐患",
        "notice": notice_text,
    }


def notice_line(notice: dict[str, Any]) -> str:
    """（示）应急抽通〔2026〕50号，2026年12月3日送达 – the date in words like every
    other date the inspector reads (it came as 2026-12-03)."""
    parts = [notice.get("doc_no") or "通知书文号不详"]
    if notice.get("sent_at"):
        parts.append(f"{cn_date(notice['sent_at'][:10])}发出")
    return "，".join(parts)


def _window_note(task: dict[str, Any]) -> str:
    if str(task["window_start"]) > today().isoformat():
        return "尚未开始"
    return days_left(task["window_end"])


class EnterpriseScreen(AppScreen):
    visit_id = StringProperty("")
    title = StringProperty("")
    task = StringProperty("")
    facts = StringProperty("")
    team = StringProperty("")
    previous = StringProperty("")
    hazards = StringProperty("")
    notice = StringProperty("")
    items = StringProperty("")
    unannounced = BooleanProperty(False)
    reinspection = BooleanProperty(False)
    withdrawn = StringProperty("")  # the office's reason, if the task was withdrawn
    can_start = BooleanProperty(True)
    action = StringProperty("开始检查")
    early_late = StringProperty("")  # today is outside the task's 检查时限 (no record yet)

    def prepare(self, visit_id: str | None = None, **_: Any) -> None:
        app = self.app
        if visit_id:
            self.visit_id = app.visit_id = visit_id
        pkg = app.store.package(self.visit_id)
        if pkg is None:
            return
        for key, value in enterprise_text(pkg).items():
            setattr(self, key, value)
        self.unannounced = bool(pkg["task"].get("unannounced"))
        self.reinspection = bool(pkg["task"].get("reinspection"))
        uuid = app.inspections.record_for_visit(self.visit_id)
        self.withdrawn = (
            "该任务已被撤回：" + (pkg.get("withdrawn_reason") or "办公室未说明理由")
            + ("。本机已有的检查记录保留，可查看和上传。" if uuid else "。请勿开始检查。")
            if pkg.get("withdrawn") else ""
        )  # fmt: skip
        self.can_start = bool(uuid) or not pkg.get("withdrawn")
        task = pkg["task"]
        self.early_late = "" if uuid else outside_window(task["window_start"], task["window_end"])
        word = "复查" if self.reinspection else "检查"
        rec = app.inspections.view(uuid) if uuid else None
        if rec is not None and rec["locked"]:  # finished: viewed, or corrected from there
            where = "已上传" if rec["state"] == "sent" else "待上传"
            self.action = f"查看{word}记录（{where}）"
        else:
            self.action = f"继续{word}" if uuid else f"开始{word}（记录开始时间）"

    def start(self) -> None:
        if self.early_late and not self.app.inspections.record_for_visit(self.visit_id):
            # the office may have a reason (a rescheduled visit); the server decides
            # whether the record is accepted – the inspector starts knowingly
            confirm("不在检查时限内",
                    f"{self.early_late}。\n\n在检查时限外开始检查，须有办公室的安排（如调整检查"
                    "时间）；记录上传后由办公室审核。确定现在开始检查并记录开始时间吗？",
                    "仍然开始", self._start, no="暂不开始", danger=True)
            return
        self._start()

    def _start(self) -> None:
        app = self.app
        app.record_uuid = app.inspections.start(self.visit_id)
        app.go("inspection", uuid=app.record_uuid, resume=True)


SCREEN = EnterpriseScreen
