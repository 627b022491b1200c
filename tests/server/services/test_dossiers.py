"""Must-show 2 and 3: the 一案一卷 of a real case (20 photos) read back as pages and
text; an exported bag in which any changed, missing or extra file is named by
``flask dossier verify``; an archived case that no API route can edit."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models.case import Case, CaseEvent, DossierVersion
from server.models.document import CaseDocument
from server.services import dossiers
from shared.enums import Role
from tests.server.dossier.test_pdf import STAMP, flat, page_texts, parse_toc
from tests.server.services import test_cases_support as s

pytestmark = [pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
              pytest.mark.usefixtures("fresh_caller")]

N_PHOTOS = 20


def test_dossier_of_a_case_with_20_photos_reads_back_page_by_page(ctx, client, tmp_path):
    case_id = s.closed_case(client, photos=N_PHOTOS, archive=True)
    resp = s.call(client, "GET", f"/api/v1/dossiers/cases/{case_id}.pdf", s.staff(Role.ARCHIVIST))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    path = tmp_path / "dossier.pdf"
    path.write_bytes(resp.data)

    pages = page_texts(path)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == len(pages)  # every page renders

    case = db.session.get(Case, case_id)
    cover = flat(pages[0])
    for heading in ("行政执法案卷", "案件名称", "案由", "处理结果", "立案日期", "结案日期",
                    "承办人", "归档号", "保存期限"):
        assert heading in cover, heading
    assert case.archive_no in cover and "张明、刘芳" in cover
    toc = flat(pages[1])
    for heading in ("卷内目录", "序号", "文件名称及编号", "日期", "页号", "备注"):
        assert heading in toc, heading

    by_number = {int(m.group(1)): flat(t) for t in pages if (m := STAMP.search(t))}
    assert sorted(by_number) == list(range(1, len(by_number) + 1))
    rows = parse_toc(path)
    assert [r["title"] for r in rows] == [
        "随机抽取记录", "随机抽查通知书", "现场检查记录", "责令限期整改指令书",
        "现场处理措施决定书", f"现场照片证据（共{N_PHOTOS + 1}张）", "整改复查意见书",
        "结案（销号）审批表"]
    previous_last = 0
    for row in rows:
        first, last = int(row["first"]), int(row["last"] or row["first"])
        heading = row["title"].split("（共")[0]
        assert heading in by_number[first], f"{heading} not on page {first}"
        if first > 1:
            assert heading not in by_number[first - 1], f"{heading} already on {first - 1}"
        assert first == previous_last + 1
        previous_last = last
    assert previous_last == len(by_number)

    whole = flat("".join(pages))
    # Numbers from the database sequence, both officers with their certificates.
    for d in db.session.scalars(sa.select(CaseDocument).where(CaseDocument.case_id == case_id)):
        assert flat(d.number) in whole
    for m in case.visit.members:
        assert m.inspector.cert_no in whole
    assert "第1页共" in whole  # each document keeps its page x of y
    # Every photo captioned, with its original's hash (not the upload copy's).
    record = s.inspection_record(case.visit, photos=N_PHOTOS)[0]
    for a in record["attachments"]:
        assert a["original"]["sha256"] in whole
        assert a["sha256"] not in whole
    # Captions name the hazard as a hazard and the item by its name, at Beijing time
    # (the photos were taken at 02:xx UTC = 10:xx in the bureau's zone).
    assert whole.count("隐患：危化品库房未设置机械通风（2024-03-0510:") == N_PHOTOS
    assert "复查·第1项检查事项WH-02（2024-03-2209:20）" in whole
    assert "检查：危化品" not in whole
    # The record prints each hazard's orders as the enterprise signed them on the tablet.
    record_page = flat(next(t for t in pages if "现场检查记录" in t and "检查情况" in t))
    assert "处理措施" in record_page
    assert "责令限期整改，期限至2024年3月20日" in record_page, record_page
    assert "现场处理措施：2号库房停止使用" in record_page, record_page


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_verify_names_any_changed_missing_or_extra_file(ctx, client, runner, tmp_path):
    case_id = s.closed_case(client, photos=3, archive=True)
    bag = tmp_path / "bag"
    out = runner.invoke(args=["dossier", "export", str(case_id), str(bag)])
    assert out.exit_code == 0, out.output
    ok = runner.invoke(args=["dossier", "verify", str(bag)])
    assert ok.exit_code == 0 and "校验通过" in ok.output
    files = sorted(p.relative_to(bag).as_posix() for p in bag.rglob("*") if p.is_file())
    assert {"data/dossier.pdf", "data/trail.json", "data/case.json", "data/draw-record.json",
            "manifest-sha256.txt", "bag-info.txt"} <= set(files)
    assert any(f.startswith("data/evidence/originals/") for f in files)
    assert any(f.startswith("data/records/inspection-v1") for f in files)
    assert any(f.startswith("data/records/reinspection-1-v1") for f in files)
    for name in files:
        copy = tmp_path / f"c{files.index(name)}"
        shutil.copytree(bag, copy)
        _flip(copy / name)
        result = runner.invoke(args=["dossier", "verify", str(copy)])
        assert result.exit_code != 0, name
        assert name in result.output, (name, result.output)
        shutil.rmtree(copy)
    gone = tmp_path / "gone"
    shutil.copytree(bag, gone)
    (gone / "data/trail.json").unlink()
    result = runner.invoke(args=["dossier", "verify", str(gone)])
    assert result.exit_code != 0 and "文件缺失：data/trail.json" in result.output
    (bag / "data/extra.txt").write_text("x")
    result = runner.invoke(args=["dossier", "verify", str(bag)])
    assert result.exit_code != 0 and "多出未登记的文件：data/extra.txt" in result.output


def _frozen_state(case_id: int) -> tuple:
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    return (case.state, case.closed_on, case.outcome, case.findings, case.record_version,
            case.archive_no, case.pending,
            [(h.status, h.deadline, h.reported_on) for h in case.hazards],
            db.session.scalar(sa.select(sa.func.count(CaseDocument.id)).where(
                CaseDocument.case_id == case_id)),
            len(case.reinspections), case.enterprise.blacklisted)


_BODIES = {
    "transitions": [{"action": a, "reason": "试图修改", "to": "penalty", "transfer_to": "公安局"}
                    for a in ("issue_orders", "report_rectification", "schedule_reinspection",
                              "close", "escalate")],
    "review": [{"approve": True, "note": "x"}, {"approve": False, "note": "x"}],
    "archive": [{"reason": "再次归档"}],
}
_ROLE_USERS = {r: None for r in Role}


def test_archived_case_refuses_edits_through_every_api_route(ctx, client, app, runner, tmp_path):
    case_id = s.closed_case(client, photos=2, archive=True)
    before = _frozen_state(case_id)
    v1 = db.session.scalar(sa.select(DossierVersion).where(DossierVersion.case_id == case_id))
    tokens = {r: s.staff(r) for r in Role if r != Role.INSPECTOR}
    walked = []
    for rule in app.url_map.iter_rules():
        if "<int:case_id>" not in rule.rule or not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            url = rule.rule.replace("<int:case_id>", str(case_id))
            view = app.view_functions[rule.endpoint]
            tail = url.rsplit("/", 1)[1]
            if tail == "corrections":
                continue  # the one way to change an archived file: checked below
            for role in view._roles:
                for body in _BODIES.get(tail, [{}]):
                    resp = s.call(client, method, url, tokens[role], json=body)
                    assert resp.status_code == 409, (method, url, role, body, resp.json)
                    assert "已归档" in resp.json["message"]
                    assert _frozen_state(case_id) == before, (method, url, body)
            walked.append(f"{method} {rule.rule}")
    # Below the API too: the models refuse changes to an archived case.
    case = db.session.get(Case, case_id)
    for change in (lambda: setattr(case, "outcome", "no_problem"),
                   lambda: setattr(case.hazards[0], "status", "open"),
                   lambda: setattr(case.reinspections[0], "result", "not_rectified")):
        change()
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
    assert _frozen_state(case_id) == before
    assert sorted(walked) == ["POST /api/v1/cases/<int:case_id>/archive",
                              "POST /api/v1/cases/<int:case_id>/review",
                              "POST /api/v1/cases/<int:case_id>/transitions"]

    # A tablet amendment after archiving is stored by sync but stays out of the file.
    case = db.session.get(Case, case_id)
    ref = dossiers.followup.record_for_visit(case.visit_id)
    amended = {**ref.data, "base_version": 1,
               "items": [{**i, "note": i["note"] + "（补记）"} for i in ref.data["items"]]}
    s.sync(client, s.tablet(case.visit.members[0].inspector), amended, {})
    s.call(client, "GET", f"/api/v1/cases/{case_id}", tokens[Role.ARCHIVIST])
    assert _frozen_state(case_id) == before
    late = db.session.scalar(sa.select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.action == "late_amendment"))
    assert late is not None and "第2版" in late.reason
    bag = tmp_path / "v1"
    assert runner.invoke(args=["dossier", "export", str(case_id), str(bag)]).exit_code == 0
    exported = {f"data/{k}" for k in v1.manifest}
    assert exported == {p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*")
                        if p.is_file()}
    assert (bag / "data/dossier.pdf").read_bytes() == dossiers.pdf_of(case)

    # A correction is a new version; version 1 stays exactly as archived.
    resp = s.call(client, "POST", f"/api/v1/cases/{case_id}/corrections",
                  tokens[Role.ARCHIVIST], json={"reason": "并入检查记录第2版（补记说明）"})
    assert resp.status_code == 201 and resp.json["version"] == 2, resp.json
    versions = db.session.scalars(sa.select(DossierVersion).where(
        DossierVersion.case_id == case_id).order_by(DossierVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].pdf_sha256 == v1.pdf_sha256 and versions[0].manifest == v1.manifest
    assert "records/inspection-v2.json" in versions[1].manifest
    assert re.search(r"更正，生成第2版", db.session.scalars(sa.select(CaseEvent.reason).where(
        CaseEvent.case_id == case_id, CaseEvent.action == "correct")).one())
    assert db.session.get(Case, case_id).state == "archived"


def test_completeness_lists_what_is_missing_before_archiving(ctx, client):
    from tests.server import factories as f

    task = f.make_sync_task()
    f.make_sync_visit(task, codes=s.CODES)
    case = dossiers.case_service.all_cases()[0]
    gaps = dossiers.missing(case)
    assert "案件尚未办结（当前状态：已抽取）" in gaps
    assert "缺少随机抽查通知书（任务未派发）" in gaps
    assert "缺少现场检查记录（尚未同步）" in gaps
    resp = s.call(client, "POST", f"/api/v1/cases/{case.id}/archive", s.staff(Role.ARCHIVIST),
                  json={})
    assert resp.status_code == 409 and "案卷不完整" in resp.json["message"]


def test_enterprise_file_spans_cases_and_exports_like_a_dossier(ctx, client, runner, tmp_path):
    case_id = s.closed_case(client, photos=1, archive=True)
    case = db.session.get(Case, case_id)
    from tests.server import factories as f

    later = f.make_sync_visit(f.make_sync_task(window_start=date(2025, 3, 1),
                                               window_end=date(2025, 3, 31)),
                              enterprise=case.enterprise, codes=s.CODES)
    dossiers.case_service.ensure_cases()
    uscc = case.enterprise.uscc
    bag = tmp_path / "file"
    out = runner.invoke(args=["dossier", "enterprise", uscc, str(bag)])
    assert out.exit_code == 0, out.output
    assert runner.invoke(args=["dossier", "verify", str(bag)]).exit_code == 0
    text = flat("".join(page_texts(bag / "data/enterprise-file.pdf")))
    assert "一企一档" in text and "企业基本情况及检查历史" in text
    second = db.session.scalar(sa.select(Case).where(Case.visit_id == later.id))
    assert case.case_no in text and second.case_no in text  # both years' cases
    assert f"{case.case_no}现场检查记录" in text  # its documents, in date order
    _flip(bag / "data/enterprise.json")
    result = runner.invoke(args=["dossier", "verify", str(bag)])
    assert result.exit_code != 0 and "data/enterprise.json" in result.output
