"""The draw ceremony over the API and the command line: roles, freeze, public
value, attempts, record file, adjustments, refusals."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.extensions import db
from server.models import DrawFreeze, DrawRecord, Inspector, Visit
from shared.draw import load_record, verify
from shared.enums import Role
from tests.server.factories import make_enterprise, make_inspector
from tests.server.services.draw_ceremony_helpers import QUICKNET, freeze_before
from tests.server.services.test_draws_world import make_task, make_world

# Windows reaching past today: the API runs on the real clock.
WINDOW = {"window_start": date(2023, 1, 1), "window_end": date(2030, 12, 31)}


def _world(app, n: int = 12, **task):
    app.config["DRAND_LEAD_MINUTES"] = 0  # the lottery draw below is announced a moment later
    with app.app_context():
        world = make_world(n)
        make_task(world.plan, "T1", **{**WINDOW, **task})
        return [e.uscc for e in world.enterprises]


AHEAD = 3  # seconds: the named draw is announced this long after the request (a busy
           # machine may take a second to freeze)
_announced: list[datetime] = []


def _soon() -> str:
    """An announced draw time a few seconds ahead, in the bureau's local time."""
    at = datetime.now(UTC) + timedelta(seconds=AHEAD)
    _announced.append(at)
    return at.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None).isoformat()


def _until_announced() -> None:
    time.sleep(max(0.0, (_announced[-1] - datetime.now(UTC)).total_seconds()) + 0.2)


def _freeze(client, headers, **body):
    return client.post("/api/v1/tasks/T1/freezes", headers=headers,
                       json={"source": "lottery", "lottery_draw": "2026140",
                             "lottery_time": _soon(), **body})


def _ceremony(client, headers, numbers="3 9 1", **body):
    frozen = _freeze(client, headers, **body)
    assert frozen.status_code == 201, frozen.json
    _until_announced()
    return frozen.json, client.post("/api/v1/tasks/T1/draws", headers=headers,
                                    json={"numbers": numbers})


def test_dispatcher_freezes_and_draws_and_inspector_may_not(app, client, auth, count_rows):
    _world(app)
    for role in (Role.INSPECTOR, Role.ARCHIVIST):
        assert _freeze(client, auth(role)).status_code == 403
        assert client.post("/api/v1/tasks/T1/draws", headers=auth(role),
                           json={}).status_code == 403
    assert count_rows(DrawFreeze) == 0
    headers = auth(Role.DISPATCHER)
    frozen, resp = _ceremony(client, headers)
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["task"] == "T1" and body["kind"] == "draw" and body["pool_size"] == 12
    assert len(body["visits"]) == 3 and len(body["stored_visits"]) == 3
    assert body["committed_at"] < body["drawn_at"] and body["attempt"] == frozen["attempt"]
    assert body["beacon"] == "彩票开奖结果"
    reviewer = auth(Role.REVIEWER)
    assert client.get(f"/api/v1/draws/{body['record_id']}", headers=reviewer).status_code == 200
    assert client.get(f"/api/v1/draws/{body['record_id']}",
                      headers=auth(Role.INSPECTOR)).status_code == 403


def test_freeze_is_public_at_once_and_the_seed_only_after_the_draw(app, client, auth):
    _world(app)
    headers = auth(Role.DISPATCHER)
    frozen = _freeze(client, headers).json
    assert {"snapshot_hash", "commitment", "beacon", "frozen_at"} <= set(frozen)
    assert frozen["beacon"]["draw_no"] == "2026140" and frozen["status"] == "pending"
    listed = client.get("/api/v1/tasks/T1/attempts", headers=auth(Role.REVIEWER)).json
    assert listed["attempts"][0]["commitment"] == frozen["commitment"]
    assert "seed" not in json.dumps(listed)
    # The public task page shows the freeze at once: hash, commitment, the named draw.
    page = client.get("/public/tasks/T1").get_data(as_text=True)
    assert frozen["snapshot_hash"] in page and frozen["commitment"] in page
    assert "中国福利彩票3D第2026140期" in page and "已冻结，等待公共随机数" in page
    early = client.post("/api/v1/tasks/T1/draws", headers=headers, json={"numbers": "1 2 3"})
    assert early.status_code == 409 and "尚未公布" in early.json["message"]
    _until_announced()
    drawn = client.post("/api/v1/tasks/T1/draws", headers=headers, json={"numbers": "3 9 1"}).json
    assert drawn["commitment"] == frozen["commitment"]
    assert hashlib.sha256(bytes.fromhex(drawn["seed"])).hexdigest() == drawn["commitment"]
    file = client.get(f"/api/v1/draws/{drawn['record_id']}/record.json", headers=headers)
    assert file.status_code == 200 and file.mimetype == "application/json"
    record = load_record(file.data)
    assert record["format"] == "suicha-draw-record/2"
    assert record["beacon"]["numbers"] == ["3", "9", "1"]
    assert record["pool_hash"] == frozen["snapshot_hash"]
    assert verify(record) == (True, None)


def test_redraw_and_adjustment_over_the_api(app, client, auth, count_rows):
    _world(app)
    headers = auth(Role.DISPATCHER)
    _frozen, first = _ceremony(client, headers)
    first = first.json
    again = _freeze(client, headers)
    assert again.status_code == 409
    no_reason = _freeze(client, headers, kind="redraw")
    assert no_reason.status_code == 422 and "理由" in no_reason.json["message"]
    # A redraw promises a later lottery draw (one 期 has one result).
    _frozen, redraw = _ceremony(client, headers, numbers="0 0 7", kind="redraw",
                                reason="原记录抽取时名录未更新", lottery_draw="2026141")
    redraw = redraw.json
    assert redraw["parent_id"] == first["record_id"]
    visit = redraw["visits"][0]
    with app.app_context():
        spare = make_inspector(fields=["industry_trade"]).cert_no
    adj = client.post(f"/api/v1/draws/{redraw['record_id']}/adjustments", headers=headers,
                      json={"uscc": visit["uscc"], "replace": "inspector",
                            "old": visit["inspectors"][0], "new": spare, "reason": "回避"})
    assert adj.status_code == 201, adj.json
    assert adj.json["kind"] == "adjustment" and adj.json["parent_id"] == redraw["record_id"]
    listed = client.get("/api/v1/tasks/T1/draws", headers=headers).json
    assert [r["kind"] for r in listed] == ["draw", "redraw", "adjustment"]
    assert count_rows(DrawRecord) == 3
    attempts = client.get("/api/v1/tasks/T1/attempts", headers=headers).json
    assert attempts["redraws"] == 1
    assert attempts["attempts"][1]["reason"] == "原记录抽取时名录未更新"
    old = client.get(f"/api/v1/draws/{first['record_id']}", headers=headers).json
    assert old["visits"] == first["visits"]  # the first record is untouched
    assert not any(v["current"] for v in old["stored_visits"])
    assert count_rows(Visit) == 3 + 3 + 1
    doc = client.get(f"/api/v1/draws/{adj.json['record_id']}/record.json", headers=headers).json
    assert doc["adjustment"]["new"] == spare and doc["meta"]["reason"] == "回避"


def test_an_infeasible_freeze_lists_every_enterprise_and_stores_nothing(app, client, auth,
                                                                        count_rows):
    _world(app, 4, ratio="100%")
    with app.app_context():
        bad = [make_enterprise(industry="industry_trade", street="丹朱镇", name=f"冲突企业{i}")
               for i in range(2)]
        for officer in db.session.scalars(db.select(Inspector)):
            officer.conflicts = [b.uscc for b in bad]
        db.session.commit()
        usccs = sorted(b.uscc for b in bad)
    resp = _freeze(client, auth(Role.DISPATCHER))
    assert resp.status_code == 422
    assert all(u in resp.json["message"] for u in usccs) and "冲突企业1" in resp.json["message"]
    problems = resp.json["errors"]["problems"]
    assert [p["uscc"] for p in problems] == usccs
    assert all("利害关系回避" in p["rule"] for p in problems)
    check = client.get("/api/v1/tasks/T1/check", headers=auth(Role.REVIEWER)).json
    assert [p["uscc"] for p in check] == usccs
    assert count_rows(DrawFreeze) == 0 and count_rows(DrawRecord) == 0 and count_rows(Visit) == 0


def test_rules_are_changed_with_a_reason(app, client, auth):
    _world(app)
    headers = auth(Role.DISPATCHER)
    bad = client.patch("/api/v1/tasks/T1/rules", headers=headers,
                       json={"rules": {"recuse_own_street": True}})
    assert bad.status_code == 400 and "reason" in bad.json["errors"]["json"]  # required
    ok = client.patch("/api/v1/tasks/T1/rules", headers=headers,
                      json={"rules": {"recuse_own_street": True}, "reason": "所所交叉"})
    assert ok.status_code == 200 and ok.json["rules"]["recuse_own_street"] is True
    unknown = client.patch("/api/v1/tasks/T1/rules", headers=headers,
                           json={"rules": {"lucky": 1}, "reason": "试"})
    assert unknown.status_code == 422 and "未知的抽取规则" in unknown.json["message"]


def test_cli_contract_freeze_run_with_a_beacon_file_and_attempts(app, runner, tmp_path):
    usccs = _world(app)
    frozen = runner.invoke(args=["draw", "freeze", "T1", "--json"])
    assert frozen.exit_code == 0, frozen.output
    out = json.loads(frozen.output)
    assert {"snapshot_hash", "commitment"} <= set(out)
    assert out["beacon"]["source"] == "drand" and out["beacon"]["round"] > QUICKNET["round"]
    # The round in the file must be the promised one: freeze again, before a real round.
    with app.app_context():
        freeze_before("T1", reason="用已公布的真实轮次演示")
    beacon = tmp_path / "round.json"
    beacon.write_text(json.dumps(QUICKNET))
    result = runner.invoke(args=["draw", "run", "T1", "--beacon-file", str(beacon), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"task", "record_id", "seed", "pool_size", "excluded", "visits", "attempt"} <= set(out)
    for v in out["visits"]:
        assert set(v) == {"uscc", "inspectors", "leader", "experts", "expert_names", "items",
                          "host_department"}
        assert v["uscc"] in usccs and v["leader"] in v["inspectors"]
    listed = json.loads(runner.invoke(args=["draw", "attempts", "T1", "--json"]).output)
    assert [(a["seq"], a["status"]) for a in listed["attempts"]] == [(1, "void"), (2, "drawn")]
    assert listed["attempts"][1]["beacon"]["round"] == QUICKNET["round"]
    record = tmp_path / "record.json"
    assert runner.invoke(args=["draw", "export", str(out["record_id"]), str(record)]).exit_code == 0
    verified = runner.invoke(args=["draw", "verify", str(record)])
    assert verified.exit_code == 0 and "一致" in verified.output


def test_cli_refuses_an_infeasible_freeze_listing_the_enterprise(app, runner, count_rows):
    _world(app, 4, ratio="100%", rules={"composition": {"street_pool": 1, "bureau_pool": 1}})
    with app.app_context():
        far = make_enterprise(industry="industry_trade", street="石哲镇", name="石哲镇企业")
        uscc = far.uscc
    result = runner.invoke(args=["draw", "freeze", "T1", "--json"])
    assert result.exit_code == 1
    assert uscc in result.output and "石哲镇企业" in result.output
    assert "规则：组队规则（街道二级库）" in result.output
    assert json.loads(result.output.splitlines()[0])["problems"][0]["uscc"] == uscc
    assert count_rows(DrawFreeze) == 0 and count_rows(DrawRecord) == 0 and count_rows(Visit) == 0


def test_the_bureau_edits_the_specialty_map(app, client, auth):
    _world(app)
    headers = auth(Role.DISPATCHER)
    assert client.get("/api/v1/specialties", headers=headers).json["煤矿安全"] == [
        "coal_mine", "coal_washing"]
    assert client.put("/api/v1/specialties/通风工程", headers=auth(Role.INSPECTOR),
                      json={"industries": ["煤矿"]}).status_code == 403
    ok = client.put("/api/v1/specialties/通风工程", headers=headers,
                    json={"industries": ["煤矿", "non_coal_mine"]})
    assert ok.status_code == 200 and ok.json["通风工程"] == ["coal_mine", "non_coal_mine"]
    bad = client.put("/api/v1/specialties/通风工程", headers=headers, json={"industries": ["火星"]})
    assert bad.status_code == 422
    gone = client.put("/api/v1/specialties/粉尘防爆", headers=headers, json={"industries": []})
    assert "粉尘防爆" not in gone.json  # a default word removed by the bureau
