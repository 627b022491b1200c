"""``GET /api/v1/sync/pull``: the task packages that changed for one inspector.

The cursor is ``1.<seq>.<yyyymmdd>``: the last dispatch event of this inspector
the tablet has applied, and the bureau day of that pull (a cursor from a later
day than today is stale).  An unannounced (暗查) visit's package never holds a
notice: there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ...extensions import db
from ...localtime import zone_name
from ...models import CheckItem, Enterprise, Inspector, ItemListVersion, Plan, Task
from ...models.draw import Visit, VisitMember
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


def pull(inspector_id: int, cursor: str | None) -> dict[str, Any]:
    today = dispatch_service.today()
    last = _last_seq(inspector_id)
    if cursor is None:
        rows = _package_rows(inspector_id)
        return {"cursor": make_cursor(last, today), "packages": packages(rows, today),
                "withdrawn": [], "withdrawn_reasons": {}, "bureau_timezone": zone_name()}
    seq, since = parse_cursor(cursor)
    if seq > last or since > today:
        raise SyncError(410, "同步位置已失效，将重新下载全部任务")
    affected = set(db.session.scalars(sa.select(DispatchEvent.visit_id).where(
        DispatchEvent.inspector_id == inspector_id, DispatchEvent.seq > seq,
        DispatchEvent.seq <= last)))
    # A package changes only through its events (暗查 visits have no notice to
    # bring when their window opens).
    rows = _package_rows(inspector_id, affected) if affected else []
    held = {r.id for r in rows}
    gone = sorted(affected - held)
    return {"cursor": make_cursor(last, today), "packages": packages(rows, today),
            "withdrawn": [visit_code(i) for i in gone],
            "withdrawn_reasons": _withdrawn_reasons(gone), "bureau_timezone": zone_name()}


def _withdrawn_reasons(visit_ids: list[int]) -> dict[str, str]:
    """Why each visit left this inspector's tablet, in the office's words: the
    withdrawal's reason, or – still dispatched – that the team changed."""
    out: dict[str, str] = {}
    for start in range(0, len(visit_ids), 1000):  # bounded IN lists
        chunk = visit_ids[start:start + 1000]
        found = dict(db.session.execute(sa.select(Dispatch.visit_id, Dispatch.withdrawn_reason)
                                        .where(Dispatch.visit_id.in_(chunk))).all())
        for i in chunk:
            reason = found.get(i)
            out[visit_code(i)] = reason or "检查组已调整，您不再承担该任务"
    return out


# Package building reads plain rows of only the columns a package shows: no ORM objects
# (a full pull of 60 packages spent most of its time making them), and nothing private
# (credit class) is even read. The enterprise's contact phone is the one number an
# inspector needs (docs/sync.md: to reach the contact before an announced visit).
_VISIT_COLUMNS = (
    Visit.id, Visit.enterprise_id, Visit.item_version, Visit.item_codes,
    Visit.expert_names, Visit.host_department,
    Task.task_no, Task.name.label("task_name"), Task.window_start, Task.window_end,
    Task.unannounced, Task.rules, Plan.plan_no,
    Enterprise.uscc, Enterprise.name, Enterprise.industry, Enterprise.street,
    Enterprise.address, Enterprise.legal_rep, Enterprise.contact, Enterprise.phone,
    Enterprise.scale,
    Enterprise.risk_level,
    Dispatch.notice_no, Dispatch.notice_sent_on)


def reference_photo(inspector_id: int, sha256: str) -> bool:
    """May this inspector download blob *sha256*? Only a photo of an open hazard in
    a package the inspector holds now (a 复查 shows what was found then)."""
    from ..enterprise_file import package_histories

    rows = _package_rows(inspector_id)
    histories = package_histories(r.enterprise_id for r in rows)
    return any(sha256 in h.get("photos", []) for history in histories.values()
               for h in history["open_hazards"])


def _package_rows(inspector_id: int, only: set[int] | None = None) -> list[sa.Row]:
    """The visits dispatched (and not withdrawn) whose team includes the inspector – those
    in *only* if given – with their task, plan, enterprise and notice, in visit order."""
    query = (sa.select(*_VISIT_COLUMNS)
             .join(Dispatch, Dispatch.visit_id == Visit.id)
             .join(VisitMember, VisitMember.visit_id == Visit.id)
             .join(Task, Task.id == Visit.task_id)
             .outerjoin(Plan, Plan.id == Task.plan_id)
             .join(Enterprise, Enterprise.id == Visit.enterprise_id)
             .where(VisitMember.inspector_id == inspector_id, Dispatch.withdrawn_at.is_(None))
             .order_by(Visit.id))
    if only is not None:
        query = query.where(Visit.id.in_(only))
    return list(db.session.execute(query))


def packages(rows: Sequence[sa.Row], today: date) -> list[dict[str, Any]]:
    """The packages of *rows* (from :func:`_package_rows`) in a fixed number of queries:
    the teams of all visits at once, the histories of all their enterprises at once, the
    items of all their item-list versions at once."""
    if not rows:
        return []
    # Imported here: the enterprise file pulls in the dossier/PDF stack, which a
    # no-change pull never needs.
    from ..enterprise_file import package_histories

    teams = _teams([r.id for r in rows])
    histories = package_histories(r.enterprise_id for r in rows)
    items = _items(rows)
    return [package(r, today, teams.get(r.id, []), histories[r.enterprise_id], items[r.id])
            for r in rows]


def package(row: sa.Row, today: date, team: list[dict[str, Any]], history: dict[str, list],
            items: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the inspector needs offline for one visit – nothing more (no
    credit class; of phone numbers only the enterprise contact's)."""
    show_notice = row.notice_no is not None and not row.unannounced  # 暗查: none at all
    return {
        "visit_id": visit_code(row.id),
        "task": {"task_no": row.task_no, "name": row.task_name, "window_start": row.window_start,
                 "window_end": row.window_end, "unannounced": row.unannounced,
                 "plan_no": row.plan_no,
                 # a 复查: the tablet shows the earlier hazards as 已整改/未整改 checks
                 "reinspection": bool((row.rules or {}).get("reinspection_of"))},
        "team": team,
        "experts": list(row.expert_names or []),  # drawn experts: name（单位）
        "host_department": row.host_department,  # 主办科室
        "enterprise": {"uscc": row.uscc, "name": row.name, "industry": row.industry,
                       "street": row.street, "address": row.address,
                       "legal_rep": row.legal_rep, "contact": row.contact,
                       "contact_phone": row.phone,
                       "scale": row.scale, "risk_level": row.risk_level},
        "history": history,
        "items": items,
        "notice": ({"doc_no": row.notice_no, "sent_at": row.notice_sent_on.isoformat()}
                   if show_notice else None),
    }


def _teams(visit_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each visit's team as the package shows it, members in the order they were added."""
    teams: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(visit_ids), 1000):  # bounded IN lists
        for m in db.session.execute(
                sa.select(VisitMember.visit_id, Inspector.cert_no, Inspector.name,
                          VisitMember.leader)
                .join(Inspector, Inspector.id == VisitMember.inspector_id)
                .where(VisitMember.visit_id.in_(visit_ids[start:start + 1000]))
                .order_by(VisitMember.id)):
            teams.setdefault(m.visit_id, []).append(
                {"cert_no": m.cert_no, "name": m.name, "leader": m.leader})
    return teams


def _items(rows: Sequence[sa.Row]) -> dict[int, list[dict[str, Any]]]:
    """Each visit's drawn items with their legal basis, from the item-list version its draw
    used (the latest for a visit without one): one query for all visits."""
    latest = None
    if any(r.item_version is None for r in rows):
        latest = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
    version = {r.id: latest if r.item_version is None else r.item_version for r in rows}
    numbers = {n for n in version.values() if n is not None}
    codes = {c for r in rows for c in r.item_codes or []}
    by_key: dict[tuple[int, str], dict[str, Any]] = {}
    if numbers and codes:
        for item in db.session.execute(
                sa.select(ItemListVersion.number, CheckItem.code, CheckItem.name,
                          CheckItem.sub_item, CheckItem.legal_basis, CheckItem.content,
                          CheckItem.methods, CheckItem.category)
                .join(ItemListVersion, ItemListVersion.id == CheckItem.version_id)
                .where(ItemListVersion.number.in_(numbers), CheckItem.code.in_(codes))):
            by_key[item.number, item.code] = _item(item)
    return {r.id: [dict(by_key[version[r.id], code]) if (version[r.id], code) in by_key
                   else _missing(code) for code in r.item_codes or []] for r in rows}


def _item(item: sa.Row) -> dict[str, Any]:
    method = next((m for m in item.methods or [] if m in _METHODS), None)
    return {"code": item.code, "name": item.name, "sub_item": item.sub_item or "",
            "legal_basis": item.legal_basis or "", "content": item.content or "",
            "method": method,
            "category": item.category if item.category in _CATEGORIES else None}


def _missing(code: str) -> dict[str, Any]:
    """A code the list no longer has: still inspectable, no text."""
    return {"code": code, "name": code, "sub_item": "", "legal_basis": "", "content": "",
            "method": None, "category": None}
