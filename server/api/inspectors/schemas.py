from marshmallow import Schema, fields, validate

from shared.enums import DutyStatus, Industry

from ..fields import USCC, bounded, clean_text, code_of, codes_of
from ..pagination import PageQuery


class InspectorSchema(Schema):
    id = fields.Integer(dump_only=True)
    cert_no = clean_text(32, min_len=1, required=True)
    name = clean_text(64, min_len=1, required=True)
    cert_expiry = fields.Date(required=True)
    department = bounded(64, allow_none=True)
    street = bounded(64, allow_none=True, metadata={"description": "空为局一级库"})
    fields_ = codes_of(Industry, data_key="fields", attribute="fields", required=True,
                       validate=validate.Length(min=1))
    is_expert = fields.Boolean(load_default=False)
    duty_status = code_of(DutyStatus, load_default=DutyStatus.ON_DUTY.value)
    conflicts = fields.List(USCC(), load_default=list)


class InspectorUpdateSchema(InspectorSchema):
    class Meta:
        exclude = ("cert_no",)


class InspectorQuery(PageQuery):
    q = fields.String(metadata={"description": "姓名或执法证号（模糊）"})
    street = fields.String()
    department = fields.String()
    duty_status = code_of(DutyStatus)
    field = code_of(Industry, metadata={"description": "执法领域"})
    valid_on = fields.Date(metadata={"description": "证件在该日仍有效"})


class InspectorPage(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(InspectorSchema))
