"""The dispatch list's 告知书文号 column sorts by year and number: 〔2026〕9号
before 〔2026〕10号 (as text, 10号…21号 came before 3号…9号)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from server.extensions import db
from server.models import Dispatch
from server.services.dispatch import dispatch_task
from server.services.plans import get_task
from shared.enums import Role
from tests.server.services.demo_plan import demo_with_plan, draw, freeze

TASK = "CZ-2026-12-01"


def test_sort_by_notice_number_is_numeric(ctx, client, login):
    demo_with_plan()
    freeze(TASK)
    draw(TASK)
    dispatch_task(TASK, "dispatcher")
    dispatches = list(db.session.scalars(sa.select(Dispatch).where(
        Dispatch.task_id == get_task(TASK).id).order_by(Dispatch.id)))
    assert len(dispatches) >= 3
    # Renumber as a year's series would have run: 10 before 9 before 2 in id order.
    for i, d in enumerate(dispatches):  # out of the way first: (year, seq) is unique
        d.notice_seq = 1000 + i
    db.session.flush()
    for d, seq in zip(dispatches, (10, 9, 2, *range(30, 30 + len(dispatches))), strict=False):
        d.notice_seq = seq
        d.notice_no = re.sub(r"〔(\d{4})〕\d+号", rf"〔\g<1>〕{seq}号", d.notice_no)
    db.session.commit()
    login(Role.DISPATCHER)
    for sort, expected in (("notice", [2, 9, 10]), ("-notice", [10, 9, 2])):
        page = client.get(f"/console/dispatch?task={TASK}&sort={sort}").get_data(as_text=True)
        shown = [int(n) for n in re.findall(r"〔\d{4}〕(\d+)号", page)]
        assert [n for n in shown if n in (2, 9, 10)] == expected
        assert shown == sorted(shown, reverse=sort.startswith("-"))
