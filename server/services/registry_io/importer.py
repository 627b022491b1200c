"""All-or-nothing registry import: every bad row reported, nothing half-applied.

An import is shown before it is applied: ``preview_registry`` reads the file
and lists what it would create and change (field by field) and what stays as
it is; the preview carries a ``token`` that fingerprints the file and the
records it touches, and ``import_registry(..., expect=token)`` applies exactly
that or refuses (``ImportStale``) when the registry changed in between.

Only the columns the file has are imported: a file with 单位名称 and 统一社会信用代码
alone changes no phone, address, 回避单位 or blacklist flag of an existing
record.  New records get the columns' empty values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from ...extensions import db
from ...models import AuditLog, CheckItem, Enterprise, Expert, Inspector, ItemListVersion
from ...models._types import utcnow
from .bulk import bulk_insert
from .layout import Layout, LayoutError, locate
from .reader import SheetError, read_rows
from .specs import SPECS, Column, RegistrySpec

MODELS = {"enterprises": Enterprise, "inspectors": Inspector, "experts": Expert}
ENTITY = {"enterprises": "enterprise", "inspectors": "inspector", "experts": "expert",
          "items": "item"}
MAX_ERRORS_LISTED = 200
MAX_LISTED = 200  # records named one by one in a preview


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class ImportStale(Exception):
    """The registry changed since the preview; the import must be previewed again."""

    message = "名录库在预览之后已有变化，本次导入未执行；请重新上传并预览"


@dataclass
class Parsed:
    spec: RegistrySpec
    layout: Layout
    rows: list[dict[str, Any]]      # every attribute: absent columns hold their empty value
    present: list[str]              # attributes the file has
    digest: str                     # sha256 of the file


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


MEMO_LIMIT = 4096
_MISS = object()


class _Refused:
    """A cell's parse error, remembered like a parsed value."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse(col: Column, value: Any) -> Any:
    try:
        return col.parse(value)
    except ValueError as exc:
        return _Refused(str(exc))


def _row_errors(layout: Layout, n: int, reasons: list[tuple[int | None, str]]) -> str:
    parts = [f"{layout.where(pos)}：{why}" if pos is not None else why for pos, why in reasons]
    return f"第{n}行: {'；'.join(parts)}"


def parse_rows(spec: RegistrySpec, data: bytes, filename: str) -> Parsed:
    """Validated rows, or ImportFailed naming every bad row, its column and the cause."""
    try:
        layout, numbered = locate(spec, read_rows(data, filename).rows)
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    except LayoutError as exc:
        raise ImportFailed(exc.errors) from None
    present = layout.present
    present_attrs = {col.attr for _, col in present}
    absent = [(col.attr, col.parse(None)) for col in spec.columns
              if col.attr not in present_attrs]
    positions = [pos for pos, _ in present]
    width = max(positions) + 1
    out: list[dict[str, Any]] = []
    errors: list[str] = []
    first_row_of: dict[str, int] = {}
    # Most columns repeat a few values (行业领域, 属地, 是/否, dates): each
    # distinct cell is parsed once per column.  Parsed values are never
    # changed afterwards, so rows may share them.
    memos: list[dict | None] = [{} for _ in present]
    try:
        for n, raw in numbered:
            if len(raw) < width:
                raw = list(raw) + [None] * (width - len(raw))
            # Rows holding only a 序号, spaces or nothing in the imported columns.
            if all(raw[p] is None or (type(raw[p]) is str and not raw[p].strip())
                   for p in positions):
                continue
            row: dict[str, Any] = {}
            reasons: list[tuple[int | None, str]] = []
            for i, (pos, col) in enumerate(present):
                value = raw[pos]
                memo = memos[i]
                if memo is not None:
                    # 1, 1.0 and True are equal keys: tell numbers apart by type.
                    key = value if value.__class__ is str else (value.__class__, value)
                    parsed = memo.get(key, _MISS)
                    if parsed is _MISS:
                        parsed = memo[key] = _parse(col, value)
                        if len(memo) > MEMO_LIMIT:  # a column of unique values
                            memos[i] = None
                else:
                    parsed = _parse(col, value)
                if parsed.__class__ is _Refused:
                    reasons.append((pos, parsed.reason))
                else:
                    row[col.attr] = parsed
            for attr, empty in absent:
                row[attr] = empty
            if not reasons:
                key = spec.key_of(row)
                if key in first_row_of:
                    reasons.append((None, f"与第{first_row_of[key]}行重复"))
                else:
                    first_row_of[key] = n
            if reasons:
                errors.append(_row_errors(layout, n, reasons))
            else:
                out.append(row)
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    if errors:
        if len(errors) > MAX_ERRORS_LISTED:
            more = len(errors) - MAX_ERRORS_LISTED
            errors = errors[:MAX_ERRORS_LISTED] + [f"……另有{more}行错误"]
        raise ImportFailed(errors)
    if not out:
        raise ImportFailed(["文件中没有数据行"])
    return Parsed(spec, layout, out, [c.attr for _, c in present],
                  hashlib.sha256(data).hexdigest())


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


# -- the plan of an import ---------------------------------------------------

@dataclass
class Change:
    key: str
    name: str
    fields: list[tuple[str, str, str]]  # (header, before, after) as a person reads them


@dataclass
class ImportPreview:
    kind: str
    label: str
    filename: str
    created: int
    changed: int
    unchanged: int
    new: list[Change]            # the first MAX_LISTED
    changes: list[Change]        # the first MAX_LISTED
    header_rows: list[int]
    absent_columns: list[str]    # left untouched on existing records
    ignored_columns: list[str]   # in the file, not imported
    token: str

    def summary(self) -> str:
        return (f"将新增{self.created}条，修改{self.changed}条，"
                f"{self.unchanged}条与名录库相同")


@dataclass
class _Plan:
    parsed: Parsed
    existing: dict[str, dict]          # key → current values (+ id)
    inserts: list[dict] = field(default_factory=list)
    updates: list[tuple[dict, dict]] = field(default_factory=list)  # (old, changed values)
    unchanged: int = 0

    def token(self) -> str:
        """File and every touched record as they are now: a concurrent change to
        any of them gives another token."""
        h = hashlib.sha256(self.parsed.digest.encode())
        for row in self.parsed.rows:
            old = self.existing.get(self.parsed.spec.key_of(row))
            before = None if old is None else {a: old[a] for a in self.parsed.present}
            h.update(json.dumps(jsonable(before or {}), sort_keys=True,
                                ensure_ascii=False).encode())
        return h.hexdigest()[:32]


def _current(kind: str, spec: RegistrySpec) -> dict[str, dict]:
    attrs = [col.attr for col in spec.columns]
    if kind == "items":
        latest = _latest_items()
        return {i.code: {a: getattr(i, a) for a in attrs}
                for i in (latest.items if latest else [])}
    table = MODELS[kind].__table__
    existing: dict[str, dict] = {}
    query = sa.select(table.c.id, *[table.c[a] for a in attrs])
    for rec in db.session.execute(query).mappings():
        rec = dict(rec)
        existing[spec.key_of(rec)] = rec
    return existing


def _plan(kind: str, parsed: Parsed) -> _Plan:
    spec = parsed.spec
    plan = _Plan(parsed, _current(kind, spec))
    present = parsed.present
    for row in parsed.rows:
        old = plan.existing.get(spec.key_of(row))
        if old is None:
            plan.inserts.append(row)
            continue
        changed = {a: row[a] for a in present if row[a] != old[a]}
        if changed:
            plan.updates.append((old, changed))
        else:
            plan.unchanged += 1
    return plan


def _show(col: Column, value: Any) -> str:
    try:
        return col.fmt(value)
    except (ValueError, KeyError):
        return str(value)


def preview_registry(kind: str, data: bytes, filename: str) -> ImportPreview:
    """What importing the file would do; reads only (a preview never writes)."""
    spec = SPECS[kind]
    plan = _plan(kind, parse_rows(spec, data, filename))
    by_attr = {col.attr: col for col in spec.columns}
    name_attr = spec.columns[0].attr

    def change(key_row: dict, values: dict, old: dict | None) -> Change:
        fields = [(by_attr[a].header, _show(by_attr[a], old[a]) if old else "",
                   _show(by_attr[a], v)) for a, v in values.items()]
        return Change(spec.key_of(key_row), str(key_row.get(name_attr) or ""), fields)

    present_attrs = set(plan.parsed.present)
    return ImportPreview(
        kind=kind, label=spec.label, filename=filename,
        created=len(plan.inserts), changed=len(plan.updates), unchanged=plan.unchanged,
        new=[Change(spec.key_of(r), str(r.get(name_attr) or ""), [])
             for r in plan.inserts[:MAX_LISTED]],
        changes=[change(old, values, old) for old, values in plan.updates[:MAX_LISTED]],
        header_rows=list(plan.parsed.layout.header_rows),
        absent_columns=[c.header for c in spec.columns if c.attr not in present_attrs],
        ignored_columns=plan.parsed.layout.ignored,
        token=plan.token(),
    )


def import_registry(kind: str, data: bytes, filename: str, actor: str,
                    expect: str | None = None) -> ImportResult:
    """Apply a registry file in one transaction; raises ImportFailed and changes nothing.

    ``expect`` is the token of the preview the person saw; when given, the
    import runs only if it would still do exactly that.
    """
    spec = SPECS[kind]
    plan = _plan(kind, parse_rows(spec, data, filename))
    if expect is not None and plan.token() != expect:
        raise ImportStale()
    try:
        if kind == "items":
            result = _apply_items(plan, actor, filename)
        else:
            result = _apply(plan, MODELS[kind], actor, filename)
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


def _apply(plan: _Plan, model, actor: str, source: str) -> ImportResult:
    spec = plan.parsed.spec
    table = model.__table__
    now = utcnow()
    entity = ENTITY[spec.kind]
    key_of = spec.key_of
    # In key order: the unique index and the draw's covering index (both led
    # by the key) then grow at their end instead of splitting pages everywhere.
    plan.inserts.sort(key=key_of)
    # The row itself as "after": bulk_insert writes its dates as ISO text.
    audits = [{"at": now, "actor": actor, "action": "create", "entity": entity,
               "entity_key": key_of(row), "before": None, "after": row,
               "source": source} for row in plan.inserts]
    for old, values in plan.updates:
        before = {a: old[a] for a in values}
        audits.append(_audit(actor, "update", entity, key_of(old), before, values,
                             source, now))
    if plan.inserts:
        bulk_insert(table, [{**row, "created_at": now, "updated_at": now}
                            for row in plan.inserts])
    # One UPDATE per set of changed columns: absent and unchanged columns are
    # never written, so nothing the file does not say is lost.
    groups: dict[tuple[str, ...], list[dict]] = {}
    for old, values in plan.updates:
        groups.setdefault(tuple(sorted(values)), []).append(
            {**values, "_id": old["id"], "updated_at": now})
    for attrs, params in groups.items():
        stmt = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                .values({a: sa.bindparam(a) for a in [*attrs, "updated_at"]}))
        db.session.connection().execute(stmt, params)
    if audits:
        bulk_insert(AuditLog.__table__, audits)
    return ImportResult(kind=spec.kind, created=len(plan.inserts), updated=len(plan.updates),
                        unchanged=plan.unchanged)


def _audit(actor, action, entity, key, before, after, source, now) -> dict:
    return {
        "at": now, "actor": actor, "action": action, "entity": entity, "entity_key": key,
        "before": jsonable(before) if before else None,
        "after": jsonable(after) if after else None, "source": source,
    }


def _latest_items() -> ItemListVersion | None:
    return db.session.execute(
        sa.select(ItemListVersion).order_by(ItemListVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def _apply_items(plan: _Plan, actor: str, source: str) -> ImportResult:
    """Items are versioned: any change copies the latest list into a new version."""
    latest = _latest_items()
    result = ImportResult(kind="items", created=len(plan.inserts), updated=len(plan.updates),
                          unchanged=plan.unchanged)
    if not plan.inserts and not plan.updates:
        result.item_version = latest.number if latest else None
        return result
    now = utcnow()
    merged = dict(plan.existing)
    audits = []
    for row in plan.inserts:
        merged[row["code"]] = row
        audits.append(_audit(actor, "create", "item", row["code"], None, row, source, now))
    for old, values in plan.updates:
        merged[old["code"]] = {**old, **values}
        audits.append(_audit(actor, "update", "item", old["code"],
                             {a: old[a] for a in values}, values, source, now))
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
