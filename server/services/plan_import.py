"""Import a plan table – typed columns or as the plan prints it – all or nothing.

Tasks are upserted by 任务编号.  A table without 计划编号/计划名称 columns (长子)
takes them from the import (``plan_no``, ``plan_name``) or the title row above
the header; one without 任务编号 numbers its tasks ``<计划编号>-01`` … in row
order.  A row whose 抽查比例 or 抽查对象范围 is prose is imported as printed:
the cells are kept in ``Task.printed`` with proposals, and the plan cannot be
published until the office confirms each such task (plan_review.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Plan, Task
from . import task_items
from .draw.policy import JOINT_KEY, check_rules
from .draw.sheet_rules import SHEET_KEY, current_sheet_rules, sheet_rules
from .plan_review import PENDING, propose
from .plan_table import PLAN_SPEC, is_prose
from .plans import (
    TASK_ATTRS,
    _apply,
    _audit,
    _needs_reason,
    check_task,
    is_drawn,
    plan_year,
    record_change,
    task_values,
)
from .registry_io import ImportFailed
from .registry_io.layout import Layout, LayoutError, locate
from .registry_io.parsing import MAX_ERRORS_LISTED
from .registry_io.reader import SheetError, read_rows

VALUE_KEYS = (*TASK_ATTRS, JOINT_KEY)


@dataclass
class PlanImportResult:
    plans_created: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    to_review: int = 0
    task_nos: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"导入完成：新建计划{self.plans_created}个，新增任务{self.created}个，"
                f"更新{self.updated}个，未变{self.unchanged}个")
        if self.to_review:
            text += f"；{self.to_review}个任务按原文导入，发布前须在计划审核中确认比例、范围和事项"
        return text


def _title(head: list[list]) -> str | None:
    """The first text above the header: “长子县应急管理局2022年…抽查工作计划”."""
    for row in head:
        for value in row:
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _read(data: bytes, filename: str) -> tuple[Layout, str | None, Iterator[tuple[int, list]]]:
    try:
        rows = read_rows(data, filename).rows
        head: list[list] = []
        layout, numbered = locate(PLAN_SPEC, _remember(rows, head))
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    except LayoutError as exc:
        raise ImportFailed(exc.errors) from None
    return layout, _title(head[:layout.header_rows[0] - 1]), numbered


def _remember(rows: Iterator[list], into: list[list]) -> Iterator[list]:
    for n, row in enumerate(rows):
        if n < 12:
            into.append(row)
        yield row


def _rows(data: bytes, filename: str, plan_no: str | None, plan_name: str | None
          ) -> Iterator[tuple[int, dict[str, Any] | None, list[str]]]:
    layout, title, numbered = _read(data, filename)
    present = layout.present
    attrs = {col.attr for _, col in present}
    header_of = {col.attr: layout.headers[pos] for pos, col in present}
    missing = []
    if "plan_no" not in attrs and not plan_no:
        missing.append("表中没有计划编号列，请在导入时填写计划编号（如计划文号）")
    if "plan_name" not in attrs and not (plan_name or title):
        missing.append("表中没有计划名称列，表格上方也没有标题，请在导入时填写计划名称")
    if "period" not in attrs and not {"window_start", "window_end"} <= attrs:
        missing.append("缺少抽查时间列（或开始日期和结束日期两列）")
    if missing:
        raise ImportFailed([f"第{layout.header_rows[-1]}行: {m}" for m in missing])
    absent = [col for col in PLAN_SPEC.columns if col.attr not in attrs]
    width = max(pos for pos, _ in present) + 1
    seq = 0
    for n, raw in numbered:
        raw = list(raw) + [None] * (width - len(raw))
        if all(raw[p] is None or (type(raw[p]) is str and not raw[p].strip())
               for p, _ in present):
            continue
        seq += 1
        row: dict[str, Any] = {}
        reasons: list[str] = []
        for pos, col in present:
            try:
                row[col.attr] = col.parse(raw[pos])
            except ValueError as exc:
                reasons.append(f"{layout.where(pos)}：{exc}")
        for col in absent:
            row[col.attr] = col.parse(None)
        if reasons:
            yield n, None, reasons
            continue
        row["plan_no"] = row["plan_no"] or plan_no
        row["plan_name"] = row["plan_name"] or plan_name or title
        if not row["plan_no"] or not row["plan_name"]:
            yield n, None, ["计划编号和计划名称不能为空"]
            continue
        row["task_no"] = row["task_no"] or f"{row['plan_no']}-{seq:02d}"
        period = row.pop("period")
        if period:
            row["window_start"], row["window_end"] = period
        if not row["window_start"] or not row["window_end"]:
            yield n, None, ["抽查时间不能为空"]
            continue
        printed = {header_of[a]: _shown(raw[pos]) for pos, col in present
                   for a in [col.attr] if raw[pos] not in (None, "")}
        as_printed = (is_prose(row["ratio"])
                      or is_prose(row["target_filter"], structured_mark="="))
        try:
            if as_printed:
                proposal = propose(row)
                row["printed"] = {"columns": printed, "proposal": proposal, "review": PENDING}
                row["ratio"] = proposal.get("ratio") or ""
                row["item_codes"] = []
            else:
                check_task(row)
                row["item_codes"] = task_items.resolve(row["item_scope"])
                row["printed"] = None
            check_rules(sheet_rules(row), row.get("team_size") or 2)
        except ValueError as exc:
            reasons.append(str(exc))
        yield n, (None if reasons else row), reasons


def _shown(value: Any) -> str:
    from .registry_io.cells import text
    return text(value)


def import_plans(data: bytes, filename: str, actor: str, reason: str | None = None, *,
                 plan_no: str | None = None, plan_name: str | None = None) -> PlanImportResult:
    """Upsert plans and tasks by 任务编号, all or nothing; ``ImportFailed`` lists bad rows."""
    errors: list[str] = []
    good: list[tuple[int, dict[str, Any]]] = []
    first_row: dict[str, int] = {}
    plan_names: dict[str, tuple[int, str]] = {}
    for n, row, reasons in _rows(data, filename, (plan_no or "").strip() or None,
                                 (plan_name or "").strip() or None):
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
    changes: list[tuple[dict[str, Any], Task | None, dict[str, Any] | None]] = []
    for n, row in good:
        plan, task = plans.get(row["plan_no"]), tasks.get(row["task_no"])
        before = _current(task) if task is not None else None
        reasons = []
        if task is not None and task.plan.plan_no != row["plan_no"]:
            reasons.append(f"任务{task.task_no}属于计划{task.plan.plan_no}，不能移到{row['plan_no']}")
        elif not _same(before, row) or (plan is not None and plan.name != row["plan_name"]):
            if task is not None and is_drawn(task):
                reasons.append(f"任务{task.task_no}已抽取，不能通过导入修改")
            elif plan is not None and _needs_reason(plan) and not (reason or "").strip():
                reasons.append(f"计划{plan.plan_no}已发布，修改须填写变更理由，变更后需重新发布")
        if reasons:
            errors.append(f"第{n}行: {'；'.join(reasons)}")
        changes.append((row, task, before))
    if errors:
        if len(errors) > MAX_ERRORS_LISTED:
            errors = errors[:MAX_ERRORS_LISTED] + [f"……另有{len(errors) - MAX_ERRORS_LISTED}行错误"]
        raise ImportFailed(errors)
    try:
        result = _write(changes, plans, actor, reason, filename)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _current(task: Task) -> dict[str, Any]:
    return {**task_values(task), "printed": task.printed, "rules": task.rules}


def _same(before: dict[str, Any] | None, row: dict[str, Any]) -> bool:
    """Whether the row would change nothing.  A task imported as printed and
    since reviewed is the same while its printed cells are (the review's
    structured values are not overwritten by the prose again)."""
    if before is None:
        return False
    setting = sheet_rules(row)
    if current_sheet_rules(before["rules"], setting) != setting:
        return False
    printed = row.get("printed")
    if printed is not None and before["printed"] is not None:
        keep = ("ratio", "target_filter")
        return (before["printed"]["columns"] == printed["columns"]
                and all(before[k] == row[k] for k in VALUE_KEYS if k not in keep))
    return all(before[k] == row[k] for k in VALUE_KEYS) and before["printed"] == printed


def _write(changes, plans: dict[str, Plan], actor: str, reason: str | None,
           filename: str) -> PlanImportResult:
    result = PlanImportResult()
    for row, task, before in changes:
        result.task_nos.append(row["task_no"])
        plan = plans.get(row["plan_no"])
        if plan is None:
            plan = plans[row["plan_no"]] = Plan(
                plan_no=row["plan_no"], name=row["plan_name"],
                year=plan_year(row["plan_name"], row["window_start"]), change_log=[])
            db.session.add(plan)
            result.plans_created += 1
            _audit(actor, "create", "plan", plan.plan_no, None, {"name": plan.name}, filename)
        elif plan.name != row["plan_name"]:
            record_change(plan, actor, reason,
                          f"计划名称改为“{row['plan_name']}”（导入{filename}）")
            plan.name = row["plan_name"]
        values = {k: row[k] for k in VALUE_KEYS} | {SHEET_KEY: sheet_rules(row)}
        if _same(before, row):
            result.unchanged += 1
            continue
        if task is None:
            record_change(plan, actor, reason, f"新增任务{row['task_no']}（导入{filename}）")
            task = Task(task_no=row["task_no"], plan=plan, rules={})
            db.session.add(task)
            _audit(actor, "create", "task", row["task_no"], None,
                   {**values, "printed": row["printed"]}, filename)
            result.created += 1
        else:
            record_change(plan, actor, reason, f"修改任务{task.task_no}（导入{filename}）")
            _audit(actor, "update", "task", task.task_no, before,
                   {**values, "printed": row["printed"]}, filename)
            result.updated += 1
        task.printed = row["printed"]  # before _apply: a printed row's items wait for review
        _apply(task, values)
        if row["printed"] is not None:
            task.item_codes = []
            result.to_review += 1
        else:  # 抽查事项 as the row names them (task_items): the draw checks those only
            task.item_codes = row["item_codes"]
    return result
