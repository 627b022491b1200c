"""Schemas of the pull and dispatch endpoints.

The pull body is the shared ``PullResponseSchema``; the subclasses only rename
the drawn-item schema for the OpenAPI document (the registry API already has a
``CheckItem``).
"""

from marshmallow import Schema, fields, validate

from shared.schemas.package import CheckItemSchema, PullResponseSchema, TaskPackageSchema


class PackageItemSchema(CheckItemSchema):
    pass


class PackageSchema(TaskPackageSchema):
    items = fields.List(fields.Nested(PackageItemSchema), required=True,
                        validate=validate.Length(min=1))


class PullSchema(PullResponseSchema):
    packages = fields.List(fields.Nested(PackageSchema), load_default=list)


class PullQuery(Schema):
    cursor = fields.String(load_default=None, metadata={"description": "上次拉取返回的游标"})


class DispatchResultSchema(Schema):
    task_no = fields.String()
    dispatched = fields.List(fields.String(), metadata={"description": "新派发的检查对象"})
    withdrawn = fields.List(fields.String(), metadata={"description": "撤回的检查对象"})
    reassigned = fields.List(fields.String(), metadata={"description": "检查组变更的检查对象"})
    events = fields.Integer(metadata={"description": "写入派发日志的事件数"})


class WithdrawSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200),
                           metadata={"description": "撤回理由（如：企业已关闭、任务取消）"})


class WithdrawResultSchema(Schema):
    visit_id = fields.String(metadata={"description": "检查对象编号"})
    events = fields.Integer(metadata={"description": "通知到的检查人员数（写入派发日志的事件数）"})
