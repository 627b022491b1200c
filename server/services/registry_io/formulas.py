"""Formula cells saved without their result.

Excel and WPS store each formula's last result next to it (``<v>``); files
written by programs (openpyxl, report generators, some web exports) often
hold the formula alone, and the reader then sees an empty cell.  A person
who typed ``=A2`` in 单位名称 must not be told “单位名称不能为空”: this
module finds those cells so that the message can say what happened.

It runs only when a file is refused (the message is what it serves), so an
import that succeeds pays nothing for it.
"""

from __future__ import annotations

import io
import re
import zipfile

from .guard import MAX_XML_BYTES, _column_number, _first_sheet

MESSAGE = ("单元格是公式，但文件中没有保存公式的计算结果（常见于由其他程序导出的文件）；"
           "请先用Excel或WPS打开该文件并保存，或把这些单元格复制后“选择性粘贴”为数值，再导入")

_FORMULA = re.compile(rb"<f[\s>/]")
_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_CACHED = re.compile(rb"<v>[^<]")
_CHUNK = 4 * 1024 * 1024


def uncached_formulas(data: bytes) -> set[tuple[int, int]]:
    """(row number, 0-based column) of every formula cell of the first sheet of
    an .xlsx that has no saved result (an empty ``<v>`` counts as none, unless
    the cell says its result is text: then the result is the empty text)."""
    found: set[tuple[int, int]] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as z, z.open(_first_sheet(z)) as f:
        carry, seen = b"", 0
        while chunk := f.read(_CHUNK):
            seen += len(chunk)
            if seen > MAX_XML_BYTES:
                break
            buf = carry + chunk
            cut = buf.rfind(b"</row>") + len(b"</row>")  # whole rows only
            if cut < len(b"</row>"):
                carry = buf
                continue
            _scan(buf[:cut], found)
            carry = buf[cut:]
        _scan(carry, found)
    return found


def _scan(part: bytes, found: set[tuple[int, int]]) -> None:
    for m in _FORMULA.finditer(part):
        start = part.rfind(b"<c", 0, m.start())
        tag_end = part.find(b">", start)
        end = part.find(b"</c>", m.start())
        if start < 0 or tag_end < 0 or end < 0:
            continue
        tag, body = part[start:tag_end], part[tag_end + 1:end]
        ref = _REF.search(tag)
        if ref is None or _CACHED.search(body) or (b't="str"' in tag and b"<v" in body):
            continue
        found.add((int(ref[2]), _column_number(ref[1]) - 1))
