"""Server-rendered pages: the office console (/console) and public pages (/public)."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, redirect, request, session, url_for

from shared.enums import Role

# (endpoint, label, roles) of the console's top navigation; screens add themselves.
NAV: list[tuple[str, str, frozenset[Role]]] = []


def add_nav(endpoint: str, label: str, *roles: Role) -> None:
    if all(e != endpoint for e, _, _ in NAV):
        NAV.append((endpoint, label, frozenset(roles) or frozenset(Role)))


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def register_web(app: Flask) -> None:
    from flask import g

    # Importing the screen modules registers their routes on the console blueprint.
    from . import (  # noqa: F401
        console_audit,
        console_audit_draws,
        console_calendar,
        console_cases,
        console_dashboard,
        console_dispatch,
        console_enterprises,
        console_imports,
        console_plan_edit,
        console_plan_review,
        console_plans,
        console_publication,
        console_registries,
        console_schedule,
        console_users,
        public,
    )
    from .console import bp as console

    app.register_blueprint(console)
    app.register_blueprint(public.bp)
    from . import labels, listing

    labels.register(app)
    listing.register(app)

    @app.context_processor
    def _helpers():
        def console_nav():
            user = g.get("user")
            role = Role(user.role) if user else None
            return [(e, label) for e, label, roles in NAV if role in roles]

        return {"console_nav": console_nav, "csrf_token": csrf_token,
                "role_label": lambda code: Role(code).label}

    @app.before_request
    def _check_csrf():
        # Console forms carry a per-session token. The API is for bearer tokens;
        # an API write the console cookie authenticates is checked where the
        # cookie is accepted (server/auth.py).
        if request.method not in ("POST", "PUT", "PATCH", "DELETE") or request.path.startswith(
                "/api/"):
            return
        sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
        if not session.get("csrf") or not hmac.compare_digest(sent, session["csrf"]):
            from .errors import STALE_FORM

            abort(400, description=STALE_FORM)

    from .form_text import check_form

    app.before_request(check_form)

    @app.route("/")
    def index():
        return redirect(url_for("console.home"))
