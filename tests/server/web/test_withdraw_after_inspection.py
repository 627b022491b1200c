"""Outside test finding 6: 撤回 on an archived, published case said 已撤回 and the
visit left the dispatch list, while the case stayed 已归档 with no event.

A withdrawal takes back what has not happened yet. Once the inspection took place
the withdrawal is refused in Chinese and changes nothing (dispatch, case, its
events, the published result), on the console and the API; the console no
longer offers 撤回 for such a visit."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Dispatch
from server.models.case import Case, CaseEvent
from server.services.sync import visit_code
from shared.enums import Role
from tests.server.services import test_cases_support as support
from tests.server.web.conftest import csrf


def test_an_archived_visit_cannot_be_withdrawn(app, client, login):
    with app.app_context():
        case_id = support.closed_case(client, photos=1, archive=True)
        case = db.session.get(Case, case_id)
        visit_id, before = case.visit_id, (case.state, len(case.events))
        assert case.state == "archived"
        headers = support.staff(Role.DISPATCHER)
        db.session.remove()

    resp = client.post(f"/api/v1/visits/{visit_code(visit_id)}/withdraw",
                       headers=headers, json={"reason": "误操作"})
    assert resp.status_code == 409
    message = resp.get_json()["message"]
    assert "已归档" in message and "不能撤回" in message

    login(Role.DISPATCHER)
    page = client.post(f"/console/visits/{visit_id}/withdraw", data={
        "reason": "误操作", "csrf_token": csrf(client)}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "不能撤回派发" in text and "已撤回该检查对象" not in text
    listing = client.get("/console/dispatch?withdrawn=all").get_data(as_text=True)
    assert f"/console/visits/{visit_id}/withdraw" not in listing  # 撤回 not offered

    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.state, len(case.events)) == before
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.action == "withdraw"))
        d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == visit_id))
        assert d.withdrawn_at is None
