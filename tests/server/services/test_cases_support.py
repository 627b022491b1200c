"""Helpers for the case/dossier tests (no tests here): records with findings and
photos, synced the way a tablet does it – blobs first, then the record."""

from __future__ import annotations

import hashlib
import io
import uuid as uuidlib
from datetime import date
from typing import Any

from flask import g
from PIL import Image, ImageDraw

from shared.enums import Role
from shared.schemas import canonical_json
from tests.server import factories as f

CODES = ("WH-01", "WH-02", "WH-03")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A distinct JPEG per seed, big enough to be a visible photo in the volume."""
    im = Image.new("RGB", size, ((seed * 53) % 256, (seed * 97) % 256, (seed * 29) % 256))
    d = ImageDraw.Draw(im)
    for k in range(12):
        x = (seed * 31 + k * 47) % size[0]
        y = (seed * 17 + k * 59) % size[1]
        d.ellipse((x, y, x + 60, y + 40), outline=(255, 255, 255), width=4)
    d.text((20, 20), f"PHOTO {seed}", fill=(255, 255, 255))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def signature_png(seed: int = 0) -> bytes:
    im = Image.new("RGB", (300, 100), (255, 255, 255))
    ImageDraw.Draw(im).line([(10, 80), (100, 20 + seed % 30), (200, 70), (290, 30)],
                            fill=(0, 0, 0), width=5)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def inspection_record(visit, *, photos: int = 0, major: bool = False, orders=None,
                      seed: int = 0, make_photo=None,
                      ) -> tuple[dict[str, Any], dict[str, tuple[bytes, str]]]:
    """A record for *visit* with one finding on WH-02 (unless ``orders == []``) and
    ``photos`` photos linked to it; returns (payload, {sha: (bytes, mime)})."""
    rec = f.make_record_payload(visit, signature=signature_png(seed))
    blobs: dict[str, tuple[bytes, str]] = {}
    sig = rec["signatures"][0]
    rec["signatures"] = [{**s, "mime": "image/png"} for s in rec["signatures"]]
    blobs[sig["sha256"]] = (signature_png(seed), "image/png")
    if orders == []:
        return rec, blobs
    hazard_id = str(uuidlib.UUID(int=seed + 1, version=4))
    orders = orders or [{"kind": "deadline", "deadline": "2024-03-20", "measures": "",
                         "transfer_to": ""}]
    rec["items"][1] = {**rec["items"][1], "result": "noncompliant", "note": "库房未设置通风设施"}
    rec["hazards"] = [{
        "id": hazard_id, "item_code": rec["items"][1]["code"],
        "description": "危化品库房未设置机械通风" if not major else "液氨储罐区未设置泄漏报警装置",
        "location": "2号库房", "level": "major" if major else "general",
        "legal_basis": "《危险化学品安全管理条例》第二十条", "orders": orders,
        "created_at": "2024-03-05T10:07:00+08:00"}]
    rec["outcome"] = "penalty" if any(o["kind"] == "penalty_case" for o in orders) else "pending"
    for i in range(photos):
        if make_photo is not None:  # (original, upload copy), e.g. camera-sized for the bench
            original, copy = make_photo(seed * 1000 + i)
        else:
            original = photo(seed * 1000 + i, (800, 600))
            copy = photo(seed * 1000 + i, (640, 480))
        blobs[sha(original)] = (original, "image/jpeg")
        blobs[sha(copy)] = (copy, "image/jpeg")
        rec["attachments"].append({
            "sha256": sha(copy), "size": len(copy), "mime": "image/jpeg", "kind": "photo",
            "item_code": rec["items"][1]["code"], "hazard_id": hazard_id,
            # a tablet whose clock zone is UTC: captions must still read Beijing time
            "taken_at": f"2024-03-05T02:{i % 60:02d}:00+00:00", "location": None,
            "original": {"sha256": sha(original), "size": len(original), "mime": "image/jpeg",
                         "filename": f"IMG_{i:04d}.JPG"}})
    rec["trail"].append({"seq": 2, "at": "2024-03-05T10:07:00+08:00", "by": "tester",
                         "action": "add_hazard", "target": hazard_id, "field": None,
                         "old": None, "new": None})
    return rec, blobs


def reinspection_record(visit, *, rectified: bool = True, photos: int = 1,
                        seed: int = 500) -> tuple[dict[str, Any], dict[str, tuple[bytes, str]]]:
    rec, blobs = inspection_record(visit, photos=0, orders=[], seed=seed)
    rec["started_at"] = "2024-03-22T09:00:00+08:00"
    rec["finished_at"] = "2024-03-22T10:00:00+08:00"
    rec["signatures"] = [{**x, "signed_at": "2024-03-22T10:00:00+08:00"}
                         for x in rec["signatures"]]
    if not rectified:
        rec["items"][0] = {**rec["items"][0], "result": "noncompliant", "note": "仍未整改"}
        rec["hazards"] = [{"id": str(uuidlib.uuid4()), "item_code": rec["items"][0]["code"],
                           "description": "通风设施仍未安装", "location": "2号库房",
                           "level": "general", "legal_basis": "", "created_at":
                           "2024-03-22T09:30:00+08:00",
                           "orders": [{"kind": "penalty_case", "deadline": None, "measures": "",
                                       "transfer_to": ""}]}]
        rec["outcome"] = "penalty"
    for i in range(photos):
        p = photo(seed * 1000 + i)
        blobs[sha(p)] = (p, "image/jpeg")
        rec["attachments"].append({
            "sha256": sha(p), "size": len(p), "mime": "image/jpeg", "kind": "photo",
            "item_code": rec["items"][0]["code"], "hazard_id": None,
            "taken_at": "2024-03-22T09:20:00+08:00", "location": None,
            "original": {"sha256": sha(p), "size": len(p), "mime": "image/jpeg",
                         "filename": f"FC_{i}.JPG"}})
    return rec, blobs


def tablet(inspector) -> dict[str, str]:
    return {"Authorization": f"Bearer {f.make_token(Role.INSPECTOR, inspector=inspector)}"}


def sync(client, headers: dict[str, str], rec: dict[str, Any],
         blobs: dict[str, tuple[bytes, str]]) -> dict[str, Any]:
    """Upload the blobs (one chunk each) and then the record, as the tablet does."""
    for digest, (data, mime) in blobs.items():
        g.pop("user", None)
        resp = client.put(f"/api/v1/blobs/{digest}", data=data, headers={
            **headers, "Content-Type": mime,
            "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"})
        assert resp.status_code in (200, 201), resp.json
    g.pop("user", None)
    resp = client.put(f"/api/v1/records/{rec['uuid']}", data=canonical_json(rec), headers={
        **headers, "Content-Type": "application/json; charset=utf-8"})
    assert resp.status_code in (200, 201), resp.json
    assert resp.json["complete"], resp.json
    return resp.json


def staff(role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {f.make_token(role)}"}


def call(client, method: str, url: str, headers: dict[str, str], **kw):
    g.pop("user", None)
    g.pop("device_token", None)
    return client.open(url, method=method, headers=headers, **kw)


def closed_case(client, *, photos: int = 20, archive: bool = False, make_photo=None) -> int:
    """A whole case through the real services and APIs: drawn, dispatched, inspected
    with ``photos`` photos, orders, rectification, 复查 synced, 销号, result
    published; archived if asked. Call inside an app context; returns the case id."""
    from server.services import dispatch

    real = dispatch.today
    try:  # the bureau's clock follows the case: notice 3-04, 销号 3-25
        dispatch.today = lambda: date(2024, 3, 4)
        return _closed_case(client, photos, archive, make_photo)
    finally:
        dispatch.today = real


def _closed_case(client, photos: int, archive: bool, make_photo) -> int:
    from server.models import PublicationResult
    from server.models.case import Case
    from server.services import cases, dispatch, publication

    a, b = f.make_inspector(name="张明"), f.make_inspector(name="刘芳")
    task = f.make_sync_task()
    visit = f.make_sync_visit(task, [a, b], codes=CODES)
    pad, dispatcher = tablet(a), staff(Role.DISPATCHER)
    cases.ensure_cases()
    dispatch.dispatch_task(task.task_no, "dispatcher")
    rec, blobs = inspection_record(visit, photos=photos, orders=[
        {"kind": "deadline", "deadline": "2024-03-20", "measures": "", "transfer_to": ""},
        {"kind": "on_site_measures", "deadline": None, "measures": "2号库房停止使用",
         "transfer_to": ""}], make_photo=make_photo)
    sync(client, pad, rec, blobs)
    case_id = cases.all_cases()[0].id
    url = f"/api/v1/cases/{case_id}/transitions"
    for body in ({"action": "issue_orders"}, {"action": "report_rectification"},
                 {"action": "schedule_reinspection"}):
        resp = call(client, "POST", url, dispatcher, json=body)
        assert resp.status_code == 200, resp.json
    from server.extensions import db

    re = db.session.get(Case, case_id).reinspections[0]
    re_rec, re_blobs = reinspection_record(re.visit, photos=1)
    re_rec["items"] = [{**re_rec["items"][0], "code": "WH-02"}]
    re_rec["attachments"][0]["item_code"] = "WH-02"
    sync(client, pad, re_rec, re_blobs)
    dispatch.today = lambda: date(2024, 3, 25)
    resp = call(client, "POST", url, dispatcher,
                json={"action": "close", "reason": "复查合格，予以销号"})
    assert resp.status_code == 200 and resp.json["state"] == "closed", resp.json
    result = db.session.scalar(db.select(PublicationResult).where(
        PublicationResult.visit_id == visit.id))
    publication.approve_result(result.id, "reviewer", revision=result.revision,
                               today=date(2024, 3, 26))
    if archive:
        resp = call(client, "POST", f"/api/v1/cases/{case_id}/archive", staff(Role.ARCHIVIST),
                    json={})
        assert resp.status_code == 200, resp.json
    return case_id
