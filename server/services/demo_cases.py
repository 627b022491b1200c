"""Demo: one real case from draw to archive, so an archivist sees a dossier on first run.

Everything goes through the real services: a published plan, a committed-seed
draw, dispatch, blobs and records stored by the sync service exactly as a
tablet would upload them (photos generated with Pillow, the original kept
beside an annotated upload copy), orders, the enterprise's report, a 复查
dispatched and synced, 销号, 法制审核 of the published result, archiving.
The bureau's clock is moved through the weeks of the case while it loads.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from PIL import Image, ImageDraw

from shared.schemas.record import canonical_json

from ..documents.fonts import cjk_image_font
from ..extensions import db
from ..localtime import bureau_today
from ..models import PublicationResult, User
from ..models.case import Case
from . import cases, dispatch, dossiers, publication
from .accounts import create_user
from .sync import blobs, records, visit_code

PHOTOS = 6
_TZ = "+08:00"


@contextmanager
def _clock(day: list[date]) -> Iterator[None]:
    from .draw import freeze, run

    real, real_now = dispatch.today, (freeze.utcnow, run.utcnow)
    dispatch.today = lambda: day[0]  # the services read the bureau day through here
    # The draw stamps its freeze and record with the clock (UTC); the demo's draw
    # happened on day one at 09:00 in the bureau (UTC+8).
    freeze.utcnow = run.utcnow = lambda: datetime.combine(day[0], time(1, 0))
    try:
        yield
    finally:
        dispatch.today, (freeze.utcnow, run.utcnow) = real, real_now


def _photo(i: int, label: str, stamp: str | None) -> bytes:
    w, h = (1600, 1200) if stamp is None else (1024, 768)
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    im = Image.blend(im, Image.new("RGB", (w, h), ((i * 70) % 256, 120, (i * 40) % 256)), 0.5)
    d = ImageDraw.Draw(im)
    for k in range(8):
        x, y = (i * 97 + k * 131) % w, (i * 53 + k * 89) % h
        d.rectangle((x, y, x + w // 6, y + h // 8), outline=(240, 240, 240), width=6)
    d.text((40, 40), label, fill=(255, 255, 255), font=cjk_image_font(h // 16))
    if stamp:  # the tablet burns time, place and inspector onto the upload copy
        d.rectangle((0, h - 70, w, h), fill=(0, 0, 0))
        d.text((20, h - 60), stamp, fill=(255, 255, 0), font=cjk_image_font(36))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _signature(name: str, variant: int = 0) -> bytes:
    """A hand never signs twice alike: *variant* (the visit) moves the stroke a little,
    so one officer's signatures on two visits are two different files."""
    im = Image.new("RGB", (360, 120), (255, 255, 255))
    x, y = 14 + variant % 13, 14 + (variant // 13) % 13
    ImageDraw.Draw(im).text((x, y), name, fill=(0, 0, 90), font=cjk_image_font(70))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _store(data: bytes, mime: str) -> str:
    sha = hashlib.sha256(data).hexdigest()
    blobs.put_chunk(sha, f"bytes 0-{len(data) - 1}/{len(data)}", len(data), io.BytesIO(data))
    return sha


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat() + _TZ


def _record(visit, day: date, *, hazards: list[dict], results: dict[str, str],
            photos: list[tuple[str, str | None]], user: User) -> dict[str, Any]:
    team = [{"cert_no": m.inspector.cert_no, "name": m.inspector.name, "leader": m.leader}
            for m in visit.members]
    attachments = []
    for i, (label, hazard_id) in enumerate(photos):
        # Each visit's photos are its own: the server refuses evidence another
        # enterprise's record already holds (issue 16), so no two visits share bytes.
        original = _photo(i, f"{label}（{visit.enterprise.name}）", None)
        copy = _photo(i, label, f"{day} 10:{i:02d} {visit.enterprise.name} {team[0]['name']}")
        attachments.append({
            "sha256": _store(copy, "image/jpeg"), "size": len(copy), "mime": "image/jpeg",
            "kind": "photo", "item_code": next(iter(results)), "hazard_id": hazard_id,
            "taken_at": _at(day, 10, i), "location": {"lat": 36.12, "lon": 112.87,
                                                       "accuracy_m": 8.0},
            "original": {"sha256": _store(original, "image/jpeg"), "size": len(original),
                         "mime": "image/jpeg", "filename": f"IMG_{i + 1:04d}.JPG"}})
    signers = [(m["name"], m["cert_no"], "inspector") for m in team]
    signers.append((visit.enterprise.legal_rep or "企业负责人", None, "enterprise"))
    signatures = []
    for name, cert, role in signers:
        png = _signature(name, variant=visit.id)
        signatures.append({"role": role, "name": name, "cert_no": cert,
                           "signed_at": _at(day, 11), "sha256": _store(png, "image/png"),
                           "size": len(png), "mime": "image/png"})
    outcome = "pending" if hazards else "no_problem"
    return {
        "schema_version": 1, "uuid": str(uuid.uuid4()), "visit_id": visit_code(visit.id),
        "base_version": None, "device_id": "demo-tablet", "submitted_by": user.username,
        "task_no": visit.task.task_no,
        "enterprise": {"uscc": visit.enterprise.uscc, "name": visit.enterprise.name},
        "team": team, "started_at": _at(day, 9, 30), "finished_at": _at(day, 11, 5),
        "location": {"lat": 36.12, "lon": 112.87, "accuracy_m": 8.0},
        "items": [{"code": c, "result": r, "note": "" if r == "compliant" else "见隐患描述",
                   "checked_at": _at(day, 10)} for c, r in results.items()],
        "hazards": hazards, "attachments": attachments, "signatures": signatures,
        "outcome": outcome,
        "trail": [{"seq": 1, "at": _at(day, 9, 30), "by": user.username, "action": "start",
                   "target": None, "field": None, "old": None, "new": None},
                  {"seq": 2, "at": _at(day, 11, 5), "by": user.username, "action": "finish",
                   "target": None, "field": None, "old": None, "new": None}],
    }


def _tablet_user(visit) -> User:
    """An inspector account of the team (the record is uploaded as that officer)."""
    ids = [m.inspector_id for m in visit.members]
    user = db.session.scalar(sa.select(User).where(User.inspector_id.in_(ids)))
    if user is None:
        cert = visit.members[0].inspector.cert_no
        create_user(f"inspector-{cert}", "inspector", "suicha2024", inspector_cert=cert)
        user = db.session.scalar(sa.select(User).where(User.username == f"inspector-{cert}"))
    return user


def _upload(rec: dict[str, Any], user: User) -> None:
    records.put_record(rec["uuid"], canonical_json(rec), user)


def load_demo_cases(today: date | None = None) -> int:
    """Build the archived demo case; returns its id (0 when there is nothing to draw)."""
    from flask import current_app

    from .draw import run_task_draw
    from .plans import PlanError, create_plan, create_task, publish_plan

    # Other suites build their fixtures on load_demo() and count plans, visits and
    # published results; under TESTING the case is only added when asked for.
    if current_app.testing and not current_app.config.get("DEMO_CASES"):
        return 0
    end = today or bureau_today()
    start = end - timedelta(days=60)
    clock = [start]
    with _clock(clock):
        name = f"{start.year}年度安全生产“双随机”抽查计划（示范案卷）"
        plan = create_plan({"plan_no": f"DEMO-{start.year}-AJ", "year": start.year,
                            "name": name}, "demo")
        create_task(plan, {"task_no": f"DEMO-{start.year}-AJ-01", "name": "工贸企业专项抽查",
                           "draw_type": "directed", "ratio": "2%", "item_scope": "重点事项",
                           "target_filter": "行业领域=工贸",
                           "rules": {"composition": {"street_pool": 0, "bureau_pool": 0}},
                           "department": "工贸监管股", "window_start": start,
                           "window_end": start + timedelta(days=30), "team_size": 2,
                           "unannounced": False}, "demo", None)
        publish_plan(plan, "demo")
        task = plan.tasks[0]
        try:
            run_task_draw(task.task_no, "dispatcher")
        except PlanError:  # a registry the demo rules cannot draw from: no demo case
            db.session.rollback()
            return 0
        dispatch.dispatch_task(task.task_no, "dispatcher")
        case = db.session.scalars(sa.select(Case).where(Case.task_id == task.id)).first()
        if case is None:
            return 0
        visit, user = case.visit, _tablet_user(case.visit)
        codes = list(visit.item_codes)
        day = start + timedelta(days=5)
        hazard_id = str(uuid.uuid4())
        hazards = [{"id": hazard_id, "item_code": codes[-1],
                    "description": "有限空间作业未落实“先通风、再检测、后作业”，无检测记录",
                    "location": "污水处理池", "level": "general",
                    "legal_basis": "《工贸企业有限空间作业安全规定》第十四条",
                    "orders": [{"kind": "deadline", "deadline": (day + timedelta(days=15))
                                .isoformat(), "measures": "", "transfer_to": ""}],
                    "created_at": _at(day, 10, 20)}]
        results = {c: "compliant" for c in codes} | {codes[-1]: "noncompliant"}
        photos = [(f"现场照片{i + 1}：污水处理池有限空间", hazard_id if i < 4 else None)
                  for i in range(PHOTOS)]
        clock[0] = day + timedelta(days=1)  # synced the day after (the case moves then)
        _upload(_record(visit, day, hazards=hazards, results=results, photos=photos,
                        user=user), user)
        cases.act(case.id, "issue_orders", "dispatcher", "dispatcher")
        clock[0] = day + timedelta(days=14)
        cases.act(case.id, "report_rectification", "dispatcher", "dispatcher",
                  "企业报告已配备气体检测仪并建立检测记录", reported_on=clock[0])
        cases.act(case.id, "schedule_reinspection", "dispatcher", "dispatcher",
                  due_on=day + timedelta(days=20))
        re = case.reinspections[0]
        re_day = day + timedelta(days=18)
        clock[0] = re_day
        _upload(_record(re.visit, re_day, hazards=[], results={codes[-1]: "compliant"},
                        photos=[("复查照片：已配备四合一气体检测仪", None)], user=user), user)
        clock[0] = re_day + timedelta(days=1)
        cases.act(case.id, "close", "dispatcher", "dispatcher", "复查合格，隐患已整改，予以销号")
        result = db.session.scalar(sa.select(PublicationResult).where(
            PublicationResult.visit_id == visit.id))
        publication.approve_result(result.id, "reviewer", revision=result.revision,
                                   today=clock[0], note="同意公开")
        dossiers.archive(case.id, "archivist", "材料齐全，归档")
        return case.id
