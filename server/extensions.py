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


def include_object_for(dialect: str):
    """Alembic's ``include_object`` for *dialect*: skips schema objects the models
    declare for other databases only (``info={"dialects": (...)}``, with a
    matching ``ddl_if`` so that ``create_all`` skips them too)."""

    def include_object(obj, _name, _type, reflected, _compare_to) -> bool:
        dialects = getattr(obj, "info", {}).get("dialects")
        return reflected or not dialects or dialect in dialects

    return include_object


def schema_namer():
    """OpenAPI component names for one spec.

    Partial (PATCH) variants get their own name; two different classes with the
    same name (``ImportResult`` of registries and of plans) are told apart by the
    API package they live in instead of apispec's "Name1" and a warning.
    """
    owners: dict[str, type] = {}

    def name_of(schema) -> str:
        cls = schema if isinstance(schema, type) else type(schema)
        name = cls.__name__.removesuffix("Schema")
        owner = owners.setdefault(name, cls)
        if owner is not cls:
            parts = cls.__module__.split(".")
            package = parts[-2] if parts[-1] in ("schemas", "routes") else parts[-1]
            name = package.title().replace("_", "") + name
            owners.setdefault(name, cls)
        partial = False if isinstance(schema, type) else getattr(schema, "partial", False)
        return name + ("Partial" if partial else "")

    return name_of


def make_api(app):
    """flask-smorest keeps one OpenAPI spec per Api object, so each app gets its own
    (a module-level Api bound to several apps, as in tests, would merge their specs)."""
    from apispec.ext.marshmallow import MarshmallowPlugin
    from flask_smorest import Api

    return Api(app, spec_kwargs={
        "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_namer())})
