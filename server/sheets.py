"""Every spreadsheet cell the server writes (xlsx exports of the console, csv
feeds and registry exports) passes through here.

A text starting with = + - @ (or a tab or carriage return) is a formula to
Excel and WPS: an enterprise named ``=HYPERLINK(…)`` must reach whoever opens
the file as that text, never as a live formula (CSV/formula injection).

- csv: a leading apostrophe, as OWASP advises; the registry importer strips it
  again (registry_io/cells.text), so an export re-imports unchanged.
- xlsx: openpyxl stores any string starting with "=" as a formula; such a cell
  is written as a text cell holding exactly the value.

Control characters are dropped: an xlsx cannot hold them, and no value needs
them (inputs refuse them; rows stored earlier may still have them).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_cell(value: Any) -> Any:
    """*value* safe for a CSV cell (non-text values pass unchanged)."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    return "'" + value if value[:1] in FORMULA_PREFIXES and value else value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV text with a BOM (Excel then reads the UTF-8 Chinese intact)."""
    buf = io.StringIO()
    csv.writer(buf).writerows([csv_cell(v) for v in row] for row in rows)
    return "\ufeff" + buf.getvalue()


def xlsx_cells(sheet, row: Sequence[Any]) -> list[Any]:
    """*row* ready for ``sheet.append`` (a write-only or ordinary worksheet)."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for value in row:
        if value is None:
            value = ""
        if isinstance(value, str):
            value = _CONTROL.sub("", value)
            if value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, not a formula
                value = cell
        out.append(value)
    return out


def append(sheet, row: Sequence[Any]) -> None:
    sheet.append(xlsx_cells(sheet, row))
