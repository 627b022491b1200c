"""Draw rules as columns of the plan spreadsheet (documented in docs/draw.md).

Each column is optional; an empty cell leaves the rule as it is (a new task:
the default).  ``plans.py`` appends :data:`RULE_COLUMNS` to its spec, reads
:func:`sheet_rules` of a row into the task's rules and compares them with
:func:`current_sheet_rules`, so re-importing an unchanged sheet changes nothing.

======================  ==========================  ==============================
column                  rule                        cell
======================  ==========================  ==============================
组队规则                composition                 不限 / 龙岗 / 属地1人,局1人
执法领域匹配            field_match                 是 / 否
所所交叉                recuse_own_street           是 / 否
上次检查人员回避        recuse_previous             是 / 否
专家专业匹配            expert_specialty_match      是 / 否
每户配专家              experts_required            是 / 否
每户专家人数            experts_per_visit           整数
一般事项抽取数          general_items               整数
每户年度检查上限        yearly_cap                  整数，或 不限
主办科室                host_departments            煤矿:执法监察科;危险化学品经营:危化品监管股
======================  ==========================  ==============================
"""

from __future__ import annotations

import re
from typing import Any

from shared.enums import Industry

from ..registry_io import cells as c
from ..registry_io.specs import Column
from .policy import LONGGANG_COMPOSITION, SERVER_DEFAULTS

PREFIX = "rule:"
SHEET_KEY = "sheet_rules"  # the row values' key holding the rules the row sets


def _empty(value: Any) -> bool:
    return value is None or c.text(value) == ""


def _bool(value: Any) -> bool | None:
    return None if _empty(value) else c.parse_bool(value)


def _count(label: str, minimum: int, *, unlimited: bool = False):
    def parse(value: Any) -> int | str | None:
        if _empty(value):
            return None
        s = c.text(value)
        if unlimited and s in ("不限", "无"):
            return "none"  # cleared (no cap); None means "cell empty"
        if not s.isdigit() or int(s) < minimum:
            tail = "或“不限”" if unlimited else ""
            raise ValueError(f"{label}应为不小于{minimum}的整数{tail}")
        return int(s)
    return parse


def _composition(value: Any) -> dict[str, int] | None:
    if _empty(value):
        return None
    s = c.text(value)
    if s in ("不限", "无"):
        return dict(SERVER_DEFAULTS["composition"])
    if s in ("龙岗", "龙岗式"):
        return dict(LONGGANG_COMPOSITION)
    street, bureau = re.search(r"属地\D*(\d+)", s), re.search(r"局\D*(\d+)", s)
    if not (street or bureau):
        raise ValueError(f"组队规则“{s}”应填“不限”“龙岗”或“属地1人,局1人”")
    return {"street_pool": int(street.group(1)) if street else 0,
            "bureau_pool": int(bureau.group(1)) if bureau else 0}


def _hosts(value: Any) -> dict[str, str] | None:
    if _empty(value):
        return None
    out = {}
    for part in re.split(r"[;；\n]+", c.text(value)):
        if not part.strip():
            continue
        m = re.fullmatch(r"\s*([^:：]+?)\s*[:：]\s*(.+?)\s*", part)
        if m is None:
            raise ValueError(f"主办科室“{part}”应写作“行业:科室”")
        out[Industry.parse(m.group(1)).value] = m.group(2)
    return out


def parse_hosts(value: str | None) -> dict[str, str]:
    """主办科室 as the sheet writes it (the console's field too); empty: none,
    so every visit is hosted by the task's 发起科室.  ``ValueError`` in Chinese."""
    return _hosts(value) or {}


def format_hosts(hosts: dict[str, str] | None) -> str:
    """The inverse of :func:`parse_hosts`: ``煤矿:执法监察科;危险化学品经营:危化品监管股``."""
    return ";".join(f"{Industry.parse(k).label}:{v}" for k, v in (hosts or {}).items())


_RULES = (
    ("组队规则", "composition", _composition),
    ("执法领域匹配", "field_match", _bool),
    ("所所交叉", "recuse_own_street", _bool),
    ("上次检查人员回避", "recuse_previous", _bool),
    ("专家专业匹配", "expert_specialty_match", _bool),
    ("每户配专家", "experts_required", _bool),
    ("每户专家人数", "experts_per_visit", _count("每户专家人数", 1)),
    ("一般事项抽取数", "general_items", _count("一般事项抽取数", 0)),
    ("每户年度检查上限", "yearly_cap", _count("每户年度检查上限", 1, unlimited=True)),
    ("主办科室", "host_departments", _hosts),
)
RULE_KEYS = tuple(key for _h, key, _p in _RULES)
RULE_COLUMNS = tuple(Column(header, PREFIX + key, parse, str, (key,))
                     for header, key, parse in _RULES)


def sheet_rules(row: dict[str, Any]) -> dict[str, Any]:
    """The rules a parsed row sets (cells left empty set nothing)."""
    out = {}
    for key in RULE_KEYS:
        value = row.get(PREFIX + key)
        if value is not None:
            out[key] = None if value == "none" else value
    return out


def current_sheet_rules(rules: dict[str, Any] | None, setting: dict[str, Any]) -> dict[str, Any]:
    """The task's present values of the rules *setting* names."""
    rules = rules or {}
    return {k: rules.get(k) for k in setting}
