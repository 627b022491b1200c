"""Annual plans and their tasks: import, create, change (with a reason), publish.

A published plan may still change (石家庄: 计划调整须说明理由并重新公布): every
change is appended to ``Plan.change_log`` with who, when and why, and the plan
goes back to ``changed`` until it is published again.  A task that has been
drawn never changes – its draw record describes it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa

from shared.draw import select_scope
from shared.draw.parse import WHOLE_POOL, parse_filter, parse_ratio
from shared.draw.snapshot import canonical_task
from shared.enums import CreditClass
from shared.lifecycle import PlanStatus

from ..extensions import db
from ..models import AuditLog, DrawRecord, Plan, Task
from ..models._types import utcnow
from . import task_items
from .draw.policy import JOINT_KEY, check_rules
from .draw.sheet_rules import SHEET_KEY
from .errors import ServiceError
from .plan_table import PENDING

PUBLISHED, CHANGED, DRAFT = (PlanStatus.PUBLISHED.value, PlanStatus.CHANGED.value,
                              PlanStatus.DRAFT.value)
STATUS_LABELS = {s.value: s.label for s in PlanStatus}
# Task attributes a plan row (or the API) sets; joint_group lives in Task.rules.
TASK_ATTRS = ("name", "draw_type", "ratio", "item_scope", "target_filter", "department",
              "joint_departments", "window_start", "window_end", "team_size", "unannounced")


class PlanError(ServiceError):
    """A refused plan operation: HTTP-like ``status`` and a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, status)


def check_task(values: dict[str, Any]) -> None:
    """Cross-field checks with the draw's own parsers; ``ValueError`` in Chinese."""
    shared_task = {"task_no": "x", "draw_type": values["draw_type"], "ratio": values["ratio"],
                   "scope": values.get("target_filter") or "",
                   "window_start": values["window_start"], "window_end": values["window_end"],
                   "team_size": values.get("team_size", 2)}
    canonical_task(shared_task)  # ratio, filter, dates, team size
    select_scope([], shared_task)  # 定向 needs a filter; 不定向 only by sub-registry
    check_strata(values["ratio"], values.get("target_filter"))
    codes = (values["item_codes"] if values.get("item_codes") is not None
             else task_items.resolve(values.get("item_scope")))
    task_items.check_fits(codes, values.get("target_filter"))


_EXAMPLE_RATIO = {"A": "3%", "B": "5%", "C": "20%", "D": "100%"}


def check_strata(ratio_text: str, target_filter: str | None) -> None:
    """A ratio the freeze can accept: per-class ratios cover every credit class
    the 抽查对象范围 admits (任何类别不得豁免), and no whole-pool ratio beside them.
    Refused where the task is entered, not found out at the freeze."""
    ratio = parse_ratio(ratio_text)
    if WHOLE_POOL in ratio:
        if len(ratio) > 1:
            raise ValueError("抽查比例不能同时设定统一比例和分类比例")
        return
    admitted = [c.value for c in CreditClass]
    for clause in parse_filter(target_filter):
        if clause.key == "credit_class":
            admitted = [c for c in admitted if c in clause.values]
    missing = [c for c in admitted if c not in ratio]
    if missing:
        example = ";".join(f"{c}:{_EXAMPLE_RATIO[c]}" for c in admitted)
        raise ValueError(f"分类抽查比例没有设定{'、'.join(missing)}类的比例：抽查对象范围内的每一类"
                         f"信用风险分类都须设定比例，任何类别不得豁免（例：{example}）")


def is_drawn(task: Task) -> bool:
    return task.status == "drawn" or db.session.scalar(
        sa.select(sa.func.count()).select_from(DrawRecord).where(DrawRecord.task_id == task.id)) > 0


def task_values(task: Task) -> dict[str, Any]:
    out = {a: getattr(task, a) for a in TASK_ATTRS}
    out[JOINT_KEY] = (task.rules or {}).get(JOINT_KEY)
    out["item_codes"] = list(task.item_codes or [])
    return out


def _apply(task: Task, values: dict[str, Any]) -> None:
    for a in TASK_ATTRS:
        if a in values:
            setattr(task, a, values[a])
    if "item_scope" in values and not task.printed:  # a reviewed task keeps its review's items
        task.item_codes = task_items.resolve(values["item_scope"])
    if JOINT_KEY in values:
        rules = {k: v for k, v in (task.rules or {}).items() if k != JOINT_KEY}
        if values[JOINT_KEY]:
            rules[JOINT_KEY] = values[JOINT_KEY]
        task.rules = rules
    if values.get(SHEET_KEY):  # rules set by the spreadsheet's rule columns
        merged = {**(task.rules or {}), **values[SHEET_KEY]}
        task.rules = {k: v for k, v in merged.items() if v is not None}


def _needs_reason(plan: Plan) -> bool:
    return plan.status in (PUBLISHED, CHANGED)


def record_change(plan: Plan, actor: str, reason: str | None, what: str) -> None:
    """Append to the change log of a published plan (which then needs republication)."""
    if not _needs_reason(plan):
        return
    if not (reason or "").strip():
        raise PlanError(409, f"计划{plan.plan_no}已发布，修改须说明理由（变更后需重新发布）")
    plan.change_log = [*(plan.change_log or []), {
        "at": utcnow().isoformat(timespec="seconds"), "by": actor,
        "reason": reason.strip(), "change": what}]
    plan.status = CHANGED


def _audit(actor: str, action: str, entity: str, key: str, before, after, source: str) -> None:
    db.session.add(AuditLog(actor=actor, action=action, entity=entity, entity_key=key,
                            before=_jsonable(before), after=_jsonable(after), source=source))


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def import_plans(data: bytes, filename: str, actor: str, reason: str | None = None,
                 **form: str | None):
    """Import a plan table: see ``plan_import.import_plans`` (kept here for callers)."""
    from .plan_import import import_plans as run  # plan_import builds on this module

    return run(data, filename, actor, reason, **form)


def get_plan(plan_no: str) -> Plan:
    plan = db.session.execute(sa.select(Plan).filter_by(plan_no=plan_no)).scalar_one_or_none()
    if plan is None:
        raise PlanError(404, f"未找到计划编号为{plan_no}的抽查计划")
    return plan


def get_task(task_no: str) -> Task:
    task = db.session.execute(sa.select(Task).filter_by(task_no=task_no)).scalar_one_or_none()
    if task is None:
        raise PlanError(404, f"未找到任务编号为{task_no}的抽查任务")
    return task


def create_plan(values: dict[str, Any], actor: str) -> Plan:
    if db.session.execute(sa.select(Plan.id).filter_by(plan_no=values["plan_no"])).first():
        raise PlanError(409, f"计划编号{values['plan_no']}已存在")
    plan = Plan(plan_no=values["plan_no"], name=values["name"], year=values["year"],
                change_log=[])
    db.session.add(plan)
    _audit(actor, "create", "plan", plan.plan_no, None, dict(values), "api")
    db.session.commit()
    return plan


def update_plan(plan: Plan, values: dict[str, Any], actor: str, reason: str | None) -> Plan:
    before = {"name": plan.name, "year": plan.year}
    after = {**before, **{k: v for k, v in values.items() if k in before}}
    if after != before:
        record_change(plan, actor, reason, "修改计划：" + "、".join(
            f"{k}={after[k]}" for k in after if after[k] != before[k]))
        plan.name, plan.year = after["name"], after["year"]
        _audit(actor, "update", "plan", plan.plan_no, before, after, "api")
    db.session.commit()
    return plan


def _check_full(values: dict[str, Any]) -> None:
    try:
        check_task(values)
        task_items.resolve(values.get("item_scope"))
        check_rules(values.get("rules"), values.get("team_size", 2))
    except ValueError as exc:
        raise PlanError(422, str(exc)) from None


def create_task(plan: Plan, values: dict[str, Any], actor: str, reason: str | None) -> Task:
    if db.session.execute(sa.select(Task.id).filter_by(task_no=values["task_no"])).first():
        raise PlanError(409, f"任务编号{values['task_no']}已存在")
    _check_full(values)
    record_change(plan, actor, reason, f"新增任务{values['task_no']}")
    task = Task(task_no=values["task_no"], plan=plan, rules=values.get("rules") or {})
    _apply(task, values)
    db.session.add(task)
    _audit(actor, "create", "task", task.task_no, None, {**values, "plan_no": plan.plan_no}, "api")
    db.session.commit()
    return task


def update_task(task: Task, values: dict[str, Any], actor: str, reason: str | None) -> Task:
    if is_drawn(task):
        raise PlanError(409, f"任务{task.task_no}已抽取，不能修改（如需更正请重抽并说明理由）")
    before = {**{a: getattr(task, a) for a in TASK_ATTRS}, "rules": dict(task.rules or {})}
    after = {**before, **values}
    # a reviewed task keeps its review's items (_apply): check those, not the cell
    _check_full({**after, "item_codes": task.item_codes} if task.printed else after)
    if after != before:
        changed = [k for k in after if after[k] != before[k]]
        record_change(task.plan, actor, reason, f"修改任务{task.task_no}：{'、'.join(changed)}")
        _apply(task, after)
        task.rules = after["rules"]
        _audit(actor, "update", "task", task.task_no, {k: before[k] for k in changed},
               {k: after[k] for k in changed}, "api")
    db.session.commit()
    return task


_YEAR_IN_NAME = re.compile(r"((?:19|20)\d\d)\s*年")


def plan_year(name: str, first_day: date) -> int:
    """The plan's year as its name states it (“2027年度…” drafted in December
    2026 is the 2027 plan); a name without a year takes its first task's year."""
    found = _YEAR_IN_NAME.search(name or "")
    return int(found.group(1)) if found else first_day.year


def publish_plan(plan: Plan, actor: str) -> Plan:
    """Publish (or republish after a change); every task must still validate."""
    if plan.status == PUBLISHED:
        raise PlanError(409, f"计划{plan.plan_no}已发布，无需重复发布")
    if not plan.tasks:
        raise PlanError(409, f"计划{plan.plan_no}没有任何抽查任务，不能发布")
    pending = [t.task_no for t in plan.tasks if (t.printed or {}).get("review") == PENDING]
    if pending:
        raise PlanError(409, f"任务{'、'.join(pending)}按原文导入，尚未在计划审核中确认"
                             "抽查比例、范围和事项，计划不能发布")
    for task in plan.tasks:
        if task.is_reinspection:  # a system-made 复查 assignment, not a planned draw
            continue
        try:
            check_task(task_values(task))
        except ValueError as exc:
            raise PlanError(422, f"任务{task.task_no}：{exc}") from None
    again = plan.status == CHANGED
    plan.status = PUBLISHED
    plan.published_at = utcnow()
    _audit(actor, "update", "plan", plan.plan_no, None,
           {"status": PUBLISHED, "republished": again}, "api")
    db.session.commit()
    return plan
