"""Publication API and CLI: propose, legal review by reviewers only, the deadline board."""

from __future__ import annotations

from datetime import date, timedelta

from server.services.deadlines import bureau_today
from shared.enums import Role
from tests.server.web import dataset


def test_propose_list_and_approve_over_the_api(app, client, auth):
    with app.app_context():
        dataset.build(bureau_today())
        visit_id = dataset.inspected(dataset.OPEN_TASK)[0].id
    office, reviewer = auth(Role.DISPATCHER), auth(Role.REVIEWER)
    resp = client.post("/api/v1/publication/results", headers=office, json={
        "visit_id": visit_id, "outcome": "未发现问题",
        "inspected_on": (bureau_today() - timedelta(days=1)).isoformat(), "item_codes": []})
    assert resp.status_code == 201, resp.json
    rid = resp.json["id"]
    assert resp.json["status"] == "pending" and resp.json["deadline_status"] in (
        "due", "due_soon")
    bad = client.post("/api/v1/publication/results", headers=office, json={
        "visit_id": visit_id, "outcome": "no_problem", "inspected_on": "2026-01-01",
        "item_codes": ["XX-99"]})
    assert bad.status_code == 422 and "不在该企业的抽取事项中" in bad.json["message"]
    listed = client.get("/api/v1/publication/results", headers=reviewer).json
    assert [r["id"] for r in listed] == [rid]
    # Legal review is the reviewer's: an administrator or dispatcher cannot approve.
    for role in (Role.ADMIN, Role.DISPATCHER):
        assert client.post(f"/api/v1/publication/results/{rid}/approve", headers=auth(role),
                           json={}).status_code == 403
    resp = client.post(f"/api/v1/publication/results/{rid}/approve", headers=reviewer,
                       json={"revision": listed[0]["revision"]})
    assert resp.status_code == 200 and resp.json["status"] == "approved"
    assert resp.json["published_on"] == bureau_today().isoformat()
    again = client.post(f"/api/v1/publication/results/{rid}/approve", headers=reviewer,
                        json={"revision": resp.json["revision"]})
    assert again.status_code == 409
    assert len(client.get("/public/results.json").json["results"]) == 1


def test_cli_deadline_board_and_approve(app, runner):
    from server.services.publication import propose_result

    with app.app_context():
        dataset.build(bureau_today())
        visits = dataset.inspected(dataset.OPEN_TASK)
        late = propose_result(visits[0].id, "corrected", date(2025, 9, 26), []).id
        propose_result(visits[1].id, "corrected", date(2027, 6, 1), [])
    out = runner.invoke(args=["publication", "due", "--today", "2025-10-31"]).output
    assert "已逾期1" in out and "期限2025-10-30" in out
    assert "2027年节假日安排尚未公布，已按法定节假日推算" in out
    ok = runner.invoke(args=["publication", "approve", str(late), "--reviewer", "fz",
                             "--revision", "1"])
    assert ok.exit_code == 0 and "已公开" in ok.output
    again = runner.invoke(args=["publication", "approve", str(late), "--reviewer", "fz",
                                "--revision", "2"])
    assert again.exit_code != 0 and "不在待审核状态" in again.output
