"""Console: user administration (create, edit 姓名 and role, reset a password,
disable), one's own password, and device tokens (revoke a lost tablet)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for

from shared.enums import Role

from ..api.users.routes import UserSchema
from ..extensions import db
from ..models import DeviceToken, User
from ..services import accounts
from ..services.accounts import create_user, revoke_device
from . import add_nav
from .console import bp, login_required, refused_as
from .form_text import load_form
from .labels import tablet
from .listing import search


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description="该用户不存在")
    return user


def _names(form, *fields: str) -> dict[str, str | None]:
    """用户名 and 姓名 bounded as the API bounds them (64 characters)."""
    values = {"username": form.get("username", "").strip(),
              "display_name": form.get("display_name") or None}
    return load_form(UserSchema(only=fields), {k: values[k] for k in fields})


@bp.route("/users", methods=["GET", "POST"])
@login_required(Role.ADMIN)
@refused_as("未创建")
def users():
    if request.method == "POST":
        names = _names(request.form, "username", "display_name")
        user = create_user(names["username"],
                           request.form.get("role", ""), request.form.get("password", ""),
                           inspector_cert=request.form.get("cert_no") or None,
                           display_name=names["display_name"])
        flash(f"已创建用户 {user.username}（{user.display_name}，{Role(user.role).label}）")
        return redirect(url_for("console.users"))
    query = sa.select(User).order_by(User.active.desc(), User.role, User.username)
    if request.args.get("q"):
        query = query.where(search((User.username, User.display_name), request.args["q"]))
    if request.args.get("role") in {r.value for r in Role}:
        query = query.where(User.role == request.args["role"])
    rows = db.session.execute(query).scalars().all()
    tokens = db.session.execute(sa.select(DeviceToken).order_by(
        DeviceToken.revoked_at.is_not(None), DeviceToken.last_seen_at.desc()).limit(200)
    ).scalars().all()
    return render_template("console/users.html", users=rows, tokens=tokens, roles=list(Role),
                           numbers=accounts.tablet_numbers(),
                           min_password=accounts.MIN_PASSWORD, args=request.args)


@bp.route("/users/<int:user_id>", methods=["POST"])
@login_required(Role.ADMIN)
@refused_as("未保存")
def user_edit(user_id: int):
    user = _user(user_id)
    name = _names(request.form, "display_name")["display_name"] or ""
    changed = accounts.update_user(user, g.user.username, display_name=name,
                                   role=request.form.get("role", ""),
                                   inspector_cert=request.form.get("cert_no") or None)
    flash(f"已修改{user.display_name}的" + "、".join(changed) if changed else "没有修改")
    return redirect(url_for("console.users"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@login_required(Role.ADMIN)
@refused_as("未重置")
def user_password(user_id: int):
    """An administrator's reset: the new password is told to the user in person."""
    user = _user(user_id)
    accounts.set_password(user, request.form.get("password", ""), g.user.username)
    flash(f"已重置{user.display_name or Role(user.role).label}的密码，其平板须重新登录")
    return redirect(url_for("console.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required(Role.ADMIN)
def user_active(user_id: int):
    user = _user(user_id)
    active = request.form.get("active") == "1"
    accounts.set_active(user, active, g.user.username)  # a refusal: the one handler
    flash(f"已{'启用' if active else '停用'}{user.display_name or user.username}的账号")
    return redirect(url_for("console.users"))


@bp.route("/password", methods=["GET", "POST"])
@login_required()
@refused_as("未修改")
def my_password():
    if request.method == "POST":
        form = request.form
        accounts.change_own_password(g.user, form.get("current", ""), form.get("new", ""),
                                     form.get("again", ""))
        flash("密码已修改")
        return redirect(url_for("console.home"))
    return render_template("console/password.html", min_password=accounts.MIN_PASSWORD)


@bp.route("/devices/<device_id>/revoke", methods=["POST"])
@login_required(Role.ADMIN, Role.DISPATCHER)
def device_revoke(device_id: str):
    count = revoke_device(device_id)
    label = tablet(device_id, numbers=accounts.tablet_numbers())
    flash(f"已吊销{label}的 {count} 个令牌" if count else f"{label}没有有效令牌")
    return redirect(request.referrer or url_for("console.users"))


add_nav("console.users", "用户与设备", Role.ADMIN)
