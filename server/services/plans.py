"""Annual plans and their tasks: import, create, change (with a reason), publish.

A published plan may still change (石家庄: 计划调整须说明理由并重新公布): every
change is appended to ``Plan.change_log`` with who, when and why, and the plan
goes back to ``changed`` until it is published again.  A task that has been
drawn never changes – its draw record describes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from shared.draw import select_scope
from shared.draw.snapshot import canonical_task
from shared.enums import DrawType
from shared.lifecycle import PlanStatus

from ..extensions import db
from ..models import AuditLog, DrawRecord, Plan, Task
from ..models._types import utcnow
from .draws_rules import JOINT_KEY, check_rules
from .errors import ServiceError
from .registry_io import ImportFailed
from .registry_io import cells as c
from .registry_io.importer import MAX_ERRORS_LISTED, map_headers
from .registry_io.reader import SheetError, read_sheet
from .registry_io.specs import Column, RegistrySpec

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


def _text(label: str, limit: int, *, required: bool = False):
    def parse(value: Any) -> str | None:
        s = c.text(value)
        if required and not s:
            raise ValueError(f"{label}不能为空")
        if len(s) > limit:
            raise ValueError(f"{label}过长（上限{limit}字）")
        return s or None
    return parse


def _date(label: str):
    def parse(value: Any) -> date:
        d = c.parse_date(value)
        if d is None:
            raise ValueError(f"{label}不能为空")
        return d
    return parse


def _team_size(value: Any) -> int:
    s = c.text(value).removesuffix("人")
    if not s:
        return 2
    if not s.isdigit() or int(s) < 2:
        raise ValueError(f"每户检查人数“{s}”应为不小于2的整数（至少两名执法人员）")
    return int(s)


def _draw_type(value: Any) -> str:
    return c.parse_enum(DrawType, value, required=True)


_fmt = str
PLAN_SPEC = RegistrySpec(
    kind="plans", label="抽查计划", key=("task_no",),
    columns=(
        Column("计划编号", "plan_no", _text("计划编号", 64, required=True), _fmt,
               ("plan_no",), True),
        Column("计划名称", "plan_name", _text("计划名称", 200, required=True), _fmt,
               ("plan_name",), True),
        Column("任务编号", "task_no", _text("任务编号", 64, required=True), _fmt,
               ("task_no",), True),
        Column("任务名称", "name", _text("任务名称", 200, required=True), _fmt,
               ("task_name",), True),
        Column("抽查类型", "draw_type", _draw_type, _fmt, ("draw_type",), True),
        Column("抽查比例", "ratio", _text("抽查比例", 100, required=True), _fmt, ("ratio",), True),
        Column("抽查事项", "item_scope", _text("抽查事项", 2000), _fmt, ("item_scope",)),
        Column("抽查对象范围", "target_filter", _text("抽查对象范围", 2000), _fmt,
               ("target_filter", "抽查范围")),
        Column("发起科室", "department", _text("发起科室", 64), _fmt, ("department",)),
        Column("联合部门", "joint_departments", c.parse_list, _fmt,
               ("joint_departments", "联合部门/大队")),
        Column("开始日期", "window_start", _date("开始日期"), _fmt, ("window_start",), True),
        Column("结束日期", "window_end", _date("结束日期"), _fmt, ("window_end",), True),
        Column("每户检查人数", "team_size", _team_size, _fmt, ("team_size",)),
        Column("是否暗查", "unannounced", c.parse_bool, _fmt, ("unannounced", "暗查暗访")),
        Column("联合检查组", "joint_group", _text("联合检查组", 64), _fmt, ("joint_group",)),
    ),
)


def check_task(values: dict[str, Any]) -> None:
    """Cross-field checks with the draw's own parsers; ``ValueError`` in Chinese."""
    shared_task = {"task_no": "x", "draw_type": values["draw_type"], "ratio": values["ratio"],
                   "scope": values.get("target_filter") or "",
                   "window_start": values["window_start"], "window_end": values["window_end"],
                   "team_size": values.get("team_size", 2)}
    canonical_task(shared_task)  # ratio, filter, dates, team size
    select_scope([], shared_task)  # 定向 needs a filter; 不定向 only by sub-registry


def is_drawn(task: Task) -> bool:
    return task.status == "drawn" or db.session.scalar(
        sa.select(sa.func.count()).select_from(DrawRecord).where(DrawRecord.task_id == task.id)) > 0


def task_values(task: Task) -> dict[str, Any]:
    out = {a: getattr(task, a) for a in TASK_ATTRS}
    out[JOINT_KEY] = (task.rules or {}).get(JOINT_KEY)
    return out


def _apply(task: Task, values: dict[str, Any]) -> None:
    for a in TASK_ATTRS:
        if a in values:
            setattr(task, a, values[a])
    if JOINT_KEY in values:
        rules = {k: v for k, v in (task.rules or {}).items() if k != JOINT_KEY}
        if values[JOINT_KEY]:
            rules[JOINT_KEY] = values[JOINT_KEY]
        task.rules = rules


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


@dataclass
class PlanImportResult:
    plans_created: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    task_nos: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"导入完成：新建计划{self.plans_created}个，新增任务{self.created}个，"
                f"更新{self.updated}个，未变{self.unchanged}个")


def _rows(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, Any] | None, list[str]]]:
    try:
        headers, rows = read_sheet(data, filename)
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    mapping = map_headers(PLAN_SPEC, headers)
    cols = PLAN_SPEC.columns
    present = [(pos, cols[idx]) for pos, idx in enumerate(mapping) if idx is not None]
    absent = [col for i, col in enumerate(cols) if i not in set(mapping)]
    for n, raw in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in raw):
            continue
        raw = list(raw) + [None] * (len(headers) - len(raw))
        row: dict[str, Any] = {}
        reasons: list[str] = []
        for pos, col in present:
            try:
                row[col.attr] = col.parse(raw[pos])
            except ValueError as exc:
                reasons.append(str(exc))
        for col in absent:
            row[col.attr] = col.parse(None)
        if not reasons:
            try:
                check_task(row)
            except ValueError as exc:
                reasons.append(str(exc))
        yield n, (None if reasons else row), reasons


def import_plans(data: bytes, filename: str, actor: str,
                 reason: str | None = None) -> PlanImportResult:
    """Upsert plans and tasks by 任务编号, all or nothing; ``ImportFailed`` lists bad rows."""
    errors: list[str] = []
    good: list[tuple[int, dict[str, Any]]] = []
    first_row: dict[str, int] = {}
    plan_names: dict[str, tuple[int, str]] = {}
    for n, row, reasons in _rows(data, filename):
        if row is not None:
            if row["task_no"] in first_row:
                reasons.append(f"任务编号{row['task_no']}与第{first_row[row['task_no']]}行重复")
            seen = plan_names.setdefault(row["plan_no"], (n, row["plan_name"]))
            if seen[1] != row["plan_name"]:
                reasons.append(f"计划{row['plan_no']}的计划名称与第{seen[0]}行不一致")
            first_row.setdefault(row["task_no"], n)
        if reasons:
            errors.append(f"第{n}行: {'；'.join(reasons)}")
        else:
            good.append((n, row))
    if not good and not errors:
        errors.append("文件中没有数据行")

    plans = {p.plan_no: p for p in db.session.execute(
        sa.select(Plan).where(Plan.plan_no.in_(list(plan_names)))).scalars()}
    tasks = {t.task_no: t for t in db.session.execute(
        sa.select(Task).where(Task.task_no.in_(list(first_row)))).scalars()}
    changes: list[tuple[int, dict[str, Any], Task | None, dict[str, Any] | None]] = []
    for n, row in good:
        values = {k: row[k] for k in (*TASK_ATTRS, JOINT_KEY)}
        plan, task = plans.get(row["plan_no"]), tasks.get(row["task_no"])
        before = task_values(task) if task is not None else None
        reasons = []
        if task is not None and task.plan.plan_no != row["plan_no"]:
            reasons.append(f"任务{task.task_no}属于计划{task.plan.plan_no}，不能移到{row['plan_no']}")
        elif before != values or (plan is not None and plan.name != row["plan_name"]):
            if task is not None and is_drawn(task):
                reasons.append(f"任务{task.task_no}已抽取，不能通过导入修改")
            elif plan is not None and _needs_reason(plan) and not (reason or "").strip():
                reasons.append(f"计划{plan.plan_no}已发布，修改须说明理由（--reason），变更后需重新发布")
        if reasons:
            errors.append(f"第{n}行: {'；'.join(reasons)}")
        changes.append((n, row, task, before))
    if errors:
        if len(errors) > MAX_ERRORS_LISTED:
            errors = errors[:MAX_ERRORS_LISTED] + [f"……另有{len(errors) - MAX_ERRORS_LISTED}行错误"]
        raise ImportFailed(errors)

    result = PlanImportResult()
    try:
        for _n, row, task, before in changes:
            result.task_nos.append(row["task_no"])
            plan = plans.get(row["plan_no"])
            if plan is None:
                plan = plans[row["plan_no"]] = Plan(
                    plan_no=row["plan_no"], name=row["plan_name"],
                    year=row["window_start"].year, change_log=[])
                db.session.add(plan)
                result.plans_created += 1
                _audit(actor, "create", "plan", plan.plan_no, None,
                       {"name": plan.name}, filename)
            elif plan.name != row["plan_name"]:
                record_change(plan, actor, reason,
                              f"计划名称改为“{row['plan_name']}”（导入{filename}）")
                plan.name = row["plan_name"]
            values = {k: row[k] for k in (*TASK_ATTRS, JOINT_KEY)}
            if task is None:
                record_change(plan, actor, reason, f"新增任务{row['task_no']}（导入{filename}）")
                task = Task(task_no=row["task_no"], plan=plan, rules={})
                db.session.add(task)
                _apply(task, values)
                _audit(actor, "create", "task", task.task_no, None, values, filename)
                result.created += 1
            elif before == values:
                result.unchanged += 1
            else:
                record_change(plan, actor, reason, f"修改任务{task.task_no}（导入{filename}）")
                _apply(task, values)
                _audit(actor, "update", "task", task.task_no, before, values, filename)
                result.updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


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
    _check_full(after)
    if after != before:
        changed = [k for k in after if after[k] != before[k]]
        record_change(task.plan, actor, reason, f"修改任务{task.task_no}：{'、'.join(changed)}")
        _apply(task, after)
        task.rules = after["rules"]
        _audit(actor, "update", "task", task.task_no, {k: before[k] for k in changed},
               {k: after[k] for k in changed}, "api")
    db.session.commit()
    return task


def publish_plan(plan: Plan, actor: str) -> Plan:
    """Publish (or republish after a change); every task must still validate."""
    if plan.status == PUBLISHED:
        raise PlanError(409, f"计划{plan.plan_no}已发布，无需重复发布")
    if not plan.tasks:
        raise PlanError(409, f"计划{plan.plan_no}没有任何抽查任务，不能发布")
    for task in plan.tasks:
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
