"""A task whose 抽查时间 has ended is not dispatched – its last day counts in the
bureau's zone (Asia/Shanghai), not in UTC – and the refusal changes nothing,
whether it comes through the service, the API, the CLI or the console."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Dispatch, DispatchEvent, Visit
from server.services.dispatch import DispatchError, dispatch_task
from shared.enums import Role
from tests.server import factories as f

from .conftest import csrf

time_machine = pytest.importorskip("time_machine")

LAST_DAY = date(2031, 5, 31)
ENDED = "抽查时间已于2031-05-31结束，不能再派发"


def _bj(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A Beijing wall-clock time as the UTC instant the clock is set to."""
    return datetime(day.year, day.month, day.day, hour, minute, second,
                    tzinfo=UTC) - timedelta(hours=8)


def _task():
    task = f.make_sync_task(window_start=date(2031, 5, 1), window_end=LAST_DAY)
    return task, f.make_sync_visit(task)


def _untouched(visit_id: int) -> None:
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispatch)
                             .where(Dispatch.visit_id == visit_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DispatchEvent)
                             .where(DispatchEvent.visit_id == visit_id)) == 0
    assert db.session.get(Visit, visit_id).status == "drawn"


def test_the_last_day_counts_until_midnight_in_beijing(ctx):
    on_time, v1 = _task()
    late, v2 = _task()
    # 23:59:59 in Beijing on the last day (15:59:59 UTC): still inside the window.
    with time_machine.travel(_bj(LAST_DAY, 23, 59, 59), tick=False):
        assert dispatch_task(on_time.task_no, "调度员").dispatched == [v1.id]
    # One second later it is 1 June in Beijing, though still 31 May in UTC.
    moment = _bj(LAST_DAY + timedelta(days=1), 0, 0, 0)
    assert moment.date() == LAST_DAY  # the UTC day alone would let it through
    with time_machine.travel(moment, tick=False), pytest.raises(DispatchError) as err:
        dispatch_task(late.task_no, "调度员")
    assert err.value.status == 409 and ENDED in err.value.message
    _untouched(v2.id)


def test_a_task_is_dispatched_before_its_window_opens(ctx):
    # The notice goes out ahead of the visit: an early dispatch is normal work.
    task, visit = _task()
    with time_machine.travel(_bj(date(2031, 4, 20), 9), tick=False):
        assert dispatch_task(task.task_no, "调度员").dispatched == [visit.id]


def test_an_ended_task_already_sent_is_not_sent_again(ctx):
    # Re-dispatch after a withdrawal is a dispatch too: refused once the window ended.
    from server.services.dispatch import withdraw_visit

    task, visit = _task()
    with time_machine.travel(_bj(LAST_DAY, 10), tick=False):
        dispatch_task(task.task_no, "调度员")
        withdraw_visit(visit.id, "调度员", "企业停产")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(DispatchEvent))
    with time_machine.travel(_bj(LAST_DAY + timedelta(days=1), 0, 30), tick=False), \
            pytest.raises(DispatchError, match=ENDED):
        dispatch_task(task.task_no, "调度员")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DispatchEvent)) == before
    d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == visit.id))
    assert d.withdrawn_at is not None


def test_api_cli_and_console_refuse_with_the_reason(ctx, client, runner, login):
    task, visit = _task()
    with time_machine.travel(_bj(LAST_DAY + timedelta(days=1), 8), tick=False):
        headers = {"Authorization": f"Bearer {f.make_token(Role.DISPATCHER)}"}
        resp = client.post(f"/api/v1/tasks/{task.task_no}/dispatch", headers=headers)
        assert resp.status_code == 409 and ENDED in resp.json["message"]
        out = runner.invoke(args=["dispatch", task.task_no])
        assert out.exit_code != 0 and ENDED in out.output
        login(Role.DISPATCHER)
        # The task page offers no 派发 button but the reason; the confirmation page
        # refuses; a POST sent from the task page anyway comes back with the reason.
        page = client.get(f"/console/tasks/{task.task_no}").get_data(as_text=True)
        assert 'id="dispatch-ended"' in page and 'id="dispatch"' not in page
        resp = client.get(f"/console/tasks/{task.task_no}/dispatch")
        assert resp.status_code == 409 and ENDED in resp.get_data(as_text=True)
        resp = client.post(f"/console/tasks/{task.task_no}/dispatch",
                           data={"csrf_token": csrf(client)}, follow_redirects=True,
                           headers={"Referer": f"http://localhost/console/tasks/{task.task_no}"})
        assert resp.status_code == 200 and ENDED in resp.get_data(as_text=True)
    _untouched(visit.id)
