"""A known bureau for the console, public-page and dashboard tests.

The demo county's registries (imported through the normal importer), a plan
imported from a spreadsheet, published and drawn through the draw service –
one announced task and one unannounced (暗查) task – plus distinctive values in
every field that must never be published.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from server.extensions import db
from server.localtime import bureau_today
from server.models import Enterprise, Expert, Inspector, Task, Visit
from server.services.demo_data import load_demo

OPEN_TASK, SECRET_TASK = "CS-2026-01", "CS-2026-02"
# Markers that must never reach a public page or feed.
PHONE_MARKER = "13987654321"
EXPERT_PHONE_MARKER = "13700001111"
LEGAL_REP_MARKER = "秘密法人甲"
CONTACT_MARKER = "秘密联系人乙"
INSPECTOR_DEPT_MARKER = "人事档案科丙"
CERT_EXPIRY_MARKER = date(2031, 7, 19)

def plan_csv(today: date) -> str:
    """The open task's window contains *today*; the 暗查 task's lies ahead of it."""
    open_start, open_end = today - timedelta(days=20), today + timedelta(days=20)
    secret_start, secret_end = today + timedelta(days=10), today + timedelta(days=40)
    return (
    "计划编号,计划名称,任务编号,任务名称,抽查类型,抽查比例,抽查事项,抽查对象范围,发起科室,"
    "联合部门,开始日期,结束日期,每户检查人数,是否暗查\n"
    f"CS-2026,2026年度双随机抽查计划,{OPEN_TASK},危化品经营专项,定向,A:20%;B:20%;C:50%;D:100%,"
    "危化品经营许可,行业领域=危险化学品经营,危化品监管股,消防大队,"
    f"{open_start},{open_end},2,否\n"
    f"CS-2026,2026年度双随机抽查计划,{SECRET_TASK},煤矿暗查暗访,定向,50%,煤矿安全,"
    f"行业领域=煤矿,执法监察科,,{secret_start},{secret_end},2,是\n"
    )


def build(today: date | None = None) -> dict[str, object]:
    """Load the bureau, plant the markers, import/publish/draw the plan."""
    from server.services import draw as draws
    from server.services import plans

    load_demo()
    for e in db.session.execute(sa.select(Enterprise)).scalars():
        e.phone, e.legal_rep, e.contact = PHONE_MARKER, LEGAL_REP_MARKER, CONTACT_MARKER
    for i in db.session.execute(sa.select(Inspector)).scalars():
        i.department, i.cert_expiry = INSPECTOR_DEPT_MARKER, CERT_EXPIRY_MARKER
    for x in db.session.execute(sa.select(Expert)).scalars():
        x.phone = EXPERT_PHONE_MARKER
    # The joint task's departments each need officers on its teams (one of each).
    for k, dept in enumerate(("危化品监管股", "危化品监管股", "消防大队", "消防大队")):
        db.session.add(Inspector(cert_no=f"14042899{k:03d}", name=f"联合检查员{k}",
                                 cert_expiry=CERT_EXPIRY_MARKER, department=dept,
                                 fields=["hazchem_trading"], duty_status="on_duty"))
    db.session.commit()
    plans.import_plans(plan_csv(today or bureau_today()).encode(), "plan.csv", "dispatcher")
    # The demo's street pools are too thin for 龙岗-style composition; any officer will do.
    for task in db.session.execute(sa.select(Task)).scalars():
        task.rules = {"composition": {"street_pool": 0, "bureau_pool": 0},
                      "expert_specialty_match": False}
    db.session.commit()
    plans.publish_plan(plans.get_plan("CS-2026"), "dispatcher")
    records = {no: draws.run_task_draw(no, "dispatcher") for no in (OPEN_TASK, SECRET_TASK)}
    return {"records": {no: r.id for no, r in records.items()}}


def inspected(task_no: str) -> list[Visit]:
    """The task's visits, marked as inspected (a result may only be proposed then)."""
    rows = visits(task_no)
    for v in rows:
        v.status = "inspected"
    db.session.commit()
    return rows


def visits(task_no: str) -> list[Visit]:
    task = db.session.execute(sa.select(Task).filter_by(task_no=task_no)).scalar_one()
    return list(db.session.execute(sa.select(Visit).where(
        Visit.task_id == task.id, Visit.current.is_(True)).order_by(Visit.id)).scalars())
