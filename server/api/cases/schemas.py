"""Case API schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ...services.cases import ACTION_LABELS, ACTIONS, STATES
from ..fields import UTCDateTime, one_of


class CaseQuery(Schema):
    state = fields.String(validate=one_of(list(STATES), list(STATES.values())))


class CaseSchema(Schema):
    id = fields.Integer()
    case_no = fields.String()
    state = fields.String()
    state_label = fields.String()
    enterprise = fields.String()
    uscc = fields.String()
    task_no = fields.String()
    opened_on = fields.Date()
    inspected_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    outcome = fields.String(allow_none=True)
    findings = fields.Integer()
    major_findings = fields.Integer()
    pending_review = fields.Dict(allow_none=True)
    archive_no = fields.String(allow_none=True)
    dossier_version = fields.Integer()


class EventSchema(Schema):
    seq = fields.Integer()
    at = UTCDateTime()
    actor = fields.String()
    role = fields.String(allow_none=True)
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    reason = fields.String()
    review = fields.Dict(allow_none=True)


class HazardSchema(Schema):
    id = fields.Integer()
    description = fields.String()
    level = fields.String()
    status = fields.String()
    deadline = fields.Date(allow_none=True)
    reported_on = fields.Date(allow_none=True)
    rectified_on = fields.Date(allow_none=True)


class DocumentSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    number = fields.String()
    issued_on = fields.Date()
    sha256 = fields.String()
    pages = fields.Integer()


class CaseDetailSchema(CaseSchema):
    events = fields.List(fields.Nested(EventSchema))
    hazards = fields.List(fields.Nested(HazardSchema))
    documents = fields.List(fields.Nested(DocumentSchema))
    missing = fields.List(fields.String(), metadata={"description": "归档前缺少的材料"})


class TransitionSchema(Schema):
    action = fields.String(required=True, validate=one_of(
        list(ACTIONS), [ACTION_LABELS[a] for a in ACTIONS]))
    reason = fields.String(load_default="", validate=validate.Length(max=2000))
    reported_on = fields.Date(load_default=None)
    due_on = fields.Date(load_default=None)
    issued_on = fields.Date(load_default=None, metadata={
        "description": "整改指令下达日期（默认为检查日期；不得早于上一号指令书的日期）"})
    team = fields.List(fields.String(), load_default=None,
                       metadata={"description": "复查人员执法证号（回避时更换）"})
    to = fields.String(load_default=None, validate=one_of(
        ["penalty", "transfer"], ["立案处罚", "移送"]))
    transfer_to = fields.String(load_default="", validate=validate.Length(max=200))


class ReviewSchema(Schema):
    approve = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ReasonSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class OverdueSchema(Schema):
    kind = fields.String()
    case_id = fields.Integer()
    case_no = fields.String()
    enterprise = fields.String()
    due_on = fields.String()
    days_overdue = fields.Integer()
    what = fields.String()


class ProposalSchema(Schema):
    id = fields.Integer()
    enterprise_id = fields.Integer()
    case_id = fields.Integer(allow_none=True)
    reason = fields.String()
    status = fields.String()
    reviewed_by = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class VersionSchema(Schema):
    version = fields.Integer()
    kind = fields.String()
    created_by = fields.String()
    created_at = UTCDateTime()
    reason = fields.String()
    pdf_sha256 = fields.String()
    pages = fields.Integer()
