"""`make run` loads a realistic county bureau into an empty database."""

import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, Inspector, ItemListVersion, User
from server.services.demo_data import DEMO_USERS, load_demo
from shared.enums import Industry, Role
from shared.uscc import is_valid_uscc


def test_demo_data_loads_once(ctx):
    counts = load_demo()
    assert 140 <= counts["enterprises"] <= 160
    assert counts["inspectors"] >= 20 and counts["items"] >= 40
    enterprises = db.session.execute(sa.select(Enterprise)).scalars().all()
    assert all(is_valid_uscc(e.uscc) for e in enterprises)
    assert {e.industry for e in enterprises} >= {m.value for m in Industry}
    assert len({e.street for e in enterprises}) >= 5
    streets = {i.street for i in db.session.execute(sa.select(Inspector)).scalars()}
    assert None in streets and len(streets) >= 5  # bureau pool and several street pools
    roles = {u.role for u in db.session.execute(sa.select(User)).scalars()}
    assert roles == {r.value for r in Role}
    assert db.session.scalar(sa.select(sa.func.max(ItemListVersion.number))) == 1
    assert load_demo() == {}  # not twice


def test_demo_logins_work(client, ctx):
    load_demo()
    for username, *_ in DEMO_USERS:
        resp = client.post("/api/v1/auth/token", json={
            "username": username, "password": "suicha2024", "device_id": "t"})
        assert resp.status_code == 201, username
