"""The 现场检查记录 PDF prints the enterprise's 联系电话 – the number the tablet's
package carried and showed – and each item's full title, name—sub-item, as the
tablet showed it (outside finding 17: the phone was empty, the titles cut)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from server.extensions import db
from server.models.case import Case
from server.services import dispatch
from server.services.case_documents import documents_of
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _bureau_day(fresh_caller, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))


def test_the_inspection_record_prints_the_contact_phone_and_full_item_titles(ctx, client):
    a, b = f.make_inspector(), f.make_inspector()
    ent = f.make_enterprise(contact="李红", phone="13994785885")
    items = f.make_item_version(s.CODES)
    items.items[0].sub_item = "安全生产责任制"
    db.session.commit()
    visit = f.make_sync_visit(f.make_sync_task(), [a, b], enterprise=ent, codes=s.CODES,
                              item_version=items)
    dispatch.dispatch_task(visit.task.task_no, "dispatcher")
    package = s.call(client, "GET", "/api/v1/sync/pull", s.tablet(a)).json["packages"][0]
    assert package["enterprise"]["contact_phone"] == "13994785885"  # what the tablet shows
    s.sync(client, s.tablet(a), *s.inspection_record(visit))

    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))
    (doc,) = documents_of(case, "inspection_record")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(doc.pdf)).pages)
    assert re.search(r"联系人\s*李红", text), text[:400]
    assert re.search(r"联系电话\s*13994785885", text), text[:400]
    flat = re.sub(r"\s", "", text)
    assert "检查事项WH-01—安全生产责任制" in flat and "检查事项WH-02—" not in flat
