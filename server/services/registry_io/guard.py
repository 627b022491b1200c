"""Measure a spreadsheet's extent from its XML before the reader allocates it.

calamine turns the sparse cells of a sheet into a dense rectangle from A1 to
the farthest filled cell, so the farthest cell, not the file size, decides the
memory: A1 plus XFD1048576 is 17 billion cells.  Scanning every cell
reference of a 100,000-row sheet costs more than the read itself, so the scan
looks only for references that can matter – columns of two or more letters
and row numbers of six or more digits – and for the row elements' numbers,
and bounds the rectangle by those (a sheet with neither is at most
99,999 × 26 cells).

.xls files are binary (BIFF) and bounded by the format itself at 65,536 rows
× 256 columns; they are checked after reading (``check_extent``).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

MAX_ROWS = 200_000        # data rows in one import (the 100,000-row bench fits twice)
MAX_COLUMNS = 256
MAX_CELLS = 6_000_000     # ~200 MB in the reader; a 200,000 × 30 registry fits
HEADER_ROWS = 10          # title and header rows allowed above the data
MAX_XML_BYTES = 600 * 1024 * 1024  # a sheet's XML, uncompressed (100,000 rows ≈ 150 MB)
_CHUNK = 4 * 1024 * 1024

_ROW = re.compile(rb'row r="(\d+)"')
_WIDE_OR_FAR = re.compile(rb' r="([A-Z]{2,})(\d+)"| r="[A-Z](\d{6,})"')


class TooLarge(ValueError):
    """The sheet is too big to import; the message says why, in Chinese."""


def too_many_rows() -> str:
    return f"表格超过{MAX_ROWS:,}行数据，请分成几个文件导入"


def too_many_columns(n: int) -> str:
    return f"表格有{n}列，超过上限{MAX_COLUMNS}列，请删除多余的列"


def column_letters(n: int) -> str:
    """1 → A, 27 → AA (for messages that name a column)."""
    s = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_extent(rows: int, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise TooLarge(too_many_columns(columns))
    if rows > MAX_ROWS + HEADER_ROWS:
        raise TooLarge(too_many_rows())
    if rows * columns > MAX_CELLS:
        raise TooLarge(f"表格范围过大（{rows:,}行×{columns}列），请删除多余的行和列后再导入")


def _first_sheet(z: zipfile.ZipFile) -> str:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    sheet = book.find("m:sheets/m:sheet", ns)
    if sheet is None:
        raise TooLarge("工作簿中没有工作表")
    rid = sheet.get(f"{{{ns['r']}}}id")
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise TooLarge("工作簿结构不完整，找不到第一张工作表")


def check_xlsx(data: bytes) -> None:
    """Raise ``TooLarge`` if the first sheet's farthest cell is out of bounds."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():  # shared strings and styles are read whole, too
            if info.file_size > MAX_XML_BYTES:
                raise TooLarge("文件解压后过大，请分成几个文件导入")
        max_row = max_col = 0
        seen = 0
        with z.open(_first_sheet(z)) as f:
            tail = b""
            while chunk := f.read(_CHUNK):
                seen += len(chunk)
                if seen > MAX_XML_BYTES:
                    raise TooLarge("文件解压后过大，请分成几个文件导入")
                buf = tail + chunk
                # A reference cut at the chunk edge is found again in the next
                # buffer (the 40-byte overlap); counting it twice is harmless.
                for m in _ROW.finditer(buf):
                    max_row = max(max_row, int(m[1]))
                for m in _WIDE_OR_FAR.finditer(buf):
                    if m[1]:
                        max_col = max(max_col, _column_number(m[1]))
                        max_row = max(max_row, int(m[2]))
                    else:
                        max_row = max(max_row, int(m[3]))
                if max_col > MAX_COLUMNS or max_row > MAX_ROWS + HEADER_ROWS:
                    break
                tail = buf[-40:]
    check_extent(max_row, max(max_col, 26) if max_row else max_col)


_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
_ROW_TAG = f"{{{_ODS['table']}}}table-row"
_CELL_TAGS = {f"{{{_ODS['table']}}}table-cell", f"{{{_ODS['table']}}}covered-table-cell"}
_TABLE_TAG = f"{{{_ODS['table']}}}table"
_REPEAT_ROWS = f"{{{_ODS['table']}}}number-rows-repeated"
_REPEAT_COLS = f"{{{_ODS['table']}}}number-columns-repeated"
_VALUE_TYPE = f"{{{_ODS['office']}}}value-type"


def check_ods(data: bytes) -> None:
    """The same bound for OpenDocument: repeated rows and cells count only when
    they hold a value (LibreOffice ends every sheet with a million empty rows)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if z.getinfo("content.xml").file_size > MAX_XML_BYTES:
            raise TooLarge("文件解压后过大，请分成几个文件导入")
        max_row = max_col = 0
        row = 0
        with z.open("content.xml") as f:
            for event, el in ElementTree.iterparse(f, events=("start", "end")):
                if event == "start" or el.tag not in (_ROW_TAG, _TABLE_TAG):
                    continue
                if el.tag == _TABLE_TAG:
                    break  # the first sheet only
                repeat = int(el.get(_REPEAT_ROWS, "1"))
                col = 0
                filled = 0
                for cell in el:
                    if cell.tag not in _CELL_TAGS:
                        continue
                    span = int(cell.get(_REPEAT_COLS, "1"))
                    if cell.get(_VALUE_TYPE) or len(cell):
                        filled = col + span
                    col += span
                if filled:
                    max_col = max(max_col, filled)
                    max_row = row + repeat
                    check_extent(max_row, max_col)
                row += repeat
                el.clear()
    check_extent(max_row, max_col)
