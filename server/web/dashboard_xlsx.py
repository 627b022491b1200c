"""The dashboard as a workbook (年度统计/总结): one sheet per table, numbers as
numbers so the bureau's own year-end report can sum and chart them."""

from __future__ import annotations

import io

from openpyxl import Workbook

from ..services.dashboard import Dashboard, Metric
from ..sheets import append


def _share(value: float | None):
    return "" if value is None else round(value, 4)


def workbook(d: Dashboard) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "指标"
    append(summary, [f"{d.year}年 双随机、一公开工作指标", "", "", "", ""])
    append(summary, ["指标", "分子", "分母", "比例", "目标"])
    metrics: list[Metric] = [d.credit, d.joint, d.on_time]
    for m in metrics:
        append(summary, [m.label, m.total.numerator, m.total.denominator,
                        _share(m.total.value), m.target])
    append(summary, ["后续处置逾期（件）", d.follow_ups_overdue, "", "", 0])
    append(summary, ["未销号隐患（项）", d.follow_ups_open, "", "", ""])
    for title, attr in (("按月", "by_month"), ("按科室", "by_department")):
        sheet = book.create_sheet(title)
        append(sheet, ["指标", "月份" if attr == "by_month" else "科室", "分子", "分母", "比例"])
        for m in metrics:
            for key, rate in getattr(m, attr).items():
                append(sheet, [m.label, key, rate.numerator, rate.denominator,
                              _share(rate.value)])
    cover = book.create_sheet("重点行业覆盖")
    append(cover, ["行业", "在册企业", "已抽查", "覆盖率", "专项任务数"])
    for c in d.coverage:
        append(cover, [c.industry, c.enterprises, c.covered, _share(c.value), c.campaigns])
    results = book.create_sheet("检查结果")
    labels = list(d.findings_total)
    append(results, ["月份", *labels])
    for month, counts in d.findings_by_month.items():
        append(results, [month, *[counts.get(k, 0) for k in labels]])
    append(results, ["合计", *[d.findings_total[k] for k in labels]])
    hazards = book.create_sheet("隐患")
    levels = sorted({k for c in d.hazards_by_month.values() for k in c})
    hazards.append(["月份", *levels])
    for month, counts in d.hazards_by_month.items():
        hazards.append([month, *[counts.get(k, 0) for k in levels]])
    hazards.append([])
    hazards.append(["科室", *levels])
    for dept, counts in d.hazards_by_department.items():
        hazards.append([dept, *[counts.get(k, 0) for k in levels]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
