"""PUT/GET /api/v1/records/<uuid>: 201 / 200 repeat / 409 / amendment, isolation, limits."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from flask import g
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import SyncRecord, SyncRecordVersion, Visit
from shared.enums import Role
from shared.schemas import RecordStatusSchema, canonical_json
from tests.server import factories as f


def bearer(inspector) -> dict[str, str]:
    """Headers of a fresh inspector account for *inspector* (same session as ctx)."""
    return {"Authorization": f"Bearer {f.make_token(Role.INSPECTOR, inspector=inspector)}"}


@pytest.fixture(autouse=True)
def _fresh_caller(app):
    """These tests keep an app context open across requests (to read the database),
    so Flask reuses ``g``; forget the previous request's caller."""

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def world(ctx):
    """Two teams on two visits; ``a`` is on visit ``va``, ``b`` on ``vb``."""
    a, a2, b, b2 = (f.make_inspector() for _ in range(4))
    with f.bureau_day():  # drawn before the March 2024 records these tests send
        task = f.make_sync_task()
    va = f.make_sync_visit(task, [a, a2])
    vb = f.make_sync_visit(task, [b, b2])
    return {"va": va, "vb": vb, "a": bearer(a), "a2": bearer(a2), "b": bearer(b)}


def put(client, headers, payload: dict, *, raw: bytes | None = None, uuid: str | None = None):
    body = raw if raw is not None else canonical_json(payload)
    return client.put(f"/api/v1/records/{uuid or payload['uuid']}", data=body, headers={
        **headers, "Content-Type": "application/json; charset=utf-8"})


def versions(uuid: str) -> list[int]:
    return list(db.session.scalars(sa.select(SyncRecordVersion.version).where(
        SyncRecordVersion.uuid == uuid).order_by(SyncRecordVersion.version)))


def test_new_record_201_then_identical_repeat_200_stores_one_copy(client, world):
    rec = f.make_record_payload(world["va"])
    first = put(client, world["a"], rec)
    assert first.status_code == 201, first.json
    assert RecordStatusSchema().load(first.json)["version"] == 1
    again = put(client, world["a"], rec)
    assert again.status_code == 200
    assert again.json == first.json
    # A team-mate's tablet sending the same bytes is the same record, too.
    assert put(client, world["a2"], rec).status_code == 200
    assert versions(rec["uuid"]) == [1]
    stored = db.session.scalar(sa.select(SyncRecordVersion.body))
    assert stored == canonical_json(rec)


def test_different_body_409_and_amendment_with_current_base_version(client, world):
    rec = f.make_record_payload(world["va"])
    assert put(client, world["a"], rec).status_code == 201
    changed = {**rec, "items": [{**i, "note": "补充说明"} for i in rec["items"]]}
    conflict = put(client, world["a"], changed)
    assert conflict.status_code == 409
    assert conflict.json["message"] == "服务器上已有该记录的不同内容"
    stale = put(client, world["a"], {**changed, "base_version": 7})
    assert stale.status_code == 409

    amended = put(client, world["a"], {**changed, "base_version": 1})
    assert amended.status_code == 200
    assert amended.json["version"] == 2
    # The amendment itself repeats idempotently; amending v1 again is now stale.
    assert put(client, world["a"], {**changed, "base_version": 1}).json["version"] == 2
    other = {**rec, "outcome": "pending", "base_version": 1}
    assert put(client, world["a"], other).status_code == 409
    assert versions(rec["uuid"]) == [1, 2]
    old = db.session.scalar(sa.select(SyncRecordVersion.body).where(
        SyncRecordVersion.version == 1))
    assert old == canonical_json(rec)  # the old version is kept byte for byte
    assert client.get(f"/api/v1/records/{rec['uuid']}", headers=world["a"]).json["version"] == 2


def test_uniqueness_is_a_database_constraint(client, world):
    rec = f.make_record_payload(world["va"])
    assert put(client, world["a"], rec).status_code == 201
    head = db.session.scalar(sa.select(SyncRecord))
    v1 = db.session.scalar(sa.select(SyncRecordVersion))
    db.session.add(SyncRecordVersion(
        record_id=head.id, uuid=head.uuid, version=1, body=b"{}", body_sha256="0" * 64,
        blob_hashes=[], outcome="pending", device_id="x", user_id=v1.user_id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(SyncRecord(uuid=head.uuid, visit_id=head.visit_id, version=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_concurrent_first_uploads_store_exactly_one_copy(app, client, world):
    rec = f.make_record_payload(world["va"])
    body = canonical_json(rec)
    codes: list[int] = []

    def send() -> None:
        c = app.test_client()
        resp = c.put(f"/api/v1/records/{rec['uuid']}", data=body,
                     headers={**world["a"], "Content-Type": "application/json"})
        codes.append(resp.status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] * 5 + [201]
    assert versions(rec["uuid"]) == [1]


def test_inspector_cannot_write_or_read_another_teams_record(client, world):
    theirs = f.make_record_payload(world["vb"])
    refused = put(client, world["a"], theirs)
    assert refused.status_code == 403
    assert "检查组" in refused.json["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SyncRecord)) == 0
    assert put(client, world["b"], theirs).status_code == 201
    assert client.get(f"/api/v1/records/{theirs['uuid']}", headers=world["a"]).status_code == 403
    assert client.get(f"/api/v1/records/{theirs['uuid']}", headers=world["b"]).status_code == 200
    # Nor can a's tablet overwrite b's record by reusing its uuid on its own visit.
    hijack = f.make_record_payload(world["va"], uuid=theirs["uuid"])
    assert put(client, world["a"], {**hijack, "base_version": 1}).status_code == 409
    assert versions(theirs["uuid"]) == [1]


def test_complete_only_when_every_blob_is_complete(client, world):
    photo = f.make_jpeg(1)
    rec = f.make_record_payload(world["va"], photos=[photo])
    first = put(client, world["a"], rec).json
    assert first["complete"] is False
    sig = f.make_jpeg(999)
    assert sorted(first["missing_blobs"]) == sorted(
        {hashlib.sha256(photo).hexdigest(), hashlib.sha256(sig).hexdigest()})
    for blob in (photo, sig):
        sha = hashlib.sha256(blob).hexdigest()
        resp = client.put(f"/api/v1/blobs/{sha}", data=blob, headers={
            **world["a"], "Content-Type": "image/jpeg",
            "Content-Range": f"bytes 0-{len(blob) - 1}/{len(blob)}"})
        assert resp.status_code == 201, resp.json
    now = client.get(f"/api/v1/records/{rec['uuid']}", headers=world["a"]).json
    assert now == {"uuid": rec["uuid"], "version": 1, "complete": True, "missing_blobs": []}


def test_finished_record_marks_the_visit_inspected(client, world):
    assert db.session.get(Visit, world["va"].id).status == "drawn"
    put(client, world["a"], f.make_record_payload(world["va"]))
    db.session.expire_all()
    assert db.session.get(Visit, world["va"].id).status == "inspected"


@pytest.mark.parametrize("case", ["not_json", "schema", "uuid_mismatch", "too_large"])
def test_bad_bodies(client, world, case):
    rec = f.make_record_payload(world["va"])
    if case == "not_json":
        resp = put(client, world["a"], rec, raw=b"{not json")
        assert resp.status_code == 400 and resp.json["message"] == "记录不是有效的JSON格式"
    elif case == "schema":
        bad = {**rec, "items": [{**rec["items"][0], "result": "maybe"}]}
        resp = put(client, world["a"], bad)
        assert resp.status_code == 400
        assert "result" in resp.json["errors"]["items"]["0"]
    elif case == "uuid_mismatch":
        resp = put(client, world["a"], rec, uuid="00000000-0000-4000-8000-000000000000")
        assert resp.status_code == 400
    else:
        big = {**rec, "trail": rec["trail"] * 1}
        raw = canonical_json(big)[:-1] + b',"pad":"' + b"x" * (2 * 1024 * 1024) + b'"}'
        resp = put(client, world["a"], rec, raw=raw)
        assert resp.status_code == 413 and "2MB" in resp.json["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SyncRecord)) == 0


def test_get_unknown_record_is_404(client, world):
    resp = client.get("/api/v1/records/00000000-0000-4000-8000-000000000000", headers=world["a"])
    assert resp.status_code == 404 and resp.json["message"]


def test_record_for_a_withdrawn_visit_is_kept_and_says_so(client, world, monkeypatch):
    from server.services import dispatch
    from server.services.dispatch import dispatch_task, withdraw_visit

    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))  # sent before the visit
    dispatch_task(world["va"].task.task_no, "test")
    withdraw_visit(world["va"].id, "test", "任务取消")
    resp = put(client, world["a"], f.make_record_payload(world["va"]))
    assert resp.status_code == 201
    assert resp.json["withdrawn"] is True and "撤回" in resp.json["message"]
    assert json.loads(resp.data)["version"] == 1


def test_item_outside_the_drawn_list_is_refused_and_nothing_stored(client, world, count_rows):
    rec = f.make_record_payload(world["va"])
    rec["items"] = [*rec["items"], {**rec["items"][0], "code": "𠀀㐀😀"}]
    resp = put(client, world["a"], rec)
    assert resp.status_code == 422
    assert "不在本次抽取的事项中" in resp.json["message"] and "𠀀㐀😀" in resp.json["message"]
    assert count_rows(SyncRecord) == 0
