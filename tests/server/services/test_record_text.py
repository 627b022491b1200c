"""Text typed on a tablet may carry bidi or zero-width characters; the case and
its documents use it without them (the record's bytes stay as sent)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from server.extensions import db
from server.models import SyncRecordVersion
from server.models.case import Case, CaseHazard
from server.services import dispatch
from server.services.case_documents import documents_of
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _bureau_day(fresh_caller, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))


def test_invisible_characters_never_reach_the_case_or_its_pdf(ctx, client):
    a, b = f.make_inspector(name="张明"), f.make_inspector(name="刘芳")
    visit = f.make_sync_visit(f.make_sync_task(), [a, b], codes=s.CODES)
    dispatch.dispatch_task(visit.task.task_no, "dispatcher")
    rec, blobs = s.inspection_record(visit)
    rec["signatures"][-1]["name"] = "王\u202e五\u200b"  # RLO + zero-width space
    rec["hazards"][0]["description"] = "危化品\u2066库房\u200d未设置机械通风"
    s.sync(client, s.tablet(a), rec, blobs)

    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))
    hazard = db.session.scalar(sa.select(CaseHazard).where(CaseHazard.case_id == case.id))
    assert hazard.description == "危化品库房未设置机械通风"
    (doc,) = documents_of(case, "inspection_record")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(doc.pdf)).pages)
    assert "王五" in text and "\u202e" not in text and "\u200b" not in text
    stored = db.session.scalar(sa.select(SyncRecordVersion.body).where(
        SyncRecordVersion.uuid == rec["uuid"]))
    assert "\u202e".encode() in stored  # the evidence itself is untouched
