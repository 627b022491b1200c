"""Outside finding 3a: a task whose scope names the credit class (信用风险分类=D)
has a pool of that class only, so its size is the number of D enterprises in
scope.  No public page, feed, file or log entry states it; the pool and draw
files are logged by hash and kept for auditors.  A task with an ordinary
scope (the control) publishes all of it."""

from __future__ import annotations

import json

from server.services import draw as svc
from tests.server.services.test_draws_world import make_task, make_world


def _public(client, task_no):
    task = next(t for t in client.get("/public/tasks.json").get_json()["tasks"]
                if t["task_no"] == task_no)
    index = client.get(f"/public/tasks/{task_no}/verify.json").get_json()
    entries = [json.loads(e) for e in client.get("/public/log/entries.json").get_json()["entries"]
               if json.loads(e)["task_no"] == task_no]
    return task, index, entries


def test_a_credit_class_scope_publishes_no_pool_size(ctx, client):
    world = make_world(16)  # classes A, B, C, D in turn: 4 of each
    make_task(world.plan, "TD", ratio="50%", scope="行业领域=工贸;信用风险分类=D")
    make_task(world.plan, "TA", ratio="50%", scope="行业领域=工贸")
    rec = svc.run_task_draw("TD", "tester")
    assert rec.pool_size == 4
    svc.run_task_draw("TA", "tester")

    task, index, entries = _public(client, "TD")
    assert task["scope"] == "含内部分类条件（不予公开）"
    assert [r["pool_size"] for r in task["records"]] == [None]
    assert [a["pool_size"] for a in task["attempts"]] == [None]
    assert [a["pool_size"] for a in index["attempts"]] == [None]
    assert index["internal_scope"] is True
    files = {f["kind"]: f for f in index["files"]}
    assert set(files) == {"pool", "draw"}
    for f in files.values():
        assert f["url"] is None and f["size"] is None
        assert client.get(f"/public/files/{f['sha256']}.json").status_code == 404
        assert json.loads(f["entry"])["size"] is None
    assert [e["size"] for e in entries] == [None, None]
    # The drawn list itself stays public (一公开), sorted by USCC.
    assert len(task["visits"]) == 2

    # The control: an ordinary scope states its size and serves its files.
    task, index, entries = _public(client, "TA")
    assert task["records"][0]["pool_size"] > 0 and index["internal_scope"] is False
    assert all(f["url"] and f["size"] for f in index["files"])
    assert all(e["size"] for e in entries)
