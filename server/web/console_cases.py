"""Console: cases and follow-up, overdue items, 法制审核, archiving, 一企一档."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from flask import Response, flash, g, redirect, render_template, request, url_for

from shared.enums import Outcome, Role

from ..services import cases as service
from ..services import credit, dossiers, enterprise_file
from ..services.case_documents import documents_of
from ..services.followup import overdue
from . import add_nav
from .console import bp, login_required

OFFICE = (Role.ADMIN, Role.DISPATCHER)
READERS = (Role.ADMIN, Role.DISPATCHER, Role.REVIEWER, Role.ARCHIVIST)


def _labels() -> dict:
    return {"states": service.STATES, "actions": service.ACTION_LABELS,
            "outcome_label": lambda c: Outcome(c).label if c else ""}


@bp.route("/cases")
@login_required(*READERS)
def cases():
    state = request.args.get("state") or None
    rows = service.all_cases(state if state in service.STATES else None)
    return render_template("console/cases.html", rows=rows, state=state,
                           late=overdue(service.today()), proposals=credit.proposals(),
                           role=g.user.role, **_labels())


@bp.route("/cases/<int:case_id>")
@login_required(*READERS)
def case_detail(case_id: int):
    case = service.get(case_id)
    allowed = [a for a, states in service.ACTIONS.items() if case.state in states]
    return render_template("console/case.html", case=case, documents=documents_of(case),
                           missing=dossiers.missing(case), versions=dossiers.versions(case),
                           allowed=allowed, role=g.user.role, **_labels())


def _back(case_id: int):
    return redirect(url_for("console.case_detail", case_id=case_id))


def _date(name: str) -> date | None:
    value = request.form.get(name, "").strip()
    return date.fromisoformat(value) if value else None


@bp.route("/cases/<int:case_id>/act", methods=["POST"])
@login_required(*OFFICE)
def case_act(case_id: int):
    form = request.form
    params = {"reported_on": _date("reported_on"), "due_on": _date("due_on"),
              "to": form.get("to") or None, "transfer_to": form.get("transfer_to") or None,
              "team": [c.strip() for c in form.get("team", "").replace("，", ",").split(",")
                       if c.strip()] or None}
    service.act(case_id, form.get("action", ""), g.user.username, g.user.role,
                form.get("reason", ""), **{k: v for k, v in params.items() if v})
    flash("已办理")
    return _back(case_id)


@bp.route("/cases/<int:case_id>/review", methods=["POST"])
@login_required(Role.REVIEWER)
def case_review(case_id: int):
    service.review(case_id, request.form.get("approve") == "1", g.user.username,
                   request.form.get("note", ""))
    flash("法制审核意见已记录")
    return _back(case_id)


@bp.route("/cases/<int:case_id>/archive", methods=["POST"])
@login_required(Role.ARCHIVIST)
def case_archive(case_id: int):
    case = dossiers.archive(case_id, g.user.username, request.form.get("reason", ""))
    flash(f"已归档：{case.archive_no}")
    return _back(case_id)


@bp.route("/cases/<int:case_id>/correct", methods=["POST"])
@login_required(Role.ARCHIVIST)
def case_correct(case_id: int):
    v = dossiers.correct(case_id, g.user.username, request.form.get("reason", ""))
    flash(f"已生成第{v.version}版案卷")
    return _back(case_id)


def _bag_zip(export, name: str) -> Response:
    with tempfile.TemporaryDirectory() as tmp:
        bag = export(Path(tmp) / "bag")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
            for p in sorted(bag.rglob("*")):
                if p.is_file():
                    zf.write(p, f"{name}/{p.relative_to(bag).as_posix()}")
    return Response(buf.getvalue(), mimetype="application/zip",
                    headers={"Content-Disposition": f"attachment; filename={name}.zip"})


@bp.route("/cases/<int:case_id>/dossier.pdf")
@login_required(*READERS)
def case_dossier_pdf(case_id: int):
    case = service.get(case_id)
    return Response(dossiers.pdf_of(case), mimetype="application/pdf")


@bp.route("/cases/<int:case_id>/dossier.zip")
@login_required(*READERS)
def case_dossier_zip(case_id: int):
    case = service.get(case_id)
    return _bag_zip(lambda d: dossiers.export(case_id, d), case.case_no or str(case_id))


@bp.route("/cases/documents/<int:document_id>.pdf")
@login_required(*READERS)
def case_document_pdf(document_id: int):
    from ..extensions import db
    from ..models.document import CaseDocument

    doc = db.session.get(CaseDocument, document_id)
    if doc is None:
        flash("文书不存在")
        return redirect(url_for("console.cases"))
    return Response(doc.pdf, mimetype="application/pdf")


@bp.route("/cases/proposals/<int:proposal_id>", methods=["POST"])
@login_required(Role.REVIEWER)
def proposal_review(proposal_id: int):
    credit.decide(proposal_id, request.form.get("approve") == "1", g.user.username,
                  request.form.get("note", ""))
    flash("黑名单审核意见已记录")
    return redirect(url_for("console.cases"))


@bp.route("/enterprise-file")
@login_required(*READERS)
def enterprise_files():
    uscc = request.args.get("uscc", "").strip()
    info = None
    if uscc:
        info = enterprise_file.view(uscc)
    return render_template("console/enterprise_file.html", uscc=uscc, info=info, **_labels())


@bp.route("/enterprise-file/<uscc>.pdf")
@login_required(*READERS)
def enterprise_file_pdf(uscc: str):
    return Response(enterprise_file.build(uscc).pdf, mimetype="application/pdf")


@bp.route("/enterprise-file/<uscc>.zip")
@login_required(*READERS)
def enterprise_file_zip(uscc: str):
    return _bag_zip(lambda d: enterprise_file.export(uscc, d), f"一企一档-{uscc}")


add_nav("console.cases", "案件与案卷", *READERS)
add_nav("console.enterprise_files", "一企一档", *READERS)
