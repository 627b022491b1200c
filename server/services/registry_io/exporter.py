"""Registry export to .xlsx / .csv with the same Chinese headers the importer reads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook

from ...extensions import db
from ...models import CheckItem, ItemListVersion
from ...sheets import append, csv_text
from .cells import safe_cell
from .planning import MODELS
from .specs import SPECS


def export_rows(kind: str) -> Iterator[list[str]]:
    spec = SPECS[kind]
    yield [col.header for col in spec.columns]
    if kind == "items":
        latest = db.session.execute(
            sa.select(ItemListVersion.id).order_by(ItemListVersion.number.desc()).limit(1)
        ).scalar_one_or_none()
        query = sa.select(CheckItem).where(CheckItem.version_id == latest).order_by(CheckItem.code)
    else:
        model = MODELS[kind]
        order = [getattr(model, k) for k in spec.key]
        query = sa.select(model).order_by(*order)
    for obj in db.session.execute(query.execution_options(yield_per=2000)).scalars():
        yield [safe_cell(col.fmt(getattr(obj, col.attr))) for col in spec.columns]


def export_registry(kind: str, filename: str) -> bytes:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return csv_text(export_rows(kind)).encode("utf-8")  # BOM: Excel reads it as UTF-8
    if suffix == ".xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(SPECS[kind].label)
        for row in export_rows(kind):
            append(sheet, row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"不支持的导出格式“{suffix}”，请使用 .xlsx 或 .csv")
