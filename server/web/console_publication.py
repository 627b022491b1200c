"""Console: publication review (法制审核) with working-day deadlines."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from shared.enums import Outcome, Role

from ..services import publication as pub
from ..services.deadlines import (
    bureau_today,
    pending_deadlines,
    publication_working_days,
    summarize,
)
from . import add_nav
from .console import bp, login_required

REVIEWERS = (Role.REVIEWER,)


@bp.route("/publication")
@login_required(Role.ADMIN, Role.DISPATCHER, Role.REVIEWER, Role.ARCHIVIST)
def publication():
    today = bureau_today()
    board = pending_deadlines(today)
    approved = pub.public_results()[:20]
    return render_template("console/publication.html", board=board, counts=summarize(board),
                           days=publication_working_days(), today=today, approved=approved,
                           can_review=g.user.role == Role.REVIEWER.value,
                           outcome_label=lambda c: Outcome(c).label)


@bp.route("/publication/<int:result_id>/approve", methods=["POST"])
@login_required(*REVIEWERS)
def approve(result_id: int):
    try:
        result = pub.approve_result(result_id, g.user.username,
                                    note=request.form.get("note") or None)
    except pub.PublicationError as exc:
        flash(str(exc))
    else:
        flash(f"已审核通过并公开：{result.enterprise_name}")
    return redirect(url_for("console.publication"))


@bp.route("/publication/<int:result_id>/reject", methods=["POST"])
@login_required(*REVIEWERS)
def reject(result_id: int):
    try:
        result = pub.reject_result(result_id, g.user.username, request.form.get("note", ""))
    except pub.PublicationError as exc:
        flash(str(exc))
    else:
        flash(f"已退回：{result.enterprise_name}")
    return redirect(url_for("console.publication"))


@bp.route("/publication/<int:result_id>/resubmit", methods=["POST"])
@login_required(Role.ADMIN, Role.DISPATCHER)
def resubmit(result_id: int):
    """A result sent back by the reviewer, corrected and put up for review again."""
    from ..extensions import db
    from ..models import AuditLog, PublicationResult

    result = db.session.get(PublicationResult, result_id)
    note = (request.form.get("note") or "").strip()
    if result is None or result.status != "rejected":
        flash("该结果不在已退回状态，无需重新提交")
    elif not note:
        flash("重新提交须填写修改说明")
    else:
        before = {"outcome": result.outcome, "review_note": result.review_note,
                  "reviewed_by": result.reviewed_by}
        try:
            pub.propose_result(result.visit_id, request.form.get("outcome") or result.outcome,
                               result.inspected_on, result.item_codes, actor=g.user.username)
        except (pub.PublicationError, ValueError) as exc:
            db.session.rollback()
            flash(f"未提交：{exc}")
        else:
            # The reviewer's note is cleared by the new proposal; the audit log keeps it.
            db.session.add(AuditLog(actor=g.user.username, action="update",
                                    entity="publication_result", entity_key=str(result_id),
                                    before=before, after={"outcome": result.outcome,
                                                          "note": note}, source="console"))
            db.session.commit()
            flash(f"已重新提交法制审核：{result.enterprise_name}")
    return redirect(request.referrer or url_for("console.publication"))


add_nav("console.publication", "公开审核", Role.ADMIN, Role.DISPATCHER, Role.REVIEWER,
        Role.ARCHIVIST)
