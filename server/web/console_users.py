"""Console: users and device tokens (revoke a lost tablet)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for

from shared.enums import Role

from ..extensions import db
from ..models import DeviceToken, User
from ..services.accounts import create_user, revoke_device
from . import add_nav
from .console import bp, login_required


@bp.route("/users", methods=["GET", "POST"])
@login_required(Role.ADMIN)
def users():
    if request.method == "POST":
        user = create_user(request.form.get("username", "").strip(),
                           request.form.get("role", ""), request.form.get("password", ""),
                           inspector_cert=request.form.get("cert_no") or None,
                           display_name=request.form.get("display_name") or None)
        flash(f"已创建用户 {user.username}（{Role(user.role).label}）")
        return redirect(url_for("console.users"))
    rows = db.session.execute(sa.select(User).order_by(User.username)).scalars().all()
    tokens = db.session.execute(sa.select(DeviceToken).order_by(
        DeviceToken.revoked_at.is_not(None), DeviceToken.last_seen_at.desc())).scalars().all()
    return render_template("console/users.html", users=rows, tokens=tokens, roles=list(Role))


@bp.route("/devices/<device_id>/revoke", methods=["POST"])
@login_required(Role.ADMIN, Role.DISPATCHER)
def device_revoke(device_id: str):
    count = revoke_device(device_id)
    flash(f"已吊销设备 {device_id} 的 {count} 个令牌" if count
          else f"设备 {device_id} 没有有效令牌")
    return redirect(request.referrer or url_for("console.users"))


add_nav("console.users", "用户与设备", Role.ADMIN)
