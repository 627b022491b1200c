"""The draw as a ceremony: freeze, a real future drand round, every attempt public.

Must show 1: after the freeze, editing an enterprise, an officer, an expert, a
rule or the specialty map cannot change the outcome, and the re-roll of the
issue (flag enterprises 需配专家, fail, edit, retry) cannot fail silently.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import DrawFreeze, DrawRecord, Expert, Inspector, Visit
from server.services import draw as svc
from server.services.draw import pools
from server.services.draw.freeze import build_task_snapshot
from server.services.draw.run import _frozen_snapshot
from shared.draw import check_value, snapshot_hash, verify_record_file
from shared.draw.engine import run_draw
from tests.server.services.draw_ceremony_helpers import (
    DEFAULT,
    QUICKNET,
    draw_after,
    freeze_before,
    publication,
)
from tests.server.services.test_draws_world import make_task, make_world


def _expected(freeze: DrawFreeze, rnd: dict) -> dict:
    """What the frozen snapshot must draw with *rnd* – computed before any edit."""
    snap = _frozen_snapshot(freeze)
    randomness = check_value(freeze.beacon, {"source": "drand", "chain": freeze.beacon["chain"],
                                             **rnd}, freeze.frozen_at.isoformat())
    return run_draw(snap, bytes.fromhex(freeze.seed_secret), beacon_randomness=randomness)


def test_freeze_publishes_a_future_round_and_the_draw_uses_it(ctx, tmp_path):
    world = make_world(20)
    make_task(world.plan, "T1", ratio="50%")
    f = freeze_before("T1")
    assert f.beacon["round"] == QUICKNET["round"] and f.status == "pending"
    public = svc.attempts("T1")["attempts"][0]
    assert public["snapshot_hash"] == f.snapshot_hash and public["commitment"] == f.seed_commitment
    assert public["beacon"]["chain_name"] == "quicknet" and "seed" not in public
    early = publication("quicknet", QUICKNET) - timedelta(seconds=2)
    with pytest.raises(svc.DrawFailed, match="尚未公布"):
        svc.draw_frozen("T1", "clerk", beacon=QUICKNET, now=early)
    wrong = {**QUICKNET, "signature": QUICKNET["signature"][:-2] + "00"}
    wrong.pop("randomness")
    with pytest.raises(svc.DrawFailed, match="未通过核验，未抽取"):
        draw_after("T1", wrong)
    assert db.session.get(DrawFreeze, f.id).status == "pending"  # nothing random happened
    expected = _expected(f, QUICKNET)
    rec = draw_after("T1")
    assert rec.result == expected and rec.freeze_id == f.id
    path = tmp_path / "record.json"
    path.write_bytes(svc.export_record(rec))
    assert verify_record_file(path).message == "一致"
    summary = svc.attempts("T1")
    assert [a["status"] for a in summary["attempts"]] == ["drawn"]
    assert summary["attempts"][0]["record_id"] == rec.id and summary["redraws"] == 0


def _edit_enterprise(world, task):
    for e in world.enterprises[:10]:
        e.needs_expert, e.street = True, "鲍店镇"
    db.session.commit()


def _edit_officer(world, task):
    for o in world.bureau[1:]:
        o.duty_status = "leave"
    world.street["丹朱镇"][0].conflicts = [e.uscc for e in world.enterprises]
    db.session.commit()


def _edit_expert(world, task):
    for e in db.session.scalars(sa.select(Expert)):
        e.organization, e.specialty = "另一家单位", "煤矿安全"
    db.session.commit()


def _edit_rule(world, task):
    svc.set_rules(task.task_no, {"composition": {"street_pool": 1, "bureau_pool": 1},
                                 "general_items": 1}, "clerk", "改为龙岗式组队")


def _edit_specialty_map(world, task):
    svc.set_specialty("工贸安全", [], "clerk")


@pytest.mark.parametrize("edit", [_edit_enterprise, _edit_officer, _edit_expert, _edit_rule,
                                  _edit_specialty_map], ids=lambda f: f.__name__[6:])
def test_edits_after_the_freeze_cannot_change_the_outcome(ctx, edit):
    world = make_world(20)
    task = make_task(world.plan, "T1", ratio="50%", rules={"experts_required": True})
    for i in range(3):
        db.session.add(Expert(name=f"专家{i}", specialty="工贸安全", organization=f"院{i}"))
    db.session.commit()
    f = freeze_before("T1")
    expected = _expected(f, QUICKNET)
    edit(world, task)
    db.session.expire_all()
    # The edit is real: the registries as they are now would give another snapshot …
    if edit is not _edit_rule:  # (a rule change re-opens the plan; its snapshot is checked below)
        now_snap, _ids = build_task_snapshot(db.session.get(type(task), task.id))
        assert snapshot_hash(now_snap) != f.snapshot_hash
    # … but the frozen draw reads its freeze.
    rec = draw_after("T1")
    assert rec.result == expected
    assert svc.full_record(rec)["pool_hash"] == f.snapshot_hash


def test_the_reported_reroll_is_refused_at_the_freeze_and_leaves_a_public_trail(ctx):
    """The issue's attack: 10 enterprises marked 需配专家 with no matching expert."""
    world = make_world(20)
    task = make_task(world.plan, "T1", ratio="20%", scope="行业领域=工贸")
    db.session.add(Expert(name="煤矿专家", specialty="煤矿安全", organization="某院"))
    protected = world.enterprises[:10]
    for e in protected:
        e.needs_expert = True
    db.session.commit()
    with pytest.raises(svc.FreezeRefused) as refused:
        freeze_before("T1")
    listed = {p["uscc"] for p in refused.value.problems}
    assert listed == {e.uscc for e in protected}  # every one, not the first drawn
    assert all(p["rule"] == "专家库" for p in refused.value.problems)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze)) == 0
    # Fixed before the draw (an expert who covers 工贸), the freeze is accepted …
    db.session.add(Expert(name="工贸专家", specialty="粉尘防爆", organization="某院"))
    db.session.commit()
    f = freeze_before("T1")
    # … and once frozen, the attacker's edit loop changes nothing and cannot retry quietly.
    expected = _expected(f, QUICKNET)
    for e in db.session.scalars(sa.select(Expert)):
        e.organization = "改过的单位"
    db.session.commit()
    rec = draw_after("T1")
    assert rec.result == expected
    with pytest.raises(svc.DrawFailed, match="没有待抽取的冻结"):
        draw_after("T1")
    assert task.status == "drawn"


def test_a_failed_attempt_is_recorded_burns_its_freeze_and_needs_a_reasoned_new_one(ctx):
    world = make_world(20)
    make_task(world.plan, "T1", ratio="50%")
    f = freeze_before("T1")
    path = pools.pool_path(f.snapshot_hash)
    good = bytearray(path.read_bytes())
    good[len(good) // 2] ^= 1
    path.write_bytes(bytes(good))  # something goes wrong after the freeze
    with pytest.raises(svc.DrawFailed, match="已记录并公开") as failed:
        draw_after("T1")
    assert "须重新冻结" in failed.value.message
    db.session.expire_all()
    burnt = db.session.get(DrawFreeze, f.id)
    assert burnt.status == "failed" and "快照哈希不符" in burnt.outcome_reason
    assert burnt.outcome_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DrawRecord)) == 0
    with pytest.raises(svc.DrawFailed, match="没有待抽取的冻结"):
        draw_after("T1")
    path.unlink()
    with pytest.raises(svc.DrawFailed, match="说明理由"):
        freeze_before("T1", DEFAULT, "default")
    again = freeze_before("T1", DEFAULT, "default", reason="对象池文件被改动，重新冻结")
    assert again.seed_commitment != f.seed_commitment  # a commitment is never reused
    assert again.beacon["round"] == DEFAULT["round"]
    rec = draw_after("T1", DEFAULT, "default")
    summary = svc.attempts("T1")
    assert [(a["attempt"], a["status"]) for a in summary["attempts"]] == [
        (f.id, "failed"), (again.id, "drawn")]
    assert summary["failed"] == 1 and summary["draws"] == 1
    assert summary["attempts"][1]["reason"] == "对象池文件被改动，重新冻结"
    assert rec.result["visits"]


def test_a_pending_freeze_is_replaced_only_with_a_reason_and_stays_public(ctx):
    world = make_world(12)
    make_task(world.plan, "T1")
    first = freeze_before("T1")
    with pytest.raises(svc.DrawFailed, match="说明理由"):
        freeze_before("T1", DEFAULT, "default")
    second = freeze_before("T1", DEFAULT, "default", reason="名录库补录了3家企业")
    rows = svc.attempts("T1")["attempts"]
    assert [r["status"] for r in rows] == ["void", "pending"]
    assert rows[0]["outcome_reason"] == "重新冻结：名录库补录了3家企业"
    assert second.seed_commitment != first.seed_commitment


def test_redraw_needs_a_new_freeze_with_a_reason_and_is_counted(ctx):
    world = make_world(12)
    make_task(world.plan, "T1")
    freeze_before("T1")
    first = draw_after("T1")
    with pytest.raises(svc.DrawFailed, match="已抽取"):
        freeze_before("T1", DEFAULT, "default")
    with pytest.raises(svc.DrawFailed, match="理由"):
        freeze_before("T1", DEFAULT, "default", kind="redraw")
    freeze_before("T1", DEFAULT, "default", kind="redraw", reason="组长调离")
    second = draw_after("T1", DEFAULT, "default")
    assert second.parent_id == first.id and second.kind == "redraw"
    assert svc.attempts("T1")["redraws"] == 1
    current = db.session.scalars(sa.select(Visit).where(Visit.current.is_(True))).all()
    assert {v.draw_record_id for v in current} == {second.id}


def test_attempts_are_counted_per_task(ctx):
    # People read 第N次尝试 of this task, whatever other tasks froze before it.
    world = make_world(12)
    # Independent rounds (no 前轮 exclusion), so both may wait frozen at once.
    make_task(world.plan, "T1", rules={"exclude_drawn_in_plan": False})
    make_task(world.plan, "T2", rules={"exclude_drawn_in_plan": False})
    other = freeze_before("T2")
    first = freeze_before("T1")
    assert first.id > other.id
    assert svc.freeze_summary(first)["seq"] == 1
    assert [a["seq"] for a in svc.attempts("T1")["attempts"]] == [1]


def test_a_task_whose_window_has_ended_is_refused(ctx):
    world = make_world(12)
    make_task(world.plan, "T1")  # window 2024-04-01 … 2024-06-30
    from datetime import datetime

    # 2024-06-30 16:00 UTC is already 1 July in Beijing: the last day has ended
    # in the bureau's zone although the UTC day is still the 30th.
    with pytest.raises(svc.DrawFailed, match="抽查时间已于2024-06-30结束"):
        svc.freeze_task("T1", "clerk", now=datetime(2024, 6, 30, 16, 0), source="drand")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze)) == 0
    # At 23:58 in Beijing the last day still counts, but the round promised five
    # minutes ahead is published after midnight: the freeze could never be drawn.
    with pytest.raises(svc.DrawFailed, match="晚于任务T1抽查时间的最后一天2024-06-30"):
        svc.freeze_task("T1", "clerk", now=datetime(2024, 6, 30, 15, 58), source="drand")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze)) == 0
    frozen = svc.freeze_task("T1", "clerk", now=datetime(2024, 6, 30, 15, 50), source="drand")
    assert frozen.status == "pending" and frozen.beacon_due_at < datetime(2024, 6, 30, 16, 0)


def test_a_draw_that_would_select_no_one_is_refused(ctx):
    world = make_world(6)
    make_task(world.plan, "T1", scope="行业领域=煤矿")  # the world has only 工贸
    with pytest.raises(svc.FreezeRefused, match="不会抽中任何检查对象"):
        freeze_before("T1")


def test_freeze_lists_every_infeasible_enterprise_with_its_rule(ctx):
    world = make_world(8)
    make_task(world.plan, "T1", ratio="10%")
    officers = db.session.scalars(sa.select(Inspector)).all()
    conflicted = world.enterprises[:3]
    for o in officers:
        o.conflicts = [e.uscc for e in conflicted]
    db.session.commit()
    with pytest.raises(svc.FreezeRefused) as refused:
        freeze_before("T1")
    assert [p["uscc"] for p in refused.value.problems] == sorted(e.uscc for e in conflicted)
    assert all("利害关系回避" in p["rule"] for p in refused.value.problems)
    assert sorted(p["uscc"] for p in svc.check_task("T1")) == sorted(e.uscc for e in conflicted)


def test_an_old_record_still_verifies():
    """A record of format /1 (drawn before the ceremony existed) still verifies."""
    from shared.draw import build_pool, build_snapshot, draw, verify
    from tests.shared.draw.helpers import enterprise, inspectors, items, task

    rows = [enterprise(i) for i in range(10)]
    eligible, excluded = build_pool(rows, task(), {})
    snap = build_snapshot(task(), {}, eligible, excluded, inspectors(), [], items(), "1")
    snap["format"] = "suicha-snapshot/1"
    for key in ("department", "joint_departments", "departments"):
        snap["task"].pop(key)
    snap["rules"].pop("host_departments")
    snap.pop("specialty_map")
    record = draw(snap, bytes(range(32)))
    assert record["format"] == "suicha-draw-record/1"
    assert verify(record) == (True, None)
    assert "host_department" not in record["result"]["visits"][0]


class _Relay:
    """A drand HTTP relay on loopback serving given rounds (GET /<chain>/public/<round>)."""

    def __init__(self, rounds: dict[str, dict]) -> None:
        import http.server
        import json
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                body = rounds.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body or {}).encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def test_the_round_is_fetched_from_a_relay_and_verified_the_same_way(ctx):
    world = make_world(12)
    make_task(world.plan, "T1")
    f = freeze_before("T1")
    path = f"/{f.beacon['chain']}/public/{QUICKNET['round']}"
    forged = {**QUICKNET, "signature": QUICKNET["signature"][:-4] + "abcd"}
    forged.pop("randomness")
    relay = _Relay({path: forged})
    try:
        ctx.config["DRAND_URLS"] = relay.url
        with pytest.raises(svc.DrawFailed, match="未通过核验，未抽取"):
            svc.draw_frozen("T1", "clerk", now=publication("quicknet", QUICKNET)
                            + timedelta(seconds=30))
        assert db.session.get(DrawFreeze, f.id).status == "pending"
    finally:
        relay.close()
    relay = _Relay({path: QUICKNET})
    try:
        ctx.config["DRAND_URLS"] = "http://127.0.0.1:9," + relay.url  # the first relay is down
        rec = svc.draw_frozen("T1", "clerk", now=publication("quicknet", QUICKNET)
                              + timedelta(seconds=30))
    finally:
        relay.close()
    assert svc.full_record(rec)["beacon"]["signature"] == QUICKNET["signature"]
