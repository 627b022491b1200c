"""All-or-nothing registry import: every bad row reported, nothing half-applied."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ...extensions import db
from ...models import AuditLog, CheckItem, Enterprise, Expert, Inspector, ItemListVersion
from ...models._types import utcnow
from .reader import SheetError, read_sheet
from .specs import SPECS, RegistrySpec

MODELS = {"enterprises": Enterprise, "inspectors": Inspector, "experts": Expert}
ENTITY = {"enterprises": "enterprise", "inspectors": "inspector", "experts": "expert",
          "items": "item"}
MAX_ERRORS_LISTED = 200


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    item_version: int | None = None
    keys: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"导入完成：新增{self.created}条，更新{self.updated}条，未变{self.unchanged}条"
        if self.item_version is not None:
            text += f"（事项清单版本 {self.item_version}）"
        return text


_HEADER_NOISE = re.compile(r"[\s*＊]")


def _normalise_header(h: str) -> str:
    return _HEADER_NOISE.sub("", h).replace("（", "(").replace("）", ")")


def map_headers(spec: RegistrySpec, headers: list[str]) -> list[int | None]:
    """Column index → position in spec.columns, or None for ignored columns."""
    lookup: dict[str, int] = {}
    for i, col in enumerate(spec.columns):
        for name in (col.header, *col.aliases):
            lookup[_normalise_header(name).lower()] = i
    mapping: list[int | None] = []
    errors: list[str] = []
    seen: set[int] = set()
    for h in headers:
        norm = _normalise_header(h).lower()
        if not norm or h in spec.ignored_headers:
            mapping.append(None)
            continue
        idx = lookup.get(norm)
        if idx is None:
            errors.append(f"第1行: 未知列“{h}”")
        elif idx in seen:
            errors.append(f"第1行: 列“{h}”重复")
        else:
            seen.add(idx)
        mapping.append(idx)
    missing = [col.header for i, col in enumerate(spec.columns) if col.required and i not in seen]
    if missing:
        errors.append(f"第1行: 缺少必填列：{'、'.join(missing)}")
    if errors:
        raise ImportFailed(errors)
    return mapping


def parse_rows(spec: RegistrySpec, data: bytes, filename: str) -> list[dict[str, Any]]:
    """Validated rows, or ImportFailed listing every bad row as 第N行: reason."""
    try:
        headers, rows = read_sheet(data, filename)
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    mapping = map_headers(spec, headers)
    columns = spec.columns
    present = [(pos, columns[idx]) for pos, idx in enumerate(mapping) if idx is not None]
    absent = [col for i, col in enumerate(columns) if i not in set(mapping)]
    out: list[dict[str, Any]] = []
    errors: list[str] = []
    first_row_of: dict[str, int] = {}
    width = len(headers)
    for n, raw in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in raw):
            continue
        if len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
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
            key = spec.key_of(row)
            if key in first_row_of:
                reasons.append(f"与第{first_row_of[key]}行重复")
            else:
                first_row_of[key] = n
        if reasons:
            errors.append(f"第{n}行: {'；'.join(reasons)}")
        else:
            out.append(row)
    if errors:
        if len(errors) > MAX_ERRORS_LISTED:
            more = len(errors) - MAX_ERRORS_LISTED
            errors = errors[:MAX_ERRORS_LISTED] + [f"……另有{more}行错误"]
        raise ImportFailed(errors)
    if not out:
        raise ImportFailed(["文件中没有数据行"])
    return out


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


def import_registry(kind: str, data: bytes, filename: str, actor: str) -> ImportResult:
    """Upsert a registry file in one transaction; raises ImportFailed and changes nothing."""
    spec = SPECS[kind]
    rows = parse_rows(spec, data, filename)
    try:
        if kind == "items":
            result = _import_items(spec, rows, actor, filename)
        else:
            result = _upsert(spec, MODELS[kind], rows, actor, filename)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if kind == "enterprises" and (result.created or result.updated):
        refresh_statistics()
    return result


def refresh_statistics() -> None:
    """Planner statistics for the registry after a bulk change.

    Without them SQLite does not know that the draw's pool read is cheapest
    off the covering index ``ix_enterprises_draw_pool`` and sorts instead
    (bench/draw_1m.py); PostgreSQL's autovacuum would get there later.
    """
    db.session.execute(sa.text("ANALYZE enterprises"))
    db.session.commit()


def _upsert(spec: RegistrySpec, model, rows: list[dict], actor: str, source: str) -> ImportResult:
    attrs = [col.attr for col in spec.columns]
    table = model.__table__
    existing: dict[str, dict] = {}
    for rec in db.session.execute(sa.select(table.c.id, *[table.c[a] for a in attrs])).mappings():
        rec = dict(rec)
        existing[spec.key_of(rec)] = rec
    now = utcnow()
    inserts, updates, audits = [], [], []
    result = ImportResult(kind=spec.kind)
    entity = ENTITY[spec.kind]
    for row in rows:
        key = spec.key_of(row)
        old = existing.get(key)
        if old is None:
            inserts.append({**row, "created_at": now, "updated_at": now})
            audits.append(_audit(actor, "create", entity, key, None, row, source, now))
            result.created += 1
            continue
        before = {a: old[a] for a in attrs}
        if before == row:
            result.unchanged += 1
            continue
        updates.append({**row, "_id": old["id"], "updated_at": now})
        audits.append(_audit(actor, "update", entity, key, before, row, source, now))
        result.updated += 1
    if inserts:
        bulk_insert(table, inserts)
    if updates:
        stmt = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("_id"))
            .values({a: sa.bindparam(a) for a in [*attrs, "updated_at"]})
        )
        db.session.connection().execute(stmt, updates)
    if audits:
        bulk_insert(AuditLog.__table__, audits)
    return result


def bulk_insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """executemany through an untyped table: values are converted once, here.

    SQLAlchemy's per-parameter type processing (JSON dumps, date adapters) costs
    more than the insert itself at 100,000 rows; doing it in one pass halves it.
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    json_cols = [c.name for c in table.columns if isinstance(c.type, sa.JSON)]
    date_cols = [c.name for c in table.columns
                 if sqlite and isinstance(c.type, sa.Date | sa.DateTime)]
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for row in rows:
        for name in json_cols:
            if name in row:
                row[name] = None if row[name] is None else dumps(row[name])
        for name in date_cols:
            value = row.get(name)
            if value is not None:
                row[name] = value.isoformat(sep=" ") if isinstance(value, datetime) else (
                    value.isoformat())
    names = list(rows[0])
    untyped = sa.table(table.name, *[sa.column(n) for n in names])
    db.session.execute(sa.insert(untyped), rows)


def _audit(actor, action, entity, key, before, after, source, now) -> dict:
    return {
        "at": now, "actor": actor, "action": action, "entity": entity, "entity_key": key,
        "before": jsonable(before) if before else None,
        "after": jsonable(after) if after else None, "source": source,
    }


def _import_items(spec: RegistrySpec, rows: list[dict], actor: str, source: str) -> ImportResult:
    """Items are versioned: any change copies the latest list into a new version."""
    attrs = [col.attr for col in spec.columns]
    latest = db.session.execute(
        sa.select(ItemListVersion).order_by(ItemListVersion.number.desc()).limit(1)
    ).scalar_one_or_none()
    current = {i.code: {a: getattr(i, a) for a in attrs} for i in (latest.items if latest else [])}
    result = ImportResult(kind="items")
    merged = dict(current)
    audits = []
    now = utcnow()
    for row in rows:
        old = current.get(row["code"])
        if old == row:
            result.unchanged += 1
            continue
        action = "create" if old is None else "update"
        if old is None:
            result.created += 1
        else:
            result.updated += 1
        merged[row["code"]] = row
        audits.append(_audit(actor, action, "item", row["code"], old, row, source, now))
    if not audits:
        result.item_version = latest.number if latest else None
        return result
    version = ItemListVersion(
        number=(latest.number + 1) if latest else 1, created_by=actor, note=f"导入 {source}"
    )
    version.items = [CheckItem(**values) for _, values in sorted(merged.items())]
    db.session.add(version)
    db.session.flush()
    for a in audits:
        a["after"] = {**a["after"], "version": version.number}
    db.session.execute(sa.insert(AuditLog.__table__), audits)
    result.item_version = version.number
    return result
