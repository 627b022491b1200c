"""Outside finding 7: attempt numbers count per task (1, 2, …, no gaps), and the
console, the public page, the public JSON, the log entries and the record's
meta all show the same number – a gap would look like a hidden attempt."""

from __future__ import annotations

import json
import re

from server.services import draw as svc
from server.services import draw_public
from server.services.draw.beacons import LOCAL
from server.services.draw.freeze import freeze_task
from server.services.draw.run import draw_frozen
from tests.server.services.test_draws_world import make_task, make_world


def test_attempts_are_numbered_per_task_everywhere(ctx, client):
    world = make_world(12)
    # Independent rounds (no 前轮 exclusion), so both may wait frozen at once.
    alone = {"exclude_drawn_in_plan": False}
    t1 = make_task(world.plan, "T1", ratio="50%", rules=alone)
    make_task(world.plan, "T2", ratio="50%", rules=alone)
    # Interleaved across tasks, so database ids of T2's freezes are 2 and 3.
    freeze_task("T1", "tester", source=LOCAL, demo=True)
    freeze_task("T2", "tester", source=LOCAL, demo=True)
    freeze_task("T2", "tester", reason="冻结后发现名录有误", source=LOCAL, demo=True)
    rec = draw_frozen("T2", "tester", demo=True)

    assert [a["attempt"] for a in svc.attempts("T1")["attempts"]] == [1]
    assert [a["attempt"] for a in svc.attempts("T2")["attempts"]] == [1, 2]
    assert svc.summary(rec)["attempt"] == 2
    assert svc.full_record(rec)["meta"]["attempt"] == 2

    tasks = {t["task_no"]: t for t in client.get("/public/tasks.json").get_json()["tasks"]}
    assert [a["attempt"] for a in tasks["T1"]["attempts"]] == [1]
    assert [a["attempt"] for a in tasks["T2"]["attempts"]] == [1, 2]
    index = client.get("/public/tasks/T2/verify.json").get_json()
    assert [a["attempt"] for a in index["attempts"]] == [1, 2]
    assert {f["kind"]: f["attempt"] for f in index["files"]
            if f["attempt"] == 2} == {"pool": 2, "draw": 2}
    # The log entries say the same (what the public log vouches for).
    entries = {f["sha256"]: json.loads(f["entry"])["attempt"] for f in index["files"]}
    assert entries == {f["sha256"]: f["attempt"] for f in index["files"]}
    assert sorted(set(entries.values())) == [1, 2]
    # The public page's table: 次序 1 and 2, in order.
    page = client.get("/public/tasks/T2").get_data(as_text=True)
    table = page.split('id="draw-attempts"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-th="次序">(\d+)', table) == ["1", "2"]
    assert {json.loads(r.entry_json)["attempt"] for r in draw_public.task_files(t1)} == {1}


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def _times(value, out):
    if isinstance(value, dict):
        for v in value.values():
            _times(v, out)
    elif isinstance(value, list):
        for v in value:
            _times(v, out)
    elif isinstance(value, str):
        out += [m.group(0) for m in _TIME.finditer(value)]
    return out


def test_every_time_in_the_public_feeds_carries_its_offset(ctx, client):
    """Outside finding 16: a time without a zone makes a reader guess (UTC or
    Beijing?); each one says it, in the bureau's zone (+08:00) or as Z."""
    world = make_world(12)
    world.plan.change_log = [{"at": "2024-03-01T02:00:00", "by": "tester", "reason": "调整"}]
    make_task(world.plan, "T1", ratio="50%")
    freeze_task("T1", "tester", source=LOCAL, demo=True)
    draw_frozen("T1", "tester", demo=True)
    feeds = ["/public/tasks.json", "/public/plans.json", "/public/tasks/T1/verify.json",
             "/public/log/head.json", "/public/log/entries.json"]
    # The published draw files too (their times: UTC with "Z").
    feeds += [f["url"] for f in client.get("/public/tasks/T1/verify.json").get_json()["files"]
              if f["kind"] == "draw"]
    found = []
    for url in feeds:
        resp = client.get(url)
        assert resp.status_code == 200, url
        found += [(url, t) for t in _times(resp.get_json(), [])]
    assert len({u for u, _ in found}) == len(feeds)  # every feed has times to check
    naive = [(u, t) for u, t in found if not (t.endswith("Z") or t[-6] in "+-")]
    assert naive == []
    tasks = client.get("/public/tasks.json").get_json()["tasks"][0]
    assert tasks["attempts"][0]["frozen_at"].endswith("+08:00")
    assert tasks["records"][0]["created_at"].endswith("+08:00")
    # The page still shows the bureau's wall clock, without a "T".
    page = client.get("/public/tasks/T1").get_data(as_text=True)
    assert tasks["records"][0]["created_at"][:16].replace("T", " ") in page
