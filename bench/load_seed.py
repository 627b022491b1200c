"""Seed for bench/load_tablets.py: inspector accounts ``tablet<i>`` and one dispatched
task whose visits are led by tablet i (tablet i+1 second member), on any database URL."""

from __future__ import annotations

PASSWORD = "tablet-pass-1"


def seed(db_url: str, evidence: str, tablets: int, visits_per_tablet: int) -> None:
    from server import TestConfig, create_app
    from server.extensions import db
    from server.models import DrawRecord, Enterprise, Visit, VisitMember
    from server.services.dispatch import dispatch_task
    from shared.enums import Role
    from tests.server import factories as f

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=db_url, EVIDENCE_DIR=evidence)
    app = create_app(config)
    codes = ("WH-01", "WH-02", "WH-03")
    with app.app_context():
        version = f.make_item_version(codes)
        inspectors = [f.make_inspector(name=f"检查员{i}") for i in range(tablets)]
        for i, insp in enumerate(inspectors):
            f.make_user(Role.INSPECTOR, inspector=insp, username=f"tablet{i}",
                        password=PASSWORD)
        task = f.make_sync_task()
        draw = db.session.scalar(db.select(DrawRecord).where(DrawRecord.task_id == task.id))
        n = 0
        for i in range(tablets):
            for _ in range(visits_per_tablet):
                n += 1
                ent = Enterprise(uscc=f.uscc(), name=f"压测企业{n}有限公司",
                                 industry="industry_trade", street="丹朱镇", scale="small",
                                 risk_level="general", status="active", special_work=[],
                                 registries=[])
                db.session.add(ent)
                db.session.flush()
                visit = Visit(task_id=task.id, draw_record_id=draw.id, enterprise_id=ent.id,
                              item_version=version.number, item_codes=list(codes))
                visit.members.append(VisitMember(inspector_id=inspectors[i].id, leader=True))
                visit.members.append(VisitMember(
                    inspector_id=inspectors[(i + 1) % tablets].id, leader=False))
                db.session.add(visit)
        db.session.commit()
        dispatch_task(task.task_no, "load")
        db.session.remove()
        db.engine.dispose()
