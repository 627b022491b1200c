from marshmallow import Schema, fields

from ..fields import USCC, bounded, clean_text
from ..pagination import PageQuery


class ExpertSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = clean_text(64, min_len=1, required=True)
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
