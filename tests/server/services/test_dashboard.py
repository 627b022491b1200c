"""The dashboard's figures on a small known data set (must-show 4).

Every number below is counted by hand from the rows this file creates.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from server.extensions import db
from server.models import Case, CaseHazard, DrawRecord, Plan, PublicationResult, Task, Visit
from server.services.dashboard import build_dashboard, uses_credit_classes
from shared.enums import Role
from tests.server import factories

TODAY = date(2026, 6, 1)


def _task(plan, no, ratio, dept, joint=()):
    task = Task(task_no=no, plan=plan, name=no, draw_type="directed", ratio=ratio,
                department=dept, joint_departments=list(joint), window_start=date(2026, 3, 1),
                window_end=date(2026, 6, 30), status="drawn")
    db.session.add(task)
    db.session.flush()
    return task


def _record(task, when, kind="draw"):
    rec = DrawRecord(task_id=task.id, kind=kind, actor="t", created_at=when, seed="0" * 64,
                     seed_commitment="1" * 64, pool_hash="2" * 64, algorithm_version="t",
                     pool_size=1, record_json="{}", result={})
    db.session.add(rec)
    db.session.flush()
    return rec


def _visit(task, rec, ent, when, joint=(), current=True):
    v = Visit(task_id=task.id, draw_record_id=rec.id, enterprise_id=ent.id, created_at=when,
              joint_task_nos=list(joint), item_codes=["AQ-01"], current=current)
    db.session.add(v)
    db.session.flush()
    return v


def _case(visit, inspected):
    case = Case(visit_id=visit.id, task_id=visit.task_id, enterprise_id=visit.enterprise_id,
                state="orders_issued", opened_on=inspected, inspected_on=inspected)
    db.session.add(case)
    db.session.flush()
    return case


def _hazard(case, level, status, deadline):
    db.session.add(CaseHazard(case_id=case.id, hazard_uuid=f"h-{case.id}-{level}",
                              description="隐患", level=level, status=status,
                              deadline=deadline))


def _result(visit, inspected, outcome, status, published=None, due=None):
    db.session.add(PublicationResult(
        visit_id=visit.id, task_id=visit.task_id, enterprise_id=visit.enterprise_id,
        enterprise_name="x", uscc="x", inspected_on=inspected, item_codes=["AQ-01"],
        outcome=outcome, status=status, proposed_by="t", published_on=published, due_on=due))


@pytest.fixture
def known(ctx):
    coal = [factories.make_enterprise(industry="coal_mine") for _ in range(2)]
    factories.make_enterprise(industry="coal_mine", status="closed")  # not counted
    trade = [factories.make_enterprise(industry="hazchem_trading") for _ in range(3)]
    plan = Plan(plan_no="P2026", name="2026年度计划", year=2026, status="published")
    db.session.add(plan)
    t1 = _task(plan, "T1", "A:3%;B:5%;C:20%;D:100%", "执法监察科")
    t2 = _task(plan, "T2", "20%", "危化品监管股", joint=["消防大队"])
    t3 = _task(plan, "T3", "A:10%;D:100%", "危化品监管股")
    r1 = _record(t1, datetime(2026, 3, 3))
    _record(t1, datetime(2026, 3, 9), kind="redraw")  # same task: not a second draw
    r2 = _record(t2, datetime(2026, 4, 2))
    _record(t3, datetime(2026, 4, 20))
    march, april = datetime(2026, 3, 3), datetime(2026, 4, 2)
    v1 = _visit(t1, r1, coal[0], march)
    v2 = _visit(t1, r1, coal[1], march)
    _visit(t1, r1, trade[0], march, joint=["T1", "T2"])
    _visit(t1, r1, trade[2], march, current=False)  # replaced by the redraw
    v4 = _visit(t2, r2, trade[0], april)
    v5 = _visit(t2, r2, trade[1], april)
    # A 复查 of coal[0] (assigned after a finding, not drawn): no campaign, no joint share.
    fc = _task(plan, "T1-FC", "100%", "执法监察科")
    fc.rules = {"reinspection_of": "T1"}
    _visit(fc, _record(fc, datetime(2026, 3, 20), kind="reinspection"), coal[0],
           datetime(2026, 3, 20))
    _result(v1, date(2026, 3, 2), "no_problem", "approved", date(2026, 3, 20), date(2026, 3, 30))
    _result(v2, date(2026, 3, 10), "corrected", "approved", date(2026, 4, 10), date(2026, 4, 8))
    _result(v4, date(2026, 4, 1), "pending", "pending")  # 20 working days passed by 6-1
    _result(v5, date(2026, 5, 29), "penalty", "pending")  # still within its deadline
    c1 = _case(v1, date(2026, 3, 2))
    _hazard(c1, "general", "open", date(2026, 4, 1))  # deadline passed on 6-1: overdue
    _hazard(c1, "major", "rectified", date(2026, 4, 1))
    c2 = _case(v4, date(2026, 4, 1))
    _hazard(c2, "general", "open", date(2026, 7, 1))  # open, not yet due
    db.session.commit()
    return build_dashboard(2026, TODAY)


def _rates(rates):
    return {k: (r.numerator, r.denominator) for k, r in rates.items()}


def test_reinspection_tasks_are_not_public_draw_tasks(known):
    from server.services.publication import public_tasks

    assert sorted(t["task_no"] for t in public_tasks(TODAY)) == ["T1", "T2", "T3"]


def test_credit_class_share(known):
    # T1 and T3 use per-class ratios, T2 does not; T1's redraw is not another draw.
    assert (known.credit.total.numerator, known.credit.total.denominator) == (2, 3)
    assert known.credit.total.value == pytest.approx(2 / 3)
    assert known.credit.met is False  # target ≥ 90%
    assert _rates(known.credit.by_month) == {"2026-03": (1, 1), "2026-04": (1, 2)}
    assert _rates(known.credit.by_department) == {"执法监察科": (1, 1), "危化品监管股": (1, 2)}


def test_joint_share(known):
    # Current visits: 3 of T1 (one merged with T2) + 2 of T2 (joint departments).
    assert (known.joint.total.numerator, known.joint.total.denominator) == (3, 5)
    assert known.joint.met is True  # target ≥ 20%
    assert _rates(known.joint.by_month) == {"2026-03": (1, 3), "2026-04": (2, 2)}
    assert _rates(known.joint.by_department) == {"执法监察科": (1, 3), "危化品监管股": (2, 2)}


def test_published_on_time(known):
    # On time: v1. Late: v2 (published after due), v4 (pending past its deadline).
    # v5 is pending but not yet due: not counted.
    assert (known.on_time.total.numerator, known.on_time.total.denominator) == (1, 3)
    assert _rates(known.on_time.by_month) == {"2026-03": (1, 2), "2026-04": (0, 1)}
    assert _rates(known.on_time.by_department) == {"执法监察科": (1, 2), "危化品监管股": (0, 1)}


def test_key_industry_coverage(known):
    rows = {c.industry: (c.enterprises, c.covered, c.campaigns) for c in known.coverage}
    assert rows["煤矿"] == (2, 2, 1)  # the closed mine is not in the denominator
    assert rows["危险化学品经营"] == (3, 2, 2)  # trade[2]'s visit was replaced
    assert rows["烟花爆竹"] == (0, 0, 0)


def test_findings_and_follow_ups(known):
    assert known.findings_total == {"未发现问题": 1, "发现问题已责令改正": 1,
                                    "发现问题待后续处理": 1, "立案查处": 1}
    assert known.findings_by_month["2026-03"]["未发现问题"] == 1
    assert known.findings_by_month["2026-05"]["立案查处"] == 1



def test_hazards_by_level_and_overdue_follow_ups(known):
    assert known.hazards_by_month == {"2026-03": {"一般": 1, "重大": 1},
                                      "2026-04": {"一般": 1, "重大": 0}}
    assert known.hazards_by_department == {"执法监察科": {"一般": 1, "重大": 1},
                                           "危化品监管股": {"一般": 1, "重大": 0}}
    assert known.follow_ups_open == 2
    assert known.follow_ups_overdue == 1
    assert known.follow_ups_overdue_by_department == {"执法监察科": 1}


@pytest.mark.parametrize("ratio, uses", [("20%", False), ("A:3%;B:5%;C:20%;D:100%", True),
                                         ("not a ratio", False)])
def test_uses_credit_classes(ratio, uses):
    assert uses_credit_classes(ratio) is uses


def test_dashboard_page_draws_the_figures_as_inline_svg(known, app, client):
    with app.app_context():
        factories.make_user(Role.DISPATCHER, username="boss", password="password123")
    client.get("/console/login")
    with client.session_transaction() as s:
        token = s["csrf"]
    client.post("/console/login", data={"username": "boss", "password": "password123",
                                        "csrf_token": token})
    html = client.get("/console/dashboard?year=2026").get_data(as_text=True)
    assert html.count("<svg") >= 7 and "<script" not in html
    assert "67%" in html and "2/3" in html  # credit share
    assert "60%" in html and "3/5" in html  # joint share
    assert "目标 90%" in html and "目标 20%" in html and "目标 100%" in html


def test_a_draw_just_after_midnight_beijing_counts_in_the_bureaus_month(ctx):
    # 2026-04-30 16:30 UTC is 2026-05-01 00:30 in Asia/Shanghai: a May draw.
    plan = Plan(plan_no="P2026", name="2026年度计划", year=2026, status="published")
    db.session.add(plan)
    task = _task(plan, "T1", "A:3%;B:5%;C:20%;D:100%", "执法监察科")
    when = datetime(2026, 4, 30, 16, 30)
    _visit(task, _record(task, when), factories.make_enterprise(industry="coal_mine"), when)
    db.session.commit()
    board = build_dashboard(2026, TODAY)
    assert list(board.credit.by_month) == ["2026-05"]
    assert list(board.joint.by_month) == ["2026-05"]
