"""An escalated case is followed to its end: 处罚决定 and execution, or 移送回执."""

from __future__ import annotations

from datetime import date

import pytest

from server.services import cases, escalation
from server.services.followup import FollowupError
from tests.server.services.test_cases_paths import _clock, inspected_case  # noqa: F401

TODAY = date(2024, 3, 4)  # the clock of test_cases_paths


def test_a_penalty_is_decided_then_executed_with_its_dates_checked(ctx, client):
    case = inspected_case(client)
    cases.act(case.id, "escalate", "d", "dispatcher", "拒不整改", to="penalty")
    cases.review(case.id, True, "reviewer1", "同意立案")
    assert escalation.progress(case)["waiting"] == ["行政处罚决定", "处罚执行"]
    with pytest.raises(FollowupError, match="请先登记处罚决定"):
        escalation.record(case.id, escalation.EXECUTED, "d", on=TODAY)
    with pytest.raises(FollowupError, match="不能晚于今天"):
        escalation.record(case.id, escalation.DECIDED, "d", on=date(2030, 1, 1),
                          number="长应急罚〔2024〕3号", note="罚款2万元")
    escalation.record(case.id, escalation.DECIDED, "d", on=TODAY,
                      number="长应急罚〔2024〕3号", note="罚款2万元")
    escalation.record(case.id, escalation.EXECUTED, "d", on=TODAY, note="罚款已缴纳")
    state = escalation.progress(case)
    assert state["waiting"] == [] and "长应急罚〔2024〕3号" in state["decided"].reason
    assert case.state == "penalty" and [e.action for e in case.events][-2:] == [
        "penalty_decided", "penalty_executed"]


def test_a_transfer_waits_for_the_receipt(ctx, client):
    case = inspected_case(client, orders=[
        {"kind": "transfer", "deadline": None, "measures": "", "transfer_to": "县公安局"}])
    cases.act(case.id, "escalate", "d", "dispatcher", "涉嫌犯罪", to="transfer",
              transfer_to="县公安局")
    cases.review(case.id, True, "reviewer1", "同意移送")
    assert escalation.progress(case)["waiting"] == ["移送回执"]
    with pytest.raises(FollowupError, match="接收机关"):
        escalation.record(case.id, escalation.RECEIVED, "d", on=TODAY)
    escalation.record(case.id, escalation.RECEIVED, "d", on=TODAY, authority="县公安局",
                      number="长公受〔2024〕8号")
    assert escalation.progress(case)["waiting"] == []
    with pytest.raises(FollowupError, match="已登记"):
        escalation.record(case.id, escalation.RECEIVED, "d", on=TODAY, authority="县公安局")
