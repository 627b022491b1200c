"""After escalation: a case turned into 立案处罚 or 移送 is followed to its end.

The case's state stays what the escalation made it (已转立案处罚 / 已移送);
what happened next is appended to its events, with who, when and the paper
that proves it: the 行政处罚决定书 and its execution, or the receiving
authority's 移送回执. The 工作台 lists cases still waiting for these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..extensions import db
from ..models.case import Case
from . import cases
from .followup import FollowupError

DECIDED, EXECUTED, RECEIVED = "penalty_decided", "penalty_executed", "transfer_received"


def progress(case: Case) -> dict[str, Any]:
    """What has been recorded after the escalation, and what is still awaited."""
    done = {e.action: e for e in case.events if e.action in (DECIDED, EXECUTED, RECEIVED)}
    if case.state == "penalty":
        waiting = [label for key, label in ((DECIDED, "行政处罚决定"), (EXECUTED, "处罚执行"))
                   if key not in done]
    elif case.state == "transferred":
        waiting = [] if RECEIVED in done else ["移送回执"]
    else:
        waiting = []
    return {"decided": done.get(DECIDED), "executed": done.get(EXECUTED),
            "received": done.get(RECEIVED), "waiting": waiting}


def _day(value: date | None, case: Case, what: str) -> date:
    today = cases.today()
    if value is None:
        raise FollowupError(422, f"请填写{what}日期")
    if value > today:
        raise FollowupError(422, f"{what}日期{value}不能晚于今天（{today}）")
    if case.closed_on and value < case.closed_on:
        raise FollowupError(422, f"{what}日期{value}不能早于转办日期{case.closed_on}")
    return value


def record(case_id: int, step: str, actor: str, *, on: date | None, number: str = "",
           note: str = "", authority: str = "") -> Case:
    case = cases.writable(cases.get(case_id))
    state = progress(case)
    number, note, authority = number.strip(), note.strip(), authority.strip()
    if step == DECIDED:
        if case.state != "penalty":
            raise FollowupError(409, "只有已转立案处罚的案件才能登记处罚决定")
        if state["decided"]:
            raise FollowupError(409, "处罚决定已登记")
        if not number or not note:
            raise FollowupError(422, "请填写处罚决定书文号和处罚内容")
        day = _day(on, case, "处罚决定")
        reason = f"作出行政处罚决定（{number}）：{note}"
    elif step == EXECUTED:
        if not state["decided"]:
            raise FollowupError(409, "请先登记处罚决定")
        if state["executed"]:
            raise FollowupError(409, "处罚执行情况已登记")
        day = _day(on, case, "执行完毕")
        reason = f"处罚执行完毕{('：' + note) if note else ''}"
    elif step == RECEIVED:
        if case.state != "transferred":
            raise FollowupError(409, "只有已移送的案件才能登记移送回执")
        if state["received"]:
            raise FollowupError(409, "移送回执已登记")
        if not authority:
            raise FollowupError(422, "请填写接收机关")
        day = _day(on, case, "回执")
        reason = f"{authority}出具移送回执{('（' + number + '）') if number else ''}" \
                 f"{('：' + note) if note else ''}"
    else:
        raise FollowupError(422, "未知的登记事项")
    cases.log(case, step, actor, reason, data={"on": day.isoformat(), "number": number,
                                               "authority": authority})
    db.session.commit()
    return case
