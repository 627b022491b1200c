"""暗查 (unannounced) visits get no 随机抽查通知书, and take no notice number.

Outside finding: a 暗查 visit had a printable notice naming its officers and
dates, and notice numbers ran as one series across tasks, so the gaps between
an announced task's notices told how many 暗查 visits there were.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from server.extensions import db
from server.models import Case, Dispatch, Inspector
from server.models.draw import VisitMember
from server.services.dispatch import dispatch_task
from server.services.dossiers import assemble
from server.services.draw_documents import render_notice
from server.services.plans import get_task
from shared.enums import Role
from tests.server import factories as f
from tests.server.services.demo_plan import demo_with_plan, draw, freeze

ANNOUNCED, SECRET = "CZ-2026-12-01", "CZ-2026-12-02"


def _dispatches(task_no: str) -> list[Dispatch]:
    return list(db.session.scalars(sa.select(Dispatch).where(
        Dispatch.task_id == get_task(task_no).id).order_by(Dispatch.id)))


def test_an_unannounced_visit_has_no_notice_and_no_number(ctx, client, login):
    demo_with_plan()
    for task_no in (ANNOUNCED, SECRET):
        freeze(task_no)
        draw(task_no)
    dispatch_task(SECRET, "dispatcher")  # first: before, it took numbers 1…n
    dispatch_task(ANNOUNCED, "dispatcher")
    secret, announced = _dispatches(SECRET), _dispatches(ANNOUNCED)
    assert secret and announced
    assert all(d.notice_no is None and d.notice_seq is None and d.notice_sent_on is None
               for d in secret)
    # The announced task's notices are numbered 1…n: no gap where 暗查 visits were.
    assert sorted(d.notice_seq for d in announced) == list(range(1, len(announced) + 1))

    # Console: no number, no link, the print route refuses in Chinese.
    login(Role.DISPATCHER)
    page = client.get(f"/console/dispatch?task={SECRET}").get_data(as_text=True)
    assert "暗查，不告知" in page and "应急抽通" not in page
    resp = client.get(f"/console/visits/{secret[0].visit_id}/notice.pdf")
    assert resp.status_code == 404 and "暗查任务不事先告知" in resp.get_data(as_text=True)
    ok = client.get(f"/console/visits/{announced[0].visit_id}/notice.pdf")
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF")

    # Dossier: no notice among the documents of a 暗查 case.
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == secret[0].visit_id))
    assert render_notice(case) is None
    assert "随机抽查通知书" not in str(assemble(case).toc)

    # Tablet package: no notice for the 暗查 visit, even inside its window.
    g.pop("user", None)
    member = db.session.scalars(sa.select(VisitMember).where(
        VisitMember.visit_id == secret[0].visit_id)).first()
    token = f.make_token(Role.INSPECTOR, inspector=db.session.get(Inspector, member.inspector_id),
                         username="tablet-secret")
    body = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).json
    mine = [p for p in body["packages"] if p["task"]["task_no"] == SECRET]
    assert mine and all(p["notice"] is None for p in mine)
