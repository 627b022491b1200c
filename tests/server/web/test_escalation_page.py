"""The case page follows an escalated case: what is recorded, what is awaited,
and the form for the next step (office roles only)."""

from __future__ import annotations

from datetime import date

from server.services import cases
from shared.enums import Role
from tests.server.services.test_cases_paths import _clock, inspected_case  # noqa: F401
from tests.server.web.conftest import csrf


def test_the_case_page_records_the_penalty_decision(ctx, client, login):
    case = inspected_case(client)
    cases.act(case.id, "escalate", "d", "dispatcher", "拒不整改", to="penalty")
    cases.review(case.id, True, "reviewer1", "同意立案")
    login(Role.ARCHIVIST)
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "尚待登记：行政处罚决定、处罚执行" in page and "escalation-form" not in page
    login(Role.DISPATCHER)
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "escalation-form" in page
    client.post(f"/console/cases/{case.id}/escalation", data={
        "csrf_token": csrf(client), "step": "penalty_decided", "number": "长应急罚〔2024〕3号",
        "note": "罚款2万元", "on": date(2024, 3, 4).isoformat()})
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "长应急罚〔2024〕3号" in page and "尚待登记：处罚执行" in page
