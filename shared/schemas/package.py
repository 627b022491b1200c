"""Task packages the tablet pulls (``GET /api/v1/sync/pull``).

A package is everything an inspector needs offline for one visit: the task,
the team, the enterprise's file (一企一档 extract), previous results and open
hazards, the drawn items and the notice (告知) if one was sent.  Enterprise and
history carry extra keys the server may add later; the tablet keeps them.
"""

from __future__ import annotations

from marshmallow import INCLUDE, RAISE, Schema, fields, validate

from shared.enums import CheckMethod, ItemCategory
from shared.schemas.common import REQUIRED, enum_field, text


class TaskInfoSchema(Schema):
    class Meta:
        unknown = INCLUDE

    task_no = text(64, min_len=1, required=True)
    name = text(200, min_len=1, required=True)
    window_start = fields.Date(required=True, error_messages=REQUIRED)
    window_end = fields.Date(required=True, error_messages=REQUIRED)
    unannounced = fields.Boolean(load_default=False)
    plan_no = fields.String(load_default=None, allow_none=True)
    # a 复查 visit: the tablet checks the earlier hazards (history.open_hazards)
    reinspection = fields.Boolean(load_default=False)


class TeamEntrySchema(Schema):
    class Meta:
        unknown = INCLUDE

    cert_no = text(40, min_len=1, required=True)
    name = text(40, min_len=1, required=True)
    leader = fields.Boolean(load_default=False)


class EnterpriseFileSchema(Schema):
    class Meta:
        unknown = INCLUDE

    uscc = text(18, min_len=18, required=True)
    name = text(200, min_len=1, required=True)
    industry = fields.String(load_default=None, allow_none=True)
    street = fields.String(load_default=None, allow_none=True)
    address = fields.String(load_default=None, allow_none=True)
    legal_rep = fields.String(load_default=None, allow_none=True)
    contact = fields.String(load_default=None, allow_none=True)
    contact_phone = fields.String(load_default=None, allow_none=True)  # the contact's, only
    scale = fields.String(load_default=None, allow_none=True)
    risk_level = fields.String(load_default=None, allow_none=True)


class HistorySchema(Schema):
    class Meta:
        unknown = INCLUDE

    previous_results = fields.List(fields.Dict(), load_default=list)
    open_hazards = fields.List(fields.Dict(), load_default=list)


class CheckItemSchema(Schema):
    class Meta:
        unknown = INCLUDE

    code = text(40, min_len=1, required=True)
    name = text(200, min_len=1, required=True)
    sub_item = fields.String(load_default="", allow_none=True)
    legal_basis = fields.String(load_default="", allow_none=True)
    content = fields.String(load_default="", allow_none=True)
    method = enum_field(CheckMethod, load_default=None, allow_none=True)
    category = enum_field(ItemCategory, load_default=None, allow_none=True)


class TaskPackageSchema(Schema):
    class Meta:
        unknown = RAISE

    visit_id = text(64, min_len=1, required=True)
    task = fields.Nested(TaskInfoSchema, required=True)
    team = fields.List(
        fields.Nested(TeamEntrySchema),
        required=True,
        validate=validate.Length(min=2, error="检查人员不少于2名"),
    )
    # Drawn experts (name（单位）) and the 主办科室; absent in packages of older servers.
    experts = fields.List(fields.String(), load_default=list)
    host_department = fields.String(load_default=None, allow_none=True)
    enterprise = fields.Nested(EnterpriseFileSchema, required=True)
    history = fields.Nested(
        HistorySchema, load_default=lambda: {"previous_results": [], "open_hazards": []}
    )
    items = fields.List(
        fields.Nested(CheckItemSchema),
        required=True,
        validate=validate.Length(min=1, error="至少一项检查事项"),
    )
    notice = fields.Dict(load_default=None, allow_none=True)


class PullResponseSchema(Schema):
    class Meta:
        unknown = RAISE

    cursor = fields.String(required=True, error_messages=REQUIRED)
    packages = fields.List(fields.Nested(TaskPackageSchema), load_default=list)
    withdrawn = fields.List(fields.String(), load_default=list)
    # why the office withdrew a visit (by visit id), shown on the tablet beside it
    withdrawn_reasons = fields.Dict(
        keys=fields.String(), values=fields.String(), load_default=dict
    )
    # the server's BUREAU_TIMEZONE (IANA name): the tablet shows every time in it
    bureau_timezone = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "局所在时区（IANA名称，如Asia/Shanghai），平板按此显示时间"},
    )
