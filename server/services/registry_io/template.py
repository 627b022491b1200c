"""A blank registry spreadsheet to fill in: the headers the importer reads,
code columns already formatted as text, and a sheet explaining each column."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

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

from . import cells as c
from .specs import SPECS

_CHOICES = {"industry": Industry, "fields": Industry, "industries": Industry, "scale": Scale,
            "risk_level": RiskLevel, "credit_class": CreditClass, "status": EnterpriseStatus,
            "duty_status": DutyStatus, "category": ItemCategory, "methods": CheckMethod}
_LISTS = {"fields", "industries", "methods", "special_work", "registries", "conflicts"}
# Columns whose values are codes or numbers that must stay text (a number
# cell loses the last digits of an 18-digit code).
_TEXT = {"uscc", "cert_no", "phone", "license_no", "conflicts", "code"}
TEXT_ROWS = 2000


def _hint(attr: str, fmt) -> str:
    parts = []
    if attr in _CHOICES:
        parts.append("可填：" + "、".join(m.label for m in _CHOICES[attr]))
    if attr in _LISTS:
        parts.append("多项用“、”分隔")
    if attr in ("uscc", "conflicts"):
        parts.append("18位统一社会信用代码；本列已设为文本格式，请勿改为数字")
    if fmt is c.fmt_date:
        parts.append("日期，如2024-03-01、2024/3/1或2024年3月1日")
    if fmt is c.fmt_bool:
        parts.append("填“是”或“否”")
    return "；".join(parts)


def registry_template(kind: str) -> bytes:
    spec = SPECS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = spec.label
    sheet.append([col.header for col in spec.columns])
    for i, col in enumerate(spec.columns, start=1):
        sheet.cell(1, i).font = Font(bold=True, color="C00000" if col.required else "000000")
        letter = sheet.cell(1, i).column_letter
        sheet.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4)
        if col.attr in _TEXT:
            for row in range(2, TEXT_ROWS + 2):
                sheet.cell(row, i).number_format = "@"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写要求", "也可使用的列名"])
    for col in spec.columns:
        aliases = [a for a in col.aliases if not a.isascii()]
        notes.append([col.header, "必填" if col.required else "", _hint(col.attr, col.fmt),
                      "、".join(aliases)])
    notes.append([])
    notes.append(["说明", "", "第一张工作表的表头（红色为必填列）可以放在标题行之下；"
                  "只导入文件中有的列，没有的列不会改动已有记录。"
                  "导入前会先显示将新增和修改的内容。"])
    for letter, width in zip("ABCD", (18, 10, 60, 30), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
