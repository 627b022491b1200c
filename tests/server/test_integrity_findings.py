"""Issue 16, "nothing lost, nothing forged": each finding performed against the
real services and API, and shown to do no harm now. Also: a case moves the
moment its record arrives – the review queue and the dashboard are current
right after a sync, with no page opened in between."""

from __future__ import annotations

import copy
import hashlib
import io
import json
from datetime import date

import pytest
import sqlalchemy as sa
from flask import g
from PIL import Image

from server.extensions import db
from server.models.case import Case, CaseEvent
from server.models.publication import PublicationResult
from server.models.sync import Blob, SyncRecord, SyncRecordVersion
from server.services import case_documents, dispatch, dossiers
from server.services import publication as pub
from server.services.dashboard import build_dashboard
from shared.enums import Role
from shared.schemas import canonical_json
from tests.server import factories as f
from tests.server.services import test_cases_support as s


@pytest.fixture(autouse=True)
def _clock(app, monkeypatch):
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def team(ctx):
    a, b = f.make_inspector(name="张明"), f.make_inspector(name="刘芳")
    task = f.make_sync_task()
    visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
    dispatch.dispatch_task(task.task_no, "dispatcher")
    return {"a": a, "b": b, "task": task, "visit": visit, "pad": s.tablet(a)}


def put(client, headers, rec: dict):
    return s.call(client, "PUT", f"/api/v1/records/{rec['uuid']}", headers,
                  data=canonical_json(rec), content_type="application/json")


def put_blob(client, headers, digest: str, data: bytes, mime: str):
    return s.call(client, "PUT", f"/api/v1/blobs/{digest}", {
        **headers, "Content-Type": mime, "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
        data=data)


def case_of(visit) -> Case:
    db.session.expire_all()
    return db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))


def records() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SyncRecordVersion))


# -- 2: an archived dossier is frozen -----------------------------------------------------

def test_archived_dossier_refuses_a_second_record_and_logs_an_amendment(ctx, client, tmp_path):
    case_id = s.closed_case(client, photos=2, archive=True)
    case = db.session.get(Case, case_id)
    member = case.visit.members[0].inspector
    pad = s.tablet(member)
    stored = json.loads(db.session.scalar(sa.select(SyncRecordVersion.body).where(
        SyncRecordVersion.uuid == case.record_uuid)))
    before = records()

    forged = copy.deepcopy(stored)
    forged["uuid"] = "0f0f0f0f-0000-4000-8000-000000000001"
    forged["hazards"][0]["description"] = "（伪造）无隐患"
    resp = put(client, pad, forged)
    assert resp.status_code == 409 and "已有检查记录" in resp.json["message"]
    assert records() == before

    # The team's own amendment is stored (nothing acknowledged is lost) but stays
    # out of the frozen file; it is logged for the archivist.
    amended = copy.deepcopy(stored)
    amended["base_version"] = 1
    amended["hazards"][0]["location"] = "2号库房东侧"
    resp = put(client, pad, amended)
    assert resp.status_code == 200 and resp.json["version"] == 2
    case = db.session.get(Case, case_id)
    db.session.refresh(case)
    assert case.state == "archived" and case.record_version == 1
    late = [e for e in case.events if e.action == "late_amendment"]
    assert len(late) == 1 and "归档后收到检查记录第2版" in late[0].reason
    bag = dossiers.export(case_id, tmp_path / "bag")
    assert dossiers.verify(bag) == (True, [])

    version = dossiers.correct(case_id, "archivist", "并入检查组补正的隐患位置")
    assert version.version == 2 and db.session.get(Case, case_id).record_version == 2


# -- 3: identity from the token, evidence bound to its enterprise ---------------------------

def test_record_identity_comes_from_the_token(ctx, client, team):
    rec, blobs = s.inspection_record(team["visit"], orders=[])
    rec["submitted_by"] = "admin（局长）"
    rec["device_id"] = "forged-device"
    stranger = f.make_inspector(name="外人")
    bad = copy.deepcopy(rec)
    inspector_sig = next(x for x in bad["signatures"] if x["role"] == "inspector")
    bad["signatures"].append({**inspector_sig, "cert_no": stranger.cert_no,
                              "name": "admin（局长）"})
    for digest, (data, mime) in blobs.items():
        put_blob(client, team["pad"], digest, data, mime)
    resp = put(client, team["pad"], bad)
    assert resp.status_code == 422 and "不是本检查组成员" in resp.json["message"]
    assert records() == 0

    assert put(client, team["pad"], rec).status_code == 201
    case = case_of(team["visit"])
    assert case.state == "closed"
    actors = {e.actor for e in case.events}
    assert "admin（局长）" not in actors and "张明" in actors
    version = db.session.scalar(sa.select(SyncRecordVersion))
    assert version.device_id != "forged-device"


def test_evidence_of_another_enterprise_is_refused(ctx, client, team):
    rec, blobs = s.inspection_record(team["visit"], orders=[])
    s.sync(client, team["pad"], rec, blobs)
    other = f.make_sync_visit(team["task"], [team["a"], team["b"]], codes=s.CODES)
    dispatch.dispatch_task(team["task"].task_no, "dispatcher")
    theirs, _ = s.inspection_record(other, orders=[], seed=9)
    # The other case's signatures, cited without holding the bytes.
    theirs["signatures"] = [{**x, "sha256": rec["signatures"][0]["sha256"],
                             "size": rec["signatures"][0]["size"]}
                            for x in theirs["signatures"]]
    before = records()
    resp = put(client, team["pad"], theirs)
    assert resp.status_code == 422 and "属于另一被检查单位" in resp.json["message"]
    assert records() == before and case_of(other).state == "notified"


# -- 4: an amendment after the automatic close ------------------------------------------

def test_amendment_with_a_major_hazard_reopens_an_automatically_closed_case(ctx, client, team):
    rec, blobs = s.inspection_record(team["visit"], orders=[])
    s.sync(client, team["pad"], rec, blobs)
    case = case_of(team["visit"])
    assert case.state == "closed" and case.outcome == "no_problem"
    result = db.session.scalar(sa.select(PublicationResult))
    pub.approve_result(result.id, "reviewer", revision=result.revision)  # already public

    major, more = s.inspection_record(team["visit"], major=True, orders=[
        {"kind": "deadline", "deadline": "2024-03-20", "measures": "", "transfer_to": ""}])
    major.update(uuid=rec["uuid"], base_version=1)
    s.sync(client, team["pad"], major, more)
    case = case_of(team["visit"])
    assert case.state == "inspected" and case.major_findings == 1
    assert case.record_version == 2 and case.closed_on is None
    reopen = [e for e in case.events if e.action == "reopen"]
    assert len(reopen) == 1 and "重新开启" in reopen[0].reason
    kinds = [d.kind for d in case_documents.documents_of(case)]
    assert kinds.count("inspection_record") == 2  # the record as amended is on file
    # The public result is not changed behind the reviewer's back; the case says so.
    assert db.session.scalar(sa.select(PublicationResult.outcome)) == "no_problem"
    differs = [e for e in case.events if e.action == "published_result_differs"]
    assert len(differs) == 1 and "未发现问题" in differs[0].reason


def test_amendment_after_a_person_acted_is_logged_not_applied(ctx, client, team):
    rec, blobs = s.inspection_record(team["visit"])
    s.sync(client, team["pad"], rec, blobs)
    case = case_of(team["visit"])
    resp = s.call(client, "POST", f"/api/v1/cases/{case.id}/transitions",
                  s.staff(Role.DISPATCHER), json={"action": "issue_orders"})
    assert resp.status_code == 200
    amended = {**copy.deepcopy(rec), "base_version": 1}
    amended["hazards"][0]["location"] = "3号库房"
    assert put(client, team["pad"], amended).status_code == 200
    case = case_of(team["visit"])
    assert case.state == "orders_issued" and case.record_version == 1
    assert case.events[-1].action == "late_amendment" and "第2版" in case.events[-1].reason


# -- 6: publication review names the revision it approves --------------------------------

def test_approval_names_the_revision_and_no_result_before_the_inspection(ctx, client, team):
    office, reviewer = s.staff(Role.DISPATCHER), s.staff(Role.REVIEWER)
    waiting = f.make_sync_visit(team["task"], [team["a"], team["b"]], codes=s.CODES)
    early = s.call(client, "POST", "/api/v1/publication/results", office, json={
        "visit_id": waiting.id, "outcome": "no_problem", "inspected_on": "2024-03-05"})
    assert early.status_code == 409 and "尚未完成现场检查" in early.json["message"]

    rec, blobs = s.inspection_record(team["visit"], orders=[])
    s.sync(client, team["pad"], rec, blobs)
    queue = s.call(client, "GET", "/api/v1/publication/results", reviewer).json
    seen = queue[0]
    assert seen["outcome"] == "no_problem" and seen["revision"] == 1
    again = s.call(client, "POST", "/api/v1/publication/results", office, json={
        "visit_id": team["visit"].id, "outcome": "corrected", "inspected_on": "2024-03-05"})
    assert again.status_code == 201 and again.json["revision"] == 2
    url = f"/api/v1/publication/results/{seen['id']}/approve"
    stale = s.call(client, "POST", url, reviewer, json={"revision": 1})
    assert stale.status_code == 409 and "重新提交" in stale.json["message"]
    assert db.session.scalar(sa.select(PublicationResult.status)) == "pending"
    assert s.call(client, "POST", url, reviewer, json={}).status_code == 400  # must name it
    ok = s.call(client, "POST", url, reviewer, json={"revision": 2})
    assert ok.status_code == 200 and ok.json["outcome"] == "corrected"


# -- 8: a crafted record cannot stall the server -----------------------------------------

def _huge_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("L", (8000, 8000), 255).save(out, "JPEG", quality=10)
    return out.getvalue()


def test_huge_signatures_are_decoded_once_small_and_never_on_a_get(ctx, client, team,
                                                                   monkeypatch):
    rec, blobs = s.inspection_record(team["visit"], orders=[])
    big = _huge_jpeg()
    digest = hashlib.sha256(big).hexdigest()
    blobs[digest] = (big, "image/jpeg")
    rec["signatures"] = [{**x, "sha256": digest, "size": len(big), "mime": "image/jpeg"}
                         for x in rec["signatures"]] * 5  # ten signatures, one huge image
    opened: list[str] = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda fp, *a, **k: (opened.append(str(fp)),
                                                            real_open(fp, *a, **k))[1])
    case_documents._SIGNATURE_CACHE.clear()
    s.sync(client, team["pad"], rec, blobs)
    assert case_of(team["visit"]).state == "closed"
    decoded = [p for p in opened if p.endswith(digest)]
    assert len(decoded) == 2  # once checked on upload, once drawn for all ten lines
    png = case_documents.signature_png(digest)
    with Image.open(io.BytesIO(png)) as im:
        assert im.size[0] <= 1200 and im.size[1] <= 600
    opened.clear()
    for url in ("/api/v1/cases", f"/api/v1/cases/{case_of(team['visit']).id}"):
        assert s.call(client, "GET", url, s.staff(Role.DISPATCHER)).status_code == 200
    assert opened == []  # reading cases decodes nothing


# -- must-show 4: current right after a sync ---------------------------------------------

def test_review_queue_and_dashboard_are_current_right_after_the_sync(ctx, client, team):
    reviewer = s.staff(Role.REVIEWER)
    assert s.call(client, "GET", "/api/v1/publication/results", reviewer).json == []
    rec, blobs = s.inspection_record(team["visit"], major=True)
    s.sync(client, team["pad"], rec, blobs)
    # Nobody opened a case list or a case: the record's arrival did it all.
    case = case_of(team["visit"])
    assert case.state == "inspected" and case.findings == 1
    queue = s.call(client, "GET", "/api/v1/publication/results", reviewer).json
    assert [(r["visit_id"], r["outcome"]) for r in queue] == [(team["visit"].id, "pending")]
    board = build_dashboard(year=2024, today=date(2024, 3, 6))
    assert board.hazards_by_month == {"2024-03": {"一般": 0, "重大": 1}}
    assert board.follow_ups_open == 1
    assert board.findings_total["发现问题待后续处理"] == 1
    events = db.session.scalars(sa.select(CaseEvent.action).where(
        CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).all()
    assert events == ["open", "notify", "inspect"]


def test_the_last_blob_arriving_moves_the_case(ctx, client, team):
    rec, blobs = s.inspection_record(team["visit"], photos=1)
    last = next(iter(blobs))
    first = {k: v for k, v in blobs.items() if k != last}
    s.call(client, "PUT", f"/api/v1/records/{rec['uuid']}", team["pad"],
           data=canonical_json(rec), content_type="application/json")
    for digest, (data, mime) in first.items():
        put_blob(client, team["pad"], digest, data, mime)
    assert case_of(team["visit"]).state == "notified"  # still waiting for one file
    data, mime = blobs[last]
    resp = put_blob(client, team["pad"], last, data, mime)
    assert resp.status_code == 201
    assert case_of(team["visit"]).state == "inspected"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Blob)) == len(blobs)
    assert db.session.scalar(sa.select(SyncRecord.visit_id)) == team["visit"].id
