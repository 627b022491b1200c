"""The append-only audit log, readable by staff."""

import sqlalchemy as sa
from marshmallow import Schema, fields

from ...auth import STAFF, roles_required
from ...extensions import db
from ...models import AuditLog
from .. import Blueprint
from ..fields import UTCDateTime
from ..pagination import PageQuery, page_of

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="审计日志")


class AuditSchema(Schema):
    id = fields.Integer()
    at = UTCDateTime()
    actor = fields.String()
    action = fields.String()
    entity = fields.String()
    entity_key = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    source = fields.String(allow_none=True)


class AuditQuery(PageQuery):
    entity = fields.String()
    entity_key = fields.String()
    actor = fields.String()


class AuditPage(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(AuditSchema))


@blp.route("")
@roles_required(*STAFF)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditPage)
def list_audit(args):
    query = sa.select(AuditLog).order_by(AuditLog.id.desc())
    for name in ("entity", "entity_key", "actor"):
        if args.get(name):
            query = query.where(getattr(AuditLog, name) == args[name])
    return page_of(query, args["page"], args["per_page"], db.session)
