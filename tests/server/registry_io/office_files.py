"""Registry files as offices make them, written by LibreOffice at test time.

A source workbook is laid out the way bureaus lay theirs out – a merged title
row, a two-row header with a merged parent (联系方式 over 联系人 and 联系电话),
header names other than ours (企业名称, 社会信用代码, 行业类别, 所属乡镇),
two phones in one cell, rows holding only a 序号 or spaces at the end – and
LibreOffice (``soffice --headless --convert-to``) saves it as .xlsx, .xls,
.ods and CSV in UTF-8 and GB18030.  LibreOffice 7.4 writes no byte-order
mark, so the BOM variant is its UTF-8 output with the mark Excel puts in front.

Debian package: libreoffice-calc-nogui (installed by the system setup script).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openpyxl import Workbook

from shared.uscc import make_uscc

LETTERS = make_uscc("91140428MA0K12345")      # has letters: always text
DIGITS = make_uscc("91140428224538323")       # all digits: Excel makes it a number
PHONES = "0355-8123456/13912345678"

# (format name, --convert-to argument, file suffix)
FORMATS = [
    ("xlsx", "xlsx:Calc MS Excel 2007 XML", ".xlsx"),
    ("xls", "xls:MS Excel 97", ".xls"),
    ("ods", "ods", ".ods"),
    ("csv-utf8", "csv:Text - txt - csv (StarCalc):44,34,76", ".csv"),
    ("csv-gb18030", "csv:Text - txt - csv (StarCalc):44,34,85", ".csv"),
]


def source_workbook(path: Path, *, numeric_codes: bool) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "名录库"
    ws.append(["长子县安全生产检查对象名录库"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "企业名称", "社会信用代码", "行业类别", "所属乡镇", "联系方式", None])
    ws.append([None, None, None, None, None, "联系人", "联系电话"])
    for col in "ABCDE":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("F2:G2")
    ws.append([1, "长子县甲煤业有限公司", LETTERS, "煤矿", "丹朱镇", "张三", PHONES])
    ws.append([2, "长子县乙化工有限公司", int(DIGITS) if numeric_codes else DIGITS,
               "危险化学品生产", "鲍店镇", "李四", 13800001111])
    ws.append([3])
    ws.append([4, "  ", None, "   "])
    if not numeric_codes:
        ws["C5"].number_format = "@"  # a text cell, as an office sets the column
    wb.save(path)


def soffice() -> str:
    exe = shutil.which("soffice")
    assert exe, ("LibreOffice is not installed: the system setup script installs "
                 "libreoffice-calc-nogui")
    return exe


def convert_all(workdir: Path) -> dict[tuple[str, bool], Path]:
    """{(format, numeric_codes): file} for both sources in every format."""
    sources = []
    for numeric in (False, True):
        src = workdir / f"{'numeric' if numeric else 'text'}.xlsx"
        source_workbook(src, numeric_codes=numeric)
        sources.append(src)
    profile = (workdir / "lo-profile").as_uri()
    out: dict[tuple[str, bool], Path] = {}
    for name, target, suffix in FORMATS:
        outdir = workdir / name
        subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", target, "--outdir", str(outdir),
                        *map(str, sources)], check=True, capture_output=True, timeout=180)
        for src in sources:
            out[(name, src.stem == "numeric")] = outdir / (src.stem + suffix)
    for numeric in (False, True):
        utf8 = out[("csv-utf8", numeric)]
        bom = workdir / f"bom-{utf8.name}"
        bom.write_bytes(b"\xef\xbb\xbf" + utf8.read_bytes())
        out[("csv-bom", numeric)] = bom
    return out
