"""Parsing and formatting spreadsheet cells the way office staff fill them in.

Booleans are 是/否; dates ISO, 2024/3/1 or 2024年3月1日 (or a real Excel date);
lists inside a cell are separated by 、 ; , (full-width too).  Every parser
raises ``ValueError`` with a Chinese reason that the importer prefixes with the
row number.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from shared.enums import LabeledEnum
from shared.text import CONTROL_MESSAGE, has_control, strip_invisible

from ...sheets import FORMULA_PREFIXES, csv_cell

_TRUE = {"是", "y", "yes", "true", "1", "有", "√"}
_FALSE = {"否", "n", "no", "false", "0", "无", ""}
_LIST_SPLIT = re.compile(r"[、;；,，\n]+")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = date(1899, 12, 30)
# Cells starting with these are formulas to Excel/WPS; we export them with a
# leading apostrophe and strip it again on import (server/sheets.py).
MAX_CELL = 2000


def text(value: object) -> str:
    """A cell as trimmed text; integral floats lose their '.0' (phone numbers)."""
    if type(value) is str:  # the common case first: this runs for every cell
        # Bidi/zero-width controls never reach the database (shared/text.py).
        s = (value if value.isascii() else strip_invisible(value)).strip()
        if len(s) > MAX_CELL:
            raise ValueError(f"单元格内容过长（{len(s)}字，上限{MAX_CELL}字）")
        if has_control(s):  # NUL … in a CSV cell (shared/text.py, as for the API)
            raise ValueError(CONTROL_MESSAGE)
        if s[:1] == "'" and s[1:2] in FORMULA_PREFIXES:
            s = s[1:]
        return s
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 2**53:  # 16+ digits: the program already changed the last ones
                raise ValueError(f"“{value:.0f}”是数字格式的长编号，表格软件已改变其末几位；"
                                 "请把该列设为“文本”格式后重新填写")
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    s = str(value).strip()
    if len(s) > MAX_CELL:
        raise ValueError(f"单元格内容过长（{len(s)}字，上限{MAX_CELL}字）")
    if s.startswith("'") and s[1:2] in FORMULA_PREFIXES:
        s = s[1:]
    return s


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"“{s}”应填“是”或“否”")


def parse_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 100000:  # an Excel serial date that lost its format
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"“{value}”不是有效日期")
    s = text(value)
    if not s:
        return None
    m = _DATE_RE.match(s) or _DATE_RE.match(s.split(" ")[0].split("T")[0])
    if not m:
        raise ValueError(f"“{s}”不是有效日期（应为2024-03-01、2024/3/1或2024年3月1日）")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"“{s}”不是有效日期") from None


def parse_list(value: object) -> list[str]:
    s = text(value)
    if not s:
        return []
    return [p.strip() for p in _LIST_SPLIT.split(s) if p.strip()]


def parse_enum(enum: type[LabeledEnum], value: object, *, required: bool = False) -> str | None:
    s = text(value)
    if not s:
        if required:
            raise ValueError(f"{enum.title()}不能为空")
        return None
    return enum.parse(s).value


def parse_enum_list(enum: type[LabeledEnum], value: object) -> list[str]:
    return [enum.parse(p).value for p in parse_list(value)]


def fmt_bool(value: bool | None) -> str:
    return "是" if value else "否"


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def fmt_list(values: list[str] | None) -> str:
    return "、".join(values or [])


def fmt_enum(enum: type[LabeledEnum], value: str | None) -> str:
    return enum(value).label if value else ""


def fmt_enum_list(enum: type[LabeledEnum], values: list[str] | None) -> str:
    return "、".join(enum(v).label for v in values or [])


def safe_cell(s: str) -> str:
    """Neutralise a leading formula character for export (server/sheets.py)."""
    return csv_cell(s)
