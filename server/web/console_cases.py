"""Console: cases and follow-up, overdue items, 法制审核, archiving, 一企一档."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Response, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import contains_eager

from shared.enums import Outcome, Role

from ..extensions import db
from ..models import Enterprise, PublicationResult, Task
from ..models.case import Case, CaseEvent, CaseHazard, Reinspection
from ..services import cases as service
from ..services import credit, dossiers, enterprise_file, escalation, followup
from ..services.case_documents import documents_of
from ..services.errors import ServiceError
from ..services.followup import FollowupError, overdue
from . import add_nav
from .console import bp, login_required, refused_as
from .download import attachment
from .form_text import LABELS, day_problem
from .listing import ordered, paged, search, wants_export, xlsx

OFFICE = (Role.ADMIN, Role.DISPATCHER)
READERS = (Role.ADMIN, Role.DISPATCHER, Role.REVIEWER, Role.ARCHIVIST)


def _labels() -> dict:
    return {"states": service.STATES, "actions": service.ACTION_LABELS,
            "outcome_label": lambda c: Outcome(c).label if c else ""}


CASE_SORTS = {"no": Case.id, "enterprise": Enterprise.name, "task": Task.task_no,
              "state": Case.state, "inspected": Case.inspected_on, "findings": Case.findings}


def _case_query(args) -> sa.Select:
    query = (sa.select(Case).join(Enterprise, Enterprise.id == Case.enterprise_id)
             .join(Task, Task.id == Case.task_id)
             .options(contains_eager(Case.enterprise), contains_eager(Case.task)))
    if args.get("q"):
        query = query.where(search((Case.case_no, Enterprise.name, Enterprise.uscc,
                                    Enterprise.street, Task.task_no), args["q"]))
    if args.get("state") in service.STATES:
        query = query.where(Case.state == args["state"])
    if args.get("outcome") in {o.value for o in Outcome}:
        query = query.where(Case.outcome == args["outcome"])
    if args.get("review") == "1":
        query = query.where(Case.pending.is_not(None))
    if args.get("escalated") == "open":  # 处罚/移送 without its end recorded (工作台)
        ended = sa.select(CaseEvent.case_id).where(
            CaseEvent.action.in_(("penalty_executed", "transfer_received")))
        query = query.where(Case.state.in_(("penalty", "transferred")), Case.id.not_in(ended))
    if args.get("findings") == "1":
        query = query.where(Case.findings > 0)
    if args.get("late") == "1":  # a rectification deadline or a 复查 passed (工作台)
        today = service.today()
        late_hazard = sa.select(CaseHazard.case_id).where(
            CaseHazard.status == "open", CaseHazard.deadline < today,
            CaseHazard.reported_on.is_(None))
        late_re = sa.select(Reinspection.case_id).where(
            Reinspection.done_on.is_(None), Reinspection.due_on < today)
        query = query.where(sa.or_(
            sa.and_(Case.state == "orders_issued", Case.id.in_(late_hazard)),
            sa.and_(Case.state == "reinspection", Case.id.in_(late_re))))
    if args.get("year", "").isdigit():
        query = query.where(Case.opened_on.between(date(int(args["year"]), 1, 1),
                                                   date(int(args["year"]), 12, 31)))
    return query


def _case_row(c: Case) -> list:
    return [c.case_no, c.enterprise.name, c.enterprise.uscc, c.task.task_no,
            service.STATES[c.state] + ("（待法制审核）" if c.pending else ""), c.inspected_on,
            c.findings, c.major_findings, Outcome(c.outcome).label if c.outcome else "",
            c.archive_no or ""]


@bp.route("/cases")
@login_required(*READERS)
def cases():
    # Reading only: cases open and move when their causes happen (case_observe).
    query = _case_query(request.args)
    if wants_export():
        rows = db.session.scalars(ordered(query, CASE_SORTS, "-no", Case.id))
        return xlsx("案件", ["案件编号", "单位名称", "统一社会信用代码", "任务编号", "状态",
                             "检查日期", "发现问题", "其中重大隐患", "检查结果", "归档号"],
                    (_case_row(c) for c in rows))
    page = paged(query, CASE_SORTS, "-no", Case.id)
    return render_template("console/cases.html", p=page, args=request.args,
                           late=overdue(service.today()), proposals=credit.proposals(),
                           role=g.user.role, outcomes=[(o.value, o.label) for o in Outcome],
                           **_labels())


@bp.route("/cases/<int:case_id>")
@login_required(*READERS)
def case_detail(case_id: int):
    case = service.get(case_id)
    allowed = [a for a, states in service.ACTIONS.items() if case.state in states]
    if followup.open_hazards(case):  # 销号 needs every hazard rectified first
        allowed = [a for a in allowed if a != "close"]
    result = db.session.scalar(sa.select(PublicationResult).where(
        PublicationResult.visit_id == case.visit_id))
    return render_template("console/case.html", case=case, documents=documents_of(case),
                           missing=dossiers.missing(case), versions=dossiers.versions(case),
                           allowed=allowed, role=g.user.role, result=result,
                           escalation=escalation.progress(case),
                           today=service.today(), outcomes=[(o.value, o.label) for o in Outcome],
                           **_labels())


def _back(case_id: int):
    return redirect(url_for("console.case_detail", case_id=case_id))


class DateProblem(ServiceError):
    """A date field that cannot be read: refused by the one handler, like the
    service's own refusals, with the view's words (``refused_as``)."""

    status = 422


def _date(name: str) -> date | None:
    value = request.form.get(name, "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise DateProblem(day_problem(value, LABELS.get(name, "日期"))) from None


@bp.route("/cases/<int:case_id>/act", methods=["POST"])
@login_required(*OFFICE)
@refused_as("未办理")
def case_act(case_id: int):
    form = request.form
    # Only read here: the dates' rules are the service's (the API obeys the same ones).
    reported_on, due_on, issued_on = _date("reported_on"), _date("due_on"), _date("issued_on")
    params = {"reported_on": reported_on, "due_on": due_on, "issued_on": issued_on,
              "to": form.get("to") or None, "transfer_to": form.get("transfer_to") or None,
              "team": [c.strip() for c in form.get("team", "").replace("，", ",").split(",")
                       if c.strip()] or None}
    service.act(case_id, form.get("action", ""), g.user.username, g.user.role,
                form.get("reason", ""), **{k: v for k, v in params.items() if v})
    flash("已办理")
    return _back(case_id)


@bp.route("/cases/<int:case_id>/escalation", methods=["POST"])
@login_required(*OFFICE)
@refused_as("未登记")
def case_escalation(case_id: int):
    """处罚决定, its execution, or the 移送回执 of an escalated case."""
    from ..services import escalation

    form = request.form
    escalation.record(case_id, form.get("step", ""), g.user.username, on=_date("on"),
                      number=form.get("number", ""), note=form.get("note", ""),
                      authority=form.get("authority", ""))
    flash("已登记")
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


def _bag_zip(export, name: str, fallback: str) -> Response:
    with tempfile.TemporaryDirectory() as tmp:
        bag = export(Path(tmp) / "bag")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
            for p in sorted(bag.rglob("*")):
                if p.is_file():
                    zf.write(p, f"{name}/{p.relative_to(bag).as_posix()}")
    return Response(buf.getvalue(), mimetype="application/zip",
                    headers=attachment(f"{name}.zip", f"{fallback}.zip"))


@bp.route("/cases/<int:case_id>/dossier.pdf")
@login_required(*READERS)
def case_dossier_pdf(case_id: int):
    case = service.get(case_id)
    return Response(dossiers.pdf_of(case), mimetype="application/pdf")


@bp.route("/cases/<int:case_id>/dossier.zip")
@login_required(*READERS)
def case_dossier_zip(case_id: int):
    case = service.get(case_id)
    name = case.case_no or str(case_id)
    return _bag_zip(lambda d: dossiers.export(case_id, d), f"案卷-{name}", f"case-{name}")


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
    """一企一档 by name, USCC, 属地 or 法人 (several words narrow it); one match opens."""
    text = (request.args.get("q") or request.args.get("uscc") or "").strip()
    info, matches = None, []
    if text:
        matches = list(db.session.scalars(
            sa.select(Enterprise).where(search((Enterprise.name, Enterprise.uscc,
                                                Enterprise.street, Enterprise.legal_rep), text))
            .order_by(Enterprise.name, Enterprise.id).limit(51)))
        exact = [e for e in matches if e.uscc == text.upper()]
        if exact or len(matches) == 1:
            try:
                info = enterprise_file.view((exact or matches)[0].uscc)
            except FollowupError as exc:
                flash(exc.message)
            matches = []
        elif not matches:
            flash(f"名录库中没有与“{text}”相符的企业")
    return render_template("console/enterprise_file.html", q=text, info=info,
                           matches=matches, **_labels())


@bp.route("/enterprise-file/<uscc>.pdf")
@login_required(*READERS)
def enterprise_file_pdf(uscc: str):
    return Response(enterprise_file.build(uscc).pdf, mimetype="application/pdf")


@bp.route("/enterprise-file/<uscc>.zip")
@login_required(*READERS)
def enterprise_file_zip(uscc: str):
    return _bag_zip(lambda d: enterprise_file.export(uscc, d), f"一企一档-{uscc}",
                    f"enterprise-file-{uscc}")


add_nav("console.cases", "案件与案卷", *READERS)
add_nav("console.enterprise_files", "一企一档", *READERS)
