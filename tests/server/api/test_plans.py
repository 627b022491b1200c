"""Plans and tasks over the API: import all-or-nothing, change only with a reason, republish."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from server.models import AuditLog, Plan, Task
from shared.enums import Role
from tests.server.test_changzi import PLAN_HEADERS

ROW = ["P-2024", "2024年度计划", "T-01", "煤矿专项", "定向", "20%", "许可", "行业领域=煤矿",
       "执法监察科", "", "2024-04-01", "2024-06-30", 2, "否"]


def upload(rows: list[list], name: str = "plan.xlsx") -> dict:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return {"file": (io.BytesIO(buf.getvalue()), name)}


def with_(**cells) -> list:
    row = list(ROW)
    for header, value in cells.items():
        row[PLAN_HEADERS.index(header)] = value
    return row


@pytest.mark.parametrize(("cells", "reason"), [
    ({"抽查比例": "120%"}, "应大于0且不超过100%"),
    ({"抽查比例": "A:3%;E:5%"}, "不是有效的信用风险分类"),
    ({"抽查对象范围": "行业=煤矿"}, "抽查范围中的字段“行业”无法识别"),
    ({"抽查对象范围": ""}, "定向抽查必须设定抽查对象范围"),
    ({"抽查类型": "不定向"}, "不定向抽查只能按“所属名录库”限定范围"),
    ({"结束日期": "2024-03-01"}, "结束日期早于开始日期"),
    ({"每户检查人数": 1}, "应为不小于2的整数"),
    ({"抽查类型": "随便"}, "不是有效的"),
])
def test_import_rejects_bad_rows_and_changes_nothing(client, auth, count_rows, cells, reason):
    rows = [PLAN_HEADERS, ROW, with_(任务编号="T-02", **cells)]
    resp = client.post("/api/v1/plans/import", data=upload(rows), headers=auth(Role.DISPATCHER),
                       content_type="multipart/form-data")
    assert resp.status_code == 422, resp.json
    assert len(resp.json["errors"]["rows"]) == 1
    row_error = resp.json["errors"]["rows"][0]
    assert row_error.startswith("第3行: ") and reason in row_error
    assert count_rows(Plan) == 0 and count_rows(Task) == 0


def test_import_csv_upserts_by_task_no(client, auth, app):
    text = ",".join(PLAN_HEADERS) + "\n" + ",".join(map(str, ROW)) + "\n"
    headers = auth(Role.DISPATCHER)
    form = "multipart/form-data"
    first = client.post("/api/v1/plans/import", headers=headers, content_type=form,
                        data={"file": (io.BytesIO(text.encode("gb18030")), "plan.csv")})
    assert first.status_code == 200, first.json
    assert first.json["created"] == 1 and first.json["plans_created"] == 1
    again = client.post("/api/v1/plans/import", headers=headers, content_type=form,
                        data={"file": (io.BytesIO(text.replace("20%", "30%").encode()), "p.csv")})
    assert again.json["updated"] == 1
    task = client.get("/api/v1/tasks/T-01", headers=headers).json
    assert task["ratio"] == "30%" and task["draw_type"] == "directed"
    assert task["plan_no"] == "P-2024"
    assert task["effective_rules"]["composition"] == {"street_pool": 0, "bureau_pool": 0}
    assert "seed_secret" not in task
    dup = client.post("/api/v1/plans/import", headers=headers, content_type="multipart/form-data",
                      data=upload([PLAN_HEADERS, ROW, ROW]))
    assert dup.status_code == 422 and "与第2行重复" in dup.json["errors"]["rows"][0]


def test_published_plan_changes_need_a_reason_and_republication(client, auth, app):
    headers = auth(Role.DISPATCHER)
    assert client.post("/api/v1/plans", headers=headers,
                       json={"plan_no": "P1", "name": "计划", "year": 2024}).status_code == 201
    body = {"task_no": "T1", "name": "工贸检查", "draw_type": "directed", "ratio": "10%",
            "target_filter": "行业领域=工贸", "window_start": "2024-04-01",
            "window_end": "2024-05-01", "rules": {"yearly_cap": 2}}
    assert client.post("/api/v1/plans/P1/tasks", headers=headers, json=body).status_code == 201
    bad = client.post("/api/v1/plans/P1/tasks", headers=headers,
                      json={**body, "task_no": "T2", "rules": {"nope": 1}})
    assert bad.status_code == 422 and "未知的抽取规则" in bad.json["message"]
    assert client.post("/api/v1/plans/P1/publish", headers=headers).json["status"] == "published"
    refused = client.patch("/api/v1/tasks/T1", headers=headers, json={"ratio": "20%"})
    assert refused.status_code == 409 and "须说明理由" in refused.json["message"]
    ok = client.patch("/api/v1/tasks/T1", headers=headers,
                      json={"ratio": "20%", "reason": "上级要求提高比例"})
    assert ok.status_code == 200 and ok.json["ratio"] == "20%"
    plan = client.get("/api/v1/plans/P1", headers=headers).json
    assert plan["status"] == "changed" and plan["status_label"] == "已变更待重新发布"
    assert plan["change_log"][-1]["reason"] == "上级要求提高比例"
    assert plan["change_log"][-1]["by"].startswith("dispatcher")
    draw = client.post("/api/v1/tasks/T1/freezes", headers=headers, json={})
    assert draw.status_code == 409 and "重新发布" in draw.json["message"]
    assert client.post("/api/v1/plans/P1/publish", headers=headers).json["status"] == "published"
    listed = client.get("/api/v1/plans?status=published", headers=headers).json
    assert [p["plan_no"] for p in listed] == ["P1"]
    with app.app_context():
        from server.extensions import db
        actions = db.session.scalars(db.select(AuditLog.entity).where(
            AuditLog.entity_key.in_(["P1", "T1"]))).all()
    assert {"plan", "task"} <= set(actions)


def test_inspector_cannot_change_plans(client, auth):
    resp = client.post("/api/v1/plans", headers=auth(Role.INSPECTOR),
                       json={"plan_no": "P1", "name": "计划", "year": 2024})
    assert resp.status_code == 403
    assert client.get("/api/v1/plans", headers=auth(Role.REVIEWER)).status_code == 200
