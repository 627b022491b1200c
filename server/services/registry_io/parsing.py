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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

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

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, i: int) -> dict[str, Any]:
        return {attr: values[i] for attr, values in self.columns.items()}


def parse_rows(spec: RegistrySpec, data: bytes, filename: str) -> Parsed:
    """Validated rows, or ImportFailed naming every bad row, its column and the cause."""
    try:
        layout, numbered = locate(spec, read_rows(data, filename).rows)
        numbers, raws = _data_rows(numbered, [pos for pos, _ in layout.present])
    except SheetError as exc:
        raise ImportFailed([str(exc)]) from None
    except LayoutError as exc:
        raise ImportFailed(exc.errors) from None
    if not raws:
        raise ImportFailed(["文件中没有数据行"])
    # Rows may be wider than the last imported column, never narrower.
    sheet_columns = list(zip(*raws, strict=False))
    columns: dict[str, list[Any]] = {}
    refused: dict[int, list[str]] = {}  # row index → reasons, in column order
    for pos, col in layout.present:
        values, bad = _parse_column(col, sheet_columns[pos])
        columns[col.attr] = values
        for i, reason in bad:
            refused.setdefault(i, []).append(f"{layout.where(pos)}：{reason}")
    for col in spec.columns:
        if col.attr not in columns:
            columns[col.attr] = [col.parse(None)] * len(raws)
    keys = _keys(spec, columns)
    duplicates = _duplicates(keys, numbers, refused)
    if refused or duplicates:
        for i, first in duplicates.items():
            refused.setdefault(i, []).append(f"与第{first}行重复")
        errors = [f"第{numbers[i]}行: {'；'.join(refused[i])}" for i in sorted(refused)]
        if len(errors) > MAX_ERRORS_LISTED:
            more = len(errors) - MAX_ERRORS_LISTED
            errors = errors[:MAX_ERRORS_LISTED] + [f"……另有{more}行错误"]
        raise ImportFailed(errors)
    # Columns in the spec's order, so that a row reads like the spreadsheet.
    columns = {col.attr: columns[col.attr] for col in spec.columns}
    return Parsed(spec, layout, columns, [c.attr for _, c in layout.present], numbers, keys,
                  hashlib.sha256(data).hexdigest())


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
                refused: dict[int, list[str]]) -> dict[int, int]:
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
