"""Must-show 3 of issue 18: a field day. One inspector's tablet (the real core:
store, record API, sync engine) and the real server (gunicorn on loopback),
with a mobile link between them that is down for three days and then drops and
stalls connections while the tablet catches up.

20 visits dispatched; a 复查 of an earlier finding; one visit withdrawn by the
office while the tablet is offline; a finished record corrected before it was
sent, another amended after it was; one 拒签.
Afterwards the server holds exactly what was done on the tablet – every record,
every version, every result – and every photo on the item or hazard it was
taken for, with all its bytes.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from mobile.core.timefmt import today as bureau_today
from mobile.core.transport import ApiError
from server.services.sync import visit_code
from tests.mobile.field.link import FlakyLink
from tests.mobile.field.office import Office
from tests.mobile.field.tablet import Tablet
from tests.mobile.ui.server import LoopbackServer

pytestmark = pytest.mark.slow
VISITS = 20


def found_blob(tablet: Tablet, uuid: str, but_not: str) -> str:
    """Another blob of that record (a signature): on the server, but no 复查 photo."""
    return next(r["sha256"] for r in tablet.store.blob_rows(uuid) if r["sha256"] != but_not)


def _placement(body: dict) -> list[tuple[str, str | None, str | None]]:
    """Every upload copy with the item and hazard it belongs to."""
    return sorted((a["sha256"], a["item_code"], a["hazard_id"]) for a in body["attachments"])


def test_three_offline_days_then_a_dropping_link(tmp_path: Path) -> None:
    server = LoopbackServer(tmp_path / "server", workers=1)
    server.setup()
    office = Office(server)
    visits = office.dispatch(VISITS)
    (earlier,) = office.dispatch(1, skip=VISITS)
    server.start()
    link = None
    try:
        today = bureau_today()
        # a week ago, another tablet of the same inspector found a hazard there
        before = Tablet(tmp_path / "last-week", server.url, today - timedelta(days=7))
        before.login()
        assert before.sync().ok
        found = before.inspect(visit_code(earlier["visit"]), bad=earlier["codes"][0])
        assert before.sync().sent == [found["uuid"]]
        recheck = visit_code(office.reinspect(earlier["visit"]))

        link = FlakyLink(server.port)
        # The three days out end yesterday: the server refuses a record dated
        # after its own clock, and today's 08:00 may still be ahead of it.
        t = Tablet(tmp_path / "tablet", link.url, today - timedelta(days=3))
        t.login()
        assert t.sync().ok  # the morning pull, still in the office
        codes = visits[0]["codes"]
        on_tablet = {p["visit_id"] for p in t.store.packages()}
        assert {visit_code(v["visit"]) for v in visits} | {recheck} <= on_tablet
        recheck_pkg = t.store.package(recheck)
        assert recheck_pkg["task"]["reinspection"] is True
        earlier_hazard = recheck_pkg["history"]["open_hazards"][0]
        assert earlier_hazard["item_code"] == earlier["codes"][0] and earlier_hazard["orders"]
        # …with the photo taken of it then, downloaded for the 复查 (only it may be)
        (photo,) = earlier_hazard["photos"]
        shot = t.store.reference_path(photo)
        assert hashlib.sha256(shot.read_bytes()).hexdigest() == photo
        with pytest.raises(ApiError):  # a blob of no package of this inspector: refused
            t.engine().transport.get_blob(found_blob(before, found["uuid"], photo))

        link.state.down = True  # out in the plants: no signal for three days
        done: dict[str, dict] = {}
        v = [visit_code(x["visit"]) for x in visits]
        # day 1
        for i in range(7):
            done[v[i]] = t.inspect(v[i], bad=codes[1] if i == 1 else None,
                                   photos={codes[0]: 2, codes[2]: 1} if i == 2 else
                                   {codes[0]: 1})  # fmt: skip
        assert not t.sync().ok  # no signal: nothing lost, all queued
        # day 2, with the 复查: the earlier hazard's item is 已整改, with a new photo
        t.clock.set(today - timedelta(days=2))
        for i in range(7, 14):
            done[v[i]] = t.inspect(v[i], refuse=i == 9, photos={codes[i % 3]: 1})
        done[recheck] = t.inspect(recheck, photos={earlier_hazard["item_code"]: 1})
        assert not t.sync().ok
        # day 3: a correction of day 1's record; the office withdraws the last visit
        t.clock.set(today - timedelta(days=1))
        for i in range(14, VISITS - 1):
            done[v[i]] = t.inspect(v[i], photos={codes[0]: 1})
        corrected = done[v[3]]["uuid"]
        t.insp.reopen(corrected, "第1项核查情况填写有误，更正")
        t.insp.set_note(corrected, codes[0], "更正：责任制文件已于去年修订")
        t.insp.finish(corrected)
        office.withdraw(visits[-1]["visit"], "企业已停产关闭，任务取消")
        assert t.store.unsent_count() == VISITS  # 19 visits + the 复查, all on the tablet

        # back in signal range, but a poor one: connections drop and stall
        link.state.down = False
        link.state.cut_every, link.state.stall_every = 150 * 1024, 420 * 1024
        reports = []
        while t.store.unsent_count() and len(reports) < 60:
            reports.append(t.sync())
        stuck = t.store.all(
            "SELECT r.visit_id, o.state, o.last_status, o.last_error FROM records r"
            " LEFT JOIN outbox o ON o.record_uuid = r.uuid"
            " WHERE o.state IS NULL OR o.state != 'sent'")
        assert not stuck, ([tuple(x) for x in stuck], [r.error for r in reports])
        while not reports[-1].ok and len(reports) < 70:  # the final pull, too
            reports.append(t.sync())
        assert reports[-1].ok
        assert link.cuts > 0 and link.stalls > 0  # the link really dropped and stalled
        assert (
            any(r.stalled for r in reports) and len(reports) >= 2
        )  # a run ended, the next resumed

        # that evening an error is noticed in a record already on the server: an
        # amendment, which the server keeps as a new version
        amended = done[v[5]]["uuid"]
        t.insp.reopen(amended, "第3项说明漏写整改建议，补充")
        t.insp.set_note(amended, codes[2], "补充：建议增设可燃气体报警器")
        t.insp.finish(amended)
        while t.store.unsent_count() and len(reports) < 90:
            reports.append(t.sync())
        assert t.store.unsent_count() == 0

        # the withdrawn visit left the tablet; nothing of it reached the server
        assert t.store.package(v[-1]) is None
        held = office.held()
        assert not [h for h in held.values() if visit_code(h["visit"]) == v[-1]]

        # exactly what was done: every record, version, result and photo placement
        local = {
            r["uuid"]: r["visit_id"] for r in t.store.all("SELECT uuid, visit_id FROM records")
        }
        field_visits = set(v) | {recheck}
        on_server = {u for u, h in held.items() if visit_code(h["visit"]) in field_visits}
        assert on_server == set(local) and len(local) == VISITS  # 19 visits + the 复查
        for uuid, visit in local.items():
            rec, h = t.insp.view(uuid), held[uuid]
            assert h["blobs_ok"], visit  # every photo and signature, all its bytes
            assert h["versions"] == (2 if uuid == amended else 1), visit
            body = h["body"]
            assert {i["code"]: (i["result"], i["note"]) for i in body["items"]} == {
                i["code"]: (i["result"], i["note"]) for i in rec["items"]
            }
            assert _placement(body) == sorted((a["sha256"], a["item_code"], a["hazard_id"])
                                              for a in rec["attachments"])  # fmt: skip
            assert [h_["id"] for h_ in body["hazards"]] == [x["id"] for x in rec["hazards"]]
        refused = held[done[v[9]]["uuid"]]["body"]["signatures"]
        assert [s.get("refused", False) for s in refused] == [False, False, True]
        fixed = held[corrected]["body"]  # corrected offline, before it was ever sent
        assert next(i for i in fixed["items"] if i["code"] == codes[0])["note"].startswith("更正")
        fixed = held[amended]["body"]
        assert next(i for i in fixed["items"] if i["code"] == codes[2])["note"].startswith("补充")
        assert fixed["base_version"] == 1
        hazard_rec = held[done[v[1]]["uuid"]]["body"]
        (hz,) = hazard_rec["hazards"]
        assert [a["hazard_id"] for a in hazard_rec["attachments"]
                if a["item_code"] == codes[1]] == [hz["id"]]  # fmt: skip
        recheck_body = held[done[recheck]["uuid"]]["body"]
        item = next(i for i in recheck_body["items"] if i["code"] == earlier_hazard["item_code"])
        assert item["result"] == "compliant"  # 已整改, with its new photo on that item
        assert [a["item_code"] for a in recheck_body["attachments"]] == [item["code"]]
        print(
            f"\nfield day: {len(local)} records, {len(reports)} sync runs through the "
            f"link ({link.connections} connections, {link.cuts} cut, {link.stalls} stalled)"
        )
    finally:
        if link is not None:
            link.close()
        server.stop()
