"""Device enrollment: username + password + device id → a revocable bearer token."""

import sqlalchemy as sa
from flask import g
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from ...auth import ALL_ROLES, public, roles_required
from ...extensions import db
from ...localtime import zone_name
from ...models import DeviceToken
from ...models._types import utcnow
from ...models.user import hash_token
from ...security import check_login
from .. import Blueprint
from ..fields import clean_text

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="登录与设备令牌")


class TokenRequest(Schema):
    username = clean_text(64, min_len=1, required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    device_id = clean_text(128, min_len=1, required=True)


class InspectorRef(Schema):
    cert_no = fields.String()
    name = fields.String()


class TokenResponse(Schema):
    token = fields.String()
    username = fields.String()
    display_name = fields.String(allow_none=True)
    role = fields.String()
    inspector = fields.Nested(InspectorRef, allow_none=True)
    bureau_timezone = fields.String(metadata={
        "description": "局所在时区（IANA名称，如Asia/Shanghai），平板按此显示时间"})


class WhoAmI(Schema):
    username = fields.String()
    display_name = fields.String(allow_none=True)
    role = fields.String()
    inspector = fields.Nested(InspectorRef, allow_none=True)
    device_id = fields.String(allow_none=True)


@blp.route("/token", methods=["POST"])
@public
@blp.arguments(TokenRequest)
@blp.response(201, TokenResponse)
@blp.alt_response(401, description="用户名或密码错误")
@blp.alt_response(429, description="登录失败次数过多")
@blp.doc(security=[])
def issue_token(data):
    # Same database-backed limit as the console login (server/security.py).
    user = check_login(data["username"], data["password"])
    if user is None:
        abort(401, message="用户名或密码错误")
    token = DeviceToken.new_token()
    # One live token per device: enrolling again replaces the old one.
    for old in db.session.execute(sa.select(DeviceToken).filter_by(
            user_id=user.id, device_id=data["device_id"], revoked_at=None)).scalars():
        old.revoked_at = utcnow()
    # Logging in is the device's first contact: "最近同步" starts here.
    now = utcnow()
    db.session.add(DeviceToken(user=user, device_id=data["device_id"],
                               token_hash=hash_token(token), created_at=now, last_seen_at=now))
    db.session.commit()
    return {"token": token, "username": user.username, "display_name": user.display_name,
            "role": user.role, "inspector": user.inspector, "bureau_timezone": zone_name()}


@blp.route("/me")
@roles_required(*ALL_ROLES)
@blp.response(200, WhoAmI)
def whoami():
    token = g.get("device_token")
    return {"username": g.user.username, "display_name": g.user.display_name,
            "role": g.user.role, "inspector": g.user.inspector,
            "device_id": token.device_id if token else None}


@blp.route("/token", methods=["DELETE"])
@roles_required(*ALL_ROLES)
@blp.response(204)
def revoke_own_token():
    token = g.get("device_token")
    if token is not None:
        token.revoked_at = utcnow()
        db.session.commit()
