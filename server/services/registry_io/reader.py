"""Read .xlsx, .xls, .ods and .csv into numbered rows, refusing what is not a
spreadsheet – and what would not fit in memory – before anything is allocated.

The Rust reader (calamine) allocates the rectangle from the first to the last
filled cell at once: a 1.5 KB .xlsx with cells A1 and XFD1048576 asks for
512 GiB and aborts the process.  So the extent of the sheet is measured from
the file's XML first (``guard``), and every sheet is refused beyond
``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns or ``MAX_CELLS`` cells.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from . import guard

MAX_FILE_BYTES = 64 * 1024 * 1024


class SheetError(ValueError):
    """The file as a whole cannot be read (not a row problem)."""


@dataclass
class Rows:
    """Rows of the first sheet from row 1 and column A, values with their types.

    ``rows`` yields lists; the n-th list (1-based) is spreadsheet row n.
    ``source`` names the format for messages (“Excel 97-2003 工作簿”);
    ``kind`` is what ``sniff`` found ('xlsx', 'xls', 'ods', 'csv').
    """

    rows: Iterator[list]
    source: str
    kind: str = "csv"


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
ACCEPTED = "请上传 .xlsx、.xls、.ods 或 .csv 文件"


def sniff(data: bytes, filename: str) -> str:
    """'xlsx', 'xls', 'ods' or 'csv' by content; the name only decides CSV.

    Offices rename files freely (an .xls saved as .xlsx), so the bytes decide.
    """
    suffix = Path(filename).suffix.lower()
    if data.startswith(OLE_MAGIC):
        return "xls"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").strip() == ODS_MIME:
                    return "ods"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except zipfile.BadZipFile:
            raise SheetError("文件已损坏，无法作为表格读取") from None
        raise SheetError(f"文件不是表格（压缩包中没有工作表）；{ACCEPTED}")
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise SheetError(f"文件不是有效的{suffix}表格，可能已损坏或只是改了扩展名；{ACCEPTED}")
    raise SheetError(f"不支持的文件类型“{suffix or filename}”，{ACCEPTED}")


def read_rows(data: bytes, filename: str) -> Rows:
    if len(data) > MAX_FILE_BYTES:
        raise SheetError(f"文件过大（{len(data) // (1024 * 1024)} MB，上限"
                         f"{MAX_FILE_BYTES // (1024 * 1024)} MB），请分成几个文件导入")
    kind = sniff(data, filename)
    if kind == "csv":
        return Rows(_csv_rows(data), "CSV 文件", kind)
    try:
        if kind == "xlsx":
            guard.check_xlsx(data)
        elif kind == "ods":
            guard.check_ods(data)
        else:
            guard.check_xls(data)
    except guard.TooLarge as exc:
        raise SheetError(str(exc)) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, struct.error):
        raise SheetError("文件已损坏，无法作为表格读取") from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
    except Exception:  # calamine raises its own error types
        raise SheetError("文件已损坏或受密码保护，无法读取其中的工作表") from None
    try:
        guard.check_extent(sheet.height, sheet.width)
    except guard.TooLarge as exc:
        raise SheetError(str(exc)) from None
    label = {"xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "ods": "ODF 电子表格"}[kind]
    return Rows(iter(sheet.to_python(skip_empty_area=False)), label, kind)


def _csv_rows(data: bytes) -> Iterator[list]:
    # Excel on Chinese Windows writes CSV in GB18030 (GBK); everything else UTF-8.
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
    return _bounded(csv.reader(io.StringIO(text)))


def _bounded(rows: Iterator[list]) -> Iterator[list]:
    for n, row in enumerate(rows, start=1):
        if n > guard.MAX_ROWS + guard.HEADER_ROWS:
            raise SheetError(guard.too_many_rows())
        if len(row) > guard.MAX_COLUMNS:
            raise SheetError(guard.too_many_columns(len(row)))
        yield row


def read_sheet(data: bytes, filename: str) -> tuple[list[str], Iterator[list]]:
    """First row as headers and the rest (kept for callers that need no layout)."""
    rows = read_rows(data, filename).rows
    try:
        header = next(rows)
    except StopIteration:
        raise SheetError("文件为空，没有表头") from None
    return [str(h).strip() if h is not None else "" for h in header], rows
