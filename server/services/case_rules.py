"""What a case step must satisfy before it is taken: dates a person gives are
possible, a case closes with no open hazard, an escalation names where it goes.
The console and the API both reach these through ``cases.act``/``cases.review``."""

from __future__ import annotations

from typing import Any

from ..models.case import Case
from . import dispatch, followup
from .followup import FollowupError as CaseError


def check_dates(case: Case, params: dict[str, Any]) -> None:
    """A date a person gives must be possible – the same rule for the console and
    the API, which both come here: a 下达日期 or 企业报告日期 not in the future and
    not before the inspection it follows, a 复查期限 not in the past (bureau
    calendar days). An order's date against its 文号 is checked where it is
    numbered (``case_documents.store``)."""
    day = dispatch.today()
    reported, due = params.get("reported_on"), params.get("due_on")
    issued = params.get("issued_on")
    for on, what in ((issued, "整改指令下达日期"), (reported, "企业报告日期")):
        if on and on > day:
            raise CaseError(422, f"{what}{on}不能晚于今天（{day}），未作更改")
        if on and case.inspected_on and on < case.inspected_on:
            raise CaseError(422, f"{what}{on}不能早于检查日期{case.inspected_on}，未作更改")
    if due and due < day:
        raise CaseError(422, f"复查期限{due}不能早于今天（{day}），未作更改")


def check(case: Case, action: str, params: dict[str, Any]) -> None:
    if action == "close":
        left = followup.open_hazards(case)
        if left:
            raise CaseError(409, f"尚有{len(left)}项隐患未整改，不能销号")
    if action == "escalate":
        if params.get("to") not in ("penalty", "transfer"):
            raise CaseError(422, "转办去向应为penalty（立案处罚）或transfer（移送）")
        if params["to"] == "transfer" and not (params.get("transfer_to") or "").strip():
            raise CaseError(422, "移送须写明移送机关")
