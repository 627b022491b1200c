from marshmallow import Schema, fields

from shared.enums import CreditClass, EnterpriseStatus, Industry, RiskLevel, Scale

from ..fields import USCC, UTCDateTime, bounded, clean_text, code_of
from ..pagination import PageQuery


class EnterpriseSchema(Schema):
    id = fields.Integer(dump_only=True)
    uscc = USCC(required=True)
    name = clean_text(200, min_len=1, required=True)
    industry = code_of(Industry, required=True)
    street = bounded(64, allow_none=True)
    affiliation = bounded(64, allow_none=True)
    address = bounded(300, allow_none=True)
    legal_rep = bounded(64, allow_none=True)
    contact = bounded(64, allow_none=True)
    phone = bounded(32, allow_none=True)
    scale = code_of(Scale, allow_none=True)
    risk_level = code_of(RiskLevel, allow_none=True)
    credit_class = code_of(CreditClass, allow_none=True)
    license_no = bounded(64, allow_none=True)
    license_expiry = fields.Date(allow_none=True)
    blacklisted = fields.Boolean(load_default=False)
    major_hazard = fields.Boolean(load_default=False)
    special_work = fields.List(bounded(32), load_default=list)
    needs_expert = fields.Boolean(load_default=False)
    last_inspected = fields.Date(allow_none=True)
    registries = fields.List(bounded(64), load_default=list)
    status = code_of(EnterpriseStatus, load_default=EnterpriseStatus.ACTIVE.value)
    updated_at = UTCDateTime(dump_only=True)


class EnterpriseUpdateSchema(EnterpriseSchema):
    class Meta:
        exclude = ("uscc",)


class EnterpriseQuery(PageQuery):
    q = fields.String(metadata={"description": "单位名称或统一社会信用代码（模糊）"})
    industry = code_of(Industry)
    street = fields.String()
    risk_level = code_of(RiskLevel)
    credit_class = code_of(CreditClass)
    scale = code_of(Scale)
    status = code_of(EnterpriseStatus)
    registry = fields.String(metadata={"description": "所属二级库"})
    blacklisted = fields.Boolean()
    major_hazard = fields.Boolean()
    needs_expert = fields.Boolean()


class EnterprisePage(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(EnterpriseSchema))
