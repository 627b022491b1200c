"""REST API under /api/v1, declared with flask-smorest so /api/openapi.json is generated."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api, abort
from flask_smorest import Blueprint as _Blueprint
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from shared.text import control_errors

from .contract import ContractSpec, register_error_responses


class _Parser(FlaskParser):
    # A body that fails its schema is a bad request (400), with field errors.
    DEFAULT_VALIDATION_STATUS = 400

    def load_files(self, req, schema):
        # A multipart body carries files and fields together and OpenAPI
        # describes it as one requestBody: one schema (location="files") reads
        # both.  Two @arguments on one route would emit an invalid document.
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)

    def pre_load(self, location_data, *, schema, req, location):
        # Control characters (NUL …) are refused in every text of every body and
        # query string, here once, before any schema sees them; the errors name
        # the field, the message names it too (shared/text.py).
        errors = control_errors(req.form if location == "files" else location_data)
        if errors:
            raise ValidationError(errors)
        return location_data

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, message="请求内容不是有效的JSON格式（或不是UTF-8编码），未作更改",
              messages={"json": ["不是有效的JSON"]})


class Blueprint(_Blueprint):
    ARGUMENTS_PARSER = _Parser()

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        # Every operation gets its operationId, summary and error answers here
        # (server/api/contract.py), not in each route file.
        super().register_views_in_doc(api, app, ContractSpec(spec, app), name=name,
                                      parameters=parameters)


def register_api(app: Flask, api: Api) -> None:
    from .audit.routes import blp as audit
    from .auth.routes import blp as auth
    from .blobs.routes import blp as blobs
    from .cases.routes import blp as cases
    from .dossiers.routes import blp as dossiers
    from .draws.routes import blp as draws
    from .enterprises.routes import blp as enterprises
    from .experts.routes import blp as experts
    from .health import blp as health
    from .inspectors.routes import blp as inspectors
    from .items.routes import blp as items
    from .plans import review as _plan_review  # noqa: F401 – its routes join plans' blueprint
    from .plans.routes import blp as plans
    from .publication.routes import blp as publication
    from .records.routes import blp as records
    from .registries.routes import blp as registries
    from .sync.routes import blp as sync
    from .users.routes import blp as users

    for blp in (health, auth, users, enterprises, inspectors, experts, items, registries, audit,
                sync, records, blobs, plans, draws, publication, cases, dossiers):
        api.register_blueprint(blp)
    register_error_responses(api.spec)
