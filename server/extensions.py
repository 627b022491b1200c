"""Extensions created once, unbound; ``create_app`` binds them."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

# Named constraints so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()


def schema_name(schema) -> str:
    """OpenAPI component names: partial (PATCH) variants get their own name."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    partial = getattr(schema, "partial", False) if not isinstance(schema, type) else False
    return name + ("Partial" if partial else "")


def make_api(app):
    """flask-smorest keeps one OpenAPI spec per Api object, so each app gets its own
    (a module-level Api bound to several apps, as in tests, would merge their specs)."""
    from apispec.ext.marshmallow import MarshmallowPlugin
    from flask_smorest import Api

    return Api(app, spec_kwargs={
        "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
