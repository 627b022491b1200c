from marshmallow import Schema, fields, validate

from ..fields import USCC, bounded
from ..pagination import PageQuery


class ExpertSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    specialty = bounded(64, allow_none=True)
    organization = bounded(200, load_default="")
    phone = bounded(32, allow_none=True)
    conflicts = fields.List(USCC(), load_default=list)


class ExpertQuery(PageQuery):
    q = fields.String(metadata={"description": "姓名、专业或单位（模糊）"})


class ExpertPage(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(ExpertSchema))
