"""Lifecycle states are enums in shared/ with Chinese labels, and the code that
stores or shows a state takes it from them (no second list to drift)."""

from __future__ import annotations

import pytest

from shared.lifecycle import (
    VISIT_STATUS_OF_CASE,
    CaseState,
    DrawKind,
    OutboxState,
    PlanStatus,
    ResultStatus,
    TaskStatus,
    VisitStatus,
)

ALL = (PlanStatus, TaskStatus, DrawKind, VisitStatus, CaseState, ResultStatus, OutboxState)


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("enum", ALL, ids=lambda e: e.__name__)
def test_every_state_has_a_chinese_label_and_parses_both_ways(enum):
    for member in enum:
        assert _chinese(member.label), member
        assert enum.parse(member.label) is member and enum.parse(member.value) is member
    assert len({m.label for m in enum}) == len(enum)  # a person can tell them apart


def test_visit_status_follows_every_case_state_after_inspection():
    later = set(CaseState) - {CaseState.DRAWN, CaseState.NOTIFIED, CaseState.INSPECTED,
                              CaseState.CANCELLED}
    assert set(VISIT_STATUS_OF_CASE) == later
    assert set(VISIT_STATUS_OF_CASE.values()) <= set(VisitStatus)


def test_the_users_of_the_states_take_them_from_the_enums():
    from mobile.core.outbox import STATES
    from server.services import cases, plans, publication
    from server.web.console_dispatch import VISIT_STATUS

    assert STATES == tuple(s.value for s in OutboxState)
    assert cases.STATES == {s.value: s.label for s in CaseState}
    assert plans.STATUS_LABELS == {s.value: s.label for s in PlanStatus}
    assert VISIT_STATUS == {s.value: s.label for s in VisitStatus}
    assert publication.DONE_VISIT_STATUSES == set(VisitStatus) - {VisitStatus.DRAWN,
                                                                  VisitStatus.NOTIFIED}
