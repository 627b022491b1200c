"""The four registries as column specifications: header ↔ attribute ↔ parser.

One table drives import, export and the header aliases, so a column can never
be imported but not exported (or the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from shared.enums import (
    CheckMethod,
    CreditClass,
    DutyStatus,
    EnterpriseStatus,
    Industry,
    ItemCategory,
    RiskLevel,
    Scale,
)
from shared.uscc import NUMERIC_CELL, clean_uscc

from . import cells as c


@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    parse: Callable[[Any], Any]
    fmt: Callable[[Any], str]
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class RegistrySpec:
    kind: str
    label: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    row_check: Callable[[dict], None] | None = None
    # Columns offices add that carry nothing to import (shown as 未导入 in the preview).
    ignored_headers: frozenset[str] = field(
        default=frozenset({"序号", "No", "No.", "编号", "备注", "说明"}))

    def key_of(self, row: dict) -> str:
        if len(self.key) == 1:  # runs three times per imported row
            value = row[self.key[0]]
            return value if value.__class__ is str else str(value)
        return "|".join(str(row[k]) for k in self.key)


def _required_text(label: str, limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        s = c.text(value)
        if not s:
            raise ValueError(f"{label}不能为空")
        if len(s) > limit:
            raise ValueError(f"{label}过长（上限{limit}字）")
        return s

    return parse


def _optional_text(label: str, limit: int) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        s = c.text(value)
        if len(s) > limit:
            raise ValueError(f"{label}过长（上限{limit}字）")
        return s or None

    return parse


def _uscc(value: Any) -> str:
    # A number cell held an all-digit code: the spreadsheet program kept 15–17
    # significant digits, so the code read back would be a different one.
    if value.__class__ is not str and isinstance(value, int | float) \
            and not isinstance(value, bool):
        raise ValueError(NUMERIC_CELL)
    s = c.text(value)
    if not s:
        raise ValueError("统一社会信用代码不能为空")
    return clean_uscc(s)


def _uscc_list(value: Any) -> list[str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"回避单位：{NUMERIC_CELL}")
    out = []
    for code in c.parse_list(value):
        try:
            out.append(clean_uscc(code))
        except ValueError as exc:
            raise ValueError(f"回避单位“{code}”：{exc}") from None
    return out


# One number: digits with area-code hyphen, extension, country code.  Offices
# write several in one cell: “0355-8123456/13912345678”.
_PHONE = re.compile(r"^\+?[0-9\-() 转]{3,24}$")
_PHONES = re.compile(r"\s*[/／、,，;；]\s*")


_DIGITS_ONLY = re.compile(r"\d{5,20}")


def _phone(value: Any) -> str | None:
    s = c.text(value)
    if not s:
        return None
    if _DIGITS_ONLY.fullmatch(s):  # the common case: one number, digits only
        return s
    for part in _PHONES.split(s):
        if part and (not _PHONE.match(part) or sum(ch.isdigit() for ch in part) < 5):
            raise ValueError(f"联系电话“{part}”格式不正确")
    if len(s) > 32:
        raise ValueError(f"联系电话过长（{len(s)}字，上限32字），请只保留一到两个号码")
    return s


def _required_date(label: str) -> Callable[[Any], Any]:
    def parse(value: Any):
        d = c.parse_date(value)
        if d is None:
            raise ValueError(f"{label}不能为空")
        return d

    return parse


def _status(value: Any) -> str:
    return c.parse_enum(EnterpriseStatus, value) or EnterpriseStatus.ACTIVE.value


def _duty(value: Any) -> str:
    return c.parse_enum(DutyStatus, value) or DutyStatus.ON_DUTY.value


def _enum(enum, *, required: bool = False):
    return partial(c.parse_enum, enum, required=required)


def _fmt(enum):
    return partial(c.fmt_enum, enum)


def _text_fmt(v: Any) -> str:
    return "" if v is None else str(v)


def _nonempty_list(label: str, parse: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    def wrapped(value: Any) -> list[str]:
        values = parse(value)
        if not values:
            raise ValueError(f"{label}不能为空")
        return values

    return wrapped


ENTERPRISES = RegistrySpec(
    kind="enterprises",
    label="检查对象名录库",
    key=("uscc",),
    columns=(
        Column("单位名称", "name", _required_text("单位名称", 200), _text_fmt,
               ("name", "企业名称", "生产经营单位名称", "企业(单位)名称"), True),
        Column("统一社会信用代码", "uscc", _uscc, _text_fmt,
               ("uscc", "信用代码", "社会信用代码", "统一代码"), True),
        Column("行业领域", "industry", _enum(Industry, required=True), _fmt(Industry),
               ("industry", "行业类别", "行业", "所属行业", "行业分类"), True),
        Column("属地", "street", _optional_text("属地", 64), _text_fmt,
               ("street", "街道", "乡镇", "所属乡镇", "所属街道", "所在乡镇")),
        Column("隶属关系", "affiliation", _optional_text("隶属关系", 64), _text_fmt,
               ("affiliation",)),
        Column("地址", "address", _optional_text("地址", 300), _text_fmt,
               ("address", "详细地址", "单位地址", "企业地址", "经营地址", "注册地址")),
        Column("法定代表人", "legal_rep", _optional_text("法定代表人", 64), _text_fmt,
               ("legal_rep", "法人代表", "法人")),
        Column("联系人", "contact", _optional_text("联系人", 64), _text_fmt, ("contact",)),
        Column("联系电话", "phone", _phone, _text_fmt,
               ("phone", "电话", "联系方式", "手机")),
        Column("规模", "scale", _enum(Scale), _fmt(Scale), ("scale",)),
        Column("安全风险等级", "risk_level", _enum(RiskLevel), _fmt(RiskLevel),
               ("risk_level", "风险等级")),
        Column("信用风险分类", "credit_class", _enum(CreditClass), _fmt(CreditClass),
               ("credit_class", "信用分类")),
        Column("安全生产许可证号", "license_no", _optional_text("安全生产许可证号", 64), _text_fmt,
               ("license_no", "许可证号")),
        Column("许可证有效期", "license_expiry", c.parse_date, c.fmt_date, ("license_expiry",)),
        Column("黑名单", "blacklisted", c.parse_bool, c.fmt_bool, ("blacklisted",)),
        Column("重大事故隐患", "major_hazard", c.parse_bool, c.fmt_bool, ("major_hazard",)),
        Column("特殊作业", "special_work", c.parse_list, c.fmt_list, ("special_work",)),
        Column("需配专家", "needs_expert", c.parse_bool, c.fmt_bool, ("needs_expert",)),
        Column("上次检查日期", "last_inspected", c.parse_date, c.fmt_date, ("last_inspected",)),
        Column("所属名录库", "registries", c.parse_list, c.fmt_list, ("registries", "二级库")),
        Column("经营状态", "status", _status, _fmt(EnterpriseStatus), ("status",)),
    ),
)

INSPECTORS = RegistrySpec(
    kind="inspectors",
    label="执法检查人员名录库",
    key=("cert_no",),
    columns=(
        Column("姓名", "name", _required_text("姓名", 64), _text_fmt, ("name",), True),
        Column("执法证号", "cert_no", _required_text("执法证号", 32), _text_fmt, ("cert_no",),
               True),
        Column("证件有效期", "cert_expiry", _required_date("证件有效期"), c.fmt_date,
               ("cert_expiry",), True),
        Column("所属科室", "department", _optional_text("所属科室", 64), _text_fmt,
               ("department", "所属单位")),
        Column("属地", "street", _optional_text("属地", 64), _text_fmt, ("street",)),
        Column("执法领域", "fields",
               _nonempty_list("执法领域", partial(c.parse_enum_list, Industry)),
               partial(c.fmt_enum_list, Industry), ("fields", "专长"), True),
        Column("是否专家", "is_expert", c.parse_bool, c.fmt_bool, ("is_expert",)),
        Column("在岗状态", "duty_status", _duty, _fmt(DutyStatus), ("duty_status",)),
        Column("回避单位", "conflicts", _uscc_list, c.fmt_list, ("conflicts", "利害关系")),
    ),
)

EXPERTS = RegistrySpec(
    kind="experts",
    label="专家库",
    key=("name", "organization"),
    columns=(
        Column("姓名", "name", _required_text("姓名", 64), _text_fmt, ("name",), True),
        Column("专业", "specialty", _optional_text("专业", 64), _text_fmt, ("specialty",)),
        Column("单位", "organization", lambda v: c.text(v)[:200], _text_fmt, ("organization",)),
        Column("联系电话", "phone", _phone, _text_fmt, ("phone",)),
        Column("回避单位", "conflicts", _uscc_list, c.fmt_list, ("conflicts",)),
    ),
)

ITEMS = RegistrySpec(
    kind="items",
    label="随机抽查事项清单",
    key=("code",),
    columns=(
        Column("事项编号", "code", _required_text("事项编号", 32), _text_fmt, ("code",), True),
        Column("事项名称", "name", _required_text("事项名称", 200), _text_fmt, ("name",), True),
        Column("子项", "sub_item", _optional_text("子项", 200), _text_fmt, ("sub_item",)),
        Column("抽查依据", "legal_basis", _required_text("抽查依据", 2000), _text_fmt,
               ("legal_basis",), True),
        Column("抽查主体", "enforcing_dept", _optional_text("抽查主体", 64), _text_fmt,
               ("enforcing_dept",)),
        Column("适用行业", "industries",
               _nonempty_list("适用行业", partial(c.parse_enum_list, Industry)),
               partial(c.fmt_enum_list, Industry), ("industries", "抽查对象"), True),
        Column("抽查内容", "content", _optional_text("抽查内容", 2000), _text_fmt, ("content",)),
        Column("抽查方式", "methods", partial(c.parse_enum_list, CheckMethod),
               partial(c.fmt_enum_list, CheckMethod), ("methods",)),
        Column("事项类别", "category", _enum(ItemCategory, required=True), _fmt(ItemCategory),
               ("category",), True),
        Column("法律责任", "liability", _optional_text("法律责任", 2000), _text_fmt,
               ("liability",)),
    ),
)

SPECS: dict[str, RegistrySpec] = {s.kind: s for s in (ENTERPRISES, INSPECTORS, EXPERTS, ITEMS)}
