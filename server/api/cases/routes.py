"""案件 endpoints: list, detail, transitions, 法制审核, overdue, archiving, 黑名单 review."""

from __future__ import annotations

from flask import g

from shared.enums import Role

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...services import cases as service
from ...services import credit, dossiers
from ...services.case_documents import documents_of
from ...services.followup import overdue
from .. import Blueprint
from .schemas import (
    CaseDetailSchema,
    CaseQuery,
    CaseSchema,
    OverdueSchema,
    ProposalSchema,
    ReasonSchema,
    ReviewSchema,
    TransitionSchema,
    VersionSchema,
)

blp = Blueprint("cases", __name__, url_prefix="/api/v1/cases", description="案件与后续处置")


def detail(case) -> dict:
    return {**service.summary(case), "events": case.events, "hazards": case.hazards,
            "documents": documents_of(case), "missing": dossiers.missing(case)}


@blp.route("")
@roles_required(*STAFF)
@blp.arguments(CaseQuery, location="query")
@blp.response(200, CaseSchema(many=True))
def list_cases(args):
    return [service.summary(c) for c in service.all_cases(args.get("state"))]


@blp.route("/overdue")
@roles_required(*OFFICE)
@blp.response(200, OverdueSchema(many=True))
def list_overdue():
    return overdue(service.today())


@blp.route("/<int:case_id>")
@roles_required(*STAFF)
@blp.response(200, CaseDetailSchema)
def get_case(case_id: int):
    return detail(service.get(case_id))


@blp.route("/<int:case_id>/transitions", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(TransitionSchema)
@blp.response(200, CaseDetailSchema)
def transition(data, case_id: int):
    action, reason = data.pop("action"), data.pop("reason")
    params = {k: v for k, v in data.items() if v not in (None, "")}
    return detail(service.act(case_id, action, actor_name(), g.user.role, reason, **params))


@blp.route("/<int:case_id>/review", methods=["POST"])
@roles_required(Role.REVIEWER)
@blp.arguments(ReviewSchema)
@blp.response(200, CaseDetailSchema)
def review(data, case_id: int):
    return detail(service.review(case_id, data["approve"], actor_name(), data["note"]))


@blp.route("/<int:case_id>/archive", methods=["POST"])
@roles_required(Role.ARCHIVIST)
@blp.arguments(ReasonSchema)
@blp.response(200, CaseDetailSchema)
def archive(data, case_id: int):
    return detail(dossiers.archive(case_id, actor_name(), data["reason"]))


@blp.route("/<int:case_id>/corrections", methods=["POST"])
@roles_required(Role.ARCHIVIST)
@blp.arguments(ReasonSchema)
@blp.response(201, VersionSchema)
def correct(data, case_id: int):
    """An archived case is never edited: a correction adds a new dossier version."""
    return dossiers.correct(case_id, actor_name(), data["reason"])


@blp.route("/<int:case_id>/versions")
@roles_required(*STAFF)
@blp.response(200, VersionSchema(many=True))
def versions(case_id: int):
    return dossiers.versions(service.get(case_id))


@blp.route("/blacklist-proposals")
@roles_required(Role.REVIEWER, *OFFICE)
@blp.response(200, ProposalSchema(many=True))
def proposals():
    return credit.proposals(None)


@blp.route("/blacklist-proposals/<int:proposal_id>/review", methods=["POST"])
@roles_required(Role.REVIEWER)
@blp.arguments(ReviewSchema)
@blp.response(200, ProposalSchema)
def decide(data, proposal_id: int):
    return credit.decide(proposal_id, data["approve"], actor_name(), data["note"])
