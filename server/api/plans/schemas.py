from marshmallow import Schema, fields, validate

from shared.enums import DrawType
from shared.lifecycle import PlanStatus

from ...services.draw.policy import effective_rules
from ...services.plans import STATUS_LABELS
from ..fields import UTCDateTime, bounded, clean_text, code_of, one_of

_REASON = {"description": "已发布计划的修改理由（修改后需重新发布）"}


class TaskSchema(Schema):
    # Codes and names are published and printed: no control characters (a NUL
    # made a plan whose console page answered 404 and whose public page held it).
    task_no = clean_text(64, min_len=1, required=True)
    plan_no = fields.Function(lambda t: t.plan.plan_no, dump_only=True)
    name = clean_text(200, min_len=1, required=True)
    draw_type = code_of(DrawType, required=True,
                        metadata={"description": "directed 定向 / undirected 不定向"})
    ratio = clean_text(100, min_len=1, required=True,
                          metadata={"description": "20% 或 A:3%;B:5%;C:20%;D:100%"})
    item_scope = bounded(2000, allow_none=True, metadata={"description": "抽查事项"})
    target_filter = bounded(2000, allow_none=True,
                            metadata={"description": "抽查对象范围，如 行业领域=煤矿;属地=丹朱镇"})
    department = bounded(64, allow_none=True, metadata={"description": "发起科室"})
    joint_departments = fields.List(clean_text(64),
                                    load_default=list)
    window_start = fields.Date(required=True)
    window_end = fields.Date(required=True)
    team_size = fields.Integer(load_default=2, validate=validate.Range(min=2, max=20))
    unannounced = fields.Boolean(load_default=False, metadata={"description": "是否暗查"})
    rules = fields.Dict(load_default=dict, metadata={
        "description": "抽取规则：composition, field_match, recuse_own_street, recuse_previous, "
                       "expert_specialty_match, yearly_cap, exclude_drawn_in_plan, "
                       "general_items, experts_required, experts_per_visit, joint_group"})
    effective_rules = fields.Function(lambda t: effective_rules(t.rules), dump_only=True)
    status = fields.String(dump_only=True)
    printed = fields.Dict(dump_only=True, allow_none=True, metadata={
        "description": "按原文导入：columns 原文各列，proposal 建议，review pending/confirmed"})
    item_codes = fields.List(fields.String(), dump_only=True,
                             metadata={"description": "抽查事项编号（空：适用的全部事项）"})
    seed_commitment = fields.String(dump_only=True, allow_none=True,
                                    metadata={"description": "随机种子承诺值 sha256(seed)"})
    committed_at = UTCDateTime(dump_only=True, allow_none=True)
    created_at = UTCDateTime(dump_only=True)
    reason = fields.String(load_only=True, metadata=_REASON)


class TaskUpdateSchema(TaskSchema):
    class Meta:
        exclude = ("task_no",)


class PlanSchema(Schema):
    plan_no = clean_text(64, min_len=1, required=True)
    name = clean_text(200, min_len=1, required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    status = fields.String(dump_only=True)
    status_label = fields.Function(lambda p: STATUS_LABELS.get(p.status, p.status),
                                   dump_only=True)
    published_at = UTCDateTime(dump_only=True, allow_none=True)
    change_log = fields.List(fields.Dict(), dump_only=True)
    created_at = UTCDateTime(dump_only=True)
    tasks = fields.List(fields.Nested(TaskSchema), dump_only=True)


class PlanSummarySchema(PlanSchema):
    class Meta:
        exclude = ("tasks",)


class PlanUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    reason = fields.String(metadata=_REASON)


class PlanQuery(Schema):
    status = fields.String(validate=one_of(PlanStatus.choices(),
                                                  [s.label for s in PlanStatus]))
    year = fields.Integer()


class TaskQuery(Schema):
    plan_no = fields.String()
    status = fields.String()


class UploadSchema(Schema):
    """One multipart body: the file and its fields (api/__init__.py reads both)."""

    file = fields.Raw(metadata={"type": "string", "format": "binary"}, required=True)
    reason = fields.String(metadata=_REASON)
    plan_no = fields.String(validate=validate.Length(max=64), metadata={
        "description": "表中没有计划编号列时（如长子县计划表）使用，可填计划文号"})
    plan_name = fields.String(validate=validate.Length(max=200), metadata={
        "description": "表中没有计划名称列时使用；不填则取表格上方的标题"})


class ReviewRowSchema(Schema):
    task_no = fields.String()
    name = fields.String()
    review = fields.String(allow_none=True, metadata={
        "description": "pending 待审核 / confirmed 已确认 / null 非按原文导入"})
    printed = fields.Dict(metadata={"description": "计划表原文，按列"})
    proposal = fields.Dict(metadata={"description": "建议的比例、范围、事项编号和说明"})
    ratio = fields.String()
    target_filter = fields.String(allow_none=True)
    item_codes = fields.List(fields.String())
    confirmed_by = fields.String(allow_none=True)
    confirmed_at = fields.String(allow_none=True)


class ReviewSchema(Schema):
    ratio = fields.String(validate=validate.Length(max=100),
                          metadata={"description": "不填则用建议值"})
    target_filter = fields.String(validate=validate.Length(max=2000),
                                  metadata={"description": "如 行业领域=煤矿；不填则用建议值"})
    item_codes = fields.List(fields.String(validate=validate.Length(max=32)),
                             metadata={"description": "事项编号；不填则用建议值"})
    reason = fields.String(load_only=True, metadata=_REASON)


class PlanImportResultSchema(Schema):
    plans_created = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    to_review = fields.Integer(metadata={"description": "按原文导入、发布前须审核的任务数"})
    task_nos = fields.List(fields.String())
    message = fields.String()
