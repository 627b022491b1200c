"""A device token's "last seen" time (the console's 最近同步): set when the device
logs in and when a write of its is accepted – never by a GET, nor by a refused write."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import DeviceToken
from shared.enums import Role
from tests.server import factories as f
from tests.server.services import test_cases_support as s

pytestmark = pytest.mark.usefixtures("fresh_caller")

LONG_AGO = datetime(2024, 3, 4, 2, 0)  # 10:00 Beijing time


def _login(client, user) -> tuple[dict[str, str], DeviceToken]:
    resp = client.post("/api/v1/auth/token", json={
        "username": user.username, "password": "password123", "device_id": "pad-1"})
    assert resp.status_code == 201, resp.json
    token = db.session.scalar(sa.select(DeviceToken).where(DeviceToken.user_id == user.id))
    return {"Authorization": f"Bearer {resp.json['token']}"}, token


def _seen(token: DeviceToken) -> datetime | None:
    db.session.expire_all()
    return db.session.get(DeviceToken, token.id).last_seen_at


def _set_seen(token: DeviceToken, when: datetime) -> None:
    db.session.get(DeviceToken, token.id).last_seen_at = when
    db.session.commit()


def test_logging_in_is_the_first_time_seen(ctx, client):
    headers, token = _login(client, f.make_user(Role.INSPECTOR))
    assert _seen(token) is not None and _seen(token) == token.created_at


def test_reading_leaves_the_time_alone(ctx, client):
    headers, token = _login(client, f.make_user(Role.INSPECTOR))
    _set_seen(token, LONG_AGO)
    for url in ("/api/v1/sync/pull", "/api/v1/auth/me", f"/api/v1/blobs/{'0' * 64}"):
        assert client.get(url, headers=headers).status_code < 500
    assert client.head(f"/api/v1/blobs/{'0' * 64}", headers=headers).status_code == 404
    assert _seen(token) == LONG_AGO


def test_an_accepted_upload_moves_it_and_a_refused_one_does_not(ctx, client):
    headers, token = _login(client, f.make_user(Role.INSPECTOR))
    _set_seen(token, LONG_AGO)
    data = s.photo(7)
    digest = hashlib.sha256(data).hexdigest()
    refused = client.put(f"/api/v1/blobs/{digest}", data=data + b"x", headers={
        **headers, "Content-Type": "image/jpeg",
        "Content-Range": f"bytes 0-{len(data)}/{len(data) + 1}"})
    assert refused.status_code >= 400  # the bytes do not match their hash
    assert _seen(token) == LONG_AGO
    accepted = client.put(f"/api/v1/blobs/{digest}", data=data, headers={
        **headers, "Content-Type": "image/jpeg",
        "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"})
    assert accepted.status_code in (200, 201), accepted.json
    assert _seen(token) > LONG_AGO + timedelta(days=365)


def test_the_console_shows_it_in_the_bureau_s_time(ctx, client, login):
    user = f.make_user(Role.INSPECTOR)
    _, token = _login(client, user)
    _set_seen(token, LONG_AGO)
    login(Role.DISPATCHER)
    page = client.get("/console/dispatch").get_data(as_text=True)
    assert "2024-03-04 10:00" in page and "最近一次登录或成功回传" in page
