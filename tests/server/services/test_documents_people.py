"""Documents name people by their 姓名, never their login, and print times on the
bureau's clock (the database keeps UTC)."""

from __future__ import annotations

import subprocess
from datetime import datetime

import sqlalchemy as sa

from server.extensions import db
from server.models import CaseDocument, DrawRecord, User
from server.models.case import Case
from server.services import case_documents, draw_documents
from server.services.demo_data import load_demo


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return "".join(out.split())


def _name(username: str) -> str:
    return db.session.scalars(sa.select(User.display_name)
                              .where(User.username == username)).one()


def test_draw_record_names_the_operator_and_shows_bureau_time(ctx, tmp_path):
    ctx.config["DEMO_CASES"] = True
    case = db.session.get(Case, load_demo()["archived_case"])
    rec = db.session.get(DrawRecord, case.visit.draw_record_id)
    operator = _name(rec.actor)
    with db.session.no_autoflush:  # a draw record is append-only: only this render sees it
        rec.created_at = datetime(2026, 10, 3, 20, 30)  # UTC: 04:30 next morning in the bureau
        text = _text(draw_documents.render_draw_record(case), tmp_path)
        db.session.expunge(rec)  # never written
    assert f"操作人{operator}" in text and "dispatcher" not in text
    assert "抽取时间2026-10-0404:30:00" in text


def test_closing_form_names_the_officer_and_the_reviewer(ctx, tmp_path):
    ctx.config["DEMO_CASES"] = True
    case = db.session.get(Case, load_demo()["archived_case"])
    closing = db.session.scalars(sa.select(CaseDocument).where(
        CaseDocument.case_id == case.id, CaseDocument.kind == "closing")).one()
    text = _text(closing.pdf, tmp_path)
    assert f"承办人{_name('dispatcher')}" in text and "dispatcher" not in text

    review = {"by": "reviewer", "at": "2026-10-27T17:10:00", "note": "同意"}  # UTC
    pdf = case_documents.issue_closing(case, "archivist", "复查合格", case.closed_on,
                                       review).pdf
    text = _text(pdf, tmp_path)
    assert f"承办人{_name('archivist')}" in text
    assert f"法制审核{_name('reviewer')}于2026-10-28审核通过：同意" in text
    db.session.rollback()
