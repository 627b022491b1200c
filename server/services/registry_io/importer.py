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

from dataclasses import dataclass
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


class ImportStale(Exception):
    """The registry changed since the preview; the import must be previewed again."""

    message = "名录库在预览之后已有变化，本次导入未执行；请重新上传并预览"


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

    present_attrs = set(parsed.present)
    return ImportPreview(
        kind=kind, label=spec.label, filename=filename,
        created=len(plan.inserts), changed=len(plan.updates), unchanged=plan.unchanged,
        new=[Change(parsed.keys[i], str(names[i] or ""), []) for i in plan.inserts[:MAX_LISTED]],
        changes=[change(old, values) for old, values in plan.updates[:MAX_LISTED]],
        header_rows=list(parsed.layout.header_rows),
        absent_columns=[c.header for c in spec.columns if c.attr not in present_attrs],
        ignored_columns=parsed.layout.ignored,
        token=token,
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
