"""Small request/response bodies of the sync API (see ``docs/sync.md``)."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from shared.enums import Role
from shared.schemas.common import REQUIRED, enum_field, sha256_field, text, uuid_field


class TokenRequestSchema(Schema):
    username = text(80, min_len=1, required=True)
    password = text(200, min_len=1, required=True)
    device_id = text(64, min_len=1, required=True)


class InspectorRefSchema(Schema):
    cert_no = fields.String(required=True, error_messages=REQUIRED)
    name = fields.String(required=True, error_messages=REQUIRED)


class TokenResponseSchema(Schema):
    class Meta:
        unknown = INCLUDE

    token = fields.String(required=True, error_messages=REQUIRED)
    username = fields.String(required=True, error_messages=REQUIRED)
    role = enum_field(Role, required=True)
    inspector = fields.Nested(InspectorRefSchema, load_default=None, allow_none=True)
    # the server's BUREAU_TIMEZONE: the tablet shows every time in it
    bureau_timezone = fields.String(load_default=None, allow_none=True)


class RecordStatusSchema(Schema):
    """Answer to ``PUT`` and ``GET /api/v1/records/<uuid>``."""

    class Meta:
        unknown = INCLUDE

    uuid = uuid_field(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    complete = fields.Boolean(required=True)
    missing_blobs = fields.List(sha256_field(), load_default=list)


class ErrorSchema(Schema):
    """The one error shape: ``{"code", "status", "message", "errors"?}``."""

    class Meta:
        unknown = INCLUDE

    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(load_default=dict)
