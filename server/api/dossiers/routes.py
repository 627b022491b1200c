"""Dossier downloads: 一案一卷 PDF, single documents, 一企一档 PDF."""

from __future__ import annotations

from flask import Response
from flask_smorest import abort

from ...auth import STAFF, roles_required
from ...extensions import db
from ...models.document import CaseDocument
from ...services import cases as case_service
from ...services import dossiers, enterprise_file
from ...web.download import attachment
from .. import Blueprint

blp = Blueprint("dossiers", __name__, url_prefix="/api/v1/dossiers",
                description="一案一卷、一企一档")

_PDF = {"200": {"description": "PDF", "content": {"application/pdf": {}}}}


def pdf_response(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers=attachment(name, inline=True))


@blp.route("/cases/<int:case_id>.pdf")
@roles_required(*STAFF)
@blp.doc(responses=_PDF)
def case_pdf(case_id: int):
    case = case_service.get(case_id)
    return pdf_response(dossiers.pdf_of(case), f"{case.case_no}.pdf")


@blp.route("/documents/<int:document_id>.pdf")
@roles_required(*STAFF)
@blp.doc(responses=_PDF)
def document_pdf(document_id: int):
    doc = db.session.get(CaseDocument, document_id)
    if doc is None:
        abort(404, message=f"文书{document_id}不存在")
    return pdf_response(doc.pdf, f"document-{doc.id}.pdf")


@blp.route("/enterprises/<uscc>.pdf")
@roles_required(*STAFF)
@blp.doc(responses=_PDF)
def enterprise_pdf(uscc: str):
    return pdf_response(enterprise_file.build(uscc).pdf, f"{uscc}.pdf")
