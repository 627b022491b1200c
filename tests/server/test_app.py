"""The app boots, answers /healthz, serves its OpenAPI document; migrations match models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from server import create_app
from server.extensions import db, include_object_for


def test_healthz(client, backend):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok", "database": backend}


def test_openapi_document_is_generated_from_the_code(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/enterprises" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/v1/enterprises"]["get"]["parameters"]}
    assert {"industry", "street", "risk_level", "credit_class", "q", "page"} <= params
    assert "Enterprise" in spec["components"]["schemas"]


def test_unknown_api_route_gets_json_error_in_chinese(client):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.json["code"] == 404 and resp.json["message"] == "请求的资源不存在"


def test_migrations_build_exactly_the_models(app, backend, tmp_path, request):
    """`flask db upgrade` on an empty database yields the schema the models declare."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        import psycopg
        server = request.getfixturevalue("pg_server")
        with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "migrated"')
            conn.execute('CREATE DATABASE "migrated"')
        url = server.url("migrated")
    fresh = create_app({"SQLALCHEMY_DATABASE_URI": url, "EVIDENCE_DIR": str(tmp_path / "ev")})
    with fresh.app_context():
        upgrade()
        with db.engine.connect() as conn:
            opts = {"include_object": include_object_for(conn.dialect.name)}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        db.engine.dispose()
    assert "enterprises" in tables and "alembic_version" in tables
    assert diff == [], f"models and migrations differ: {diff}"
