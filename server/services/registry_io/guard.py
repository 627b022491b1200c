"""Measure a spreadsheet's extent from its XML before the reader allocates it.

calamine turns the sparse cells of a sheet into a dense rectangle from A1 to
the farthest filled cell, so the farthest cell, not the file size, decides the
memory: A1 plus XFD1048576 is 17 billion cells.  Scanning every cell
reference of a 100,000-row sheet costs more than the read itself, so the scan
looks only for references that can matter – columns of two or more letters
and row numbers of six or more digits – and bounds the rectangle by those (a
sheet with neither is at most 99,999 × 26 cells).  Cells written without a
reference are placed after the previous one by the reader; a sheet with such
cells is measured element by element instead (slow, and only for unusual
writers).

.xls files are binary (BIFF records in an OLE container): ``check_xls`` reads
the cell records' row and column numbers – a 5.6 KB .xls with cells A1 and
IV65536 made the reader hold 1 GB.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from xml.etree import ElementTree

import olefile

MAX_ROWS = 200_000        # data rows in one import (the 100,000-row bench fits twice)
MAX_COLUMNS = 64          # the widest registry has 21 columns; unknown ones are refused
MAX_CELLS = 7_000_000     # ~220 MB in the reader; 200,000 rows × 30 columns fit
HEADER_ROWS = 10          # title and header rows allowed above the data
MAX_XML_BYTES = 600 * 1024 * 1024  # a sheet's XML, uncompressed (100,000 rows ≈ 150 MB)
_CHUNK = 4 * 1024 * 1024

# One pass finds every cell tag that is not a near reference (<c r="B7"…>
# with one letter and at most five digits): far or wide references, and cells
# written without a reference.  A normal sheet has almost no such tags, so the
# search runs at the speed of its literal prefix.
_NOT_NEAR = re.compile(rb'<c(?:>|\s(?!r="[A-Z]\d{1,5}"))')
_CELL_REF = re.compile(rb'<c\sr="([A-Z]+)(\d+)"')
_ANY_CELL = re.compile(rb"<c[\s>]")
_OVERLAP = 40  # bytes carried to the next chunk: a tag cut at the edge is read whole there


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
        name = _first_sheet(z)
        with z.open(name) as f:
            extent, usual = _referenced(f)
        if not usual:
            with z.open(name) as f:
                extent = _positional(f)
        check_extent(*extent)


def _referenced(f) -> tuple[tuple[int, int], bool]:
    """The extent of a sheet whose every cell is written ``<c r="B7" …>`` (what
    Excel, WPS, LibreOffice and openpyxl write), and whether it is such a sheet.

    Only far references are looked at: a sheet without any is at most 99,999
    rows × 26 columns, and ``MAX_COLUMNS`` keeps even 99,999 × 64 in bounds.
    A cell tag without a reference first (or with blanks the reader may read
    differently) makes it an unusual sheet, measured by ``_positional``.
    """
    max_row = max_col = 0
    seen = 0
    tail = b""
    first = True
    cells = False
    chunk = f.read(_CHUNK)
    while chunk:
        seen += len(chunk)
        if seen > MAX_XML_BYTES:
            raise TooLarge("文件解压后过大，请分成几个文件导入")
        if first and b"<sheetData" not in chunk:
            return (0, 0), False  # a namespace prefix (<x:c>) or an odd layout
        first = False
        buf = tail + chunk
        chunk = f.read(_CHUNK)
        # A tag starting in the last _OVERLAP bytes may be cut: it is read in
        # the next buffer, which starts with those bytes.
        end = len(buf) - _OVERLAP if chunk else len(buf)
        cells = cells or _ANY_CELL.search(buf) is not None
        for found in _NOT_NEAR.finditer(buf):
            if found.start() >= end:
                break
            m = _CELL_REF.match(buf, found.start())
            if m is None:
                return (0, 0), False
            max_col = max(max_col, _column_number(m[1]))
            max_row = max(max_row, int(m[2]))
        if max_row > MAX_ROWS + HEADER_ROWS or max_col > MAX_COLUMNS:
            break
        tail = buf[end:]
    if not cells:
        return (0, 0), True
    return (max(max_row, 99_999), max(max_col, 26)), True


def _positional(f) -> tuple[int, int]:
    """The farthest filled cell, placing unreferenced rows and cells the way the
    reader does (after the previous one).  Slow, and only for unusual writers."""
    max_row = max_col = row = 0
    col = 0
    for event, el in ElementTree.iterparse(f, events=("start", "end")):
        tag = el.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                r = el.get("r")
                row = int(r) if r and r.isdigit() else row + 1
                col = 0
            elif tag == "c":
                ref = el.get("r")
                letters = (ref or "").rstrip("0123456789")
                col = _column_number(letters.encode()) if letters else col + 1
            continue
        if tag == "c":
            if len(el) or el.text:
                max_row, max_col = max(max_row, row), max(max_col, col)
                if max_col > MAX_COLUMNS or max_row > MAX_ROWS + HEADER_ROWS:
                    break
            el.clear()
        elif tag == "row":
            el.clear()
    return max_row, max_col


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


# BIFF8 records that place a cell: row (u16) and column (u16) come first.
_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6}
_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: a run of columns, the last in the final u16
_BOF, _RECORD = 0x0809, struct.Struct("<HH")


def check_xls(data: bytes) -> None:
    """The same bound for Excel 97-2003: every sheet's farthest cell, from the
    cell records (the reader builds every sheet when it opens the file)."""
    with olefile.OleFileIO(data) as ole:
        name = "Workbook" if ole.exists("Workbook") else "Book"
        stream = ole.openstream(name).read()
    max_row = max_col = 0
    pos, end = 0, len(stream)
    unpack = _RECORD.unpack_from
    while pos + 4 <= end:
        kind, size = unpack(stream, pos)
        body = pos + 4
        if kind in _CELLS and size >= 4:
            row, col = unpack(stream, body)
            max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
        elif kind in _MULTI and size >= 6:
            row, _first = unpack(stream, body)
            (last,) = struct.unpack_from("<H", stream, body + size - 2)
            max_row, max_col = max(max_row, row + 1), max(max_col, last + 1)
        elif kind == _BOF and (max_row or max_col):
            check_extent(max_row, max_col)  # the sheet before this one
            max_row = max_col = 0
        pos = body + size
    check_extent(max_row, max_col)
