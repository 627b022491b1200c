"""Office console: session login and the landing page. Screens grow per issue."""

from __future__ import annotations

import functools
import secrets

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from shared.enums import Role

from ..auth import authenticate
from ..extensions import db
from ..models._types import utcnow
from ..models.user import ConsoleSession, hash_token
from ..security import LoginBlocked, check_login

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


def refused_as(words: str):
    """The words a refusal of this form starts with (未保存、未添加…): the one error
    handler (server/errors.py) puts them before the service's reason. Routes never
    catch a ``ServiceError`` themselves."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.refused_as = words
            return view(*args, **kwargs)
        return wrapper
    return decorator


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form.get("username", "")
        try:  # attempts per username+address are counted in the database (server/security.py)
            user = check_login(username, request.form.get("password", ""))
        except LoginBlocked as blocked:  # the login page itself answers, with its form
            flash(blocked.message)
            return render_template("console/login.html"), 429, blocked.headers
        if user is not None:
            sid = secrets.token_urlsafe(32)
            db.session.add(ConsoleSession(sid_hash=hash_token(sid), user_id=user.id))
            db.session.commit()
            session.clear()
            session["sid"] = sid
            target = request.args.get("next", "")
            # "/console" prefix alone would let "/console.evil.example" or "//host" through.
            if not (target == "/console" or target.startswith("/console/")):
                target = url_for("console.home")
            return redirect(target)
        flash("用户名或密码错误")
    return render_template("console/login.html")


@bp.route("/logout", methods=["POST"])
def logout():
    """Ends the session on the server: a copy of the cookie is worth nothing after."""
    if session.get("sid"):
        db.session.execute(sa.update(ConsoleSession).where(
            ConsoleSession.sid_hash == hash_token(session["sid"]),
            ConsoleSession.ended_at.is_(None)).values(ended_at=utcnow()))
        db.session.commit()
    session.clear()
    return redirect(url_for("console.login"))


@bp.route("/")
@login_required()
def home():
    from .console_home import counts, todos

    return render_template("console/home.html", counts=counts(), user=g.user,
                           todos=todos(g.user.role, g.user))
