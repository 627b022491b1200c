"""Console: publication review (法制审核) with working-day deadlines.

The queue is computed on columns (id, inspection day) for every waiting result,
one deadline per distinct day, then only the page's rows are loaded: 5,000
waiting results cost what 50 do apart from one narrow query.
"""

from __future__ import annotations

import math
from datetime import date

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for

from shared.enums import Outcome, Role
from shared.workdays import DeadlineStatus

from ..extensions import db
from ..models import AuditLog, PublicationResult, Task
from ..models.case import Case
from ..models.document import CaseDocument
from ..services import publication as pub
from ..services.deadlines import (
    bureau_today,
    deadline_view,
    load_calendar,
    publication_working_days,
)
from . import add_nav
from .console import bp, login_required
from .labels import item_names
from .listing import PER_PAGE, search, wants_export, xlsx

REVIEWERS = (Role.REVIEWER,)
OFFICE = (Role.ADMIN, Role.DISPATCHER)
WAITING = ("pending", "rejected")
REVIEW_STATUS = {"pending": "待审核", "rejected": "已退回"}


def _board(args, today: date) -> tuple[list[tuple[int, object]], dict[str, int]]:
    """[(result id, deadline view)] of the filtered queue, soonest first, and counts."""
    query = (sa.select(PublicationResult.id, PublicationResult.inspected_on)
             .join(Task, Task.id == PublicationResult.task_id)
             .where(PublicationResult.status.in_(WAITING)))
    if args.get("q"):
        query = query.where(search((PublicationResult.enterprise_name, PublicationResult.uscc,
                                    Task.task_no), args["q"]))
    if args.get("review") in WAITING:
        query = query.where(PublicationResult.status == args["review"])
    if args.get("outcome") in {o.value for o in Outcome}:
        query = query.where(PublicationResult.outcome == args["outcome"])
    rows = db.session.execute(query).all()
    cal, views = load_calendar(), {}
    for _id, day in rows:
        if day not in views:
            views[day] = deadline_view(day, today, calendar=cal)
    counts = {s.value: 0 for s in DeadlineStatus}
    board = []
    for rid, day in rows:
        view = views[day]
        counts[view.status.value] += 1
        if args.get("due") in counts and view.status.value != args["due"]:
            continue
        board.append((rid, view))
    board.sort(key=lambda pair: (pair[1].due, pair[0]))
    return board, counts


def _load(ids: list[int]) -> tuple[dict[int, PublicationResult], dict[int, int], dict[int, int]]:
    """The page's results, their cases and their 现场检查记录 documents."""
    results = {r.id: r for r in db.session.scalars(
        sa.select(PublicationResult).where(PublicationResult.id.in_(ids)))}
    visits = {r.visit_id: r.id for r in results.values()}
    cases = dict(db.session.execute(sa.select(Case.visit_id, Case.id).where(
        Case.visit_id.in_(list(visits)))).all())
    records = dict(db.session.execute(
        sa.select(CaseDocument.case_id, sa.func.min(CaseDocument.id))
        .where(CaseDocument.case_id.in_(list(cases.values())),
               CaseDocument.kind == "inspection_record")
        .group_by(CaseDocument.case_id)).all())
    return results, {visits[v]: c for v, c in cases.items()}, records


@bp.route("/publication")
@login_required(Role.ADMIN, Role.DISPATCHER, Role.REVIEWER, Role.ARCHIVIST)
def publication():
    today = bureau_today()
    board, counts = _board(request.args, today)
    if wants_export():
        results, _cases, _records = _load([rid for rid, _v in board])
        return xlsx("公开审核", ["单位名称", "统一社会信用代码", "任务编号", "检查结束", "检查事项",
                             "检查结果", "公开期限", "期限状态", "审核状态", "退回意见"],
                    ([results[rid].enterprise_name, results[rid].uscc, results[rid].task.task_no,
                      results[rid].inspected_on,
                      "、".join(item_names(results[rid].item_version, results[rid].item_codes)),
                      Outcome(results[rid].outcome).label, v.due, v.status.label,
                      REVIEW_STATUS[results[rid].status], results[rid].review_note or ""]
                     for rid, v in board))
    pages = max(1, math.ceil(len(board) / PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    chunk = board[(page - 1) * PER_PAGE: page * PER_PAGE]
    results, cases, records = _load([rid for rid, _v in chunk])
    rows = [(results[rid], view, cases.get(rid), records.get(cases.get(rid)))
            for rid, view in chunk]
    approved = pub.public_results(limit=20)
    return render_template(
        "console/publication.html", rows=rows, counts=counts, total=len(board), page=page,
        pages=pages, days=publication_working_days(), today=today, approved=approved,
        can_review=g.user.role == Role.REVIEWER.value, args=request.args,
        outcomes=[(o.value, o.label) for o in Outcome], review_status=REVIEW_STATUS,
        deadline_status=[(s.value, s.label) for s in DeadlineStatus],
        outcome_label=lambda c: Outcome(c).label)


def _back():
    return redirect(request.referrer or url_for("console.publication"))


@bp.route("/publication/<int:result_id>/approve", methods=["POST"])
@login_required(*REVIEWERS)
def approve(result_id: int):
    revision = request.form.get("revision", "")
    if not revision.isdigit():
        raise pub.PublicationError("审核须针对页面上显示的版本，请刷新页面后重试", 400)
    result = pub.approve_result(result_id, g.user.username, revision=int(revision),
                                note=request.form.get("note") or None)
    flash(f"已审核通过并公开：{result.enterprise_name}")
    return _back()


@bp.route("/publication/<int:result_id>/reject", methods=["POST"])
@login_required(*REVIEWERS)
def reject(result_id: int):
    result = pub.reject_result(result_id, g.user.username, request.form.get("note", ""))
    flash(f"已退回：{result.enterprise_name}")
    return _back()


@bp.route("/publication/bulk", methods=["POST"])
@login_required(*REVIEWERS)
def bulk_review():
    """Several results at once: each is judged on its own; one refused does not
    stop the others, and the message says which."""
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    approve_all = request.form.get("decision") == "approve"
    note = (request.form.get("note") or "").strip()
    if not ids:
        flash("请先勾选要审核的结果")
        return _back()
    if not approve_all and not note:
        flash("批量退回须填写退回意见")
        return _back()
    done, refused = 0, []
    for rid in ids:
        try:
            if approve_all:  # each row's revision as shown on the page
                seen = request.form.get(f"revision_{rid}", "")
                if not seen.isdigit():
                    raise pub.PublicationError("审核须针对页面上显示的版本，请刷新页面后重试", 400)
                pub.approve_result(rid, g.user.username, revision=int(seen), note=note or None)
            else:
                pub.reject_result(rid, g.user.username, note)
            done += 1
        except pub.PublicationError as exc:
            db.session.rollback()
            refused.append(f"第{rid}号：{exc}")
    verb = "审核通过并公开" if approve_all else "退回"
    flash(f"已{verb}{done}条" + (f"；未处理{len(refused)}条（{'；'.join(refused[:5])}）"
                                 if refused else ""))
    return _back()


@bp.route("/publication/<int:result_id>/resubmit", methods=["POST"])
@login_required(*OFFICE)
def resubmit(result_id: int):
    """A result sent back by the reviewer, corrected and put up for review again."""
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
    return _back()


add_nav("console.publication", "公开审核", Role.ADMIN, Role.DISPATCHER, Role.REVIEWER,
        Role.ARCHIVIST)
