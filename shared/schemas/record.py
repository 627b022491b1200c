"""The inspection record a tablet uploads (``PUT /api/v1/records/<uuid>``).

One record per visit (a joint visit is still one record: 一企一表).  It holds the
drawn items with their results, the hazards and orders, the evidence and
signatures (by SHA-256; the bytes travel separately as blobs) and the record's
own change trail (执法全过程记录).  See ``docs/sync.md`` for an example.
"""

from __future__ import annotations

import json
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from shared.enums import HazardLevel, ItemResult, OrderKind, Outcome
from shared.schemas.common import (
    REQUIRED,
    aware_datetime,
    enum_field,
    sha256_field,
    text,
    uuid_field,
    validate_uscc,
)
from shared.text import control_errors

SCHEMA_VERSION = 1

ATTACHMENT_KINDS = ("photo", "audio", "document")
SIGNER_ROLES = ("inspector", "enterprise")
# What the server accepts as blob content (checked by magic bytes on both sides).
ALLOWED_MIME = (
    "image/jpeg",
    "image/png",
    "audio/mp4",
    "audio/mpeg",
    "audio/wav",
    "audio/amr",
    "audio/ogg",
    "application/pdf",
)
MAX_RECORD_BYTES = 2 * 1024 * 1024


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class EnterpriseRefSchema(_Strict):
    uscc = fields.String(required=True, validate=validate_uscc, error_messages=REQUIRED)
    name = text(200, min_len=1, required=True)


class TeamMemberSchema(_Strict):
    cert_no = text(40, min_len=1, required=True)
    name = text(40, min_len=1, required=True)
    leader = fields.Boolean(load_default=False)


class LocationSchema(_Strict):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    accuracy_m = fields.Float(load_default=None, allow_none=True)


class ItemCheckSchema(_Strict):
    code = text(40, min_len=1, required=True)
    result = enum_field(ItemResult, required=True)
    note = text(2000, load_default="")
    checked_at = aware_datetime(required=True)


class OrderSchema(_Strict):
    kind = enum_field(OrderKind, required=True)
    deadline = fields.Date(load_default=None, allow_none=True)
    measures = text(500, load_default="")
    transfer_to = text(200, load_default="")

    @validates_schema
    def _details(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("kind")
        if kind == OrderKind.DEADLINE and not data.get("deadline"):
            raise ValidationError("责令限期整改须填写整改期限", "deadline")
        if kind == OrderKind.ON_SITE_MEASURES and not data.get("measures"):
            raise ValidationError("现场处理措施须写明措施（如停产停业、查封、扣押）", "measures")
        if kind == OrderKind.TRANSFER and not data.get("transfer_to"):
            raise ValidationError("移送须写明移送机关", "transfer_to")


class HazardSchema(_Strict):
    id = uuid_field(required=True)
    item_code = fields.String(load_default=None, allow_none=True)
    description = text(2000, min_len=1, required=True)
    location = text(200, load_default="")
    level = enum_field(HazardLevel, required=True)
    legal_basis = text(500, load_default="")
    orders = fields.List(
        fields.Nested(OrderSchema),
        required=True,
        validate=validate.Length(min=1, error="每项隐患至少一项处理措施"),
    )
    created_at = aware_datetime(required=True)


class OriginalSchema(_Strict):
    """The untouched file as it came off the camera; kept and hashed as evidence."""

    sha256 = sha256_field(required=True)
    size = fields.Integer(required=True, validate=validate.Range(min=0))
    mime = fields.String(required=True, validate=validate.OneOf(ALLOWED_MIME))
    filename = text(255, load_default="")


class AttachmentSchema(_Strict):
    sha256 = sha256_field(required=True)
    size = fields.Integer(required=True, validate=validate.Range(min=0))
    mime = fields.String(required=True, validate=validate.OneOf(ALLOWED_MIME))
    kind = fields.String(required=True, validate=validate.OneOf(ATTACHMENT_KINDS))
    item_code = fields.String(load_default=None, allow_none=True)
    hazard_id = fields.String(load_default=None, allow_none=True)
    taken_at = aware_datetime(load_default=None, allow_none=True)
    location = fields.Nested(LocationSchema, load_default=None, allow_none=True)
    original = fields.Nested(OriginalSchema, required=True)


class SignatureSchema(_Strict):
    role = fields.String(required=True, validate=validate.OneOf(SIGNER_ROLES))
    name = text(40, min_len=1, required=True)
    cert_no = fields.String(load_default=None, allow_none=True)
    signed_at = aware_datetime(required=True)
    sha256 = sha256_field(required=True)
    size = fields.Integer(required=True, validate=validate.Range(min=0))
    mime = fields.String(required=True, validate=validate.OneOf(("image/png", "image/jpeg")))
    # 拒签: the enterprise's person refused; the image is then the witness's signature
    refused = fields.Boolean(load_default=False)
    refusal_reason = text(500, load_default="")
    witness = text(40, load_default="")

    @validates_schema
    def _cert(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("role") == "inspector" and not data.get("cert_no"):
            raise ValidationError("执法人员签名须附执法证号", "cert_no")
        if data.get("refused"):
            if data.get("role") != "enterprise":
                raise ValidationError("只有被检查单位负责人可以拒签", "refused")
            if not data.get("refusal_reason") or not data.get("witness"):
                raise ValidationError("拒签须写明理由和见证人", "refusal_reason")


class TrailEntrySchema(_Strict):
    seq = fields.Integer(required=True, validate=validate.Range(min=1))
    at = aware_datetime(required=True)
    by = text(80, min_len=1, required=True)
    action = text(40, min_len=1, required=True)
    target = fields.String(load_default=None, allow_none=True)
    field = fields.String(load_default=None, allow_none=True)
    old = fields.Raw(load_default=None, allow_none=True)
    new = fields.Raw(load_default=None, allow_none=True)


class RecordSchema(_Strict):
    @pre_load
    def _no_control_characters(self, data: Any, **_: Any) -> Any:
        # The same rule as every API body (server/api/__init__.py): the record is
        # parsed outside the argument parser, byte for byte, so it is checked here.
        errors = control_errors(data)
        if errors:
            raise ValidationError(errors)
        return data

    schema_version = fields.Integer(
        required=True, validate=validate.Equal(SCHEMA_VERSION, error="不支持的记录格式版本")
    )
    uuid = uuid_field(required=True)
    visit_id = text(64, min_len=1, required=True)
    base_version = fields.Integer(load_default=None, allow_none=True)
    device_id = text(64, min_len=1, required=True)
    submitted_by = text(80, min_len=1, required=True)
    task_no = text(64, min_len=1, required=True)
    enterprise = fields.Nested(EnterpriseRefSchema, required=True)
    team = fields.List(
        fields.Nested(TeamMemberSchema),
        required=True,
        validate=validate.Length(min=2, error="检查人员不少于2名"),
    )
    started_at = aware_datetime(required=True)
    finished_at = aware_datetime(required=True)
    location = fields.Nested(LocationSchema, load_default=None, allow_none=True)
    items = fields.List(
        fields.Nested(ItemCheckSchema),
        required=True,
        validate=validate.Length(min=1, error="至少一项检查事项"),
    )
    hazards = fields.List(fields.Nested(HazardSchema), load_default=list)
    attachments = fields.List(fields.Nested(AttachmentSchema), load_default=list)
    signatures = fields.List(fields.Nested(SignatureSchema), required=True)
    outcome = enum_field(Outcome, required=True)
    trail = fields.List(fields.Nested(TrailEntrySchema), required=True)

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        if data.get("started_at") and data.get("finished_at"):
            if data["finished_at"] < data["started_at"]:
                errors.setdefault("finished_at", []).append("结束时间早于开始时间")
        codes = [i["code"] for i in data.get("items", [])]
        if len(codes) != len(set(codes)):
            errors.setdefault("items", []).append("检查事项编号重复")
        hazard_ids = {h["id"] for h in data.get("hazards", [])}
        for h in data.get("hazards", []):
            if h.get("item_code") and h["item_code"] not in codes:
                msg = f"隐患关联的事项{h['item_code']}不在检查事项中"
                errors.setdefault("hazards", []).append(msg)
        for a in data.get("attachments", []):
            if a.get("item_code") and a["item_code"] not in codes:
                errors.setdefault("attachments", []).append(f"证据关联的事项{a['item_code']}不存在")
            if a.get("hazard_id") and a["hazard_id"] not in hazard_ids:
                errors.setdefault("attachments", []).append("证据关联的隐患不存在")
        signers = data.get("signatures", [])
        team_certs = {m["cert_no"] for m in data.get("team", [])}
        signed_certs = {s["cert_no"] for s in signers if s["role"] == "inspector"}
        if team_certs and not team_certs <= signed_certs:
            missing = "、".join(sorted(team_certs - signed_certs))
            errors.setdefault("signatures", []).append(f"缺少执法人员签名（证号{missing}）")
        if not any(s["role"] == "enterprise" for s in signers):
            errors.setdefault("signatures", []).append("缺少被检查单位负责人签名")
        if errors:
            raise ValidationError(errors)


def blob_hashes(record: dict[str, Any]) -> list[str]:
    """Every blob a record references, in a stable order without repeats.

    Upload copies, the untouched originals and signature images: the record is
    ``complete`` only when the server holds all of them.
    """
    seen: dict[str, None] = {}
    for a in record.get("attachments", []):
        seen[a["sha256"]] = None
        seen[a["original"]["sha256"]] = None
    for s in record.get("signatures", []):
        seen[s["sha256"]] = None
    return list(seen)


def canonical_json(record: dict[str, Any]) -> bytes:
    """The exact bytes a client sends: UTF-8, sorted keys, no spaces.

    A repeat upload of the same record is byte-identical, which is what the
    server's 200-on-repeat rule compares.
    """
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
