"""Every operational list the same way: search, filters, sorting, 50 rows a
page, and an Excel file of exactly what the filter shows (all pages).

A view builds one ``Select`` with its filters and hands it here with the sort
keys it allows; the counts and the page are two queries whatever the table's
size, so a list of 50,000 rows costs what a list of 50 does.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Response, request

from ..extensions import db
from ..sheets import append
from .download import attachment

PER_PAGE = 50
# An export is a working file, not a backup: past this many rows, narrow the filter.
EXPORT_LIMIT = 100_000


@dataclass
class Page:
    rows: list[Any]
    total: int
    page: int
    per_page: int
    sort: str
    desc: bool
    sorts: Sequence[str] = field(default_factory=tuple)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def words(text: str | None) -> list[str]:
    """The search box's words: trimmed, split on any blank (also 全角空格)."""
    return (text or "").replace("\u3000", " ").split()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(columns: Iterable[Any], text: str | None):
    """Every word must be found in one of the columns (名称 属地 法人 …).

    The columns are joined into one text per row (with a separator no word
    contains) so each word costs one LIKE, not one per column."""
    cols = [sa.func.coalesce(sa.cast(c, sa.String), "") for c in columns]
    haystack = cols[0]
    for c in cols[1:]:
        haystack = haystack + "\x1f" + c
    # ILIKE only where case matters (a lowercase USCC); Chinese words take the
    # cheaper LIKE, which PostgreSQL runs several times faster on CJK text.
    terms = [(haystack.ilike if re.search("[A-Za-z]", w) else haystack.like)(
        _like(w), escape="\\") for w in words(text)]
    return sa.and_(sa.true(), *terms)


def sort_arg(sorts: dict[str, Any], default: str) -> tuple[str, bool]:
    raw = request.args.get("sort", "")
    key, desc = raw.lstrip("-"), raw.startswith("-")
    if key not in sorts:
        key, desc = default.lstrip("-"), default.startswith("-")
    return key, desc


def _order(sorts: dict[str, Any], key: str, desc: bool, tiebreak: Any) -> list[Any]:
    """ORDER BY terms of a sort key; a key may name several columns, most
    significant first (a 文号 sorts by its year, then its number – not as text)."""
    columns = sorts[key] if isinstance(sorts[key], tuple) else (sorts[key],)
    return [c.desc() if desc else c.asc() for c in columns] + [
        tiebreak.desc() if desc else tiebreak]


def paged(query: sa.Select, sorts: dict[str, Any], default: str, tiebreak: Any,
          *, scalars: bool = True, per_page: int = PER_PAGE) -> Page:
    """One page of *query* in the order the user asked for (``?sort=key`` or
    ``?sort=-key``), with *tiebreak* (a unique column) making pages stable."""
    key, desc = sort_arg(sorts, default)
    order = _order(sorts, key, desc, tiebreak)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    if not request.args.get("q"):
        # Unsearched: a count and an ordered LIMIT, both of which indexes serve.
        total = db.session.scalar(sa.select(sa.func.count()).select_from(
            query.order_by(None).subquery()))
        page = min(page, max(1, math.ceil(total / per_page)))
        result = db.session.execute(query.order_by(*order).limit(per_page)
                                    .offset((page - 1) * per_page))
        rows = list(result.scalars() if scalars else result.all())
        return Page(rows, total, page, per_page, key, desc, tuple(sorts))
    # Searched: the total rides along as a window count – one scan of the LIKEs, not two.
    counted = query.add_columns(sa.func.count().over().label("_total")).order_by(*order)

    def fetch(n: int) -> list:
        return db.session.execute(counted.limit(per_page).offset((n - 1) * per_page)).all()

    rows = fetch(page)
    if rows:
        total = rows[0][-1]
    else:  # past the last page (or nothing at all): count, then show the last page
        total = db.session.scalar(sa.select(sa.func.count()).select_from(
            query.order_by(None).subquery()))
        page = max(1, math.ceil(total / per_page))
        rows = fetch(page) if total else []
    rows = [r[0] for r in rows] if scalars else [tuple(r[:-1]) for r in rows]
    return Page(rows, total, page, per_page, key, desc, tuple(sorts))


def ordered(query: sa.Select, sorts: dict[str, Any], default: str, tiebreak: Any) -> sa.Select:
    key, desc = sort_arg(sorts, default)
    return query.order_by(*_order(sorts, key, desc, tiebreak)).limit(EXPORT_LIMIT)


def wants_export() -> bool:
    return request.args.get("export") == "xlsx"


def xlsx(title: str, header: list[str], rows: Iterable[Sequence[Any]]) -> Response:
    """The current filter as an .xlsx file named after the screen (write-only
    workbook: rows stream into the file, memory stays flat)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    append(sheet, header)
    for row in rows:  # formulas neutralised, None as blank (server/sheets.py)
        append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), headers=attachment(f"{title}.xlsx", "export.xlsx"),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def url_with(**changes: Any) -> str:
    """This page's URL with some query arguments changed (None drops one)."""
    args = {k: v for k, v in request.args.items()}
    for k, v in changes.items():
        if v is None or v == "":
            args.pop(k, None)
        else:
            args[k] = v
    if "page" not in changes:
        args.pop("page", None)  # a new order starts at page 1
    return request.path + ("?" + urlencode(args) if args else "")


def register(app) -> None:
    app.add_template_global(url_with, "url_with")


Row = Callable[[Any], Sequence[Any]]
