"""GET /api/v1/sync/pull: packages per inspector, cursor, withdrawals, secrecy of 暗查."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from server.services import dispatch as dispatch_service
from server.services.dispatch import dispatch_task, reassign_visit, withdraw_visit
from shared.enums import Role
from shared.schemas import PullResponseSchema
from tests.server import factories as f

pytestmark = pytest.mark.usefixtures("fresh_caller")


@pytest.fixture
def day(monkeypatch):
    """Set the bureau's calendar day: ``day(date(…))``."""
    current = {"d": date(2024, 2, 20)}
    monkeypatch.setattr(dispatch_service, "today", lambda: current["d"])
    return lambda d: current.__setitem__("d", d)


def bearer(inspector) -> dict[str, str]:
    return {"Authorization": f"Bearer {f.make_token(Role.INSPECTOR, inspector=inspector)}"}


def pull(client, headers, cursor=None):
    resp = client.get("/api/v1/sync/pull", query_string={"cursor": cursor} if cursor else {},
                      headers=headers)
    assert resp.status_code == 200, resp.json
    body = resp.json
    PullResponseSchema().load(body)  # exactly what the tablet validates
    return body, resp


def test_full_pull_has_everything_for_offline_work_and_nothing_more(ctx, client, day):
    a, b = f.make_inspector(name="张三"), f.make_inspector(name="李四")
    ent = f.make_enterprise(credit_class="D", phone="13900000000")
    task = f.make_sync_task(window_start=date(2024, 3, 1), window_end=date(2024, 3, 31))
    v = f.make_sync_visit(task, [a, b], enterprise=ent)
    dispatch_task(task.task_no, "x")
    body, resp = pull(client, bearer(a))
    assert body["withdrawn"] == [] and len(body["packages"]) == 1
    pkg = body["packages"][0]
    assert pkg["visit_id"] == f"V{v.id:06d}"
    assert pkg["task"]["task_no"] == task.task_no and pkg["task"]["window_start"] == "2024-03-01"
    assert pkg["team"] == [{"cert_no": a.cert_no, "name": "张三", "leader": True},
                           {"cert_no": b.cert_no, "name": "李四", "leader": False}]
    assert pkg["enterprise"]["uscc"] == ent.uscc
    assert pkg["history"] == {"previous_results": [], "open_hazards": []}
    assert [i["code"] for i in pkg["items"]] == ["WH-01", "WH-02"]
    assert pkg["items"][0]["legal_basis"] == "《安全生产法》第01条"
    assert pkg["notice"]["doc_no"].startswith("（示）应急抽通")
    raw = resp.get_data(as_text=True)
    assert "credit" not in raw and '"D"' not in raw  # never in a package
    assert pkg["enterprise"]["contact_phone"] == "13900000000"  # whom the inspector calls


def test_no_change_pull_is_one_small_response(ctx, client, day):
    a = f.make_inspector()
    task = f.make_sync_task()
    for _ in range(3):
        f.make_sync_visit(task, [a, f.make_inspector()])
    dispatch_task(task.task_no, "x")
    h = bearer(a)
    first, _ = pull(client, h)
    again, resp = pull(client, h, first["cursor"])
    assert again == {"cursor": first["cursor"], "packages": [], "withdrawn": [],
                     "withdrawn_reasons": {}, "bureau_timezone": "Asia/Shanghai"}
    assert len(resp.data) <= 2048


def test_incremental_pull_sends_changes_and_withdrawals(ctx, client, day):
    a, b, c = (f.make_inspector() for _ in range(3))
    task = f.make_sync_task()
    v1 = f.make_sync_visit(task, [a, b])
    dispatch_task(task.task_no, "x")
    ha, hb, hc = bearer(a), bearer(b), bearer(c)
    ca, cb = pull(client, ha)[0]["cursor"], pull(client, hb)[0]["cursor"]
    cc = pull(client, hc)[0]["cursor"]
    v2 = f.make_sync_visit(task, [a, c])
    dispatch_task(task.task_no, "x")
    reassign_visit(v1.id, [(a.id, True), (c.id, False)], "x", "调整")
    body_a = pull(client, ha, ca)[0]
    assert sorted(p["visit_id"] for p in body_a["packages"]) == [f"V{v1.id:06d}", f"V{v2.id:06d}"]
    assert body_a["withdrawn"] == []
    body_b = pull(client, hb, cb)[0]
    assert body_b["packages"] == [] and body_b["withdrawn"] == [f"V{v1.id:06d}"]
    assert body_b["withdrawn_reasons"] == {f"V{v1.id:06d}": "检查组已调整，您不再承担该任务"}
    body_c = pull(client, hc, cc)[0]
    assert len(body_c["packages"]) == 2
    withdraw_visit(v2.id, "x", "任务取消")
    body = pull(client, hc, body_c["cursor"])[0]
    assert body["withdrawn"] == [f"V{v2.id:06d}"]
    assert body["withdrawn_reasons"] == {f"V{v2.id:06d}": "任务取消"}  # the office's words


def test_an_inspector_never_receives_another_teams_tasks(ctx, client, day):
    a, a2, b, b2 = (f.make_inspector() for _ in range(4))
    task = f.make_sync_task()
    f.make_sync_visit(task, [a, a2])
    theirs = f.make_sync_visit(task, [b, b2])
    dispatch_task(task.task_no, "x")
    body, resp = pull(client, bearer(a))
    assert [p["visit_id"] for p in body["packages"]] != [f"V{theirs.id:06d}"]
    assert len(body["packages"]) == 1
    assert theirs.enterprise.uscc not in resp.get_data(as_text=True)
    # An inspector on no team gets nothing at all.
    assert pull(client, bearer(f.make_inspector()))[0]["packages"] == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DISPATCHER, Role.ARCHIVIST, Role.REVIEWER])
def test_non_inspectors_cannot_pull(ctx, client, role):
    h = {"Authorization": f"Bearer {f.make_token(role)}"}
    assert client.get("/api/v1/sync/pull", headers=h).status_code == 403


def test_unannounced_visit_never_brings_a_notice_to_the_tablet(ctx, client, day):
    a, b = f.make_inspector(), f.make_inspector()
    task = f.make_sync_task(unannounced=True, window_start=date(2024, 3, 10),
                            window_end=date(2024, 3, 20))
    f.make_sync_visit(task, [a, b])
    dispatch_task(task.task_no, "x")
    from server.extensions import db
    from server.models import Dispatch

    assert db.session.scalar(db.select(Dispatch.notice_no)) is None  # no notice, no number
    h = bearer(a)
    cursor = None
    for today in (date(2024, 2, 20), date(2024, 3, 9), date(2024, 3, 10), date(2024, 3, 15)):
        day(today)
        body, resp = pull(client, h)
        assert body["packages"][0]["task"]["unannounced"] is True
        assert body["packages"][0]["notice"] is None
        assert "应急抽通" not in resp.get_data(as_text=True)
        if cursor:  # the window opening changes nothing in the package
            assert pull(client, h, cursor)[0]["packages"] == []
        cursor = body["cursor"]


@pytest.mark.parametrize("cursor", ["garbage", "1.x.20240101", "2.0.20240101", "1.99.20240101",
                                    "1.0.29991231"])
def test_a_cursor_the_server_does_not_understand_is_410(ctx, client, day, cursor):
    resp = client.get("/api/v1/sync/pull", query_string={"cursor": cursor},
                      headers=bearer(f.make_inspector()))
    assert resp.status_code == 410 and resp.json["message"]


def test_history_carries_previous_results_from_the_case_workflow(ctx, client, day):
    from server.extensions import db
    from server.models.case import Case

    a, b = f.make_inspector(), f.make_inspector()
    ent = f.make_enterprise()
    last_year = f.make_sync_visit(f.make_sync_task(), [a, b], enterprise=ent)
    # The draw opened its case; say it was closed last year.
    case = db.session.scalar(db.select(Case).where(Case.visit_id == last_year.id))
    case.state, case.opened_on = "closed", date(2023, 5, 1)
    case.inspected_on, case.outcome = date(2023, 5, 10), "corrected"
    db.session.commit()
    task = f.make_sync_task()
    f.make_sync_visit(task, [a, b], enterprise=ent)
    dispatch_task(task.task_no, "x")
    pkg = pull(client, bearer(a))[0]["packages"][0]
    assert pkg["history"]["previous_results"] == [{"date": "2023-05-10", "outcome": "corrected"}]


# -- a pull builds all its packages in a fixed number of statements ---------------------

@contextmanager
def statements():
    """The SQL statements run inside the block, from a fresh session (nothing cached)."""
    from server.extensions import db

    db.session.remove()
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def team_with_history(n: int, version, task, old_task):
    """An inspector leading *n* dispatched visits: every other enterprise has a closed case
    of last year with an open and a rectified hazard, a third of the visits use the latest
    item list (no version of their own), one item code is no longer on any list."""
    from server.extensions import db
    from server.models.case import Case, CaseHazard

    lead = f.make_inspector()
    for i in range(n):
        ent = f.make_enterprise()
        if i % 2:
            old = f.make_sync_visit(old_task, [lead, f.make_inspector()], enterprise=ent,
                                    item_version=version)
            case = db.session.scalar(db.select(Case).where(Case.visit_id == old.id))
            case.state, case.opened_on = "closed", date(2023, 5, 1)
            case.inspected_on, case.outcome = date(2023, 5, 10 + i % 7), "corrected"
            for status in ("open", "rectified"):
                case.hazards.append(CaseHazard(
                    hazard_uuid=str(uuid.uuid4()), description=f"隐患{i}{status}",
                    level="general", deadline=date(2023, 6, 1), status=status))
            db.session.add(case)
            db.session.commit()
        visit = f.make_sync_visit(task, [lead, f.make_inspector()], enterprise=ent,
                                  item_version=version, codes=("WH-01", "WH-02", "GONE-9"))
        if i % 3 == 0:
            visit.item_version = None
    db.session.commit()
    dispatch_task(task.task_no, "x")
    return lead


def test_a_full_pull_costs_the_same_statements_for_5_or_30_packages(ctx, client, day):
    f.make_item_version(("WH-01",))  # an older list: versions are told apart
    version = f.make_item_version(("WH-01", "WH-02"))
    old_task = f.make_sync_task(window_start=date(2023, 5, 1), window_end=date(2023, 5, 31))
    few = bearer(team_with_history(5, version, f.make_sync_task(), old_task))
    many = bearer(team_with_history(30, version, f.make_sync_task(unannounced=True), old_task))
    with statements() as for_few:
        assert len(pull(client, few)[0]["packages"]) == 5
    with statements() as for_many:
        body = pull(client, many)[0]
    assert len(body["packages"]) == 30
    # 13: the pull's queries, the withdrawal reasons (issue 18) and the token's
    # once-a-minute last-seen mark (issue 16); what matters is that 30 cost as 5.
    assert len(for_many) == len(for_few) <= 13, for_many


def test_an_incremental_pull_costs_the_same_statements_for_3_or_20_packages(ctx, client, day):
    counts = []
    for n in (3, 20):  # (made afresh each time: counting starts from an empty session)
        version = f.make_item_version(("WH-01", "WH-02"))
        old_task = f.make_sync_task(window_start=date(2023, 5, 1), window_end=date(2023, 5, 31))
        task = f.make_sync_task()
        lead = team_with_history(1, version, task, old_task)
        h = bearer(lead)
        cursor = pull(client, h)[0]["cursor"]
        for _ in range(n):
            f.make_sync_visit(task, [lead, f.make_inspector()], item_version=version)
        dispatch_task(task.task_no, "x")
        with statements() as seen:
            assert len(pull(client, h, cursor)[0]["packages"]) == n
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def test_batched_packages_carry_each_enterprises_own_history_and_items(ctx, client, day):
    """The batch path gives what the one-enterprise functions give, package by package."""
    from server.extensions import db
    from server.models import Visit
    from server.services.enterprise_file import package_history

    version = f.make_item_version(("WH-01", "WH-02"))
    f.make_item_version(("WH-01",))  # the latest list lacks WH-02
    old_task = f.make_sync_task(window_start=date(2023, 5, 1), window_end=date(2023, 5, 31))
    lead = team_with_history(8, version, f.make_sync_task(), old_task)
    body = pull(client, bearer(lead))[0]
    assert len(body["packages"]) == 8
    for pkg in body["packages"]:
        visit = db.session.get(Visit, int(pkg["visit_id"][1:]))
        assert pkg["history"] == package_history(visit.enterprise_id)
        assert pkg["enterprise"]["uscc"] == visit.enterprise.uscc
        assert [m["cert_no"] for m in pkg["team"]] == [
            m.inspector.cert_no for m in visit.members]
        names = [i["name"] for i in pkg["items"]]
        if visit.item_version is None:  # the latest list: WH-02 and GONE-9 are codes only
            assert names == ["检查事项WH-01", "WH-02", "GONE-9"]
        else:
            assert names == ["检查事项WH-01", "检查事项WH-02", "GONE-9"]
        assert pkg["items"][-1] == {"code": "GONE-9", "name": "GONE-9", "sub_item": "",
                                    "legal_basis": "", "content": "", "method": None,
                                    "category": None}
    with_cases = [p for p in body["packages"] if p["history"]["previous_results"]]
    assert len(with_cases) == 4
    for pkg in with_cases:  # only the open hazard of the case travels
        (hazard,) = pkg["history"]["open_hazards"]
        assert hazard["description"].endswith("open") and hazard["deadline"] == "2023-06-01"


def test_office_withdraws_a_visit_over_http_and_the_tablet_hears_of_it(ctx, client, day):
    a, b = f.make_inspector(), f.make_inspector()
    task = f.make_sync_task()
    v = f.make_sync_visit(task, [a, b])
    dispatch_task(task.task_no, "x")
    cursor = pull(client, bearer(a))[0]["cursor"]
    office = {"Authorization": f"Bearer {f.make_token(Role.DISPATCHER)}"}
    url = f"/api/v1/visits/V{v.id:06d}/withdraw"

    assert client.post(url, json={"reason": "企业已关闭"}, headers=bearer(a)).status_code == 403
    for body in ({}, {"reason": "   "}, {"reason": "x" * 201}):
        resp = client.post(url, json=body, headers=office)
        assert resp.status_code in (400, 422) and resp.json["message"], body
    for bad in ("V", "X000001", "V99999999999999999999"):
        resp = client.post(f"/api/v1/visits/{bad}/withdraw", json={"reason": "r"},
                           headers=office)
        assert resp.status_code == 404 and "无效" in resp.json["message"]
    assert pull(client, bearer(a), cursor)[0]["withdrawn"] == []  # nothing changed so far

    resp = client.post(url, json={"reason": "企业已关闭"}, headers=office)
    assert resp.status_code == 200, resp.json
    assert resp.json == {"visit_id": f"V{v.id:06d}", "events": 2}
    assert pull(client, bearer(a), cursor)[0]["withdrawn"] == [f"V{v.id:06d}"]
    again = client.post(url, json={"reason": "企业已关闭"}, headers=office)
    assert again.status_code == 409 and "已撤回" in again.json["message"]
