"""``GET /api/v1/sync/pull``: the task packages that changed for one inspector.

The cursor is ``1.<seq>.<yyyymmdd>``: the last dispatch event of this inspector
the tablet has applied, and the bureau day of that pull. The day matters for
unannounced (暗查) visits: their notice appears in the package only from the
window's first day, so a pull on a later day re-sends the packages whose
window opened since.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import CheckItem, ItemListVersion, Task, Visit, VisitMember
from ...models.sync import Dispatch, DispatchEvent
from .. import dispatch as dispatch_service
from . import SyncError, visit_code

CURSOR_VERSION = "1"
_METHODS = {"on_site", "documents", "written", "online", "testing"}
_CATEGORIES = {"key", "general"}


def make_cursor(seq: int, day: date) -> str:
    return f"{CURSOR_VERSION}.{seq}.{day:%Y%m%d}"


def parse_cursor(cursor: str) -> tuple[int, date]:
    """``(seq, day)``; anything not made by :func:`make_cursor` → 410 Gone."""
    try:
        version, seq, day = cursor.split(".")
        if version != CURSOR_VERSION:
            raise ValueError(version)
        return int(seq), datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise SyncError(410, "同步位置已失效，将重新下载全部任务") from None


def _last_seq(inspector_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.max(DispatchEvent.seq)).where(
        DispatchEvent.inspector_id == inspector_id)) or 0


def _assigned(inspector_id: int) -> sa.Select:
    """Visits dispatched (and not withdrawn) whose team includes the inspector, with what
    every package shows of them loaded alongside (no lazy load per visit)."""
    return (sa.select(Visit, Dispatch)
            .join(Dispatch, Dispatch.visit_id == Visit.id)
            .join(VisitMember, VisitMember.visit_id == Visit.id)
            .where(VisitMember.inspector_id == inspector_id, Dispatch.withdrawn_at.is_(None))
            .options(joinedload(Visit.task).joinedload(Task.plan),
                     joinedload(Visit.enterprise),
                     selectinload(Visit.members).joinedload(VisitMember.inspector))
            .order_by(Visit.id))


def pull(inspector_id: int, cursor: str | None) -> dict[str, Any]:
    today = dispatch_service.today()
    last = _last_seq(inspector_id)
    if cursor is None:
        rows = db.session.execute(_assigned(inspector_id)).all()
        return {"cursor": make_cursor(last, today), "packages": packages(rows, today),
                "withdrawn": []}
    seq, since = parse_cursor(cursor)
    if seq > last or since > today:
        raise SyncError(410, "同步位置已失效，将重新下载全部任务")
    affected = set(db.session.scalars(sa.select(DispatchEvent.visit_id).where(
        DispatchEvent.inspector_id == inspector_id, DispatchEvent.seq > seq,
        DispatchEvent.seq <= last)))
    opened = set()
    if since < today:  # 暗查 windows that opened since the last pull bring their notice
        opened = set(db.session.scalars(
            sa.select(Visit.id).join(Task, Task.id == Visit.task_id).where(
                Task.unannounced.is_(True), Task.window_start > since,
                Task.window_start <= today)))
    wanted = affected | opened
    rows = []
    if wanted:
        rows = db.session.execute(_assigned(inspector_id).where(Visit.id.in_(wanted))).all()
    held = {v.id for v, _d in rows}
    withdrawn = [visit_code(i) for i in sorted(affected - held)]
    return {"cursor": make_cursor(last, today), "packages": packages(rows, today),
            "withdrawn": withdrawn}


def packages(rows: Sequence[tuple[Visit, Dispatch]], today: date) -> list[dict[str, Any]]:
    """The packages of *rows* (from :func:`_assigned`) in a fixed number of queries:
    the histories of all their enterprises at once, the items of all their item-list
    versions at once."""
    if not rows:
        return []
    # Imported here: the enterprise file pulls in the dossier/PDF stack, which a
    # no-change pull never needs.
    from ..enterprise_file import package_histories

    histories = package_histories(v.enterprise_id for v, _d in rows)
    items = _items([v for v, _d in rows])
    return [package(v, d, today, histories[v.enterprise_id], items[v.id]) for v, d in rows]


def package(visit: Visit, d: Dispatch, today: date, history: dict[str, list],
            items: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the inspector needs offline for one visit – nothing more (no
    credit class, no phone numbers)."""
    task, ent = visit.task, visit.enterprise
    show_notice = not task.unannounced or today >= task.window_start
    return {
        "visit_id": visit_code(visit.id),
        "task": {"task_no": task.task_no, "name": task.name, "window_start": task.window_start,
                 "window_end": task.window_end, "unannounced": task.unannounced,
                 "plan_no": task.plan.plan_no if task.plan else None},
        "team": [{"cert_no": m.inspector.cert_no, "name": m.inspector.name,
                  "leader": m.leader} for m in visit.members],
        "enterprise": {"uscc": ent.uscc, "name": ent.name, "industry": ent.industry,
                       "street": ent.street, "address": ent.address,
                       "legal_rep": ent.legal_rep, "contact": ent.contact,
                       "scale": ent.scale, "risk_level": ent.risk_level},
        "history": history,
        "items": items,
        "notice": ({"doc_no": d.notice_no, "sent_at": d.notice_sent_on.isoformat()}
                   if show_notice else None),
    }


def _items(visits: Sequence[Visit]) -> dict[int, list[dict[str, Any]]]:
    """Each visit's drawn items with their legal basis, from the item-list version its draw
    used (the latest for a visit without one): one query for all visits."""
    latest = None
    if any(v.item_version is None for v in visits):
        latest = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
    version = {v.id: latest if v.item_version is None else v.item_version for v in visits}
    numbers = {n for n in version.values() if n is not None}
    codes = {c for v in visits for c in v.item_codes or []}
    by_key: dict[tuple[int, str], dict[str, Any]] = {}
    if numbers and codes:
        for number, item in db.session.execute(
                sa.select(ItemListVersion.number, CheckItem)
                .join(ItemListVersion, ItemListVersion.id == CheckItem.version_id).where(
                    ItemListVersion.number.in_(numbers), CheckItem.code.in_(codes))):
            by_key[number, item.code] = _item(item)
    return {v.id: [dict(by_key[version[v.id], code]) if (version[v.id], code) in by_key
                   else _missing(code) for code in v.item_codes or []] for v in visits}


def _item(item: CheckItem) -> dict[str, Any]:
    method = next((m for m in item.methods or [] if m in _METHODS), None)
    return {"code": item.code, "name": item.name, "sub_item": item.sub_item or "",
            "legal_basis": item.legal_basis or "", "content": item.content or "",
            "method": method,
            "category": item.category if item.category in _CATEGORIES else None}


def _missing(code: str) -> dict[str, Any]:
    """A code the list no longer has: still inspectable, no text."""
    return {"code": code, "name": code, "sub_item": "", "legal_basis": "", "content": "",
            "method": None, "category": None}
