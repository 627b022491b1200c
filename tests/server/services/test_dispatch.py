"""Dispatch: events per inspector, idempotent re-dispatch, redraws, team changes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Dispatch, DispatchEvent, Visit
from server.services.dispatch import DispatchError, dispatch_task, reassign_visit, withdraw_visit
from tests.server import factories as f


def events(inspector=None) -> list[tuple[int, int, int, str]]:
    q = sa.select(DispatchEvent).order_by(DispatchEvent.id)
    if inspector is not None:
        q = q.where(DispatchEvent.inspector_id == inspector.id)
    return [(e.inspector_id, e.seq, e.visit_id, e.kind) for e in db.session.scalars(q)]


def test_dispatch_logs_one_event_per_member_with_per_inspector_sequence(ctx):
    a, b, c = (f.make_inspector() for _ in range(3))
    task = f.make_sync_task()
    v1 = f.make_sync_visit(task, [a, b])
    v2 = f.make_sync_visit(task, [a, c])
    result = dispatch_task(task.task_no, "调度员")
    assert sorted(result.dispatched) == [v1.id, v2.id] and result.events == 4
    assert events(a) == [(a.id, 1, v1.id, "dispatch"), (a.id, 2, v2.id, "dispatch")]
    assert events(b) == [(b.id, 1, v1.id, "dispatch")]
    assert events(c) == [(c.id, 1, v2.id, "dispatch")]
    # Announced: the notice goes out on dispatch and the visit is 已告知.
    d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == v1.id))
    assert d.notice_no.startswith("（示）应急抽通〔") and d.notice_no.endswith("号")
    assert db.session.get(Visit, v1.id).status == "notified"
    numbers = set(db.session.scalars(sa.select(Dispatch.notice_no)))
    assert len(numbers) == 2


def test_dispatching_again_sends_nothing_new(ctx):
    task = f.make_sync_task()
    f.make_sync_visit(task)
    dispatch_task(task.task_no, "x")
    again = dispatch_task(task.task_no, "x")
    assert (again.dispatched, again.withdrawn, again.reassigned, again.events) == ([], [], [], 0)
    assert len(events()) == 2


def test_redraw_withdraws_replaced_visits_and_sends_new_ones(ctx):
    a, b, c, d = (f.make_inspector() for _ in range(4))
    task = f.make_sync_task()
    old = f.make_sync_visit(task, [a, b])
    dispatch_task(task.task_no, "x")
    old.current = False  # what a redraw does to the replaced visit
    new = f.make_sync_visit(task, [c, d])
    result = dispatch_task(task.task_no, "x")
    assert result.withdrawn == [old.id] and result.dispatched == [new.id]
    assert events(a)[-1] == (a.id, 2, old.id, "withdraw")
    assert events(c) == [(c.id, 1, new.id, "dispatch")]


def test_team_change_tells_old_and_new_members(ctx):
    a, b, c = (f.make_inspector() for _ in range(3))
    task = f.make_sync_task()
    v = f.make_sync_visit(task, [a, b])
    dispatch_task(task.task_no, "x")
    assert reassign_visit(v.id, [(a.id, True), (c.id, False)], "x", "李四病假") == 3
    assert events(b)[-1] == (b.id, 2, v.id, "reassign")
    assert events(c) == [(c.id, 1, v.id, "reassign")]
    with pytest.raises(DispatchError):
        reassign_visit(v.id, [(a.id, True)], "x", "一人不能检查")


def test_unannounced_visit_has_no_notice_and_is_not_notified(ctx):
    task = f.make_sync_task(unannounced=True, window_start=date(2031, 5, 1),
                            window_end=date(2031, 5, 31))
    v = f.make_sync_visit(task)
    dispatch_task(task.task_no, "x")
    d = db.session.scalar(sa.select(Dispatch))
    assert (d.notice_no, d.notice_seq, d.notice_sent_on) == (None, None, None)
    assert db.session.get(Visit, v.id).status == "drawn"


def test_withdraw_and_errors(ctx):
    task = f.make_sync_task()
    v = f.make_sync_visit(task)
    with pytest.raises(DispatchError):
        withdraw_visit(v.id, "x", "未派发")
    dispatch_task(task.task_no, "x")
    assert withdraw_visit(v.id, "x", "任务取消") == 2
    with pytest.raises(DispatchError):
        withdraw_visit(v.id, "x", "再次撤回")
    # Dispatching again puts it back.
    assert dispatch_task(task.task_no, "x").dispatched == [v.id]
    with pytest.raises(DispatchError) as err:
        dispatch_task("NO-SUCH", "x")
    assert err.value.status == 404
    empty = f.make_sync_task()
    with pytest.raises(DispatchError, match="尚未抽取"):
        dispatch_task(empty.task_no, "x")


def test_cli_and_api(ctx, runner, client):
    task = f.make_sync_task()
    f.make_sync_visit(task)
    out = runner.invoke(args=["dispatch", task.task_no])
    assert out.exit_code == 0 and "新派发1户" in out.output
    bad = runner.invoke(args=["dispatch", "NO-SUCH"])
    assert bad.exit_code != 0 and "不存在" in bad.output
    task2 = f.make_sync_task()
    v = f.make_sync_visit(task2)
    from shared.enums import Role

    headers = {"Authorization": f"Bearer {f.make_token(Role.DISPATCHER)}"}
    resp = client.post(f"/api/v1/tasks/{task2.task_no}/dispatch", headers=headers)
    assert resp.status_code == 200
    assert resp.json["dispatched"] == [f"V{v.id:06d}"] and resp.json["events"] == 2
    assert client.post("/api/v1/tasks/NO/dispatch", headers=headers).status_code == 404


def test_withdrawing_cancels_the_case_with_the_reason_and_redispatch_reopens_it(ctx):
    from server.models.case import Case

    task = f.make_sync_task()
    v = f.make_sync_visit(task)
    dispatch_task(task.task_no, "x")  # the case moves with the dispatch (case_observe)
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == v.id))
    assert case.state == "notified"
    withdraw_visit(v.id, "调度员甲", "企业已注销")
    db.session.refresh(case)
    last = case.events[-1]
    assert (case.state, last.action, last.actor) == ("cancelled", "withdraw", "调度员甲")
    assert "企业已注销" in last.reason
    dispatch_task(task.task_no, "调度员甲")
    db.session.refresh(case)
    assert (case.state, case.events[-1].action) == ("notified", "notify")


def test_a_withdrawn_visit_is_not_notified_again_by_the_case_step(ctx):
    # The case opened with the draw (issue 16); after the withdrawal the case
    # step, run again by a later dispatch of the task, leaves it cancelled.
    from server.models.case import Case
    from server.services import case_observe

    task = f.make_sync_task()
    v = f.make_sync_visit(task)
    dispatch_task(task.task_no, "x")
    withdraw_visit(v.id, "x", "任务取消")
    case_observe.after_dispatch([v.id])
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == v.id))
    assert case.state == "cancelled"
