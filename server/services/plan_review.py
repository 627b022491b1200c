"""计划审核: map each task imported as printed to a structured ratio, filter and
items, from proposals, before the plan can be published.

The printed cells stay on the task (``Task.printed["columns"]``) and in
``item_scope``/the publication as the plan words them; what the draw uses is
the structured ratio (“3%”, “A:3%;B:10%”), filter (“行业领域=煤矿”) and item
numbers the office confirms here.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from shared.draw.parse import format_filter, parse_filter, parse_ratio
from shared.enums import Industry

from ..extensions import db
from ..models import CheckItem, ItemListVersion, Plan, Task
from ..models._types import utcnow
from . import task_items
from .plan_table import CONFIRMED, PENDING
from .plans import PlanError, _audit, check_task, is_drawn, record_change

__all__ = ["CONFIRMED", "PENDING", "confirm_task", "item_choices", "propose", "review_rows"]

I = Industry  # noqa: E741 – the table below reads better short
# Words of plan prose → industries; longest first, and a matched word is
# blanked so “非煤矿山” never also counts as “煤矿”.
_WORDS: list[tuple[str, tuple[Industry, ...]]] = sorted([
    ("非煤矿山", (I.NON_COAL_MINE,)), ("金属非金属矿山", (I.NON_COAL_MINE,)),
    ("尾矿库", (I.NON_COAL_MINE,)),
    ("洗(储)煤", (I.COAL_WASHING,)), ("洗(选)煤", (I.COAL_WASHING,)), ("洗选煤", (I.COAL_WASHING,)),
    ("洗煤", (I.COAL_WASHING,)), ("储煤", (I.COAL_WASHING,)), ("配煤", (I.COAL_WASHING,)),
    ("危险化学品生产经营", (I.HAZCHEM_PRODUCTION, I.HAZCHEM_TRADING)),
    ("危险化学品生产、经营", (I.HAZCHEM_PRODUCTION, I.HAZCHEM_TRADING)),
    ("危险化学品生产", (I.HAZCHEM_PRODUCTION,)), ("危险化学品经营", (I.HAZCHEM_TRADING,)),
    ("危险化学品", (I.HAZCHEM_PRODUCTION, I.HAZCHEM_TRADING)),
    ("危化品", (I.HAZCHEM_PRODUCTION, I.HAZCHEM_TRADING)), ("化工", (I.HAZCHEM_PRODUCTION,)),
    ("烟花爆竹", (I.FIREWORKS,)), ("冶金", (I.METALLURGY,)), ("工商贸", (I.INDUSTRY_TRADE,)),
    ("工贸", (I.INDUSTRY_TRADE,)), ("安全评价", (I.SAFETY_SERVICE,)),
    ("检验检测", (I.SAFETY_SERVICE,)), ("检测服务", (I.SAFETY_SERVICE,)),
    ("培训", (I.TRAINING,)), ("煤矿", (I.COAL_MINE,)),
], key=lambda w: -len(w[0]))

_AT_LEAST = re.compile(r"不(?:低|少)于\s*(\d+(?:\.\d+)?)\s*[%％]")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")


def industries_in(text: str | None) -> list[Industry]:
    s = (text or "").replace("（", "(").replace("）", ")")
    found: list[Industry] = []
    for word, inds in _WORDS:
        if word in s:
            s = s.replace(word, "□")
            found += [i for i in inds if i not in found]
    return sorted(found, key=list(Industry).index)


def _ratio(text: str) -> tuple[str | None, str | None]:
    """A structured ratio for printed text, and a note when it simplifies."""
    try:
        parse_ratio(text)
        return text.strip(), None
    except ValueError:
        pass
    if "全部" in text or "全覆盖" in text:
        return "100%", None
    note = None
    if "信用" in text:
        note = ("原文按信用风险等级设定比例，可改为分类比例（如 A:3%;B:10%;C:30%;D:50%）")
    if m := _AT_LEAST.search(text):
        return f"{m[1]}%", note
    found = _PERCENT.findall(text)
    return (f"{found[-1]}%" if found else None), note


def _latest_items() -> list[CheckItem]:
    number = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
    if number is None:
        return []
    return list(db.session.scalars(sa.select(CheckItem).join(ItemListVersion).where(
        ItemListVersion.number == number).order_by(CheckItem.code)))


def item_choices() -> list[tuple[str, str, list[str]]]:
    """(事项编号, 事项名称, 适用行业 labels) of the latest item list, for the review page."""
    return [(it.code, it.name, [Industry(i).label for i in it.industries or []])
            for it in _latest_items()]


def propose(row: dict[str, Any]) -> dict[str, Any]:
    """Proposals for a row as printed: ratio, filter (行业领域 from the words of
    the scope, else of the matter) and the item numbers applying to those
    industries.  Notes say what a person must still decide."""
    notes: list[str] = []
    ratio, note = _ratio(row.get("ratio") or "")
    if note:
        notes.append(note)
    if ratio is None:
        notes.append("原文没有可用的比例，请填写")
    scope = row.get("target_filter") or ""
    if "=" in scope.replace("＝", "="):
        target = scope
        inds = [i for c in parse_filter(scope) if c.key == "industry"
                for i in map(Industry, c.values)]
    else:
        inds = industries_in(scope) or industries_in(row.get("item_scope"))
        target = (format_filter(parse_filter("行业领域=" + ",".join(i.label for i in inds)))
                  if inds else None)
        if not inds:
            notes.append("无法从原文识别行业领域，请填写抽查对象范围")
    try:  # items the printed 抽查事项 names by number or name are the proposal
        named = task_items.resolve(row.get("item_scope"))
    except ValueError as exc:
        named = []
        notes.append(str(exc))
    codes = named or [it.code for it in _latest_items()
                      if inds and set(it.industries or []) & {i.value for i in inds}]
    return {"ratio": ratio, "target_filter": target, "item_codes": codes, "notes": notes}


def review_rows(plan: Plan) -> list[dict[str, Any]]:
    """Every task of the plan as the review page and API show it."""
    out = []
    for task in plan.tasks:
        printed = task.printed or {}
        out.append({
            "task_no": task.task_no, "name": task.name,
            "review": printed.get("review"), "printed": printed.get("columns") or {},
            "proposal": printed.get("proposal") or {},
            "ratio": task.ratio, "target_filter": task.target_filter,
            "item_codes": list(task.item_codes or []),
            "confirmed_by": printed.get("confirmed_by"),
            "confirmed_at": printed.get("confirmed_at"),
        })
    return out


def confirm_task(task: Task, values: dict[str, Any], actor: str,
                 reason: str | None = None) -> Task:
    """Set the structured ratio, filter and items of a task imported as
    printed (the proposal for whatever ``values`` leaves out) and mark it
    reviewed.  ``PlanError`` in Chinese if they do not validate."""
    printed = dict(task.printed or {})
    if not printed:
        raise PlanError(409, f"任务{task.task_no}不是按原文导入的，无需计划审核，可直接修改")
    if is_drawn(task):
        raise PlanError(409, f"任务{task.task_no}已抽取，不能修改")
    proposal = printed.get("proposal") or {}
    after = {
        "ratio": (values.get("ratio") or proposal.get("ratio") or "").strip(),
        "target_filter": (values.get("target_filter") or proposal.get("target_filter")
                          or "").strip() or None,
        "item_codes": list(values["item_codes"] if values.get("item_codes") is not None
                           else proposal.get("item_codes") or []),
    }
    check = {"draw_type": task.draw_type, "ratio": after["ratio"],
             "target_filter": after["target_filter"], "window_start": task.window_start,
             "window_end": task.window_end, "team_size": task.team_size,
             "item_codes": after["item_codes"]}
    try:
        if not after["ratio"]:
            raise ValueError("请填写抽查比例（例：3%，或 A:3%;B:10%;C:30%;D:50%）")
        check_task(check)
        after["target_filter"] = format_filter(parse_filter(after["target_filter"])) or None
    except ValueError as exc:
        raise PlanError(422, f"任务{task.task_no}：{exc}") from None
    known = {it.code for it in _latest_items()}
    unknown = [c for c in after["item_codes"] if c not in known]
    if unknown:
        raise PlanError(422, f"任务{task.task_no}：事项编号不在最新事项清单中："
                             f"{'、'.join(unknown)}")
    before = {"ratio": task.ratio, "target_filter": task.target_filter,
              "item_codes": list(task.item_codes or []), "review": printed.get("review")}
    record_change(task.plan, actor, reason, f"计划审核：确认任务{task.task_no}的比例、范围和事项")
    task.ratio, task.target_filter = after["ratio"], after["target_filter"]
    task.item_codes = after["item_codes"]
    task.printed = {**printed, "review": CONFIRMED, "confirmed_by": actor,
                    "confirmed_at": utcnow().isoformat(timespec="seconds")}
    _audit(actor, "update", "task", task.task_no, before, {**after, "review": CONFIRMED},
           "review")
    db.session.commit()
    return task
