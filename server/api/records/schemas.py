"""The record status answer (the shared schema plus the withdrawn note); the
request body is raw bytes (documented, not parsed by webargs)."""

from marshmallow import fields

from shared.schemas.sync import RecordStatusSchema


class RecordStatusOut(RecordStatusSchema):
    withdrawn = fields.Boolean(metadata={"description": "该检查任务已撤回（记录照常保存）"})
    message = fields.String(metadata={"description": "给执法人员看的说明"})


RECORD_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "检查记录（shared.schemas.RecordSchema，规范化JSON，最大2MB）",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}
