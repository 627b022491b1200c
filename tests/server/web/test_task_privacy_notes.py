"""Outside finding 3: before drawing, staff read on the task page what the
public will be able to infer about credit classes (spec §15.1) – a class
drawn at 100 %, or a scope naming the class – and nothing for a plain task."""

from __future__ import annotations

from shared.enums import Role
from tests.server.services.test_draws_world import make_task, make_world


def test_the_task_page_says_what_the_public_can_infer(app, client, login):
    with app.app_context():
        world = make_world(12)
        make_task(world.plan, "TF", ratio="A:3%;B:5%;C:20%;D:100%")
        make_task(world.plan, "TD", ratio="20%", scope="行业领域=工贸;信用风险分类=D")
        make_task(world.plan, "TP", ratio="20%")
    login(Role.DISPATCHER)
    full = client.get("/console/tasks/TF").get_data(as_text=True)
    assert 'id="privacy-notes"' in full and "按100%抽取的分类（D）" in full
    assert "未列入名单的企业即可推知不属于该分类" in full
    scoped = client.get("/console/tasks/TD").get_data(as_text=True)
    assert "对象范围含内部分类条件" in scoped and "宜改用分类抽查比例" in scoped
    assert 'id="privacy-notes"' not in client.get("/console/tasks/TP").get_data(as_text=True)
