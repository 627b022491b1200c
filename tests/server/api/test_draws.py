"""Draws over the API: roles, commitment, record file, adjustments, impossible teams."""

from __future__ import annotations

import hashlib
import json

from server.extensions import db
from server.models import DrawRecord, Inspector, Visit
from shared.draw import load_record, verify
from shared.enums import Role
from tests.server.factories import make_enterprise, make_inspector
from tests.server.services.test_draws_world import make_task, make_world


def _world(app, n: int = 12, **task):
    with app.app_context():
        world = make_world(n)
        make_task(world.plan, "T1", **task)
        return [e.uscc for e in world.enterprises]


def test_dispatcher_draws_and_inspector_may_not(app, client, auth, count_rows):
    _world(app)
    assert client.post("/api/v1/tasks/T1/draws", headers=auth(Role.INSPECTOR),
                       json={}).status_code == 403
    assert client.post("/api/v1/tasks/T1/draws", headers=auth(Role.ARCHIVIST),
                       json={}).status_code == 403
    assert client.post("/api/v1/tasks/T1/commit", headers=auth(Role.INSPECTOR)).status_code == 403
    assert count_rows(DrawRecord) == 0
    resp = client.post("/api/v1/tasks/T1/draws", headers=auth(Role.DISPATCHER), json={})
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["task"] == "T1" and body["kind"] == "draw" and body["pool_size"] == 12
    assert len(body["visits"]) == 3 and len(body["stored_visits"]) == 3
    assert body["committed_at"] < body["drawn_at"]
    reviewer = auth(Role.REVIEWER)
    assert client.get(f"/api/v1/draws/{body['record_id']}", headers=reviewer).status_code == 200
    assert client.get(f"/api/v1/draws/{body['record_id']}",
                      headers=auth(Role.INSPECTOR)).status_code == 403


def test_commitment_is_public_before_the_draw_and_the_seed_after(app, client, auth):
    _world(app)
    headers = auth(Role.DISPATCHER)
    committed = client.post("/api/v1/tasks/T1/commit", headers=headers).json
    task = client.get("/api/v1/tasks/T1", headers=auth(Role.REVIEWER)).json
    assert task["seed_commitment"] == committed["seed_commitment"]
    assert task["committed_at"] == committed["committed_at"]
    assert all(len(v) != 64 or v == committed["seed_commitment"]
               for v in task.values() if isinstance(v, str))  # no seed anywhere
    drawn = client.post("/api/v1/tasks/T1/draws", headers=headers, json={}).json
    assert drawn["commitment"] == committed["seed_commitment"]
    assert hashlib.sha256(bytes.fromhex(drawn["seed"])).hexdigest() == drawn["commitment"]
    file = client.get(f"/api/v1/draws/{drawn['record_id']}/record.json", headers=headers)
    assert file.status_code == 200 and file.mimetype == "application/json"
    record = load_record(file.data)
    assert record["meta"]["record_id"] == drawn["record_id"]
    assert verify(record) == (True, None)


def test_redraw_and_adjustment_over_the_api(app, client, auth, count_rows):
    _world(app)
    headers = auth(Role.DISPATCHER)
    first = client.post("/api/v1/tasks/T1/draws", headers=headers, json={}).json
    again = client.post("/api/v1/tasks/T1/draws", headers=headers, json={})
    assert again.status_code == 409
    no_reason = client.post("/api/v1/tasks/T1/draws", headers=headers, json={"kind": "redraw"})
    assert no_reason.status_code == 422 and "理由" in no_reason.json["message"]
    redraw = client.post("/api/v1/tasks/T1/draws", headers=headers,
                         json={"kind": "redraw", "reason": "原记录抽取时名录未更新"}).json
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
    old = client.get(f"/api/v1/draws/{first['record_id']}", headers=headers).json
    assert old["visits"] == first["visits"]  # the first record is untouched
    assert not any(v["current"] for v in old["stored_visits"])
    assert count_rows(Visit) == 3 + 3 + 1
    doc = client.get(f"/api/v1/draws/{adj.json['record_id']}/record.json", headers=headers).json
    assert doc["adjustment"]["new"] == spare and doc["meta"]["reason"] == "回避"


def test_impossible_team_is_a_clear_error_and_nothing_is_stored(app, client, auth, count_rows):
    _world(app, 4, ratio="100%")
    with app.app_context():
        bad = make_enterprise(industry="industry_trade", street="丹朱镇", name="冲突企业")
        for officer in db.session.scalars(db.select(Inspector)):
            officer.conflicts = [bad.uscc]
        db.session.commit()
        uscc = bad.uscc
    resp = client.post("/api/v1/tasks/T1/draws", headers=auth(Role.DISPATCHER), json={})
    assert resp.status_code == 422
    assert uscc in resp.json["message"] and "冲突企业" in resp.json["message"]
    assert "利害关系回避" in resp.json["message"]
    assert count_rows(DrawRecord) == 0 and count_rows(Visit) == 0


def test_cli_json_shape(app, runner):
    usccs = _world(app)
    result = runner.invoke(args=["draw", "run", "T1", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"task", "record_id", "seed", "pool_size", "excluded", "visits"} <= set(out)
    for v in out["visits"]:
        assert set(v) == {"uscc", "inspectors", "leader", "experts", "items"}
        assert v["uscc"] in usccs and v["leader"] in v["inspectors"]


def test_cli_reports_an_impossible_team_and_stores_nothing(app, runner, count_rows):
    _world(app, 4, ratio="100%")
    with app.app_context():
        far = make_enterprise(industry="industry_trade", street="石哲镇", name="石哲镇企业")
        uscc = far.uscc
    result = runner.invoke(args=["draw", "run", "T1", "--json"])
    assert result.exit_code == 1
    assert uscc in result.output and "石哲镇企业" in result.output
    assert "规则：组队规则（街道二级库）" in result.output
    assert count_rows(DrawRecord) == 0 and count_rows(Visit) == 0
