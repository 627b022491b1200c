"""`make run`'s demo has an archived case with findings, photos and a 复查, and the
console shows cases, the dossier, what is missing, and 一企一档."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

from server.extensions import db
from server.models import DrawRecord
from server.models.case import Case
from server.services import dossiers
from server.services.demo_data import load_demo
from server.services.followup import record_for_visit


@pytest.fixture(autouse=True)
def _fresh_caller(app):
    """The app context stays open across requests here; forget the last caller."""

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)


def login(client, username: str) -> str:
    """Log in through the form; returns the new session's CSRF token."""
    client.get("/console/login")
    with client.session_transaction() as sess:
        token = sess.get("csrf") or "t"
        sess["csrf"] = token
    resp = client.post("/console/login", data={"username": username, "password": "suicha2024",
                                               "csrf_token": token})
    assert resp.status_code == 302
    client.get("/console/cases")  # a page with a form issues the session's token
    with client.session_transaction() as sess:
        return sess["csrf"]


def test_demo_has_an_archived_case_with_a_real_dossier(ctx, client, runner, tmp_path):
    ctx.config["DEMO_CASES"] = True  # off by default under TESTING (other suites count rows)
    counts = load_demo()
    case = db.session.get(Case, counts["archived_case"])
    assert case.state == "archived" and case.archive_no
    assert case.findings == 1 and case.reinspections[0].result == "rectified"
    # From a real committed-seed draw to the archive, every state in order.
    assert case.visit.task.plan.status == "published"
    assert db.session.get(DrawRecord, case.visit.draw_record_id).kind == "draw"
    assert [e.to_state for e in case.events] == [
        "drawn", "notified", "inspected", "orders_issued", "rectification_reported",
        "reinspection", "reinspected", "closed", "archived"]
    photos = [a for a in record_for_visit(case.visit_id).data["attachments"]
              if a["kind"] == "photo"]
    assert len(photos) >= 5 and all(a["sha256"] != a["original"]["sha256"] for a in photos)
    assert not dossiers.missing(case)
    out = runner.invoke(args=["dossier", "export", str(case.id), str(tmp_path / "bag")])
    assert out.exit_code == 0, out.output
    assert runner.invoke(args=["dossier", "verify", str(tmp_path / "bag")]).exit_code == 0
    listed = runner.invoke(args=["case", "list", "--state", "archived", "--json"])
    assert listed.exit_code == 0 and case.archive_no in listed.output

    login(client, "archivist")
    page = client.get("/console/cases").get_data(as_text=True)
    assert case.case_no in page and "已归档" in page
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    for text in ("第1版", "责令限期整改指令书", "整改复查意见书", "办理过程", "提交更正"):
        assert text in page, text
    # the history names the record by what it is, not by its UUID
    assert "现场检查记录（第1版）已同步" in page and case.record_uuid not in page
    pdf = client.get(f"/console/cases/{case.id}/dossier.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    zipped = client.get(f"/console/cases/{case.id}/dossier.zip")
    assert zipped.status_code == 200 and zipped.data[:2] == b"PK"
    uscc = case.enterprise.uscc
    page = client.get(f"/console/enterprise-file?uscc={uscc}").get_data(as_text=True)
    assert case.case_no in page and "历次检查" in page
    assert client.get(f"/console/enterprise-file/{uscc}.pdf").data.startswith(b"%PDF")


def test_console_lists_what_is_missing_and_overdue(ctx, client):
    from server.services.cases import ensure_cases
    from tests.server import factories as f

    ctx.config["DEMO_CASES"] = True
    load_demo()
    f.make_sync_visit(f.make_sync_task())
    ensure_cases()
    open_case = db.session.scalars(sa.select(Case).where(Case.state != "archived")).first()
    login(client, "dispatcher")
    page = client.get(f"/console/cases/{open_case.id}").get_data(as_text=True)
    assert "归档前还缺少" in page and "案件尚未办结" in page
    page = client.get("/console/cases").get_data(as_text=True)
    assert "逾期事项" in page


def test_console_forms_act_review_and_refuse_without_csrf(ctx, client, monkeypatch):
    from datetime import date

    from server.services import dispatch
    from tests.server import factories as f
    from tests.server.services import test_cases_support as s

    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))
    load_demo()  # the demo users (no demo case under TESTING)
    a, b = f.make_inspector(), f.make_inspector()
    task = f.make_sync_task()
    visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
    dispatch.dispatch_task(task.task_no, "d")
    rec, blobs = s.inspection_record(visit)
    s.sync(client, s.tablet(a), rec, blobs)
    from server.services.cases import all_cases

    case = all_cases()[0]
    token = login(client, "dispatcher")
    url = f"/console/cases/{case.id}/act"
    assert client.post(url, data={"action": "issue_orders"}).status_code == 400  # no token
    resp = client.post(url, data={"action": "issue_orders", "csrf_token": token},
                       follow_redirects=True)
    assert "已办理" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "orders_issued"
    resp = client.post(url, data={"action": "escalate", "to": "penalty", "reason": "拒不整改",
                                  "csrf_token": token}, follow_redirects=True)
    assert "待法制审核" in resp.get_data(as_text=True)
    token = login(client, "reviewer")
    resp = client.post(f"/console/cases/{case.id}/review", data={
        "approve": "1", "note": "同意立案", "csrf_token": token}, follow_redirects=True)
    assert "法制审核意见已记录" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "penalty"
