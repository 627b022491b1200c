"""Accounts and device tokens (administrators)."""

import sqlalchemy as sa
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from shared.enums import Role

from ...auth import roles_required
from ...extensions import db
from ...models import DeviceToken, User
from ...services.accounts import create_user, revoke_device
from .. import Blueprint
from ..fields import UTCDateTime, clean_text, code_of

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="用户与设备")


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = clean_text(64, min_len=1, required=True)
    display_name = clean_text(64, allow_none=True)
    role = code_of(Role, required=True)
    password = fields.String(load_only=True, required=True, validate=validate.Length(min=8))
    inspector_cert = fields.String(load_only=True, allow_none=True)
    cert_no = fields.Function(lambda u: u.inspector.cert_no if u.inspector else None)
    active = fields.Boolean(dump_only=True)


class DeviceSchema(Schema):
    id = fields.Integer()
    device_id = fields.String()
    username = fields.Function(lambda t: t.user.username)
    created_at = UTCDateTime()
    last_seen_at = UTCDateTime(allow_none=True)
    revoked_at = UTCDateTime(allow_none=True)


class RevokeResult(Schema):
    device_id = fields.String()
    revoked = fields.Integer()


@blp.route("/users")
@roles_required(Role.ADMIN)
@blp.response(200, UserSchema(many=True))
def list_users():
    return db.session.execute(sa.select(User).order_by(User.username)).scalars().all()


@blp.route("/users", methods=["POST"])
@roles_required(Role.ADMIN)
@blp.arguments(UserSchema)
@blp.response(201, UserSchema)
def add_user(data):
    return create_user(data["username"], data["role"], data["password"],
                       inspector_cert=data.get("inspector_cert"),
                       display_name=data.get("display_name"))


@blp.route("/devices")
@roles_required(Role.ADMIN, Role.DISPATCHER)
@blp.response(200, DeviceSchema(many=True))
def list_devices():
    return db.session.execute(
        sa.select(DeviceToken).order_by(DeviceToken.created_at.desc())).scalars().all()


@blp.route("/devices/<device_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN, Role.DISPATCHER)
@blp.response(200, RevokeResult)
def revoke(device_id):
    count = revoke_device(device_id)
    if count == 0:
        abort(404, message=f"设备“{device_id}”没有有效令牌")
    return {"device_id": device_id, "revoked": count}
