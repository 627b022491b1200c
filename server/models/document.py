"""文号 sequences and the enforcement documents issued with them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from ._types import utcnow


class DocumentSequence(db.Model):
    """The last 文号 used per bureau, document kind and year.

    Numbers are taken with ``UPDATE … SET last = last + 1 … RETURNING`` inside
    the transaction that stores the document: the row lock serialises
    concurrent issuers and a rollback gives the number back, so there are
    neither duplicates nor gaps.
    """

    __tablename__ = "document_sequences"
    __table_args__ = (sa.UniqueConstraint("bureau", "kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(32))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)


class CaseDocument(db.Model):
    """A generated document (PDF) of a case. Issued once, never changed."""

    __tablename__ = "case_documents"
    __table_args__ = (sa.UniqueConstraint("bureau", "kind", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    title: Mapped[str] = mapped_column(sa.String(100))
    bureau: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    seq: Mapped[int | None]  # None for documents without a 文号 (draw record, closing form)
    number: Mapped[str] = mapped_column(sa.String(64), default="")
    issued_on: Mapped[date]
    # Which reinspection (by seq) a 复查意见书 belongs to; 0 otherwise.
    ref: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    pages: Mapped[int]
    pdf: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    created_by: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(CaseDocument, "before_update")
@event.listens_for(CaseDocument, "before_delete")
def _issued_documents_are_final(_mapper, _conn, _target):
    raise PermissionError("an issued document is final; issue a new one instead")
