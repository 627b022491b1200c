"""一公开: propose a result, legal review (法制审核), and what the public may see.

Everything public is built here from explicit whitelists of fields: a column
added to a model later is never published by accident.  Never published:
credit class, phone numbers, inspectors' data beyond name and certificate
number, and an unannounced (暗查) task's drawn list before its visits are done.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from shared.enums import CheckMethod, DrawType, Industry, ItemCategory, Outcome
from shared.lifecycle import VisitStatus

from ..extensions import db
from ..models import (
    CheckItem,
    DrawRecord,
    ItemListVersion,
    Plan,
    PublicationResult,
    Task,
    Visit,
    VisitMember,
)
from ..models._types import utcnow
from .deadlines import bureau_today, publication_deadline, publication_working_days
from .draws import full_record
from .errors import ServiceError

# Visit states from which an inspection counts as done (fail closed: a state
# this list does not know keeps an unannounced task's list hidden).
DONE_VISIT_STATUSES = frozenset(VisitStatus) - {VisitStatus.DRAWN, VisitStatus.NOTIFIED}


class PublicationError(ServiceError, ValueError):
    status = 409


# -- workflow --------------------------------------------------------------

def propose_result(visit_id: int, outcome: Outcome | str, inspected_on: date,
                   item_codes: Iterable[str], actor: str = "system") -> PublicationResult:
    """Put a visit's result up for legal review. Called by the case workflow.

    Re-proposing a pending or rejected result replaces it; an approved
    (already public) result cannot be changed here.
    """
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise PublicationError(f"检查对象{visit_id}不存在", 422)
    if visit.status not in DONE_VISIT_STATUSES:
        # A result is what an inspection found: none before it (and for a 暗查
        # visit, proposing one early would even reveal the secret list).
        raise PublicationError("该检查对象尚未完成现场检查，不能提交公开结果", 409)
    code = Outcome.parse(outcome).value
    codes = list(dict.fromkeys(item_codes)) or list(visit.item_codes)
    outside = [c for c in codes if c not in visit.item_codes]
    if outside:
        # 清单之外无检查: only drawn items can appear in a result.
        raise PublicationError(f"检查事项{'、'.join(outside)}不在该企业的抽取事项中", 422)
    result = db.session.execute(sa.select(PublicationResult).filter_by(
        visit_id=visit_id)).scalar_one_or_none()
    if result is not None and result.status == "approved":
        raise PublicationError("该结果已审核公开，不能再修改")
    ent = visit.enterprise
    if result is None:
        result = PublicationResult(visit_id=visit.id)
    result.task_id = visit.task_id
    result.enterprise_id = ent.id
    result.enterprise_name = ent.name
    result.uscc = ent.uscc
    result.inspected_on = inspected_on
    result.item_version = visit.item_version
    result.item_codes = codes
    result.outcome = code
    result.status = "pending"
    result.proposed_by = actor
    result.proposed_at = utcnow()
    result.reviewed_by = result.reviewed_at = result.review_note = None
    db.session.add(result)
    _commit()
    return result


def _commit() -> None:
    """Commit; a row changed by someone else since we read it (its revision moved)
    is refused rather than overwritten."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise PublicationError("该结果刚刚已被他人修改或审核，请刷新后重试", 409) from None


def _pending(result_id: int) -> PublicationResult:
    result = db.session.get(PublicationResult, result_id)
    if result is None:
        raise PublicationError(f"待公开结果{result_id}不存在", 404)
    if result.status != "pending":
        raise PublicationError("该结果不在待审核状态")
    return result


def approve_result(result_id: int, reviewer: str, *, revision: int, today: date | None = None,
                   note: str | None = None) -> PublicationResult:
    """法制审核 passes for the ``revision`` the reviewer read: the result is public
    from now on, its deadline frozen. A result re-proposed since is refused."""
    result = _pending(result_id)
    if result.revision != revision:
        raise PublicationError(f"该结果已被重新提交（现为第{result.revision}版，"
                               f"您审阅的是第{revision}版），请重新审阅后再审核", 409)
    today = today or bureau_today()
    days = publication_working_days()
    result.status = "approved"
    result.reviewed_by = reviewer
    result.reviewed_at = utcnow()
    result.review_note = note
    result.published_on = today
    result.working_days = days
    result.due_on = publication_deadline(result.inspected_on, days=days).due
    _commit()
    return result


def reject_result(result_id: int, reviewer: str, note: str) -> PublicationResult:
    if not note.strip():
        raise PublicationError("退回须填写审核意见", 422)
    result = _pending(result_id)
    result.status = "rejected"
    result.reviewed_by = reviewer
    result.reviewed_at = utcnow()
    result.review_note = note.strip()
    _commit()
    return result


# -- visibility -------------------------------------------------------------

def current_visits(task: Task) -> list[Visit]:
    """The task's current visits, including joint visits (一企一表) that a sibling
    task of the same plan merged it into and now holds."""
    load = (selectinload(Visit.enterprise),
            selectinload(Visit.members).selectinload(VisitMember.inspector))
    own = list(db.session.execute(
        sa.select(Visit).where(Visit.task_id == task.id, Visit.current.is_(True))
        .options(*load).order_by(Visit.id)).scalars())
    merged = db.session.execute(
        sa.select(Visit).join(Task, Visit.task_id == Task.id)
        .where(Task.plan_id == task.plan_id, Task.id != task.id, Visit.current.is_(True),
               sa.func.length(sa.cast(Visit.joint_task_nos, sa.String)) > 2)
        .options(*load).order_by(Visit.id)).scalars()
    return own + [v for v in merged if task.task_no in (v.joint_task_nos or [])]


def drawn_list_visible(task: Task, visits: list[Visit], today: date) -> bool:
    """An unannounced task's list stays secret until every visit is done or the
    window has ended (domain.md §5: secret until the visit is done)."""
    if not task.unannounced:
        return True
    if today > task.window_end:
        return True
    return bool(visits) and all(v.status in DONE_VISIT_STATUSES for v in visits)


# -- public data (whitelists) -----------------------------------------------

def _labels(enum, codes: Iterable[str]) -> list[str]:
    out = []
    for c in codes or ():
        try:
            out.append(enum(c).label)
        except ValueError:
            out.append(str(c))
    return out


def latest_item_version() -> ItemListVersion | None:
    return db.session.execute(sa.select(ItemListVersion).order_by(
        ItemListVersion.number.desc()).limit(1)).scalar_one_or_none()


def public_items() -> dict[str, Any]:
    version = latest_item_version()
    if version is None:
        return {"version": None, "items": []}
    items = [{"code": i.code, "name": i.name, "sub_item": i.sub_item or "",
              "legal_basis": i.legal_basis, "enforcing_dept": i.enforcing_dept or "",
              "industries": _labels(Industry, i.industries), "content": i.content or "",
              "methods": _labels(CheckMethod, i.methods),
              "category": _labels(ItemCategory, [i.category])[0],
              "liability": i.liability or ""} for i in version.items]
    return {"version": version.number, "items": items}


def _published_plans() -> list[Plan]:
    return list(db.session.execute(
        sa.select(Plan).where(Plan.status == "published")
        .options(selectinload(Plan.tasks)).order_by(Plan.year.desc(), Plan.plan_no)).scalars())


def public_plans() -> list[dict[str, Any]]:
    return [{"plan_no": p.plan_no, "name": p.name, "year": p.year,
             "published_on": p.published_at.date().isoformat() if p.published_at else "",
             "task_count": len(p.tasks),
             "changes": [{"at": c.get("at", ""), "reason": c.get("reason", "")}
                         for c in p.change_log or []]} for p in _published_plans()]


# A filter naming the credit class would reveal the class of every drawn unit.
_INTERNAL_FILTER = re.compile(r"信用|credit", re.IGNORECASE)


def _public_filter(text: str | None) -> str:
    if not text:
        return "全部检查对象"
    return "含内部分类条件（不予公开）" if _INTERNAL_FILTER.search(text) else text


class _ItemNames:
    """Item names per list version, one query per version (not one per visit)."""

    def __init__(self) -> None:
        self._versions: dict[int, dict[str, str]] = {}

    def __call__(self, version: int | None, codes: Iterable[str]) -> dict[str, str]:
        if version is None:
            return {}
        if version not in self._versions:
            self._versions[version] = dict(db.session.execute(
                sa.select(CheckItem.code, CheckItem.name).join(ItemListVersion)
                .where(ItemListVersion.number == version)).all())
        names = self._versions[version]
        return {c: names[c] for c in codes if c in names}


def _records(task_id: int) -> list[DrawRecord]:
    return list(db.session.execute(sa.select(DrawRecord).where(
        DrawRecord.task_id == task_id).order_by(DrawRecord.id)).scalars())


def public_task(task: Task, today: date, item_names: _ItemNames | None = None
                ) -> dict[str, Any]:
    item_names = item_names or _ItemNames()
    visits = current_visits(task)
    visible = drawn_list_visible(task, visits, today)
    out: dict[str, Any] = {
        "task_no": task.task_no, "name": task.name, "plan_no": task.plan.plan_no,
        "plan_name": task.plan.name,
        "draw_type": _labels(DrawType, [task.draw_type])[0],
        "ratio": task.ratio, "items": task.item_scope or "",
        "scope": _public_filter(task.target_filter),
        "department": task.department or "", "joint_departments": list(task.joint_departments),
        "unannounced": task.unannounced,
        "window": f"{task.window_start.isoformat()} 至 {task.window_end.isoformat()}"
        if visible else "暗查任务，检查完成后公开",
        "seed_commitment": task.seed_commitment or "",
        "drawn_list_public": visible,
        "records": [], "visits": [],
    }
    if not visible:
        return out
    for r in _records(task.id):
        out["records"].append({
            "record_id": r.id, "kind": r.kind, "created_at": r.created_at.isoformat(
                timespec="seconds"), "reason": r.reason or "", "seed": r.seed,
            "commitment": r.seed_commitment, "pool_hash": r.pool_hash,
            "algorithm": r.algorithm_version, "pool_size": r.pool_size})
    for v in visits:
        names = item_names(v.item_version, v.item_codes)
        out["visits"].append({
            "enterprise": v.enterprise.name, "uscc": v.enterprise.uscc,
            "inspectors": [{"name": m.inspector.name, "cert_no": m.inspector.cert_no,
                            "leader": m.leader} for m in v.members],
            "items": [{"code": c, "name": names.get(c, "")} for c in v.item_codes],
            "joint_tasks": list(v.joint_task_nos)})
    return out


def public_tasks(today: date | None = None) -> list[dict[str, Any]]:
    today = today or bureau_today()
    names = _ItemNames()
    # 复查 tasks are assignments that follow a finding, not random draws: their
    # outcome is published with the case's result, not as a 双随机 task.
    return [public_task(t, today, names) for p in _published_plans() for t in p.tasks
            if not t.is_reinspection]


def public_task_by_no(task_no: str, today: date | None = None) -> dict[str, Any] | None:
    task = db.session.execute(sa.select(Task).join(Plan).where(
        Task.task_no == task_no, Plan.status == "published")).scalar_one_or_none()
    return None if task is None else public_task(task, today or bureau_today())


def public_results() -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(PublicationResult).where(PublicationResult.status == "approved")
        .options(selectinload(PublicationResult.task))
        .order_by(PublicationResult.published_on.desc(), PublicationResult.id.desc())).scalars()
    out, item_names = [], _ItemNames()
    for r in rows:
        names = item_names(r.item_version, r.item_codes)
        out.append({"enterprise": r.enterprise_name, "uscc": r.uscc,
                    "inspected_on": r.inspected_on.isoformat(),
                    "items": [{"code": c, "name": names.get(c, "")} for c in r.item_codes],
                    "outcome": Outcome(r.outcome).label, "task_no": r.task.task_no,
                    "task_name": r.task.name,
                    "published_on": r.published_on.isoformat() if r.published_on else ""})
    return out


def hidden_usccs(today: date) -> set[str]:
    """Enterprises on a still-secret 暗查 list.  Another task's record names them
    among its exclusions (本计划前轮已抽取), so those entries are withheld too."""
    secret = db.session.execute(sa.select(Task).join(Plan).where(
        Task.unannounced.is_(True), Plan.status == "published")).scalars()
    out: set[str] = set()
    for task in secret:
        visits = current_visits(task)
        if not drawn_list_visible(task, visits, today):
            out.update(v.enterprise.uscc for v in visits)
    return out


def public_record(record_id: int, today: date | None = None) -> dict[str, Any] | None:
    """The public copy of a draw record: the full record carries the pool's
    credit classes and inspectors' registry data, which are never published, so
    this copy keeps the seed, commitment, pool hash, the pool's public columns,
    the exclusions and the result (officers by name and certificate number)."""
    record = db.session.get(DrawRecord, record_id)
    if record is None or record.task.plan.status != "published":
        return None
    task, today = record.task, today or bureau_today()
    if not drawn_list_visible(task, current_visits(task), today):
        return None
    secret = hidden_usccs(today)
    full = full_record(record)
    snap = full.get("snapshot", {})
    pool = snap.get("enterprises", {})
    cols = dict(zip(pool.get("columns", []), pool.get("values", []), strict=False))
    names = {i.get("cert_no"): i.get("name", "") for i in snap.get("inspectors", [])}
    keep = ("uscc", "name", "industry", "street")
    res = full.get("result", {})
    return {
        "format": "suicha-draw-record-public/1",
        "note": "公开版摇号记录：已删除企业内部分类和人员个人信息，"
                "可核对随机种子与承诺值（SHA-256）、对象池哈希及抽取结果。",
        "record_id": record.id, "task_no": task.task_no, "kind": record.kind,
        "created_at": record.created_at.isoformat(timespec="seconds"),
        "algorithm": full.get("algorithm"), "seed": full.get("seed"),
        "commitment": full.get("commitment"), "pool_hash": full.get("pool_hash"),
        "pool": {"columns": list(keep), "values": [cols.get(k, []) for k in keep]},
        "excluded": [{"uscc": e.get("uscc"), "name": e.get("name", ""),
                      "reason": e.get("reason", "")} for e in snap.get("excluded", [])
                     if e.get("uscc") not in secret],
        "excluded_withheld": sum(e.get("uscc") in secret for e in snap.get("excluded", [])),
        "result": {"pool_size": res.get("pool_size"), "visits": [
            {"uscc": v.get("uscc"),
             "inspectors": [{"cert_no": c, "name": names.get(c, "")}
                            for c in v.get("inspectors", [])],
             "leader": v.get("leader"), "items": list(v.get("items", []))}
            for v in res.get("visits", [])]},
    }
