"""A registry file as validated columns, or every bad row named with its
column and cause.

The work is done a column at a time: a sheet of 100,000 rows is turned into
one list per column (``zip``).  Most columns repeat a few values (行业领域,
属地, 是/否, dates): there each distinct cell is parsed once and the column is
mapped through the results; a column of unique values (names, codes) is
parsed cell by cell in one comprehension.  Parsed values are never changed
afterwards, so rows may share them.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .formulas import MESSAGE as FORMULA_MESSAGE
from .formulas import uncached_formulas
from .layout import Layout, LayoutError, locate
from .reader import SheetError, read_rows
from .specs import Column, RegistrySpec

MAX_ERRORS_LISTED = 200


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Parsed:
    """The file's data rows, validated, as columns: ``columns[attr][i]`` is row i.

    Every attribute of the spec has a column; those the file lacks hold their
    empty value (and are never written to existing records).
    """

    spec: RegistrySpec
    layout: Layout
    columns: dict[str, list[Any]]
    present: list[str]              # attributes the file has
    numbers: list[int]              # spreadsheet row number of each row
    keys: list[str]                 # each row's registry key
    digest: str                     # sha256 of the file
    skipped: list[str] = field(default_factory=list)  # summary rows left out, described

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, i: int) -> dict[str, Any]:
        return {attr: values[i] for attr, values in self.columns.items()}


def parse_rows(spec: RegistrySpec, data: bytes, filename: str) -> Parsed:
    """Validated rows, or ImportFailed naming every bad row, its column and the cause."""
    try:
        sheet = read_rows(data, filename)
        layout, numbered = locate(spec, sheet.rows)
        numbers, raws = _data_rows(numbered, [pos for pos, _ in layout.present])
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    except LayoutError as exc:
        raise ImportFailed(exc.errors) from None
    key_positions = [pos for pos, col in layout.present if col.attr in spec.key]
    skipped = _trailing_summaries(numbers, raws, key_positions)
    if not raws:
        raise ImportFailed(["文件中没有数据行"])
    # Rows may be wider than the last imported column, never narrower.
    sheet_columns = list(zip(*raws, strict=False))
    columns: dict[str, list[Any]] = {}
    refused: dict[int, dict[int, str]] = {}  # row index → {position: reason}
    for pos, col in layout.present:
        values, bad = _parse_column(col, sheet_columns[pos])
        columns[col.attr] = values
        for i, reason in bad:
            refused.setdefault(i, {})[pos] = reason
    for col in spec.columns:
        if col.attr not in columns:
            columns[col.attr] = [col.parse(None)] * len(raws)
    keys = _keys(spec, columns)
    duplicates = _duplicates(keys, numbers, refused)
    if refused or duplicates:
        if sheet.kind == "xlsx":
            _explain_formulas(data, numbers, layout, refused)
        raise ImportFailed(_messages(layout, numbers, refused, duplicates, key_positions))
    # Columns in the spec's order, so that a row reads like the spreadsheet.
    columns = {col.attr: columns[col.attr] for col in spec.columns}
    return Parsed(spec, layout, columns, [c.attr for _, c in layout.present], numbers, keys,
                  hashlib.sha256(data).hexdigest(), skipped)


def _messages(layout: Layout, numbers: list[int], refused: dict[int, dict[int, str]],
              duplicates: dict[int, int], key_positions: list[int]) -> list[str]:
    """“第7行: B列“统一社会信用代码”：…；C列“行业领域”：…” per row, in sheet order;
    a duplicate names the key's column(s) like any other cause."""
    key_where = "、".join(layout.where(p) for p in key_positions) or "编号"
    errors = []
    for i in sorted(refused.keys() | duplicates.keys()):
        parts = [(pos, f"{layout.where(pos)}：{reason}")
                 for pos, reason in refused.get(i, {}).items()]
        if i in duplicates:
            parts.append((key_positions[0] if key_positions else -1,
                          f"{key_where}：与第{duplicates[i]}行重复"))
        errors.append(f"第{numbers[i]}行: " + "；".join(text for _, text in sorted(parts)))
    if len(errors) > MAX_ERRORS_LISTED:
        more = len(errors) - MAX_ERRORS_LISTED
        errors = errors[:MAX_ERRORS_LISTED] + [f"……另有{more}行错误"]
    return errors


def _explain_formulas(data: bytes, numbers: list[int], layout: Layout,
                      refused: dict[int, dict[int, str]]) -> None:
    """A formula saved without its result reads as an empty cell: say so
    instead of “不能为空” (and name such cells in any imported column, since
    the file is refused anyway)."""
    try:
        cells = uncached_formulas(data)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return
    if not cells:
        return
    index = {n: i for i, n in enumerate(numbers)}
    imported = {pos for pos, _ in layout.present}
    for row, pos in cells:
        if row in index and pos in imported:
            refused.setdefault(index[row], {})[pos] = FORMULA_MESSAGE


_SUMMARY = ("合计", "总计", "小计")
_BLANKS = re.compile(r"\s+")
_CODE_LIKE = re.compile(r"[0-9A-Za-z]{6}")  # a USCC, 执法证号 or 事项编号, not “共320家”


def _trailing_summaries(numbers: list[int], raws: list[list],
                        key_positions: list[int]) -> list[str]:
    """Drop the summary rows after the data (“合计 | 共320家”) and describe them.

    A row is a summary when its first filled cell starts with 合计, 总计 or
    小计 (“合  计” too) and its key columns (统一社会信用代码) hold nothing
    like a code (“共320家” may stand there when the sheet has no 序号 column);
    only rows at the end count – a 小计 between data rows is reported like
    any other bad row.
    """
    skipped: list[str] = []
    while raws:
        filled = [str(v).strip() for v in raws[-1] if v is not None and str(v).strip()]
        lead = _BLANKS.sub("", filled[0]) if filled else ""
        if not lead.startswith(_SUMMARY):
            break
        if any(v is not None and _CODE_LIKE.search(str(v))
               for v in (raws[-1][p] for p in key_positions)):
            break
        raws.pop()
        text = " | ".join(filled[:4]) + (" | ……" if len(filled) > 4 else "")
        skipped.insert(0, f"第{numbers.pop()}行“{text}”是合计行，未导入")
    return skipped


def _data_rows(numbered: Iterable[tuple[int, list]],
               positions: list[int]) -> tuple[list[int], list[list]]:
    """Row numbers and values, each row at least as wide as the last imported column;
    rows holding only a 序号, spaces or nothing in the imported columns are left out."""
    width = max(positions) + 1
    first = positions[0]
    numbers: list[int] = []
    raws: list[list] = []
    for n, raw in numbered:
        if len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
        lead = raw[first]  # usually filled: the whole test is one look
        if lead is None or (lead.__class__ is str and not lead.strip()):
            if all(raw[p] is None or (raw[p].__class__ is str and not raw[p].strip())
                   for p in positions):
                continue
        numbers.append(n)
        raws.append(raw)
    return numbers, raws


def _parse_column(col: Column, cells: tuple) -> tuple[list[Any], list[tuple[int, str]]]:
    """The column's parsed values and its refusals as (row index, reason)."""
    parse = col.parse
    distinct = set(cells)
    # 1, 1.0 and True are equal keys: cells other than text are told apart by type.
    text_only = set(map(type, distinct)) == {str}
    keys = cells if text_only else [
        cell if cell.__class__ is str else (cell.__class__, cell) for cell in cells]
    if not text_only:
        distinct = set(keys)
    if len(distinct) * 2 > len(cells):  # (nearly) unique values: nothing to remember
        try:
            return [parse(cell) for cell in cells], []
        except ValueError:
            return _parse_each(parse, cells)  # every bad cell of the column, named
    parsed: dict[Any, Any] = {}
    reasons: dict[Any, str] = {}
    for key in distinct:
        try:
            parsed[key] = parse(key if text_only or key.__class__ is str else key[1])
        except ValueError as exc:
            reasons[key] = str(exc)
    if not reasons:
        if text_only and all(parsed[k] == k for k in parsed):
            return list(cells), []  # text kept as written (属地, 联系人): nothing to map
        return list(map(parsed.__getitem__, keys)), []
    values = [parsed.get(key) for key in keys]
    return values, [(i, reasons[key]) for i, key in enumerate(keys) if key in reasons]


def _parse_each(parse: Callable[[Any], Any],
                cells: tuple) -> tuple[list[Any], list[tuple[int, str]]]:
    values: list[Any] = []
    bad: list[tuple[int, str]] = []
    for i, cell in enumerate(cells):
        try:
            values.append(parse(cell))
        except ValueError as exc:
            values.append(None)
            bad.append((i, str(exc)))
    return values, bad


def _keys(spec: RegistrySpec, columns: dict[str, list[Any]]) -> list[str]:
    if len(spec.key) == 1:
        values = columns[spec.key[0]]
        if set(map(type, values)) == {str}:
            return values
        return [str(v) for v in values]
    key_of: Callable[[dict], str] = spec.key_of
    parts = [columns[k] for k in spec.key]
    return [key_of(dict(zip(spec.key, row, strict=True))) for row in zip(*parts, strict=True)]


def _duplicates(keys: list[str], numbers: list[int],
                refused: dict[int, dict[int, str]]) -> dict[int, int]:
    """Row index → row number of the first valid row with the same key (among
    rows without other errors, as a person fixing the file reads them)."""
    if len(set(keys)) == len(keys):
        return {}
    first_row_of: dict[str, int] = {}
    found: dict[int, int] = {}
    for i, key in enumerate(keys):
        if i in refused:
            continue
        if key in first_row_of:
            found[i] = first_row_of[key]
        else:
            first_row_of[key] = numbers[i]
    return found
