"""Rules that work for real counties: no 一级库, specialties as written, joint visits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, Expert, Inspector, Plan, Visit
from server.services import draw as svc
from server.services.draw.policy import LONGGANG_COMPOSITION
from server.services.plans import PlanError
from tests.server.factories import make_enterprise, make_inspector
from tests.server.services.draw_ceremony_helpers import draw_after, freeze_before
from tests.server.services.test_draws_world import INDUSTRIES, make_items, make_task

TOWNS = ("丹朱镇", "鲍店镇", "石哲镇")


def _county(n: int = 12, *, bureau: int = 0, industry: str = "industry_trade") -> Plan:
    """A county whose officers all belong to a 属地 (plus *bureau* without one)."""
    make_items()
    for i in range(n):
        make_enterprise(industry=industry, street=TOWNS[i % 3], credit_class="ABCD"[i % 4])
    for town in TOWNS:
        for _ in range(2):
            make_inspector(street=town, fields=INDUSTRIES)
    for _ in range(bureau):
        make_inspector(street=None, fields=INDUSTRIES)
    plan = Plan(plan_no="P-2024", name="计划", year=2024, status="published", change_log=[])
    db.session.add(plan)
    db.session.commit()
    return plan


def test_a_county_with_no_bureau_pool_draws_with_the_defaults(ctx):
    plan = _county()
    make_task(plan, "T1", ratio="50%")
    assert svc.effective_rules({})["composition"] == {"street_pool": 0, "bureau_pool": 0}
    freeze_before("T1")
    rec = draw_after("T1")
    assert len(rec.result["visits"]) == 6


def test_longgang_composition_is_a_switch_and_is_checked_at_the_freeze(ctx):
    plan = _county()
    make_task(plan, "T1", ratio="50%")
    svc.set_rules("T1", {"composition": LONGGANG_COMPOSITION}, "clerk", "采用龙岗式组队")
    plan.status = "published"  # the change re-opened the plan; publish it again
    db.session.commit()
    with pytest.raises(svc.FreezeRefused) as refused:
        freeze_before("T1")
    assert len(refused.value.problems) == 12  # every enterprise, not the first drawn
    assert {p["rule"] for p in refused.value.problems} == {"组队规则（局一级库）"}
    with pytest.raises(PlanError, match="必须说明理由"):
        svc.set_rules("T1", {"composition": None}, "clerk", "")


def test_a_county_with_a_bureau_pool_draws_longgang_style(ctx):
    plan = _county(bureau=2)
    make_task(plan, "T1", ratio="50%", rules={"composition": LONGGANG_COMPOSITION})
    freeze_before("T1")
    rec = draw_after("T1")
    streets = {o.cert_no: o.street for o in db.session.scalars(sa.select(
        Inspector))}
    for v in rec.result["visits"]:
        assert sum(streets[c] is None for c in v["inspectors"]) >= 1


def test_experts_are_matched_by_specialty_as_written_and_appear_on_the_visit(ctx):
    plan = _county(industry="coal_mine")
    make_task(plan, "T1", ratio="50%", scope="行业领域=煤矿", rules={"experts_required": True})
    db.session.add_all([Expert(name="王煤", specialty="煤矿安全", organization="煤科院"),
                        Expert(name="李尘", specialty="粉尘防爆", organization="安科院")])
    db.session.commit()
    f = freeze_before("T1")
    rec = draw_after("T1")
    record = svc.full_record(rec)
    assert record["snapshot"]["specialty_map"]["煤矿安全"] == ["coal_mine", "coal_washing"]
    wang = str(db.session.scalar(sa.select(Expert.id).filter_by(name="王煤")))
    assert all(v["experts"] == [wang] for v in rec.result["visits"])  # never 粉尘防爆
    names = {tuple(v.expert_names) for v in db.session.scalars(
        sa.select(Visit).where(Visit.draw_record_id == rec.id))}
    assert names == {("王煤（煤科院）",)}
    assert f.snapshot_hash == rec.pool_hash


def test_the_bureau_edits_the_specialty_map_and_the_freeze_uses_it(ctx):
    plan = _county(industry="coal_mine")
    make_task(plan, "T1", ratio="50%", scope="行业领域=煤矿", rules={"experts_required": True})
    db.session.add(Expert(name="赵", specialty="通风工程", organization="院"))
    db.session.commit()
    with pytest.raises(svc.FreezeRefused, match="专业涵盖“煤矿”"):
        freeze_before("T1")
    svc.set_specialty("通风工程", ["煤矿"], "clerk")
    assert svc.specialty_map()["通风工程"] == ["coal_mine"]
    freeze_before("T1")
    rec = draw_after("T1")
    assert svc.full_record(rec)["snapshot"]["specialty_map"]["通风工程"] == ["coal_mine"]


def test_a_joint_visit_has_an_officer_of_each_department_and_a_host_department(ctx):
    make_items()
    for i in range(12):
        make_enterprise(industry=("coal_mine", "industry_trade")[i % 2], street="丹朱镇",
                        credit_class="A")
    for _ in range(4):
        make_inspector(street="丹朱镇", fields=INDUSTRIES, department="执法监察科")
    for _ in range(2):
        make_inspector(street="丹朱镇", fields=INDUSTRIES, department="消防大队")
    plan = Plan(plan_no="P-2024", name="计划", year=2024, status="published", change_log=[])
    db.session.add(plan)
    db.session.commit()
    make_task(plan, "T1", ratio="100%", scope="行业领域=煤矿,工贸", department="执法监察科",
              joint_departments=["消防大队"],
              rules={"host_departments": {"煤矿": "煤矿安全监管股"}})
    freeze_before("T1")
    rec = draw_after("T1")
    depts = {o.cert_no: o.department for o in db.session.scalars(sa.select(
        Inspector))}
    industries = {e.uscc: e.industry for e in db.session.scalars(sa.select(
        Enterprise))}
    for v in rec.result["visits"]:
        assert {depts[c] for c in v["inspectors"]} == {"执法监察科", "消防大队"}
        want = "煤矿安全监管股" if industries[v["uscc"]] == "coal_mine" else "执法监察科"
        assert v["host_department"] == want
    stored = db.session.scalars(sa.select(Visit).where(Visit.draw_record_id == rec.id)).all()
    assert {v.host_department for v in stored} == {"煤矿安全监管股", "执法监察科"}


def test_a_joint_task_without_officers_of_a_department_is_refused_at_the_freeze(ctx):
    plan = _county()
    make_task(plan, "T1", ratio="50%", department="执法监察科", joint_departments=["市场监管所"])
    with pytest.raises(svc.FreezeRefused, match="市场监管所") as refused:
        freeze_before("T1")
    assert len(refused.value.problems) == 12


SHEET = ("计划编号,计划名称,任务编号,任务名称,抽查类型,抽查比例,抽查对象范围,发起科室,开始日期,"
         "结束日期,每户检查人数,组队规则,所所交叉,每户年度检查上限,一般事项抽取数,主办科室\n"
         "P9,计划,R1,任务一,定向,20%,行业领域=工贸,执法监察科,2024-04-01,2024-06-30,2,"
         "龙岗,是,2,1,煤矿:煤矿股;工贸:工贸股\n"
         "P9,计划,R2,任务二,定向,20%,行业领域=工贸,执法监察科,2024-04-01,2024-06-30,2,"
         ",,,,\n")


def test_rules_are_set_from_the_plan_spreadsheet(ctx):
    from server.services import plans
    from server.services.registry_io import ImportFailed

    result = plans.import_plans(SHEET.encode(), "plan.csv", "clerk")
    assert result.created == 2
    rules = svc.effective_rules(plans.get_task("R1").rules)
    assert rules["composition"] == LONGGANG_COMPOSITION and rules["recuse_own_street"] is True
    assert rules["yearly_cap"] == 2 and rules["general_items"] == 1
    assert rules["host_departments"] == {"coal_mine": "煤矿股", "industry_trade": "工贸股"}
    assert plans.get_task("R2").rules == {}  # empty cells: the defaults
    again = plans.import_plans(SHEET.encode(), "plan.csv", "clerk")
    assert again.unchanged == 2 and again.updated == 0
    bad = SHEET.replace("龙岗,是,2,1", "随便,也许,0,x")
    with pytest.raises(ImportFailed) as err:
        plans.import_plans(bad.encode(), "plan.csv", "clerk")
    text = "\n".join(err.value.errors)
    assert "第2行" in text and "组队规则" in text and "应填“是”或“否”" in text
    assert plans.get_task("R1").rules["composition"] == LONGGANG_COMPOSITION  # unchanged


def test_drawn_experts_reach_the_tablet_package_and_the_notice(ctx, monkeypatch):
    import io
    from datetime import date

    from pypdf import PdfReader

    from server.documents import render_notice
    from server.documents.data import Enterprise as DocEnterprise
    from server.documents.data import NoticeData, Officer
    from server.services.dispatch import dispatch_task
    from server.services.sync.pull import pull
    from shared.schemas.package import TaskPackageSchema

    plan = _county(3, industry="coal_mine")
    make_task(plan, "T1", ratio="100%", scope="行业领域=煤矿", department="执法监察科",
              rules={"experts_required": True, "host_departments": {"煤矿": "煤矿股"}})
    db.session.add(Expert(name="王煤", specialty="煤矿安全", organization="煤科院"))
    db.session.commit()
    freeze_before("T1")
    rec = draw_after("T1")
    from server.localtime import local_date
    from server.services import dispatch

    # Sent the day of the draw (the real round's day, inside the task's 2024 window).
    monkeypatch.setattr(dispatch, "today", lambda: local_date(rec.created_at))
    dispatch_task("T1", "clerk")
    member = db.session.scalars(sa.select(Inspector).where(
        Inspector.cert_no == rec.result["visits"][0]["inspectors"][0])).one()
    pkg = pull(member.id, None)["packages"][0]
    assert pkg["experts"] == ["王煤（煤科院）"] and pkg["host_department"] == "煤矿股"
    TaskPackageSchema().load(pkg)  # the tablet's schema takes it
    pdf = render_notice(NoticeData(
        bureau_name="示范县应急管理局", number="示应急通〔2023〕1号", issued_on=date(2023, 9, 16),
        enterprise=DocEnterprise(name="某煤矿"), officers=[Officer("执法员", "14040001")],
        task_name="煤矿专项", window_start=date(2023, 9, 1), window_end=date(2023, 10, 31),
        items=["YJ-001"], experts=pkg["experts"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "会同专家王煤（煤科院）" in text.replace("\n", "")
