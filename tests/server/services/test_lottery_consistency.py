"""One lottery draw has one result: two tasks that promised the same 期 must
draw with the same numbers (found by an outside tester: "3 9 1" and "5 0 7"
were both accepted for 福彩3D 第2026322期, and both records verified)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import DrawFreeze
from server.services import draw as svc
from server.services.draw import DrawFailed
from tests.server.services.test_draws_world import make_task, make_world

FROZEN = datetime(2024, 4, 1, 1, 0)  # naive UTC, inside the tasks' window
LOTTERY = {"draw_no": "2024088", "draw_time": datetime(2024, 4, 2, 21, 15)}


def test_a_second_draw_on_the_same_lottery_draw_needs_the_same_numbers(ctx):
    world = make_world(20)
    tasks = [make_task(world.plan, no, rules={"exclude_drawn_in_plan": False})
             for no in ("L-1", "L-2")]
    for task in tasks:
        svc.freeze_task(task.task_no, "clerk", source="lottery", lottery=dict(LOTTERY),
                        now=FROZEN)
    after = FROZEN + timedelta(days=2)
    first = svc.draw_frozen("L-1", "clerk", beacon={"numbers": "3 9 1"}, now=after)
    assert first.id is not None

    with pytest.raises(DrawFailed) as refused:
        svc.draw_frozen("L-2", "clerk", beacon={"numbers": "5 0 7"}, now=after)
    assert refused.value.status == 422
    assert "L-1" in refused.value.message and "3 9 1" in refused.value.message
    assert "冻结仍然有效" in refused.value.message
    pending = db.session.scalar(sa.select(DrawFreeze).where(
        DrawFreeze.task_id == tasks[1].id))
    assert pending.status == "pending" and pending.record_id is None  # nothing drawn or burnt

    second = svc.draw_frozen("L-2", "clerk", beacon={"numbers": "3 9 1"}, now=after)
    assert second.id != first.id
