"""A pending freeze whose promised value cannot be had (an offline server and a
drand round) is replaced from the console: the task page keeps the freeze
form while a freeze waits, the replacement needs a reason, and the voided
freeze stays listed with it (found by an outside tester, who could only do
this from the command line)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from server.extensions import db
from server.models import DrawFreeze
from server.services import plans
from server.services.deadlines import bureau_today
from shared.enums import Role
from tests.server.web import dataset
from tests.server.web.conftest import csrf


def _commitment(html: str) -> str:
    found = re.search(r'id="commitment">([0-9a-f]{64})<', html)
    assert found, html
    return found.group(1)


def test_a_pending_drand_freeze_is_replaced_from_the_console_with_a_reason(ctx, client, login):
    dataset.build(bureau_today())
    login(Role.DISPATCHER)
    task = plans.get_task(dataset.OPEN_TASK)  # drawn once: every new freeze is a redraw
    page = f"/console/tasks/{task.task_no}"
    first = client.post(f"{page}/freeze", data={
        "csrf_token": csrf(client), "kind": "redraw", "reason": "企业停产", "source": "drand"},
        follow_redirects=True).get_data(as_text=True)
    old = _commitment(first)
    # Waiting for the round, the page still offers a new freeze, saying why and at what cost.
    assert 'id="refreeze-hint"' in first and "作废本次冻结并重新冻结" in first
    assert "开奖时间（年-月-日 时:分）" in first

    # Without a reason: refused, the pending freeze stands.
    refused = client.post(f"{page}/freeze", data={
        "csrf_token": csrf(client), "kind": "redraw", "reason": "", "source": "lottery",
        "lottery_draw": "2026322", "lottery_time": "2099-01-01 21:15"},
        headers={"Referer": f"http://localhost{page}"},
        follow_redirects=True).get_data(as_text=True)
    assert "理由" in refused and _commitment(refused) == old

    soon = (datetime.now(UTC) + timedelta(hours=1)).astimezone(
        ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, second=0, microsecond=0)
    html = client.post(f"{page}/freeze", data={
        "csrf_token": csrf(client), "kind": "redraw", "reason": "本机不能上网，改用彩票开奖结果",
        "source": "lottery", "lottery_draw": "2026322",
        "lottery_time": soon.strftime("%Y-%m-%d %H:%M")},
        follow_redirects=True).get_data(as_text=True)
    assert _commitment(html) != old
    freezes = db.session.scalars(sa.select(DrawFreeze).where(
        DrawFreeze.task_id == task.id).order_by(DrawFreeze.id)).all()
    voided = next(f for f in freezes if f.seed_commitment == old)
    assert voided.status == "void" and "本机不能上网" in voided.outcome_reason
    assert freezes[-1].status == "pending" and freezes[-1].beacon["source"] == "lottery"
    # The attempts table, on the console and in public, keeps the voided one with its reason.
    assert "本机不能上网，改用彩票开奖结果" in html
    public = client.get(f"/public/tasks/{task.task_no}").get_data(as_text=True)
    assert "本机不能上网，改用彩票开奖结果" in public
