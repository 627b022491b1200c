"""HEAD/PUT /api/v1/blobs/<sha256>: resumable, content-addressed, checked, atomic."""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from PIL import Image

from server.extensions import db
from server.models import Blob
from server.services.sync.blobs import blob_path
from shared.enums import Role
from tests.server import factories as f


@pytest.fixture(autouse=True)
def _fresh_caller(app):
    """These tests keep an app context open across requests (to read the database),
    so Flask reuses ``g``; forget the previous request's caller."""

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def h(ctx):
    token = f.make_token(Role.INSPECTOR)
    return {"Authorization": f"Bearer {token}"}


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def put(client, h, digest: str, data: bytes, start: int, total: int, **extra):
    headers = {**h, "Content-Type": "image/jpeg",
               "Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}", **extra}
    return client.put(f"/api/v1/blobs/{digest}", data=data, headers=headers)


def photo(n: int = 3, size=(400, 300)) -> bytes:
    # Noise does not compress: a photo of a few tens of KB, so chunks make sense.
    im = Image.frombytes("RGB", size, hashlib.shake_256(bytes([n])).digest(size[0] * size[1] * 3))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_whole_upload_then_head_then_repeat(client, h, app):
    blob = photo()
    assert client.head(f"/api/v1/blobs/{sha(blob)}", headers=h).status_code == 404
    resp = put(client, h, sha(blob), blob, 0, len(blob))
    assert resp.status_code == 201
    assert resp.headers["Blob-Status"] == "complete"
    assert resp.headers["Blob-Offset"] == str(len(blob))
    head = client.head(f"/api/v1/blobs/{sha(blob)}", headers=h)
    assert (head.status_code, head.headers["Blob-Status"]) == (200, "complete")
    again = put(client, h, sha(blob), blob, 0, len(blob))
    assert again.status_code == 200 and again.headers["Blob-Status"] == "complete"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Blob)) == 1
    on_disk = blob_path(sha(blob))
    assert sha(on_disk.read_bytes()) == sha(blob)
    assert not list((Path(app.config["EVIDENCE_DIR"]) / ".partial").iterdir())


def test_chunks_resume_from_server_offset_and_only_missing_bytes_are_appended(client, h):
    blob = photo()
    digest, total, cut = sha(blob), len(blob), len(blob) // 3
    first = put(client, h, digest, blob[:cut], 0, total)
    assert first.status_code == 202
    assert (first.headers["Blob-Status"], first.headers["Blob-Offset"]) == ("partial", str(cut))
    head = client.head(f"/api/v1/blobs/{digest}", headers=h)
    assert head.headers["Blob-Status"] == "partial" and head.headers["Blob-Offset"] == str(cut)
    # A tablet that lost the 202 sends the first chunk again: 416 tells it where to go on.
    stale = put(client, h, digest, blob[:cut], 0, total)
    assert stale.status_code == 416 and stale.headers["Blob-Offset"] == str(cut)
    assert stale.json["message"]
    rest = put(client, h, digest, blob[cut:], cut, total)
    assert rest.status_code == 201
    row = db.session.scalar(sa.select(Blob))
    assert (row.complete, row.received, row.size, row.mime) == (True, total, total, "image/jpeg")
    assert blob_path(digest).read_bytes() == blob


def test_bytes_past_the_committed_offset_are_dropped(client, h, app):
    """A crash after fsync but before commit leaves extra bytes in the partial
    file; the database offset wins, so the blob still comes out right."""
    blob = photo()
    digest, cut = sha(blob), 1000
    assert put(client, h, digest, blob[:cut], 0, len(blob)).status_code == 202
    partial = Path(app.config["EVIDENCE_DIR"]) / ".partial" / digest
    with open(partial, "ab") as fh:
        fh.write(b"garbage from an interrupted request")
    assert put(client, h, digest, blob[cut:], cut, len(blob)).status_code == 201
    assert blob_path(digest).read_bytes() == blob


def test_hash_mismatch_is_422_and_discards_the_partial(client, h):
    blob = photo()
    wrong = "a" * 64
    assert put(client, h, wrong, blob[:500], 0, len(blob)).status_code == 202
    resp = put(client, h, wrong, blob[500:], 500, len(blob))
    assert resp.status_code == 422 and resp.json["message"] == "文件校验失败，请重新上传"
    assert client.head(f"/api/v1/blobs/{wrong}", headers=h).status_code == 404
    assert not blob_path(wrong).exists()


@pytest.mark.parametrize("data,status,words", [
    (b"MZ\x90\x00 this is a windows executable" + b"\0" * 100, 415, "文件类型"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 300, 422, "损坏"),  # JPEG magic, not a JPEG
])
def test_content_that_is_not_allowed_evidence(client, h, app, data, status, words):
    resp = put(client, h, sha(data), data, 0, len(data))
    assert resp.status_code == status and words in resp.json["message"]
    assert client.head(f"/api/v1/blobs/{sha(data)}", headers=h).status_code == 404
    # Nothing left behind on disk either: no partial file of a refused upload.
    assert not (Path(app.config["EVIDENCE_DIR"]) / ".partial" / sha(data)).exists()


def test_decompression_bomb_is_refused_without_decoding(client, h):
    buf = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buf, "PNG")  # 100 MP in a few KB
    bomb = buf.getvalue()
    assert len(bomb) < 100_000
    resp = put(client, h, sha(bomb), bomb, 0, len(bomb), **{"Content-Type": "image/png"})
    assert resp.status_code == 422 and "像素过大" in resp.json["message"]


def test_pdf_and_audio_are_accepted_by_magic_bytes(client, h):
    for data in (b"%PDF-1.7\n" + b"x" * 200, b"ID3\x04" + b"\0" * 200):
        assert put(client, h, sha(data), data, 0, len(data)).status_code == 201


def test_size_limits_are_a_clear_413(client, h, app):
    app.config["SYNC_MAX_BLOB_BYTES"] = 10_000
    blob = photo()
    resp = put(client, h, sha(blob), blob[:100], 0, 20_000)
    assert resp.status_code == 413 and "过大" in resp.json["message"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    app.config["SYNC_MAX_BLOB_BYTES"] = 10**9
    resp = put(client, h, sha(blob), blob[:5000], 0, len(blob))
    assert resp.status_code == 413 and "分段" in resp.json["message"]


@pytest.mark.parametrize("content_range,status", [
    (None, 400), ("bytes=0-9/100", 400), ("bytes 0-9", 400), ("bytes 5-2/100", 416),
    ("bytes 0-100/100", 416), ("bytes 0-19/100", 400),  # length 10 ≠ 20
])
def test_bad_content_range(client, h, content_range, status):
    headers = {**h, "Content-Type": "image/jpeg"}
    if content_range:
        headers["Content-Range"] = content_range
    resp = client.put(f"/api/v1/blobs/{'b' * 64}", data=photo()[:10], headers=headers)
    assert resp.status_code == status and resp.json["message"]


def test_total_must_not_change_between_chunks(client, h):
    blob = photo()
    assert put(client, h, sha(blob), blob[:100], 0, len(blob)).status_code == 202
    assert put(client, h, sha(blob), blob[100:200], 100, len(blob) + 1).status_code == 400


def test_bad_hash_in_the_path_is_400(client, h):
    assert client.put("/api/v1/blobs/XYZ", data=b"x", headers=h).status_code == 400


def test_two_uploads_of_the_same_blob_at_once_do_not_corrupt_it(app, h):
    blob = photo(7, size=(800, 600))
    digest, total, chunk = sha(blob), len(blob), 16 * 1024
    results: list[int] = []

    def uploader() -> None:
        c = app.test_client()
        offset = 0
        for _ in range(10_000):
            head = c.head(f"/api/v1/blobs/{digest}", headers=h)
            if head.headers.get("Blob-Status") == "complete":
                results.append(200)
                return
            offset = int(head.headers.get("Blob-Offset", 0)) if head.status_code == 200 else 0
            data = blob[offset:offset + chunk]
            resp = put(c, h, digest, data, offset, total)
            if resp.status_code in (200, 201):
                results.append(resp.status_code)
                return
            assert resp.status_code in (202, 416), resp.json

    threads = [threading.Thread(target=uploader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and results.count(201) == 1
    assert blob_path(digest).read_bytes() == blob


def test_a_blob_renamed_into_place_before_a_lost_commit_is_adopted(client, h):
    blob = photo()
    digest, cut = sha(blob), 2000
    assert put(client, h, digest, blob[:cut], 0, len(blob)).status_code == 202
    # The crash: the final file is in place, the row still says "partial".
    final = blob_path(digest)
    final.parent.mkdir(parents=True, exist_ok=True)
    final.write_bytes(blob)
    resp = put(client, h, digest, blob[cut:], cut, len(blob))
    assert resp.status_code == 200 and resp.headers["Blob-Status"] == "complete"
    assert db.session.scalar(sa.select(Blob.complete)) is True


def test_partial_bytes_lost_from_disk_restart_the_upload_from_zero(client, h, app):
    blob = photo()
    digest, cut = sha(blob), 2000
    assert put(client, h, digest, blob[:cut], 0, len(blob)).status_code == 202
    (Path(app.config["EVIDENCE_DIR"]) / ".partial" / digest).write_bytes(blob[:10])
    resp = put(client, h, digest, blob[cut:], cut, len(blob))
    assert resp.status_code == 416 and resp.headers["Blob-Offset"] == "0"
    assert client.head(f"/api/v1/blobs/{digest}", headers=h).status_code == 404
    assert put(client, h, digest, blob, 0, len(blob)).status_code == 201
    assert blob_path(digest).read_bytes() == blob
