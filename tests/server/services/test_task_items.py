"""A task's 抽查事项 binds the draw: from the plan spreadsheet to the tablet package.

Outside finding: the plan named WH-01、WH-02、AQ-11 and each drawn visit got
13–14 items – the imported cell was kept as text and the draw used the whole list.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

from server.extensions import db
from server.models import Enterprise, Inspector, Visit
from server.models.draw import VisitMember
from server.services import task_items
from server.services.dispatch import dispatch_task
from server.services.plans import PlanError, create_task, get_plan, get_task, import_plans
from server.services.registry_io import ImportFailed
from shared.enums import Role
from tests.server import factories as f
from tests.server.services.demo_plan import demo_with_plan, draw, freeze, task_row, xlsx

NAMED = {"WH-01", "WH-02", "AQ-11"}


@pytest.fixture(autouse=True)
def _fresh_caller(app):
    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


def _applicable(codes: set[str], industry: str) -> set[str]:
    from server.models import CheckItem
    rows = db.session.execute(sa.select(CheckItem.code, CheckItem.industries)
                              .where(CheckItem.code.in_(codes))).all()
    return {c for c, inds in rows if not inds or industry in inds}


def test_visits_carry_only_the_items_the_plan_names_up_to_the_tablet(ctx, client):
    demo_with_plan()
    task = get_task("CZ-2026-12-01")
    assert task.item_codes == ["WH-01", "WH-02", "AQ-11"]
    freeze(task.task_no)
    draw(task.task_no)
    visits = db.session.scalars(sa.select(Visit).where(Visit.task_id == task.id,
                                                       Visit.current.is_(True))).all()
    assert len(visits) >= 5
    for v in visits:
        ent = db.session.get(Enterprise, v.enterprise_id)
        assert set(v.item_codes) == _applicable(NAMED, ent.industry), ent.industry
    dispatch_task(task.task_no, "dispatcher")
    member = db.session.scalars(sa.select(VisitMember).where(
        VisitMember.visit_id == visits[0].id)).first()
    inspector = db.session.get(Inspector, member.inspector_id)
    token = f.make_token(Role.INSPECTOR, inspector=inspector, username="tablet-test")
    resp = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.json
    packages = resp.json["packages"]
    assert packages
    for pkg in packages:
        assert {i["code"] for i in pkg["items"]} <= NAMED
    # The public task page names the items the draw used, with what each visit checks.
    page = client.get("/public/tasks/CZ-2026-12-01").get_data(as_text=True)
    assert "WH-01 危险化学品经营许可" in page and "AQ-07" not in page


def test_a_task_without_named_items_says_it_draws_from_the_whole_list(ctx, client):
    demo_with_plan()
    task = get_task("CZ-2026-12-03")
    assert task.item_codes == []
    assert "按随机抽查事项清单" in task_items.describe(task)


def test_an_item_number_not_on_the_list_is_refused_at_import(ctx):
    demo_with_plan()
    bad = [task_row("CZ-2026-12-09", "危化抽查", "5%", "WH-01、WH-99",
                    "行业领域=危险化学品生产")]
    with pytest.raises(ImportFailed) as err:
        import_plans(xlsx(bad), "plan.xlsx", "dispatcher", "补充任务")
    assert "WH-99" in str(err.value.errors) and "事项清单" in str(err.value.errors)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0


def test_items_named_by_the_api_bind_too(ctx):
    demo_with_plan()
    plan = get_plan("CZ-2026-12")
    values = {"task_no": "T-1", "name": "危化抽查", "draw_type": "directed", "ratio": "10%",
              "item_scope": "WH-02；AQ-11", "target_filter": "行业领域=危险化学品生产",
              "window_start": get_task("CZ-2026-12-01").window_start,
              "window_end": get_task("CZ-2026-12-01").window_end, "team_size": 2,
              "unannounced": False}
    task = create_task(plan, values, "dispatcher", "补充任务")
    assert task.item_codes == ["WH-02", "AQ-11"]
    with pytest.raises(PlanError) as err:
        create_task(plan, {**values, "task_no": "T-2", "item_scope": "AQ-11、ZZ-7"},
                    "dispatcher", "补充任务")
    assert err.value.status == 422 and "ZZ-7" in err.value.message
