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
    revision = request.form.get("revision", "")
    if not revision.isdigit():
        raise pub.PublicationError("审核须针对页面上显示的版本，请刷新页面后重试", 400)
    result = pub.approve_result(result_id, g.user.username, revision=int(revision),
                                note=request.form.get("note") or None)
    flash(f"已审核通过并公开：{result.enterprise_name}")
    return redirect(url_for("console.publication"))


@bp.route("/publication/<int:result_id>/reject", methods=["POST"])
@login_required(*REVIEWERS)
def reject(result_id: int):
    result = pub.reject_result(result_id, g.user.username, request.form.get("note", ""))
    flash(f"已退回：{result.enterprise_name}")
    return redirect(url_for("console.publication"))


add_nav("console.publication", "公开审核", Role.ADMIN, Role.DISPATCHER, Role.REVIEWER,
        Role.ARCHIVIST)
