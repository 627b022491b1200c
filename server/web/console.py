"""Office console: session login and the landing page. Screens grow per issue."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from shared.enums import Role

from ..auth import authenticate
from ..extensions import db
from ..models import User
from ..security import LoginBlocked, check_login_allowed, clear_login_failures, note_login_failure

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")


def login_required(*roles: Role):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = authenticate()
            if user is None:
                return redirect(url_for("console.login", next=request.path))
            if roles and Role(user.role) not in roles:
                return render_template("console/forbidden.html"), 403
            return view(*args, **kwargs)
        wrapper._console_roles = frozenset(roles) or frozenset(Role)
        return wrapper
    return decorator


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form.get("username", "")
        try:  # failures per username+address are counted in the database (server/security.py)
            check_login_allowed(username)
        except LoginBlocked as blocked:
            flash(blocked.message)
            return (render_template("console/login.html"), 429,
                    {"Retry-After": str(blocked.retry_after)})
        user = db.session.execute(sa.select(User).filter_by(
            username=username)).scalar_one_or_none()
        if user and user.active and user.check_password(request.form.get("password", "")):
            clear_login_failures(username)
            db.session.commit()
            session.clear()
            session["user_id"] = user.id
            target = request.args.get("next", "")
            # "/console" prefix alone would let "/console.evil.example" or "//host" through.
            if not (target == "/console" or target.startswith("/console/")):
                target = url_for("console.home")
            return redirect(target)
        note_login_failure(username)
        flash("用户名或密码错误")
    return render_template("console/login.html")


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("console.login"))


@bp.route("/")
@login_required()
def home():
    from .console_home import counts, todos

    return render_template("console/home.html", counts=counts(), user=g.user,
                           todos=todos(g.user.role, g.user))
