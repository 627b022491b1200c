from marshmallow import Schema, fields, validate

from ..fields import UTCDateTime, one_of


class FreezeRequest(Schema):
    kind = fields.String(load_default="draw", validate=one_of(
                             ["draw", "redraw"], ["抽取", "重新抽取"]),
                         metadata={"description": "draw 抽取 / redraw 重新抽取（须说明理由）"})
    reason = fields.String(validate=validate.Length(max=2000),
                           metadata={"description": "重抽或重新冻结的理由（公开）"})
    source = fields.String(validate=one_of(
                               ["drand", "lottery"], ["公共随机数（drand 信标）", "彩票开奖结果"]),
                           metadata={"description": "公共随机数来源，默认按配置"})
    lottery_draw = fields.String(validate=validate.Length(max=32), metadata={
        "description": "彩票期号（来源为彩票时）"})
    lottery_time = fields.String(validate=validate.Length(max=40), metadata={
        "description": "该期开奖时间（本局时区，ISO格式）"})


class AttemptSchema(Schema):
    attempt = fields.Integer(metadata={"description": "冻结（尝试）编号"})
    task = fields.String()
    kind = fields.String()
    reason = fields.String(allow_none=True)
    actor = fields.String()
    actor_name = fields.String(metadata={"description": "操作人姓名"})
    frozen_at = fields.String()
    snapshot_hash = fields.String()
    commitment = fields.String(metadata={"description": "sha256(随机种子)，冻结时公布"})
    pool_size = fields.Integer()
    excluded = fields.Integer()
    beacon = fields.Dict(metadata={"description": "约定的公共随机数（drand链和轮次，或彩票期号）"})
    beacon_due_at = fields.String()
    status = fields.String()
    status_label = fields.String()
    outcome_at = fields.String(allow_none=True)
    outcome_reason = fields.String(allow_none=True)
    record_id = fields.Integer(allow_none=True)


class AttemptsSchema(Schema):
    task = fields.String()
    attempts = fields.List(fields.Nested(AttemptSchema))
    draws = fields.Integer()
    redraws = fields.Integer()
    failed = fields.Integer()


class Problem(Schema):
    uscc = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    rule = fields.String()
    message = fields.String()


class DrawRequest(Schema):
    beacon = fields.Dict(metadata={
        "description": "drand轮次的JSON（round, signature, previous_signature）；"
                       "不给则由服务器联网获取"})
    numbers = fields.String(validate=validate.Length(max=200),
                            metadata={"description": "彩票开奖号码（来源为彩票时）"})


class RulesRequest(Schema):
    rules = fields.Dict(required=True, metadata={"description": "要修改的规则；值为null恢复默认"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class VisitResult(Schema):
    uscc = fields.String()
    inspectors = fields.List(fields.String(), metadata={"description": "执法证号"})
    leader = fields.String(metadata={"description": "组长执法证号"})
    experts = fields.List(fields.String())
    expert_names = fields.List(fields.String(), metadata={"description": "专家姓名（单位）"})
    items = fields.List(fields.String(), metadata={"description": "事项编号"})
    host_department = fields.String(metadata={"description": "主办科室"})


class StoredVisit(VisitResult):
    name = fields.String()
    joint_task_nos = fields.List(fields.String())
    current = fields.Boolean()
    draw_record_id = fields.Integer()


class Excluded(Schema):
    uscc = fields.String()
    reason = fields.String()


class DrawSchema(Schema):
    task = fields.String()
    record_id = fields.Integer()
    kind = fields.String()
    parent_id = fields.Integer(allow_none=True)
    actor = fields.String()
    actor_name = fields.String(metadata={"description": "操作人姓名"})
    reason = fields.String(allow_none=True)
    drawn_at = fields.String()
    committed_at = fields.String(allow_none=True)
    commitment = fields.String()
    seed = fields.String()
    pool_hash = fields.String()
    algorithm = fields.String()
    attempt = fields.Integer(allow_none=True)
    beacon = fields.String(allow_none=True, metadata={"description": "公共随机数来源"})
    pool_size = fields.Integer()
    excluded = fields.List(fields.Nested(Excluded))
    strata = fields.Dict()
    visits = fields.List(fields.Nested(VisitResult))
    stored_visits = fields.List(fields.Nested(StoredVisit))


class RecordListItem(Schema):
    id = fields.Integer()
    kind = fields.String()
    parent_id = fields.Integer(allow_none=True)
    actor = fields.String()
    reason = fields.String(allow_none=True)
    created_at = UTCDateTime()
    pool_size = fields.Integer()
    seed_commitment = fields.String()


class AdjustmentRequest(Schema):
    uscc = fields.String(required=True, metadata={"description": "被调整检查的检查对象"})
    replace = fields.String(required=True, validate=one_of(
        ["inspector", "enterprise"], ["执法人员", "检查对象"]))
    old = fields.String(metadata={"description": "被替换的执法证号（replace=inspector）"})
    new = fields.String(required=True, metadata={"description": "新执法证号或新检查对象信用代码"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SpecialtyRequest(Schema):
    industries = fields.List(fields.String(), required=True, metadata={
        "description": "行业（代码或中文名称，如 coal_mine 或 煤矿）"})
