"""Find the header in a sheet as offices lay it out.

Bureau spreadsheets start with a title row (“XX县安全生产检查对象名录库”),
sometimes a date or unit line, then a header of one row or of two rows with
merged parents (“联系方式” over 联系人 and 联系电话), and end with rows
holding only a 序号.  The header is the row among the first
``guard.HEADER_ROWS`` that names the most known columns; the row above or
below joins it when it carries the rest of a two-row header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from .guard import HEADER_ROWS, column_letters
from .specs import Column, RegistrySpec

_NOISE = re.compile(r"[\s*＊:：]")
_HINT = re.compile(r"[（(][^）)]*[）)]")


class LayoutError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def normalise(header: str) -> str:
    return _NOISE.sub("", header).replace("（", "(").replace("）", ")").lower()


def _lookup(spec: RegistrySpec) -> dict[str, int]:
    table: dict[str, int] = {}
    for i, col in enumerate(spec.columns):
        for name in (col.header, *col.aliases):
            table[normalise(name)] = i
    return table


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


@dataclass
class Layout:
    """Where the header is and which sheet column feeds which spec column."""

    header_rows: tuple[int, ...]             # 1-based, one or two rows
    present: list[tuple[int, Column]]        # (0-based position, column)
    headers: dict[int, str]                  # position → header as written
    ignored: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    def where(self, pos: int) -> str:
        """“C列“行业领域”” for messages that must name the column."""
        return f"{column_letters(pos + 1)}列“{self.headers[pos]}”"


class _Matcher:
    def __init__(self, spec: RegistrySpec) -> None:
        self.spec = spec
        self.table = _lookup(spec)
        self.ignored = {normalise(h) for h in spec.ignored_headers}

    def match(self, text: str) -> int | None:
        norm = normalise(text)
        if not norm:
            return None
        if norm in self.table:
            return self.table[norm]
        return self.table.get(_HINT.sub("", norm))  # “乡镇（街道）”, “信用分类(A/B/C/D)”

    def is_ignored(self, text: str) -> bool:
        norm = normalise(text)
        return norm in self.ignored or _HINT.sub("", norm) in self.ignored

    def score(self, row: list[str]) -> int:
        return sum(1 for t in row if self.match(t) is not None)


def _combine(parent: list[str], child: list[str], m: _Matcher) -> list[str]:
    """One header from two rows; a merged parent is written in its first cell only."""
    out: list[str] = []
    carried = ""
    for p, c in zip(parent, child, strict=True):
        carried = p or (carried if c else "")
        if c and m.match(c) is not None:
            out.append(c)
        elif c and carried and m.match(carried + c) is not None:
            out.append(carried + c)
        elif p and not c:
            out.append(p)
        else:
            out.append(c or p)
    return out


def locate(spec: RegistrySpec, rows: Iterator[list]) -> tuple[Layout, Iterator[tuple[int, list]]]:
    """The layout and the data rows as (row number, values); ``LayoutError`` if
    no header is found or it names unknown or missing columns."""
    m = _Matcher(spec)
    head: list[list] = []
    for raw in rows:
        head.append(raw)
        if len(head) > HEADER_ROWS:
            break
    if not head:
        raise LayoutError(["文件为空，没有表头"])
    width = max((len(r) for r in head), default=0)
    texts = [[_cell(v) for v in r] + [""] * (width - len(r)) for r in head]
    scores = [m.score(t) for t in texts[:HEADER_ROWS]]
    if not scores or max(scores) == 0:
        names = "、".join(c.header for c in spec.columns if c.required)
        raise LayoutError([f"前{HEADER_ROWS}行中找不到表头（表头应含有{names}等列）"])
    best = scores.index(max(scores))
    header_rows = (best,)
    header = texts[best]
    below = texts[best + 1] if best + 1 < len(texts) else None
    above = texts[best - 1] if best > 0 else None
    if below is not None and _continues(header, below, m):
        header_rows, header = (best, best + 1), _combine(header, below, m)
    elif above is not None and _continues(above, header, m, parent_first=True):
        header_rows, header = (best - 1, best), _combine(above, header, m)
    layout = _map(spec, m, header, tuple(r + 1 for r in header_rows))
    start = header_rows[-1] + 1
    data = chain(head[start:], rows)
    return layout, ((n, raw) for n, raw in enumerate(data, start=start + 1))


def _continues(parent: list[str], child: list[str], m: _Matcher, *,
               parent_first: bool = False) -> bool:
    """Whether two rows form one header: the second names known columns under
    blank or unknown cells of the first, and holds nothing that looks like data."""
    filled = [(i, t) for i, t in enumerate(child) if t]
    if not filled:
        return False
    known = [i for i, t in filled if m.match(t) is not None or m.is_ignored(t)]
    if len(known) * 2 < len(filled):
        return False
    if parent_first:  # the parent must name something the child leaves blank
        return any(t and not child[i] and (m.match(t) is not None or m.is_ignored(t))
                   for i, t in enumerate(parent))
    return any(m.match(parent[i]) is None for i in known)


def _map(spec: RegistrySpec, m: _Matcher, header: list[str], rows: tuple[int, ...]) -> Layout:
    where = f"第{rows[0]}行" if len(rows) == 1 else f"第{rows[0]}至{rows[-1]}行"
    errors: list[str] = []
    present: list[tuple[int, Column]] = []
    headers: dict[int, str] = {}
    seen: dict[int, int] = {}
    ignored: list[str] = []
    for pos, text in enumerate(header):
        if not text:
            continue
        idx = m.match(text)
        if idx is None:
            if m.is_ignored(text):
                ignored.append(text)
            else:
                errors.append(f"{where}{column_letters(pos + 1)}列: 未知列“{text}”")
            continue
        if idx in seen:
            errors.append(f"{where}{column_letters(pos + 1)}列: 列“{text}”与"
                          f"{column_letters(seen[idx] + 1)}列重复")
            continue
        seen[idx] = pos
        headers[pos] = text
        present.append((pos, spec.columns[idx]))
    missing = [col.header for i, col in enumerate(spec.columns) if col.required and i not in seen]
    if missing:
        errors.append(f"{where}: 缺少必填列：{'、'.join(missing)}")
    if errors:
        raise LayoutError(errors)
    return Layout(header_rows=rows, present=present, headers=headers, ignored=ignored)
