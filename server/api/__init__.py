"""REST API under /api/v1, declared with flask-smorest so /api/openapi.json is generated."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api
from flask_smorest import Blueprint as _Blueprint
from webargs.flaskparser import FlaskParser


class _Parser(FlaskParser):
    # A body that fails its schema is a bad request (400), with field errors.
    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(_Blueprint):
    ARGUMENTS_PARSER = _Parser()


def register_api(app: Flask, api: Api) -> None:
    from .audit.routes import blp as audit
    from .auth.routes import blp as auth
    from .enterprises.routes import blp as enterprises
    from .experts.routes import blp as experts
    from .health import blp as health
    from .inspectors.routes import blp as inspectors
    from .items.routes import blp as items
    from .registries.routes import blp as registries
    from .users.routes import blp as users

    for blp in (health, auth, users, enterprises, inspectors, experts, items, registries, audit):
        api.register_blueprint(blp)
    from .sync.routes import blp as sync_blp  # noqa: I001
    from .records.routes import blp as records_blp
    from .blobs.routes import blp as blobs_blp
    for blp in (sync_blp, records_blp, blobs_blp):
        api.register_blueprint(blp)
    from .plans.routes import blp as plans_blp; api.register_blueprint(plans_blp)  # noqa: E702
    from .draws.routes import blp as draws_blp; api.register_blueprint(draws_blp)  # noqa: E702
    from .publication.routes import blp as pub_blp; api.register_blueprint(pub_blp)  # noqa: E702
    from .cases.routes import blp as cases_blp; api.register_blueprint(cases_blp)  # noqa: E702
    from .dossiers.routes import blp as dos_blp; api.register_blueprint(dos_blp)  # noqa: E702
    for extra in app.extensions.get("suicha_blueprints", []):
        api.register_blueprint(extra)
