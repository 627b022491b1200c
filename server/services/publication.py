"""一公开: propose a result, legal review (法制审核), and what the public may see.

Everything public is built here from explicit whitelists of fields: a column
added to a model later is never published by accident.  Never published:
credit class, phone numbers, inspectors' data beyond name and certificate
number, and an unannounced (暗查) task's drawn list before its visits are done.
"""

from __future__ import annotations

import json
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
    PublicDrawFile,
    Task,
    Visit,
    VisitMember,
)
from ..models._types import utcnow
from . import draw_public, task_items, transparency
from .deadlines import bureau_today, publication_deadline, publication_working_days
from .draw import freeze as draw_freeze
from .draw.beacons import local_text
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


# A plan once published stays public while a change waits for republication
# (已变更待重新发布): its tasks as last published – those that existed then – stay
# visible; a task added since appears once the plan is published again.
_PLAN_PUBLIC = sa.or_(Plan.status == "published",
                     sa.and_(Plan.status == "changed", Plan.published_at.is_not(None)))
_TASK_PUBLIC = sa.or_(Plan.status == "published", Task.created_at <= Plan.published_at)


def _task_public(task: Task) -> bool:
    plan = task.plan
    return plan.status == "published" or (
        plan.status == "changed" and plan.published_at is not None
        and task.created_at <= plan.published_at)


def _published_plans() -> list[Plan]:
    return list(db.session.execute(
        sa.select(Plan).where(_PLAN_PUBLIC)
        .options(selectinload(Plan.tasks)).order_by(Plan.year.desc(), Plan.plan_no)).scalars())


def public_plans() -> list[dict[str, Any]]:
    return [{"plan_no": p.plan_no, "name": p.name, "year": p.year,
             "published_on": p.published_at.date().isoformat() if p.published_at else "",
             "task_count": sum(_task_public(t) and not t.is_reinspection for t in p.tasks),
             "republish_pending": p.status != "published",
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
    for r in _records(task.id):
        out["records"].append({
            "record_id": r.id, "kind": r.kind, "created_at": local_text(r.created_at),
            "reason": r.reason or "", "seed": r.seed,
            "commitment": r.seed_commitment, "pool_hash": r.pool_hash,
            "algorithm": r.algorithm_version, "pool_size": r.pool_size,
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
    names = _ItemNames()
    # 复查 tasks are assignments that follow a finding, not random draws: their
    # outcome is published with the case's result, not as a 双随机 task.
    return [public_task(t, today, names) for p in _published_plans() for t in p.tasks
            if not t.is_reinspection and _task_public(t)]


def public_task_by_no(task_no: str, today: date | None = None) -> dict[str, Any] | None:
    task = db.session.execute(sa.select(Task).join(Plan).where(
        Task.task_no == task_no, _PLAN_PUBLIC, _TASK_PUBLIC)).scalar_one_or_none()
    return None if task is None else public_task(task, today or bureau_today())


def _results_query(text: str | None = None, year: int | None = None) -> sa.Select:
    """Approved results, newest first; *text* words each match the name or USCC
    (the public search), *year* the inspection year."""
    query = sa.select(PublicationResult).where(PublicationResult.status == "approved")
    for word in (text or "").replace("\u3000", " ").split():
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(PublicationResult.enterprise_name.ilike(like, escape="\\"),
                                   PublicationResult.uscc.ilike(like, escape="\\")))
    if year:
        query = query.where(PublicationResult.inspected_on.between(date(year, 1, 1),
                                                                   date(year, 12, 31)))
    return query


def public_results_count(text: str | None = None, year: int | None = None) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        _results_query(text, year).subquery()))


def public_result_years() -> list[int]:
    days = db.session.execute(sa.select(sa.func.min(PublicationResult.inspected_on),
                                        sa.func.max(PublicationResult.inspected_on)).where(
        PublicationResult.status == "approved")).one()
    return list(range(days[1].year, days[0].year - 1, -1)) if days[0] else []


def public_results(text: str | None = None, year: int | None = None, *,
                   limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    rows = db.session.execute(
        _results_query(text, year).options(selectinload(PublicationResult.task))
        .order_by(PublicationResult.published_on.desc(), PublicationResult.id.desc())
        .limit(limit).offset(offset)).scalars()
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


def _task_list_public(task: Task, today: date) -> bool:
    return drawn_list_visible(task, current_visits(task), today)


def public_attempts(task: Task, visible: bool) -> list[dict[str, Any]]:
    """Every freeze (attempt) of the task, public at once: time, snapshot hash,
    commitment, the promised public value, outcome.  A 暗查 task's failure
    reason may name an enterprise, so it waits until the list is public."""
    out = []
    for f in draw_freeze.freezes(task):
        row = draw_freeze.freeze_summary(f)
        keep = {k: row[k] for k in ("attempt", "kind", "reason", "frozen_at", "snapshot_hash",
                                    "commitment", "pool_size", "beacon", "beacon_due_at",
                                    "status_label", "outcome_at", "record_id")}
        keep["outcome_reason"] = row["outcome_reason"] if visible or not row["outcome_reason"] \
            else "暗查任务，原因在检查完成后公开"
        # As a person in the bureau reads them (stored in UTC).
        keep["frozen_local"] = local_text(f.frozen_at)
        keep["due_local"] = local_text(f.beacon_due_at)
        keep["beacon_label"] = _beacon_label(f.beacon)
        out.append(keep)
    return out


def _beacon_label(promise: dict[str, Any]) -> str:
    source = promise.get("source")
    if source == "drand":
        chain = str(promise.get("chain"))[:12]
        return f"公共随机信标 第{promise.get('round')}轮（链 {chain}…）"
    if source == "lottery":
        return f"{promise.get('name') or promise.get('id')} 第{promise.get('draw_no')}期开奖号码"
    return "本地随机数（仅用于演示和测试，不具公信力）"


def public_attempts_page(task_no: str, visible: bool) -> dict[str, Any]:
    """The attempts table of the public task page.  A failure reason names the
    enterprise the rule failed on: for a 暗查 task that is a target, so it
    waits until the list is public."""
    out = draw_freeze.public_attempts(task_no)
    if not visible:
        for a in out["attempts"]:
            if a.get("outcome_reason") and a.get("status") == "failed":
                a["outcome_reason"] = "暗查任务，原因在检查完成后公开"
    return out


def public_draw_file(sha256: str, today: date | None = None) -> bytes | None:
    """A published draw file's bytes, if the public may read it now."""
    row = draw_public.file_by_hash(sha256)
    if row is None or not _task_public(row.task):
        return None
    if not draw_public.may_serve(row, _task_list_public(row.task, today or bureau_today())):
        return None
    return draw_public.read_file(sha256)


def public_verify_index(task_no: str, today: date | None = None) -> dict[str, Any] | None:
    """The task's published values and its files, for the in-browser check."""
    task = db.session.execute(sa.select(Task).join(Plan).where(
        Task.task_no == task_no, _PLAN_PUBLIC, _TASK_PUBLIC)).scalar_one_or_none()
    if task is None:
        return None
    visible = _task_list_public(task, today or bureau_today())
    attempts = {a["attempt"]: a for a in public_attempts(task, visible)}
    files = []
    for row in draw_public.task_files(task):
        entry = {"kind": row.kind, "attempt": row.freeze_id, "record_id": row.record_id,
                 "sha256": row.sha256, "size": row.size, "leaf_index": row.leaf_index,
                 "entry": row.entry_json,
                 "url": f"/public/files/{row.sha256}.json"
                 if draw_public.may_serve(row, visible) else None}
        freeze = attempts.get(row.freeze_id)
        if freeze is not None:  # what the page published at the freeze, to compare
            entry["published"] = {"task_no": task.task_no, "commitment": freeze["commitment"],
                                  "snapshot_hash": freeze["snapshot_hash"]}
        files.append(entry)
    return {"task_no": task.task_no, "unannounced": task.unannounced,
            "drawn_list_public": visible, "attempts": list(attempts.values()),
            "files": files, "log": public_log_head()}


def public_log_head() -> dict[str, Any]:
    return {"head": transparency.latest_head(), "key": transparency.public_key()}


def public_log_entries() -> list[str]:
    return transparency.entries()


def public_log_consistency(first: int, second: int) -> dict[str, Any] | None:
    try:
        return transparency.consistency(first, second)
    except ValueError:
        return None


def public_log_proof(leaf_index: int, tree_size: int) -> dict[str, Any] | None:
    try:
        return transparency.proof(leaf_index, tree_size)
    except ValueError:
        return None
