"""Console helpers: log a fresh user of a role in through the real login form."""

from __future__ import annotations

import itertools

import pytest
from flask import g, has_app_context

from shared.enums import Role
from tests.server import factories

_n = itertools.count(1)


def csrf(client) -> str:
    with client.session_transaction() as s:
        return s.get("csrf", "")


@pytest.fixture
def login(app, client):
    def do(role: Role) -> str:
        # With the `ctx` fixture active, requests share the test's app context, so
        # `g.user` would outlive the request: forget it when the user changes.
        if has_app_context():
            g.pop("user", None)
        name = f"{role.value}-web{next(_n)}"
        with app.app_context():
            factories.make_user(role, username=name, password="password123")
        client.post("/console/logout", data={"csrf_token": csrf(client)})
        client.get("/console/login")
        resp = client.post("/console/login", data={"username": name, "password": "password123",
                                                   "csrf_token": csrf(client)})
        assert resp.status_code == 302, resp.get_data(as_text=True)
        client.get("/console/")  # login clears the session; a page mints a new CSRF token
        return name
    return do
