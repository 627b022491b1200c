"""调整: a manual change to one visit (an officer or the enterprise), appended as a record.

An adjustment is a person's decision, not a draw, so it cannot be re-run; its
record says who, when, why and exactly what changed, points at the record it
amends (``parent_id``), and the visit it replaces stays in the database with
``current=False``.  The verifiable draw it starts from is the parent chain.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import sqlalchemy as sa

from shared.draw import select_scope
from shared.draw.items import ItemPicker
from shared.draw.snapshot import canonical_json
from shared.enums import DutyStatus, EnterpriseStatus

from ...extensions import db
from ...models import CheckItem, DrawRecord, Enterprise, Inspector, ItemListVersion, Visit
from ...models._types import utcnow
from ...models.draw import VisitMember
from .. import draw_public
from .freeze import latest_record, task_for_draw
from .inputs import load_items
from .policy import split_rules
from .registry import REGISTRY_COLUMN
from .run import DrawFailed, get_record
from .visits import visit_team

ADJUSTMENT_FORMAT = "suicha-draw-adjustment/1"
_GONE = {EnterpriseStatus.CLOSED.value, EnterpriseStatus.DEREGISTERED.value}


def _enterprise(uscc: str) -> Enterprise:
    ent = db.session.execute(sa.select(Enterprise).filter_by(uscc=uscc)).scalar_one_or_none()
    if ent is None:
        raise DrawFailed(404, f"检查对象名录库中没有统一社会信用代码为{uscc}的单位")
    return ent


def _new_officer(task, visit_uscc: str, cert_no: str, team: list[str]) -> Inspector:
    officer = db.session.execute(
        sa.select(Inspector).filter_by(cert_no=cert_no)).scalar_one_or_none()
    if officer is None:
        raise DrawFailed(404, f"执法检查人员名录库中没有执法证号为{cert_no}的人员")
    why = None
    if cert_no in team:
        why = "已在该检查组中"
    elif officer.duty_status != DutyStatus.ON_DUTY.value:
        why = f"在岗状态为“{DutyStatus(officer.duty_status).label}”"
    elif officer.cert_expiry < task.window_end:
        why = f"执法证有效期至{officer.cert_expiry.isoformat()}，早于抽查结束日期"
    elif visit_uscc in (officer.conflicts or []):
        why = f"与检查对象{visit_uscc}有申报的利害关系"
    if why:
        raise DrawFailed(422, f"不能调整为执法人员{cert_no}（{officer.name}）：{why}")
    return officer


def _new_target(task, uscc: str, team: list[str]) -> Enterprise:
    ent = _enterprise(uscc)
    if ent.status in _GONE:
        raise DrawFailed(422, f"检查对象{uscc}（{ent.name}）经营状态为"
                              f"“{EnterpriseStatus(ent.status).label}”，不能抽查")
    row = {k: getattr(ent, col) for k, col in REGISTRY_COLUMN.items()}
    if not select_scope([row], task_for_draw(task, [])):
        raise DrawFailed(422, f"检查对象{uscc}（{ent.name}）不在任务{task.task_no}的抽查对象范围内")
    taken = db.session.scalar(sa.select(sa.func.count()).select_from(Visit).where(
        Visit.task_id == task.id, Visit.current.is_(True), Visit.enterprise_id == ent.id))
    if taken:
        raise DrawFailed(409, f"检查对象{uscc}（{ent.name}）已在本任务的检查对象中")
    for officer in db.session.execute(sa.select(Inspector).where(
            Inspector.cert_no.in_(team))).scalars():
        if uscc in (officer.conflicts or []):
            raise DrawFailed(422, f"检查组成员{officer.cert_no}（{officer.name}）与检查对象{uscc}"
                                  "有申报的利害关系，请先调整检查人员")
    return ent


def _items_for(rec: DrawRecord, task, ent: Enterprise, version: int | None) -> list[str]:
    """重点 items plus a sample of 一般 items for the new enterprise, seeded from the record."""
    items, _latest = load_items() if version is None else _version_items(version)
    _rules, params, _joint = split_rules(task.rules)
    picker = ItemPicker({"items": {"list": items},
                         "task": {"general_items": params.get("general_items", 3)}})
    key = hashlib.sha256(bytes.fromhex(rec.seed) + b"adjustment" + ent.uscc.encode()).digest()
    return picker.pick(ent.uscc, ent.name, ent.industry, key)


def _version_items(number: int) -> tuple[list[dict[str, Any]], int]:
    rows = db.session.execute(sa.select(CheckItem).join(ItemListVersion).where(
        ItemListVersion.number == number)).scalars()
    return [{"no": i.code, "name": i.name, "category": i.category,
             "industries": i.industries or []} for i in rows], number


def adjust(record_id: int, data: dict[str, Any], actor: str) -> DrawRecord:
    """Replace an officer or the enterprise of one current visit; returns the new record."""
    rec = get_record(record_id)
    task = rec.task
    latest = latest_record(task)
    if latest.id != rec.id:
        raise DrawFailed(409, f"记录{rec.id}已被记录{latest.id}取代，请基于最新记录调整")
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise DrawFailed(422, "调整必须说明理由")
    visit_uscc, what, new = data["uscc"], data["replace"], data["new"]
    ent = _enterprise(visit_uscc)
    visit = db.session.execute(sa.select(Visit).where(
        Visit.task_id == task.id, Visit.current.is_(True), Visit.enterprise_id == ent.id)
    ).scalar_one_or_none()
    if visit is None:
        raise DrawFailed(404, f"任务{task.task_no}当前没有对检查对象{visit_uscc}的检查")
    team, leader = visit_team(visit)
    target, items, old = ent, visit.item_codes, visit_uscc
    if what == "inspector":
        old = data.get("old") or ""
        if old not in team:
            raise DrawFailed(422, f"执法人员{old}不在检查对象{visit_uscc}的检查组中")
        _new_officer(task, visit_uscc, new, team)
        team = sorted([c for c in team if c != old] + [new])
        leader = new if leader == old else leader
    elif what == "enterprise":
        target = _new_target(task, new, team)
        items = _items_for(rec, task, target, visit.item_version)
    else:
        raise DrawFailed(422, "调整对象应为inspector（执法人员）或enterprise（检查对象）")

    now = utcnow()
    new_visit = {"uscc": target.uscc, "inspectors": team, "leader": leader,
                 "experts": visit.expert_names or [], "items": items}
    result = copy.deepcopy(rec.result or {})
    result["visits"] = [new_visit | {"experts": v.get("experts", [])}
                        if v["uscc"] == visit_uscc else v for v in result.get("visits", [])]
    document = {
        "format": ADJUSTMENT_FORMAT,
        "meta": {"record_id": None, "kind": "adjustment", "actor": actor,
                 "created_at": now.isoformat(), "reason": reason, "parent_record_id": rec.id,
                 "task_no": task.task_no, "plan_no": task.plan.plan_no},
        "adjustment": {"visit": visit_uscc, "replace": what, "old": old, "new": new},
        "visit_before": {"uscc": visit_uscc, "inspectors": visit_team(visit)[0],
                         "leader": visit_team(visit)[1], "experts": visit.expert_names or [],
                         "items": visit.item_codes or []},
        "visit_after": new_visit,
    }
    adj = DrawRecord(task_id=task.id, kind="adjustment", parent_id=rec.id, actor=actor,
                     reason=reason, created_at=now, seed=rec.seed,
                     seed_commitment=rec.seed_commitment, pool_hash=rec.pool_hash,
                     algorithm_version=rec.algorithm_version, pool_size=rec.pool_size,
                     record_json=canonical_json(document), result=result)
    try:
        db.session.add(adj)
        db.session.flush()
        draw_public.publish_adjustment(task, adj, document)  # public file + log (issue 15)
        visit.current = False
        certs = dict(db.session.execute(sa.select(Inspector.cert_no, Inspector.id).where(
            Inspector.cert_no.in_(team))).all())
        replacement = Visit(task_id=task.id, draw_record_id=adj.id, enterprise_id=target.id,
                            joint_task_nos=list(visit.joint_task_nos or []),
                            item_version=visit.item_version, item_codes=items,
                            expert_names=list(visit.expert_names or []), status="drawn",
                            current=True)
        replacement.members = [VisitMember(inspector_id=certs[c], leader=c == leader)
                               for c in team]
        db.session.add(replacement)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    from .. import case_observe

    case_observe.after_draw()  # the replaced visit's case is cancelled, the new one opens
    return adj


__all__ = ["ADJUSTMENT_FORMAT", "adjust"]
