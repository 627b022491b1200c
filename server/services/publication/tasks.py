"""The public plans and tasks: what was planned, how it was drawn, whom and
which items the draw chose (a 暗查 task's list only once it may be seen)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa

from shared.enums import DrawType

from ...extensions import db
from ...localtime import local_date, local_iso
from ...models import DrawRecord, PublicDrawFile, Task
from .. import draw_public, task_items
from ..deadlines import bureau_today
from .items import ItemNames, labels
from .verify import public_attempts
from .visibility import (
    current_visits,
    drawn_list_visible,
    published_plans,
    published_task,
    task_public,
)


def public_plans() -> list[dict[str, Any]]:
    return [{"plan_no": p.plan_no, "name": p.name, "year": p.year,
             "published_on": local_date(p.published_at).isoformat() if p.published_at else "",
             "task_count": sum(task_public(t) and not t.is_reinspection for t in p.tasks),
             "republish_pending": p.status != "published",
             "changes": [{"at": local_iso(c.get("at")), "reason": c.get("reason", "")}
                         for c in p.change_log or []]} for p in published_plans()]


def _public_filter(text: str | None) -> str:
    """A filter naming the credit class would reveal the class of every drawn unit."""
    if not text:
        return "全部检查对象"
    return "含内部分类条件（不予公开）" if draw_public.credit_scope(text) else text


def _records(task_id: int) -> list[DrawRecord]:
    return list(db.session.execute(sa.select(DrawRecord).where(
        DrawRecord.task_id == task_id).order_by(DrawRecord.id)).scalars())


def public_task(task: Task, today: date, item_names: ItemNames | None = None
                ) -> dict[str, Any]:
    item_names = item_names or ItemNames()
    visits = current_visits(task)
    visible = drawn_list_visible(task, visits, today)
    out: dict[str, Any] = {
        "task_no": task.task_no, "name": task.name, "plan_no": task.plan.plan_no,
        "plan_name": task.plan.name,
        "draw_type": labels(DrawType, [task.draw_type])[0],
        "ratio": task.ratio, "items": task_items.describe(task),
        "scope": _public_filter(task.target_filter),
        "department": task.department or "", "joint_departments": list(task.joint_departments),
        "unannounced": task.unannounced,
        "window": f"{task.window_start.isoformat()} 至 {task.window_end.isoformat()}"
        if visible else "暗查任务，检查完成后公开",
        "seed_commitment": task.seed_commitment or "",
        "drawn_list_public": visible,
        "attempts": public_attempts(task, visible),
        "records": [], "visits": [],
    }
    if not visible:
        return out
    internal = draw_public.credit_scope(task.target_filter)
    for r in _records(task.id):
        out["records"].append({
            "record_id": r.id, "kind": r.kind, "created_at": local_iso(r.created_at),
            "reason": r.reason or "", "seed": r.seed,
            "commitment": r.seed_commitment, "pool_hash": r.pool_hash,
            "algorithm": r.algorithm_version,
            # A credit-class scope's pool size is that class's count in scope.
            "pool_size": None if internal else r.pool_size,
            **(_adjustment_words(r) if r.kind == "adjustment" else {})})
    # Published as a set, sorted by USCC: nothing in the order comes from the draw.
    for v in sorted(visits, key=lambda v: v.enterprise.uscc):
        names = item_names(v.item_version, v.item_codes)
        out["visits"].append({
            "enterprise": v.enterprise.name, "uscc": v.enterprise.uscc,
            "inspectors": [{"name": m.inspector.name, "cert_no": m.inspector.cert_no,
                            "leader": m.leader} for m in v.members],
            "items": [{"code": c, "name": names.get(c, "")} for c in v.item_codes],
            "joint_tasks": list(v.joint_task_nos)})
    return out


def _adjustment_words(rec: DrawRecord) -> dict[str, str]:
    """An adjustment as its public file says it: who, and what changed, in words."""
    row = db.session.execute(sa.select(PublicDrawFile).where(
        PublicDrawFile.record_id == rec.id, PublicDrawFile.kind == "adjustment")
    ).scalar_one_or_none()
    if row is None:
        return {}
    doc = json.loads(draw_public.read_file(row.sha256))
    before, after, change = doc["visit_before"], doc["visit_after"], doc["change"]
    if change["replace"] == "inspector":
        names = {m["cert_no"]: m["name"] for m in before["inspectors"] + after["inspectors"]}
        what = (f"检查对象{before['name']}（{before['uscc']}）的执法人员"
                f"{names.get(change['old'], '')}（{change['old']}）调整为"
                f"{names.get(change['new'], '')}（{change['new']}）")
    else:
        what = (f"检查对象{before['name']}（{before['uscc']}）调整为"
                f"{after['name']}（{after['uscc']}），检查组不变")
    return {"who": doc["who"], "change": what}


def public_tasks(today: date | None = None) -> list[dict[str, Any]]:
    today = today or bureau_today()
    names = ItemNames()
    # 复查 tasks are assignments that follow a finding, not random draws: their
    # outcome is published with the case's result, not as a 双随机 task.
    return [public_task(t, today, names) for p in published_plans() for t in p.tasks
            if not t.is_reinspection and task_public(t)]


def public_task_by_no(task_no: str, today: date | None = None) -> dict[str, Any] | None:
    task = published_task(task_no)
    return None if task is None else public_task(task, today or bureau_today())
