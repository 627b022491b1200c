from marshmallow import Schema, fields, validate

from shared.enums import CheckMethod, Industry, ItemCategory

from ..fields import UTCDateTime, code_of, codes_of
from ..pagination import PageQuery


class CheckItemSchema(Schema):
    code = fields.String()
    name = fields.String()
    sub_item = fields.String(allow_none=True)
    legal_basis = fields.String()
    enforcing_dept = fields.String(allow_none=True)
    industries = codes_of(Industry)
    content = fields.String(allow_none=True)
    methods = codes_of(CheckMethod)
    category = code_of(ItemCategory)
    liability = fields.String(allow_none=True)


class ItemQuery(PageQuery):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "清单版本号，默认最新"})
    industry = code_of(Industry)
    category = code_of(ItemCategory)
    q = fields.String()


class ItemPage(Schema):
    version = fields.Integer(allow_none=True)
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(CheckItemSchema))


class ItemVersionSchema(Schema):
    number = fields.Integer()
    note = fields.String(allow_none=True)
    created_by = fields.String(allow_none=True)
    created_at = UTCDateTime()
    item_count = fields.Function(lambda v: len(v.items))
