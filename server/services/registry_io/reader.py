"""Read .xlsx and .csv into header + rows, refusing what is not a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineWorkbook


class SheetError(ValueError):
    """The file as a whole cannot be read (not a row problem)."""


def read_sheet(data: bytes, filename: str) -> tuple[list[str], Iterator[list]]:
    """Headers and data rows of the first sheet. Row values keep their types."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(data)
    else:
        raise SheetError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件")
    try:
        header = next(rows)
    except StopIteration:
        raise SheetError("文件为空，没有表头") from None
    return [str(h).strip() if h is not None else "" for h in header], rows


def _xlsx_rows(data: bytes) -> Iterator[list]:
    if not data.startswith(b"PK"):
        raise SheetError("文件不是有效的 Excel（.xlsx）文件")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise SheetError(f"无法读取 Excel 文件：{exc}") from None
    return iter(rows)


def _csv_rows(data: bytes) -> Iterator[list]:
    # Excel on Chinese Windows writes CSV in GB18030; everything else in UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError("CSV 文件编码无法识别（请使用 UTF-8 或 GBK）")
    if "\x00" in text:
        raise SheetError("CSV 文件含有非法字符，可能不是文本文件")
    return iter(csv.reader(io.StringIO(text)))
