"""A plan spreadsheet on the demo data, imported, published and drawn (local value).

Shared by the tests of the outside tester's findings: they start where the
tester started – `make run`'s demo registries and a plan typed into Excel.
"""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import Workbook

from server.localtime import bureau_today
from server.services import draw as svc
from server.services.demo_data import load_demo
from server.services.plans import get_plan, import_plans, publish_plan

HEADERS = ["计划编号", "计划名称", "任务编号", "任务名称", "抽查类型", "抽查比例", "抽查事项",
           "抽查对象范围", "发起科室", "联合部门", "开始日期", "结束日期", "每户检查人数",
           "是否暗查"]
PLAN_NO, PLAN_NAME = "CZ-2026-12", "长子县应急管理局2026年12月双随机抽查计划"


def window() -> tuple[str, str]:
    today = bureau_today()
    return today.isoformat(), (today + timedelta(days=20)).isoformat()


def task_row(task_no: str, name: str, ratio: str, items: str | None, scope: str | None,
             *, draw_type: str = "定向", unannounced: bool = False) -> list:
    start, end = window()
    return [PLAN_NO, PLAN_NAME, task_no, name, draw_type, ratio, items, scope, "危化品监管股",
            None, start, end, 2, "是" if unannounced else "否"]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["长子县应急管理局2026年12月“双随机、一公开”抽查计划"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# The tester's plan (/work/outside/data/长子县2026年12月抽查计划.xlsx), as typed.
TESTER_ROWS = [
    task_row("CZ-2026-12-01", "危险化学品企业冬季专项抽查", "A:3%;B:5%;C:20%;D:100%",
             "WH-01、WH-02、AQ-11", "行业领域=危险化学品生产,危险化学品经营"),
    task_row("CZ-2026-12-02", "烟花爆竹经营单位春节前暗查", "50%", "YH-01、AQ-18",
             "行业领域=烟花爆竹", unannounced=True),
    task_row("CZ-2026-12-03", "工贸企业不定向抽查", "5%", None, None, draw_type="不定向"),
]


def demo_with_plan(rows: list[list] = TESTER_ROWS) -> None:
    """The demo registries, the plan imported from a spreadsheet and published."""
    load_demo()
    import_plans(xlsx(rows), "长子县2026年12月抽查计划.xlsx", "dispatcher")
    publish_plan(get_plan(PLAN_NO), "dispatcher")


def freeze(task_no: str):
    return svc.freeze_task(task_no, "dispatcher", source="local", demo=True)


def draw(task_no: str):
    return svc.draw_frozen(task_no, "dispatcher", demo=True)
