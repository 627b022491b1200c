"""Must-show 1: the plan tables printed at the end of the 秦皇岛 and 长子 plans,
typed into .xlsx exactly as printed (a title above, their own column names,
prose in the cells), import; after the 计划审核 maps each task to a structured
ratio, filter and items, the plans publish and their tasks draw."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import Workbook

from server.services import draw
from server.services.demo_data import load_demo
from shared.enums import Industry, Role
from tests.server import factories

RATIO = "按照信用风险等级1%-50%的抽查比例不低于3%"
# 市应急管理局2023年度内部联合随机抽查工作计划 (秦皇岛), row by row as printed.
QINHUANGDAO = [
    ["市应急管理局 2023 年度内部联合随机抽查工作计划"],
    ["抽查计划编号", "抽查计划名称", "抽查任务编号", "抽查任务名称", "抽查类型", "抽查比例",
     "抽查事项", "抽查对象范围", "发起科室", "联合大队", "抽查时间"],
    ["2023001", "2023年秦皇岛市安全生产领域内部联合随机抽查001", "001号",
     "2023年秦皇岛市应急管理局安全生产领域第一次内部联合随机抽查", "定向抽查", RATIO,
     "危险化学品及相关企业、安全生产综合", "危险化学品及相关企业", "危险化学品安全监督管理科",
     "执法二大队", "2023 年 5 月至 7 月"],
    ["2023002", "2023年秦皇岛市安全生产领域内部联合随机抽查002", "002号",
     "2023年秦皇岛市应急管理局安全生产领域第二次内部联合随机抽查", "定向 抽查", RATIO,
     "工贸、冶金、安全生产综合", "工贸、冶金相关企业", "工商贸行业安全生产监督管理科",
     "执法三大队", "2023 年 7 月至 9 月"],
    ["2023003", "2023年秦皇岛市安全生产领域内部联合随机抽查003", "003号",
     "2023年秦皇岛市应急管理局安全生产领域第三次内部联合随机抽查", "定向抽查", RATIO,
     "非煤矿山、安全生产综合", "非煤矿山相关企业", "非煤矿山安全监督管理科",
     "执法一大队", "2023 年 9 月至 11 月"],
    ["2023004", "2023年秦皇岛市安全生产领域内部联合随机抽查004", "004号",
     "2023年秦皇岛市应急管理局安全生产领域第四次内部联合随机抽查", "定向抽查", RATIO,
     "安全评价检测服务机构", "安全评价及检验检测机构", "办公室", None, "2023 年 9 月至 11 月"],
    ["2023005", "2023年秦皇岛市安全生产领域内部联合随机抽查005", "005号",
     "2023年秦皇岛市应急管理局安全生产领域第五次内部联合随机抽查", "定向抽查", RATIO,
     "煤矿", "煤矿相关企业", "煤炭安全管理科", None, "2023 年 9 月至 11 月"],
]
# 长子县应急管理局2022年“双随机、一公开”抽查工作计划: no plan or task numbers.
CHANGZI = [
    ["长子县应急管理局2022年“双随机、一公开”抽查工作计划"],
    ["序号", "抽查任务名称", "抽查类型", "抽查事项", "抽查对象范围", "抽查比例", "抽查时间",
     "抽查发起部门"],
    [1, "2022年煤矿企业双随机抽查计划", "定向", "对煤矿企业安全生产的行政检查", "全县煤矿企业",
     "100%", "2022年全年", "长子县应急管理局"],
    [2, "2022年危险化学品生产经营企业双随机抽查计划", "定向",
     "化工企业和危险化学品生产、经营（带仓储设施）企业监督检查", "全县危险化学品生产经营企业",
     "20%", "2022年4月至6月", "长子县应急管理局"],
    [3, "2022年冶金工贸企业双随机抽查计划", "定向", "冶金等工贸企业综合督查检查",
     "全县冶金工贸企业", "10%", "2022年7月至9月", "长子县应急管理局"],
    [4, "2022年洗（储）煤厂双随机抽查计划", "定向",
     "对洗（选）煤厂及配煤型煤加工企业安全生产的行政检查", "全县洗（储）煤厂", "10%",
     "2022年10月至12月", "长子县应急管理局"],
]


ANYONE = {"composition": {"street_pool": 0, "bureau_pool": 0}, "expert_specialty_match": False}


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.active.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[1]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def office(ctx, auth):
    load_demo()  # registries with every industry, inspectors and the item list
    return auth(Role.DISPATCHER)


def _import(client, office, rows, name, **form):
    return client.post("/api/v1/plans/import", headers=office,
                       data={"file": (io.BytesIO(xlsx(rows)), name), **form})


def _review_and_publish(client, office, plan_no, changes=None, rules=None):
    rows = client.get(f"/api/v1/plans/{plan_no}/review", headers=office).json
    refused = client.post(f"/api/v1/plans/{plan_no}/publish", headers=office)
    assert refused.status_code == 409 and "计划审核" in refused.json["message"]
    for row in rows:
        assert row["review"] == "pending"
        body = (changes or {}).get(row["task_no"], {})
        done = client.post(f"/api/v1/tasks/{row['task_no']}/review", headers=office, json=body)
        assert done.status_code == 200, done.json
        assert done.json["printed"]["review"] == "confirmed"
        if rules:
            patched = client.patch(f"/api/v1/tasks/{row['task_no']}", headers=office,
                                   json={"rules": rules})
            assert patched.status_code == 200, patched.json
    published = client.post(f"/api/v1/plans/{plan_no}/publish", headers=office)
    assert published.status_code == 200, published.json
    return rows


def _draw(client, office, task_no):
    """The ceremony on the first day of the task's window, as the bureau held it:
    freeze at 09:00 promising the next day's lottery draw, then draw with it.
    (The plans are of 2022 and 2023: the services take the clock as ``now``.)"""
    task = client.get(f"/api/v1/tasks/{task_no}", headers=office).json
    first_day = date.fromisoformat(task["window_start"])
    frozen_at = datetime.combine(first_day, time(1, 0))  # naive UTC: 09:00 in Beijing
    lottery = {"draw_no": f"{first_day.year}001",
               "draw_time": datetime.combine(first_day + timedelta(days=1), time(21, 15))}
    draw.freeze_task(task_no, "clerk", source="lottery", lottery=lottery, now=frozen_at)
    record = draw.draw_frozen(task_no, "clerk", beacon={"numbers": "03 09 01"},
                              now=frozen_at + timedelta(days=2))
    resp = client.get(f"/api/v1/draws/{record.id}", headers=office)
    assert resp.status_code == 200, resp.json
    return resp.json


QHD_UNITS = ["危险化学品安全监督管理科", "工商贸行业安全生产监督管理科", "非煤矿山安全监督管理科",
             "办公室", "煤炭安全管理科", "执法一大队", "执法二大队", "执法三大队"]


def test_qinhuangdao_plan_table_as_printed(client, office):
    # The city bureau's officers: a joint task (联合大队) needs one of each unit.
    for unit in QHD_UNITS:
        for _ in range(3):
            factories.make_inspector(department=unit, fields=[i.value for i in Industry])
    resp = _import(client, office, QINHUANGDAO, "秦皇岛2023计划表.xlsx")
    assert resp.status_code == 200, resp.json
    assert resp.json["plans_created"] == 5 and resp.json["to_review"] == 5
    task = client.get("/api/v1/tasks/001号", headers=office).json
    assert (task["window_start"], task["window_end"]) == ("2023-05-01", "2023-07-31")
    assert task["draw_type"] == "directed" and task["joint_departments"] == ["执法二大队"]
    assert task["department"] == "危险化学品安全监督管理科"
    assert task["printed"]["columns"]["抽查比例"] == RATIO  # the prose is kept
    assert task["item_scope"] == "危险化学品及相关企业、安全生产综合"
    # A city bureau has no street pools (二级库): teams from anyone, set per task.
    city = ANYONE
    rows = {}
    for plan_no in ("2023001", "2023002", "2023003", "2023004", "2023005"):
        for row in _review_and_publish(client, office, plan_no, rules=city):
            rows[row["task_no"]] = row
    proposals = {no: (r["proposal"]["ratio"], r["proposal"]["target_filter"])
                 for no, r in rows.items()}
    assert proposals == {
        "001号": ("3%", "行业领域=危险化学品生产,危险化学品经营"),
        "002号": ("3%", "行业领域=工贸,冶金"),
        "003号": ("3%", "行业领域=非煤矿山"),
        "004号": ("3%", "行业领域=安全评价检测机构"),
        "005号": ("3%", "行业领域=煤矿"),
    }
    assert any("信用风险等级" in n for n in rows["001号"]["proposal"]["notes"])
    for no, row in rows.items():
        assert row["proposal"]["item_codes"], no
        record = _draw(client, office, no)
        assert record["visits"], no
        for visit in record["visits"]:
            assert set(visit["items"]) <= set(row["proposal"]["item_codes"])


def test_changzi_plan_table_as_printed(client, office):
    refused = _import(client, office, CHANGZI, "长子2022计划表.xlsx")
    assert refused.status_code == 422
    assert "请在导入时填写计划编号" in refused.json["errors"]["rows"][0]
    resp = _import(client, office, CHANGZI, "长子2022计划表.xlsx",
                   plan_no="长子应急发〔2022〕23号")
    assert resp.status_code == 200, resp.json
    assert resp.json["plans_created"] == 1 and resp.json["created"] == 4
    assert resp.json["to_review"] == 4
    plan = client.get("/api/v1/plans/长子应急发〔2022〕23号", headers=office).json
    assert plan["name"] == "长子县应急管理局2022年“双随机、一公开”抽查工作计划"
    first = client.get("/api/v1/tasks/长子应急发〔2022〕23号-01", headers=office).json
    assert (first["window_start"], first["window_end"]) == ("2022-01-01", "2022-12-31")
    assert first["department"] == "长子县应急管理局"
    # The office narrows one proposal in the review (a person decides).  The
    # demo registries have few street pools (二级库) and no coal or chemicals
    # specialists: teams and experts from anyone.
    rows = _review_and_publish(client, office, "长子应急发〔2022〕23号", changes={
        "长子应急发〔2022〕23号-03": {"target_filter": "行业领域=冶金,工贸;规模=大,中"}},
        rules=ANYONE)
    proposals = {r["task_no"][-2:]: (r["proposal"]["ratio"], r["proposal"]["target_filter"])
                 for r in rows}
    assert proposals == {
        "01": ("100%", "行业领域=煤矿"),
        "02": ("20%", "行业领域=危险化学品生产,危险化学品经营"),
        "03": ("10%", "行业领域=工贸,冶金"),
        "04": ("10%", "行业领域=洗选煤"),
    }
    third = client.get("/api/v1/tasks/长子应急发〔2022〕23号-03", headers=office).json
    assert third["target_filter"] == "行业领域=工贸,冶金;规模=大,中"
    for row in rows:
        record = _draw(client, office, row["task_no"])
        assert record["visits"]
    # Importing the same table again changes nothing, the review included.
    again = _import(client, office, CHANGZI, "长子2022计划表.xlsx",
                    plan_no="长子应急发〔2022〕23号")
    assert again.status_code == 200 and again.json["unchanged"] == 4
