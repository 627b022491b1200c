"""The bureau's zone travels to the tablet: the login answer and every pull
carry ``BUREAU_TIMEZONE``, so the tablet shows times as the office does – a
server in Xinjiang is not shown Beijing time because the tablet was set up with
the default."""

from __future__ import annotations

import pytest

from shared.enums import Role
from shared.schemas import PullResponseSchema, TokenResponseSchema
from tests.server import factories as f

pytestmark = pytest.mark.usefixtures("fresh_caller")


@pytest.fixture
def urumqi(app):
    app.config["BUREAU_TIMEZONE"] = "Asia/Urumqi"
    yield "Asia/Urumqi"
    app.config["BUREAU_TIMEZONE"] = "Asia/Shanghai"


def test_the_login_answer_names_the_bureau_zone(ctx, client, urumqi):
    inspector = f.make_inspector()
    f.make_user(Role.INSPECTOR, inspector=inspector, username="tablet-xj")
    resp = client.post("/api/v1/auth/token", json={
        "username": "tablet-xj", "password": "password123", "device_id": "pad-1"})
    assert resp.status_code == 201, resp.json
    assert TokenResponseSchema().load(resp.json)["bureau_timezone"] == "Asia/Urumqi"


def test_every_pull_names_the_bureau_zone(ctx, client, urumqi):
    inspector = f.make_inspector()
    headers = {"Authorization": f"Bearer {f.make_token(Role.INSPECTOR, inspector=inspector)}"}
    first = client.get("/api/v1/sync/pull", headers=headers)
    assert first.status_code == 200, first.json
    assert PullResponseSchema().load(first.json)["bureau_timezone"] == "Asia/Urumqi"
    again = client.get("/api/v1/sync/pull", query_string={"cursor": first.json["cursor"]},
                       headers=headers)
    assert again.status_code == 200, again.json
    assert again.json["bureau_timezone"] == "Asia/Urumqi"


def test_the_openapi_document_describes_the_zone(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    pull = next(s for name, s in schemas.items() if "cursor" in s.get("properties", {}))
    token = next(s for name, s in schemas.items() if "token" in s.get("properties", {}))
    for schema in (pull, token):
        assert schema["properties"]["bureau_timezone"]["type"] == "string"
        assert "时区" in schema["properties"]["bureau_timezone"]["description"]
