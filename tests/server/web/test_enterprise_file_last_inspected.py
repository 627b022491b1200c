"""一企一档's 上次检查 agrees with the 历次检查 it shows (outside finding 14: it said
无 right above a listed inspection, because the registry date moved only when a
case was closed). The record's arrival moves it, audited; and a file whose
registry date was never moved still shows its latest listed inspection, on the
page and in the PDF's overview."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog
from server.models.case import Case
from server.services import dispatch
from shared.enums import Role
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))


@pytest.fixture
def inspected(ctx, client):
    """A visit whose record (dated 2024-03-05, one hazard) has arrived: the case is
    open (已检查), nobody has closed it."""
    a, b = f.make_inspector(), f.make_inspector()
    visit = f.make_sync_visit(f.make_sync_task(), [a, b], codes=s.CODES)
    dispatch.dispatch_task(visit.task.task_no, "test")
    s.sync(client, s.tablet(a), *s.inspection_record(visit))
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))
    assert case.state == "inspected" and case.inspected_on == date(2024, 3, 5)
    return visit.enterprise


def _last_inspected_cell(client, uscc: str) -> str:
    page = client.get("/console/enterprise-file", query_string={"q": uscc})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<td>2024-03-05</td>" in html.split("历次检查")[1]  # the history lists it
    return re.search(r"<th>上次检查</th><td>([^<]*)</td>", html).group(1)


def test_the_records_arrival_moves_the_last_inspection_date(client, login, inspected):
    db.session.expire_all()
    assert inspected.last_inspected == date(2024, 3, 5)
    audit = db.session.scalar(sa.select(AuditLog).where(
        AuditLog.entity == "enterprises", AuditLog.entity_key == inspected.uscc))
    assert audit.after == {"last_inspected": "2024-03-05"} and "现场检查记录" in audit.source
    login(Role.DISPATCHER)
    assert _last_inspected_cell(client, inspected.uscc) == "2024-03-05"


def test_a_file_whose_registry_date_never_moved_agrees_with_its_history(
        client, login, inspected, tmp_path):
    inspected.last_inspected = None  # as stored before records moved it
    db.session.commit()
    login(Role.ARCHIVIST)
    assert _last_inspected_cell(client, inspected.uscc) == "2024-03-05"
    pdf = client.get(f"/console/enterprise-file/{inspected.uscc}.pdf")
    assert pdf.status_code == 200
    (tmp_path / "file.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-l", "3", str(tmp_path / "file.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    overview = text[text.index("上次检查日期"):]
    assert re.match(r"上次检查日期\s+2024-03-05", overview), overview[:80]
