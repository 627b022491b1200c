"""Dashboard rules of issue 17: the joint share counts cross-department work only,
figures belong to the plan's year, each bureau sets its targets, and the year
exports to a workbook."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from server.extensions import db
from server.models import Plan
from server.services.dashboard import build_dashboard
from shared.enums import Role
from tests.server import factories
from tests.server.services.test_dashboard import _record, _task, _visit


def _plan(no: str, year: int) -> Plan:
    plan = Plan(plan_no=no, name=f"{year}年度计划", year=year, status="published")
    db.session.add(plan)
    return plan


def test_merging_tasks_of_one_department_is_not_joint_and_the_plans_year_counts(ctx, app):
    ents = [factories.make_enterprise() for _ in range(3)]
    plan = _plan("P2027", 2027)
    a = _task(plan, "A", "20%", "危化品监管股")
    b = _task(plan, "B", "20%", "危化品监管股")
    c = _task(plan, "C", "20%", "执法监察科")
    december = datetime(2026, 12, 20)  # the 2027 plan, drawn early
    rec = _record(a, december)
    _record(b, december)
    _record(c, december)
    _visit(a, rec, ents[0], december, joint=["A", "B"])  # same department: not joint
    _visit(a, rec, ents[1], december, joint=["A", "C"])  # two departments: joint
    _visit(a, rec, ents[2], december)
    db.session.commit()
    d2027, d2026 = build_dashboard(2027), build_dashboard(2026)
    assert (d2027.joint.total.numerator, d2027.joint.total.denominator) == (1, 3)
    assert d2027.credit.total.denominator == 3 and d2026.credit.total.denominator == 0
    assert d2026.joint.total.denominator == 0
    app.config["TARGET_JOINT"] = 1.0  # 石家庄: every inspection joint
    assert build_dashboard(2027).joint.target == 1.0 and not build_dashboard(2027).joint.met


def test_the_year_exports_as_a_workbook(ctx, client, login):
    plan = _plan("P2026", 2026)
    task = _task(plan, "T", "A:3%;D:100%", "执法监察科")
    rec = _record(task, datetime(2026, 3, 3))
    _visit(task, rec, factories.make_enterprise(), datetime(2026, 3, 3))
    db.session.commit()
    login(Role.DISPATCHER)
    resp = client.get("/console/dashboard.xlsx?year=2026")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["指标", "按月", "按科室", "重点行业覆盖", "检查结果", "隐患"]
    rows = list(book["指标"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:4] == ("抽查使用信用风险分类的比例", 1, 1, 1)
