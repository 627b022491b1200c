"""All-or-nothing registry import: every bad row reported, nothing half-applied.

An import is shown before it is applied: ``preview_registry`` reads the file
and lists what it would create and change (field by field) and what stays as
it is; the preview carries a ``token`` that fingerprints the file and the
records it touches, and ``import_registry(..., expect=token)`` applies exactly
that or refuses (``ImportStale``) when the registry changed in between.

The steps live next door: ``parsing`` (file → validated columns),
``planning`` (columns + registry → what changes, the token), ``applying``
(bulk writes and audit entries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from shared.draw.gcpause import gc_paused

from ...extensions import db
from .applying import ENTITY, ImportResult, apply_items, apply_plan, jsonable
from .parsing import MAX_ERRORS_LISTED, ImportFailed, Parsed, parse_rows
from .planning import MODELS, make_plan
from .specs import SPECS, Column

__all__ = ["ENTITY", "MAX_ERRORS_LISTED", "MODELS", "ImportFailed", "ImportPreview",
           "ImportResult", "ImportStale", "Parsed", "import_registry", "jsonable",
           "parse_rows", "preview_registry", "refresh_statistics"]

MAX_LISTED = 200  # records named one by one in a preview
# Shown beside each new record's key and name, so that swapped columns (属地
# under 行业领域, 风险等级 under 信用分类) are seen before the import is confirmed.
PREVIEW_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "enterprises": (("industry", "行业领域"), ("street", "所属乡镇（街道）"),
                    ("credit_class", "信用风险分类"), ("risk_level", "安全风险等级")),
    "inspectors": (("department", "所属科室"), ("fields", "执法领域"),
                   ("cert_expiry", "证件有效期")),
    "experts": (("specialty", "专业"), ("phone", "联系电话")),
    "items": (("category", "事项类别"), ("industries", "适用行业")),
}


class ImportStale(Exception):
    """The registry changed since the preview; the import must be previewed again."""

    message = "名录库在预览之后已有变化，本次导入未执行；请重新上传并预览"


@dataclass
class Change:
    key: str
    name: str
    fields: list[tuple[str, str, str]]  # (header, before, after) as a person reads them
    values: list[str] = field(default_factory=list)  # a new record's PREVIEW_COLUMNS


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
    skipped: list[str] = field(default_factory=list)  # summary rows after the data, described
    key_header: str = "编号"      # the key column(s) as the spreadsheet names them
    name_header: str = "名称"
    value_headers: list[str] = field(default_factory=list)  # PREVIEW_COLUMNS' labels

    def summary(self) -> str:
        return (f"将新增{self.created}条，修改{self.changed}条，"
                f"{self.unchanged}条与名录库相同")


def _show(col: Column, value: Any) -> str:
    try:
        return col.fmt(value)
    except (ValueError, KeyError):
        return str(value)


def preview_registry(kind: str, data: bytes, filename: str) -> ImportPreview:
    """What importing the file would do; reads only (a preview never writes)."""
    spec = SPECS[kind]
    with gc_paused():
        parsed = parse_rows(spec, data, filename)
        plan = make_plan(kind, parsed)
        token = plan.token()
    by_attr = {col.attr: col for col in spec.columns}
    name_attr = spec.columns[0].attr
    names = parsed.columns[name_attr]

    def change(old: dict, values: dict) -> Change:
        fields = [(by_attr[a].header, _show(by_attr[a], old[a]), _show(by_attr[a], v))
                  for a, v in values.items()]
        return Change(spec.key_of(old), str(old.get(name_attr) or ""), fields)

    shown = PREVIEW_COLUMNS[kind]
    shown_columns = [(by_attr[attr], parsed.columns[attr]) for attr, _ in shown]

    def new(i: int) -> Change:
        return Change(parsed.keys[i], str(names[i] or ""), [],
                      [_show(col, column[i]) for col, column in shown_columns])

    present_attrs = set(parsed.present)
    return ImportPreview(
        kind=kind, label=spec.label, filename=filename,
        created=len(plan.inserts), changed=len(plan.updates), unchanged=plan.unchanged,
        new=[new(i) for i in plan.inserts[:MAX_LISTED]],
        changes=[change(old, values) for old, values in plan.updates[:MAX_LISTED]],
        header_rows=list(parsed.layout.header_rows),
        absent_columns=[c.header for c in spec.columns if c.attr not in present_attrs],
        ignored_columns=parsed.layout.ignored,
        token=token,
        skipped=parsed.skipped,
        key_header="、".join(by_attr[a].header for a in spec.key),
        name_header=spec.columns[0].header,
        value_headers=[label for _, label in shown],
    )


def import_registry(kind: str, data: bytes, filename: str, actor: str,
                    expect: str | None = None) -> ImportResult:
    """Apply a registry file in one transaction; raises ImportFailed and changes nothing.

    ``expect`` is the token of the preview the person saw; when given, the
    import runs only if it would still do exactly that.
    """
    spec = SPECS[kind]
    with gc_paused():
        plan = make_plan(kind, parse_rows(spec, data, filename))
        if expect is not None and plan.token() != expect:
            raise ImportStale()
        try:
            if kind == "items":
                result = apply_items(plan, actor, filename)
            else:
                result = apply_plan(plan, MODELS[kind], actor, filename)
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
