"""Parsing of the task's 抽查对象范围 (filter) and 抽查比例 (ratio) texts.

Office staff type these into the console, so they are Chinese-first: field
names are the registry's Chinese headers, values may be codes or Chinese
labels, and full-width punctuation is accepted.  Errors are ``ValueError`` with
a Chinese message that can be shown as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from shared.enums import CreditClass, Industry, LabeledEnum, RiskLevel, Scale

# How a clause compares: equality, substring (names), membership in a list
# field (tags, sub-registries), or a yes/no flag.
EQ, CONTAINS, ANY, FLAG = "eq", "contains", "any", "flag"


@dataclass(frozen=True)
class FieldSpec:
    header: str
    key: str
    kind: str
    enum: type[LabeledEnum] | None = None


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("单位名称", "name", CONTAINS),
    FieldSpec("行业领域", "industry", EQ, Industry),
    FieldSpec("属地", "street", EQ),
    FieldSpec("隶属关系", "affiliation", EQ),
    FieldSpec("规模", "scale", EQ, Scale),
    FieldSpec("安全风险等级", "risk_level", EQ, RiskLevel),
    FieldSpec("信用风险分类", "credit_class", EQ, CreditClass),
    FieldSpec("黑名单", "blacklisted", FLAG),
    FieldSpec("重大事故隐患", "major_hazard", FLAG),
    FieldSpec("特殊作业", "special_ops", ANY),
    FieldSpec("需配专家", "needs_expert", FLAG),
    FieldSpec("所属名录库", "registries", ANY),
)
_BY_NAME = {s.header: s for s in FIELD_SPECS} | {s.key: s for s in FIELD_SPECS}
_BY_KEY = {s.key: s for s in FIELD_SPECS}
_ORDER = {s.key: i for i, s in enumerate(FIELD_SPECS)}

_TRUE = {"是", "true", "1", "有", "yes", "y"}
_FALSE = {"否", "false", "0", "无", "no", "n"}
_FULLWIDTH = str.maketrans({"；": ";", "，": ",", "、": ",", "＝": "=", "：": ":", "％": "%"})


@dataclass(frozen=True)
class Clause:
    """``field`` takes one of ``values`` (OR inside a clause)."""

    key: str
    kind: str
    values: tuple[str, ...] | tuple[bool, ...]


def parse_filter(text: str | None) -> tuple[Clause, ...]:
    """Parse ``行业领域=危险化学品生产,危险化学品经营;规模=大,中``.

    ``;`` separates clauses that must all hold; ``,`` (or 、) separates
    alternatives within a clause.  Values are normalised to codes and sorted,
    clauses put in header order, so two spellings of one filter give the same
    clauses.
    """
    if text is None or not text.strip():
        return ()
    clauses: list[Clause] = []
    for part in text.translate(_FULLWIDTH).split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"抽查范围条件“{part}”缺少“=”（应为 字段=值1,值2）")
        name, _, raw = part.partition("=")
        spec = _BY_NAME.get(name.strip())
        if spec is None:
            known = "、".join(s.header for s in FIELD_SPECS)
            raise ValueError(f"抽查范围中的字段“{name.strip()}”无法识别（可用：{known}）")
        words = [w.strip() for w in raw.split(",") if w.strip()]
        if not words:
            raise ValueError(f"抽查范围条件“{part}”没有给出取值")
        clauses.append(Clause(spec.key, spec.kind, _parse_values(spec, words)))
    # AND is commutative: clauses in registry-header order, so two spellings
    # of one filter record (and hash) the same.
    return tuple(sorted(clauses, key=lambda c: (_ORDER[c.key], c.values)))


def _parse_values(spec: FieldSpec, words: list[str]) -> tuple:
    if spec.kind == FLAG:
        out: set[bool] = set()
        for w in words:
            if w.lower() in _TRUE:
                out.add(True)
            elif w.lower() in _FALSE:
                out.add(False)
            else:
                raise ValueError(f"“{spec.header}”的取值“{w}”应为“是”或“否”")
        return tuple(sorted(out))
    if spec.enum is not None:
        return tuple(sorted({spec.enum.parse(w).value for w in words}))
    return tuple(sorted(set(words)))


def format_filter(clauses: tuple[Clause, ...]) -> str:
    """The canonical Chinese text of *clauses* (for records and the console)."""
    parts = []
    for c in clauses:
        spec = _BY_KEY[c.key]
        if spec.kind == FLAG:
            vals = ["是" if v else "否" for v in c.values]
        elif spec.enum is not None:
            vals = [spec.enum.parse(v).label for v in c.values]
        else:
            vals = list(c.values)
        parts.append(f"{spec.header}={','.join(vals)}")
    return ";".join(parts)


# A ratio without a class applies to one stratum holding the whole pool.
WHOLE_POOL = "*"

_NUMBER = re.compile(r"^\d+(\.\d+)?$|^\d+/\d+$")


def _parse_fraction(text: str, where: str) -> Fraction:
    t = text.strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1].strip()
    if not _NUMBER.match(t):
        raise ValueError(f"{where}“{text.strip()}”不是有效的比例（例：20%、0.2）")
    value = Fraction(t) / (100 if percent else 1)
    if not 0 < value <= 1:
        raise ValueError(f"{where}“{text.strip()}”应大于0且不超过100%")
    return value


def parse_ratio(text: str | dict) -> dict[str, Fraction]:
    """Parse ``20%`` / ``0.2`` / ``1/5`` or ``A:3%;B:5%;C:20%;D:100%``.

    Returns ``{"*": r}`` for one ratio, else one entry per credit class.
    Exact fractions: a count is ``ceil(r × n)`` and must never hit float
    rounding (``0.07 * 100`` is ``7.000000000000001`` in floats).
    """
    if isinstance(text, dict):
        return {
            (k if k == WHOLE_POOL else CreditClass.parse(k).value): _parse_fraction(str(v), "比例")
            for k, v in text.items()
        }
    t = str(text).translate(_FULLWIDTH).strip()
    if not t:
        raise ValueError("未设定抽查比例")
    if ":" not in t:
        return {WHOLE_POOL: _parse_fraction(t, "抽查比例")}
    out: dict[str, Fraction] = {}
    for part in t.split(";"):
        if not part.strip():
            continue
        if ":" not in part:
            raise ValueError(f"分类抽查比例“{part.strip()}”应写作 类别:比例（例：A:3%）")
        cls, _, val = part.partition(":")
        code = CreditClass.parse(cls.strip()).value
        if code in out:
            raise ValueError(f"信用风险分类{code}的抽查比例重复设定")
        out[code] = _parse_fraction(val, f"{code}类抽查比例")
    return out


def format_fraction(value: Fraction) -> str:
    """``0.2`` when the fraction is a finite decimal, else ``p/q`` (exact)."""
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    if places == 0:
        return str(scaled)
    whole, frac = divmod(scaled, 10**places)
    return f"{whole}.{frac:0{places}d}".rstrip("0").rstrip(".")


def ceil_ratio(ratio: Fraction, n: int) -> int:
    """``ceil(ratio × n)`` in integers."""
    return -((-ratio.numerator * n) // ratio.denominator)
