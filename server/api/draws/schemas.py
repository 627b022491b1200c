from marshmallow import Schema, fields, validate

from ..fields import UTCDateTime


class CommitmentSchema(Schema):
    task_no = fields.String()
    seed_commitment = fields.String(metadata={"description": "sha256(随机种子)，抽取前公布"})
    committed_at = UTCDateTime()


class DrawRequest(Schema):
    kind = fields.String(load_default="draw", validate=validate.OneOf(["draw", "redraw"]),
                         metadata={"description": "draw 抽取 / redraw 重新抽取（须说明理由）"})
    reason = fields.String(validate=validate.Length(max=2000))


class VisitResult(Schema):
    uscc = fields.String()
    inspectors = fields.List(fields.String(), metadata={"description": "执法证号"})
    leader = fields.String(metadata={"description": "组长执法证号"})
    experts = fields.List(fields.String())
    items = fields.List(fields.String(), metadata={"description": "事项编号"})


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
    reason = fields.String(allow_none=True)
    drawn_at = fields.String()
    committed_at = fields.String(allow_none=True)
    commitment = fields.String()
    seed = fields.String()
    pool_hash = fields.String()
    algorithm = fields.String()
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
    replace = fields.String(required=True, validate=validate.OneOf(["inspector", "enterprise"]))
    old = fields.String(metadata={"description": "被替换的执法证号（replace=inspector）"})
    new = fields.String(required=True, metadata={"description": "新执法证号或新检查对象信用代码"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
