"""The plan table as bureaus print it: its columns, and cells read as written.

Plans end with a table (秦皇岛: 抽查计划编号 … 抽查时间; 长子: 序号 … 抽查发起部门)
that an office types into a spreadsheet as printed.  Its cells are prose:
抽查时间 “2023年5月至7月” or “2022年全年”, 抽查类型 “定向抽查”, 抽查比例
“按照信用风险等级1%-50%的抽查比例不低于3%”, 抽查对象范围 “全县煤矿企业”.
Dates are read here; a ratio or scope in prose is kept as printed and mapped to
a structured one in the review step (plan_review.py).  Structured cells
(“20%”, “行业领域=煤矿”) are still checked at once.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from shared.enums import DrawType

from .draw.sheet_rules import RULE_COLUMNS
from .registry_io import cells as c
from .registry_io.specs import Column, RegistrySpec

# Task.printed["review"]: imported as printed and awaiting 计划审核, or confirmed.
PENDING, CONFIRMED = "pending", "confirmed"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_prose(text: str | None, *, structured_mark: str = "") -> bool:
    """Chinese words and no sign of the structured syntax (“=” in a filter)."""
    if not text or not _CJK.search(text):
        return False
    return not (structured_mark and structured_mark in text.replace("＝", "="))


def _text(label: str, limit: int, *, required: bool = False):
    def parse(value: Any) -> str | None:
        s = c.text(value)
        if required and not s:
            raise ValueError(f"{label}不能为空")
        if len(s) > limit:
            raise ValueError(f"{label}过长（上限{limit}字）")
        return s or None
    return parse


def _code(label: str, limit: int):
    """Numbers like 2023001 typed into a number cell stay as typed."""
    parse = _text(label, limit)

    def wrapped(value: Any) -> str | None:
        s = parse(value)
        return s.replace(" ", "") if s else s
    return wrapped


def _optional_date(value: Any) -> date | None:
    return c.parse_date(value)


def _team_size(value: Any) -> int:
    s = c.text(value).removesuffix("人")
    if not s:
        return 2
    if not s.isdigit() or int(s) < 2:
        raise ValueError(f"每户检查人数“{s}”应为不小于2的整数（至少两名执法人员）")
    return int(s)


def _draw_type(value: Any) -> str:
    s = c.text(value).replace(" ", "").removesuffix("抽查")  # “定向抽查” as printed
    return c.parse_enum(DrawType, s, required=True)


_SPACES = re.compile(r"\s+")
_MONTHS = re.compile(
    r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?(?:[至到\-—–~～](?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?)?"
    r"(?:份)?$")
_WHOLE_YEAR = re.compile(r"^(\d{4})年(?:全年|度|1月至12月)?$")
_HALF = re.compile(r"^(\d{4})年(上|下)半年$")
_QUARTER = re.compile(r"^(\d{4})年第?([一二三四1-4])季度$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: Any) -> tuple[date, date] | None:
    """抽查时间 as printed → (first day, last day); ``ValueError`` if unreadable."""
    s = _SPACES.sub("", c.text(value))
    if not s:
        return None
    try:
        if m := _WHOLE_YEAR.match(s):
            year = int(m[1])
            return date(year, 1, 1), date(year, 12, 31)
        if m := _HALF.match(s):
            year, first = int(m[1]), m[2] == "上"
            return (date(year, 1, 1), date(year, 6, 30)) if first else (
                date(year, 7, 1), date(year, 12, 31))
        if m := _QUARTER.match(s):
            year, q = int(m[1]), _QUARTERS[m[2]]
            return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if m := _MONTHS.match(s):
            year, month = int(m[1]), int(m[2])
            start = date(year, month, int(m[3]) if m[3] else 1)
            end_year = int(m[4]) if m[4] else year
            end_month = int(m[5]) if m[5] else month
            end = (date(end_year, end_month, int(m[6])) if m[6]
                   else _month_end(end_year, end_month))
            return start, end
        for sep in ("至", "到", "~", "～", "—"):
            if sep in s:
                a, b = s.split(sep, 1)
                start, end = c.parse_date(a), c.parse_date(b)
                if start and end:
                    return start, end
    except ValueError:
        pass
    raise ValueError(f"抽查时间“{s}”无法识别（例：2023年5月至7月、2022年全年、"
                     "2024-04-01至2024-06-30）")


def _period(value: Any):
    return parse_period(value)


_fmt = str
# One table for both layouts; 计划编号/名称 and 任务编号 may come from the import
# form and the row order instead (长子 prints neither).
PLAN_SPEC = RegistrySpec(
    kind="plans", label="抽查计划", key=("task_no",),
    columns=(
        Column("计划编号", "plan_no", _code("计划编号", 64), _fmt,
               ("plan_no", "抽查计划编号")),
        Column("计划名称", "plan_name", _text("计划名称", 200), _fmt,
               ("plan_name", "抽查计划名称")),
        Column("任务编号", "task_no", _code("任务编号", 64), _fmt,
               ("task_no", "抽查任务编号")),
        Column("任务名称", "name", _text("任务名称", 200, required=True), _fmt,
               ("task_name", "抽查任务名称"), True),
        Column("抽查类型", "draw_type", _draw_type, _fmt, ("draw_type",), True),
        Column("抽查比例", "ratio", _text("抽查比例", 200, required=True), _fmt,
               ("ratio",), True),
        Column("抽查事项", "item_scope", _text("抽查事项", 2000), _fmt, ("item_scope",)),
        Column("抽查对象范围", "target_filter", _text("抽查对象范围", 2000), _fmt,
               ("target_filter", "抽查范围", "抽查对象")),
        Column("发起科室", "department", _text("发起科室", 64), _fmt,
               ("department", "抽查发起部门", "发起部门", "发起股室")),
        Column("联合部门", "joint_departments", c.parse_list, _fmt,
               ("joint_departments", "联合部门/大队", "联合大队", "联合执法大队")),
        Column("抽查时间", "period", _period, _fmt, ("period", "抽查时限")),
        Column("开始日期", "window_start", _optional_date, _fmt, ("window_start",)),
        Column("结束日期", "window_end", _optional_date, _fmt, ("window_end",)),
        Column("每户检查人数", "team_size", _team_size, _fmt, ("team_size",)),
        Column("是否暗查", "unannounced", c.parse_bool, _fmt, ("unannounced", "暗查暗访")),
        Column("联合检查组", "joint_group", _text("联合检查组", 64), _fmt, ("joint_group",)),
        *RULE_COLUMNS,  # draw rules (docs/draw.md), each optional
    ),
)
