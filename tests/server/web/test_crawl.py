"""Must-show 2: every console and public page, as every role and anonymously,
answers without a 5xx and shows no Latin-letter code, login name, CLI flag,
library name or UTC time where a person reads.

The bureau is the demo county with its archived demo case, the test plan (one
open and one 暗查 task, drawn and dispatched), a published, a pending and a
rejected result, and a withdrawn visit – so that every screen has rows.
"""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.localtime import MINUTES
from server.models import AuditLog, DeviceToken, DrawRecord, Task, User
from server.models.case import CaseEvent
from server.models.sync import Dispatch
from server.services import dispatch as dispatching
from server.services import publication as pub
from shared.enums import Outcome, Role
from tests.server.web import crawl, dataset
from tests.server.web.conftest import csrf

CONSOLE_STARTS = ["/console/", "/console/registries/enterprises",
                  "/console/registries/inspectors", "/console/registries/experts",
                  "/console/registries/items", "/console/plans", "/console/dispatch",
                  "/console/publication", "/console/dashboard", "/console/users",
                  "/console/calendar", "/console/cases", "/console/enterprise-file",
                  "/console/audit", "/console/schedule",
                  "/console/enterprise-file?q=加油站", "/console/no-such-page"]
PUBLIC_STARTS = ["/public/", "/public/no-such-page", "/public/tasks/NO-SUCH"]


def _bureau(app) -> None:
    app.config["DEMO_CASES"] = True
    dataset.build()
    visits = dataset.visits(dataset.OPEN_TASK)
    dispatching.dispatch_task(dataset.OPEN_TASK, "dispatcher")
    dispatching.withdraw_visit(visits[-1].id, "dispatcher", "企业停产，撤回检查")
    for v in visits[:3]:  # a result is proposed once the inspection is done (issue 16)
        v.status = "inspected"
    db.session.commit()
    approved = pub.propose_result(visits[0].id, Outcome.NO_PROBLEM, visits[0].task.window_start,
                                  [], actor="system")
    pub.approve_result(approved.id, "reviewer", revision=approved.revision)
    rejected = pub.propose_result(visits[1].id, Outcome.PENDING, visits[1].task.window_start,
                                  [], actor="system")
    pub.reject_result(rejected.id, "reviewer", "检查事项与记录不符，请核对")
    pub.propose_result(visits[2].id, Outcome.CORRECTED, visits[2].task.window_start, [],
                       actor="system")


def _utc_times() -> set[str]:
    """Every stored time as a UTC "YYYY-MM-DD HH:MM": none may appear on a page."""
    columns = (CaseEvent.at, Dispatch.dispatched_at, DrawRecord.created_at, AuditLog.at,
               Task.committed_at, DeviceToken.created_at, DeviceToken.last_seen_at)
    out: set[str] = set()
    for column in columns:
        out |= {t.strftime(MINUTES) for t in db.session.scalars(sa.select(column)) if t}
    return out


def _login(client, username: str) -> None:
    client.get("/console/login")
    resp = client.post("/console/login", data={"username": username, "password": "suicha2024",
                                               "csrf_token": csrf(client)})
    assert resp.status_code == 302, username


def _check(client, starts, logins, utc) -> tuple[int, list[str]]:
    problems, pages = [], 0
    for url, status, text in crawl.crawl(client, starts):
        pages += 1
        if status >= 500:
            problems.append(f"{url}: {status}")
        if text is not None:
            problems += [f"{url}: {f}" for f in crawl.findings(text, logins, utc)]
    return pages, problems


def test_every_page_as_every_role_reads_in_chinese_without_errors(app, client):
    with app.app_context():
        _bureau(app)
        logins = set(db.session.scalars(sa.select(User.username)))
        utc = _utc_times()
    assert utc, "the crawl must have stored times to look for"
    report = {}
    for role in Role:
        username = {Role.INSPECTOR: "inspector1"}.get(role, role.value)
        client.post("/console/logout", data={"csrf_token": csrf(client)})
        _login(client, username)
        report[role.value] = _check(client, CONSOLE_STARTS + PUBLIC_STARTS, logins, utc)
    client.post("/console/logout", data={"csrf_token": csrf(client)})
    report["anonymous"] = _check(client, PUBLIC_STARTS + ["/console/"], logins, utc)
    problems = [p for _n, found in report.values() for p in found]
    assert not problems, "\n".join(problems[:80])
    # The crawl reached the screens it is meant to check.
    assert report["admin"][0] > 40 and report["anonymous"][0] > 6
