"""The server's draw service: exclusions, append-only records, joint tasks, pool reads.

(The ceremony itself – freeze, beacon, attempts – is tested in test_draw_ceremony.py.)
"""

from __future__ import annotations

import json
from datetime import date
from math import ceil

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import DrawRecord, Plan, Task, Visit
from server.services import draw as svc
from server.services.draw import adjust
from server.services.draw.freeze import build_task_snapshot
from server.services.plans import PlanError
from shared.draw import PoolColumns, PoolRows, build_pool, load_record, verify
from tests.server.factories import make_enterprise, make_inspector
from tests.server.services.test_draws_world import make_task, make_world


def _current(task: Task) -> list[Visit]:
    return db.session.execute(sa.select(Visit).where(
        Visit.task_id == task.id, Visit.current.is_(True))).scalars().all()


def test_counts_exclusions_and_reasons(ctx):
    world = make_world(20)
    closed = make_enterprise(industry="industry_trade", status="closed", credit_class="A")
    gone = make_enterprise(industry="industry_trade", status="deregistered", credit_class="A")
    make_enterprise(industry="coal_mine", credit_class="A")  # out of scope: not listed
    make_task(world.plan, "T1", ratio="A:10%;B:20%;C:50%;D:100%")
    rec = svc.run_task_draw("T1", "tester")
    out = svc.summary(rec)
    reasons = {e["uscc"]: e["reason"] for e in out["excluded"]}
    assert reasons == {closed.uscc: "经营状态为“关闭”", gone.uscc: "经营状态为“注销”"}
    assert out["pool_size"] == 20
    # five per class among the 20; ceil per stratum
    assert len(out["visits"]) == ceil(5 * .1) + ceil(5 * .2) + ceil(5 * .5) + 5
    assert {s: v["drawn"] for s, v in out["strata"].items()} == {"A": 1, "B": 1, "C": 3, "D": 5}
    assert len(_current(rec.task)) == len(out["visits"])


def _other_plan(plan_no: str) -> Plan:
    plan = Plan(plan_no=plan_no, name=f"计划{plan_no}", year=2024, status="published",
                change_log=[])
    db.session.add(plan)
    db.session.commit()
    return plan


def test_yearly_cap_counts_current_visits_of_the_year(ctx):
    world = make_world(10)
    make_task(world.plan, "T1", ratio="100%")
    svc.run_task_draw("T1", "tester")
    make_task(_other_plan("P-B"), "T2", ratio="100%", rules={"yearly_cap": 2})
    assert svc.run_task_draw("T2", "tester").pool_size == 10  # one inspection each so far
    make_task(_other_plan("P-C"), "T3", ratio="100%", rules={"yearly_cap": 2})
    # Nothing left to draw: refused at the freeze, with the reason, and nothing stored.
    with pytest.raises(svc.FreezeRefused, match="不会抽中任何检查对象：抽查对象范围内的10户均被排除"
                                                 "（本年度已检查2次，达到每户年度上限2次：10户）"):
        svc.run_task_draw("T3", "tester")
    snap, _ids = build_task_snapshot(db.session.execute(
        sa.select(Task).filter_by(task_no="T3")).scalar_one())
    assert len(snap["excluded"]) == 10
    assert {e["reason"] for e in snap["excluded"]} == {"本年度已检查2次，达到每户年度上限2次"}
    make_task(_other_plan("P-D"), "T4", ratio="100%", rules={"yearly_cap": 3})
    assert svc.run_task_draw("T4", "tester").pool_size == 10


def test_redraw_appends_and_keeps_the_old_record(ctx):
    world = make_world()
    make_task(world.plan, "T1")
    first = svc.run_task_draw("T1", "tester")
    old_json, old_ids = first.record_json, {v.id for v in _current(first.task)}
    with pytest.raises(svc.DrawFailed, match="已抽取"):
        svc.run_task_draw("T1", "tester")
    with pytest.raises(svc.DrawFailed, match="理由"):
        svc.run_task_draw("T1", "tester", kind="redraw")
    second = svc.run_task_draw("T1", "tester", kind="redraw", reason="原检查组成员调离")
    assert second.parent_id == first.id and second.kind == "redraw"
    assert second.seed_commitment != first.seed_commitment
    db.session.expire_all()
    assert db.session.get(DrawRecord, first.id).record_json == old_json
    old = db.session.execute(sa.select(Visit).where(Visit.id.in_(old_ids))).scalars().all()
    assert len(old) == len(old_ids) and not any(v.current for v in old)
    assert {v.draw_record_id for v in _current(second.task)} == {second.id}
    meta = load_record(second.record_json)["meta"]
    assert meta["parent_record_id"] == first.id and meta["reason"] == "原检查组成员调离"


def test_records_cannot_be_updated(ctx):
    world = make_world()
    make_task(world.plan, "T1")
    rec = svc.run_task_draw("T1", "tester")
    rec.reason = "改写"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def test_adjust_an_officer_appends_a_record(ctx):
    world = make_world()
    make_task(world.plan, "T1")
    rec = svc.run_task_draw("T1", "tester")
    visit = _current(rec.task)[0]
    team = sorted(m.inspector.cert_no for m in visit.members)
    leader = next(m.inspector.cert_no for m in visit.members if m.leader)
    spare = make_inspector(fields=["industry_trade"])
    on_leave = make_inspector(fields=["industry_trade"], duty_status="leave")
    uscc = visit.enterprise.uscc
    with pytest.raises(svc.DrawFailed, match="理由"):
        adjust(rec.id, {"uscc": uscc, "replace": "inspector", "old": leader,
                        "new": spare.cert_no, "reason": " "}, "office")
    with pytest.raises(svc.DrawFailed, match="休假"):
        adjust(rec.id, {"uscc": uscc, "replace": "inspector", "old": leader,
                        "new": on_leave.cert_no, "reason": "组长生病"}, "office")
    adj = adjust(rec.id, {"uscc": uscc, "replace": "inspector", "old": leader,
                          "new": spare.cert_no, "reason": "组长生病"}, "office")
    assert adj.kind == "adjustment" and adj.parent_id == rec.id and adj.actor == "office"
    db.session.expire_all()
    assert not db.session.get(Visit, visit.id).current
    now = next(v for v in _current(rec.task) if v.enterprise.uscc == uscc)
    assert now.draw_record_id == adj.id
    assert sorted(m.inspector.cert_no for m in now.members) == sorted(
        [c for c in team if c != leader] + [spare.cert_no])
    assert next(m.inspector.cert_no for m in now.members if m.leader) == spare.cert_no
    doc = json.loads(adj.record_json)
    assert doc["adjustment"] == {"visit": uscc, "replace": "inspector", "old": leader,
                                 "new": spare.cert_no}
    assert doc["meta"]["reason"] == "组长生病" and doc["meta"]["parent_record_id"] == rec.id
    with pytest.raises(svc.DrawFailed, match="取代"):  # only the latest record can be amended
        adjust(rec.id, {"uscc": uscc, "replace": "inspector", "old": spare.cert_no,
                        "new": leader, "reason": "x"}, "office")


def test_adjust_the_enterprise(ctx):
    world = make_world()
    make_task(world.plan, "T1")
    rec = svc.run_task_draw("T1", "tester")
    visit = _current(rec.task)[0]
    drawn = {v.enterprise.uscc for v in _current(rec.task)}
    spare = next(e for e in world.enterprises if e.uscc not in drawn)
    coal = make_enterprise(industry="coal_mine")
    base = {"uscc": visit.enterprise.uscc, "replace": "enterprise", "reason": "企业已停产搬迁"}
    with pytest.raises(svc.DrawFailed, match="抽查对象范围"):
        adjust(rec.id, {**base, "new": coal.uscc}, "office")
    with pytest.raises(svc.DrawFailed, match="已在本任务"):
        adjust(rec.id, {**base, "new": sorted(drawn - {visit.enterprise.uscc})[0]}, "office")
    adj = adjust(rec.id, {**base, "new": spare.uscc}, "office")
    current = {v.enterprise.uscc for v in _current(rec.task)}
    assert current == (drawn - {visit.enterprise.uscc}) | {spare.uscc}
    moved = next(v for v in _current(rec.task) if v.enterprise.uscc == spare.uscc)
    assert moved.draw_record_id == adj.id and moved.item_codes[0] == "X00"


def test_joint_tasks_share_one_visit_per_enterprise(ctx):
    world = make_world(6)
    a = make_task(world.plan, "J-A", ratio="100%", rules={"joint_group": "一业一查"},
                  department="执法监察科")
    b = make_task(world.plan, "J-B", ratio="100%", rules={"joint_group": "一业一查"},
                  department="危化科")
    make_task(world.plan, "J-C", ratio="100%")
    ra = svc.run_task_draw("J-A", "tester")
    rb = svc.run_task_draw("J-B", "tester")
    assert svc.summary(rb)["excluded"] == []  # siblings do not exclude each other
    assert _current(a) == []
    merged = _current(b)
    assert len(merged) == 6 and all(v.joint_task_nos == ["J-A", "J-B"] for v in merged)
    for v in merged:
        certs = {m.inspector.cert_no for m in v.members}
        a_team = next(x for x in ra.result["visits"] if x["uscc"] == v.enterprise.uscc)
        b_team = next(x for x in rb.result["visits"] if x["uscc"] == v.enterprise.uscc)
        assert certs == set(a_team["inspectors"]) | set(b_team["inspectors"])
        assert next(m.inspector.cert_no for m in v.members if m.leader) == a_team["leader"]
    # a non-joint task of the same plan is a later round: everything is excluded,
    # so it would select no one – refused with the reason
    with pytest.raises(svc.FreezeRefused,
                       match=r"不会抽中任何检查对象：抽查对象范围内的\d+户均被排除（本计划前轮已抽取：\d+户）"):
        svc.run_task_draw("J-C", "tester")
    with pytest.raises(svc.DrawFailed, match="联合"):
        svc.run_task_draw("J-B", "tester", kind="redraw", reason="重抽")


def test_draft_plan_cannot_be_drawn(ctx):
    world = make_world(status="draft")
    make_task(world.plan, "T1")
    with pytest.raises(svc.DrawFailed, match="尚未发布"):
        svc.run_task_draw("T1", "tester")


def test_recuse_previous_officers(ctx):
    world = make_world(4)
    make_task(world.plan, "T1", ratio="100%")
    first = svc.run_task_draw("T1", "tester")
    make_task(_other_plan("P2"), "T2", ratio="100%", window_start=date(2024, 7, 1),
              window_end=date(2024, 8, 1), rules={"recuse_previous": True})
    second = svc.run_task_draw("T2", "tester")
    before = {v["uscc"]: set(v["inspectors"]) for v in first.result["visits"]}
    for v in second.result["visits"]:
        assert not before[v["uscc"]] & set(v["inspectors"])


def test_pool_is_read_in_uscc_order_off_the_covering_index(ctx):
    from server.services.draw.registry import load_pool_rows, pool_query
    from server.services.registry_io.importer import refresh_statistics

    make_world()
    refresh_statistics()  # as a registry import does
    pool = load_pool_rows("行业领域=工贸")
    usccs = (pool.columns[0] if isinstance(pool, PoolColumns) else [r[0] for r in pool.rows])
    assert usccs and usccs == sorted(usccs)
    assert pool.keys[:8] == ("uscc", "name", "credit_class", "industry", "street",
                             "needs_expert", "status", "id")
    if db.engine.dialect.name == "sqlite":
        stmt, _keys = pool_query("行业领域=工贸")
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql)))
        assert "COVERING INDEX ix_enterprises_draw_pool" in plan and "TEMP B-TREE" not in plan


def test_pool_file_missing_or_altered_is_named_not_trusted(ctx):
    from server.services.draw import pools as draw_pools

    world = make_world()
    make_task(world.plan, "T1", ratio="50%")
    rec = svc.run_task_draw("T1", "tester")
    path = draw_pools.pool_path(rec.pool_hash)
    good = path.read_bytes()
    assert verify(svc.full_record(rec)) == (True, None)
    altered = bytearray(good)
    altered[len(good) // 2] ^= 1
    path.write_bytes(bytes(altered))
    with pytest.raises(PlanError, match="对象池文件与对象池哈希不符"):
        svc.export_record(rec)
    path.unlink()
    with pytest.raises(PlanError, match="对象池文件缺失"):
        svc.export_record(rec)
    path.write_bytes(good)
    assert verify(load_record(svc.export_record(rec))) == (True, None)


@pytest.mark.parametrize("scope", ["行业领域=工贸", "行业领域=工贸,煤矿;属地=丹朱镇",
                                   "信用风险分类=A,B", "黑名单=否", "单位名称=测试",
                                   "所属名录库=一级库"])
def test_column_and_row_reads_give_the_same_pool(ctx, scope):
    from server.services.draw import registry as di

    make_world()
    make_enterprise(industry="industry_trade", status="closed", credit_class="A")
    make_enterprise(industry="industry_trade", credit_class="", street=None)
    odd = make_enterprise(industry="industry_trade", credit_class="B", name="名称含\x1f分隔符")
    task = {"task_no": "X", "draw_type": "不定向" if "名录库" in scope else "定向",
            "scope": scope, "ratio": "100%", "window_start": "2024-04-01",
            "window_end": "2024-06-30"}
    conn = db.session.connection()
    codes = di._codes(conn)
    stmt, keys = di.pool_query(scope, codes)
    rows = PoolRows(tuple(keys), di._run(conn, stmt), codes)
    by_rows = build_pool(rows, task, {}, carry=("id",))
    assert by_rows[0]["values"][0] or "名录库" in scope
    pool = di.load_pool_rows(scope)
    # The odd name (in scope or not: the read is of the scope) makes the column
    # read give way to rows.
    assert isinstance(pool, PoolRows) or odd.uscc not in by_rows[0]["values"][0]
    assert build_pool(pool, task, {}, carry=("id",)) == by_rows
    odd.name = "普通名称"
    db.session.flush()
    if "名录库" not in scope:  # both SQLite and PostgreSQL read columns
        assert isinstance(di.load_pool_rows(scope), PoolColumns)
