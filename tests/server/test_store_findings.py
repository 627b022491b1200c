"""Issue 16, the evidence store and what leaves the server: no process-wide
chdir in a dossier export and an absolute EVIDENCE_DIR (5), a backup manifest
cannot write outside EVIDENCE_DIR (7), public CSV feeds carry no formulas
(15), abandoned partial uploads are collected (16)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g

from server import TestConfig, create_app
from server.dossier.bag import export_bag, verify_bag
from server.extensions import db
from server.models import Enterprise
from server.models.sync import Blob
from server.services import backup
from server.services.sync import partials
from shared.enums import Role
from tests.server import factories as f
from tests.server.web import dataset

pytestmark = pytest.mark.usefixtures("fresh_caller")


def test_evidence_dir_is_absolute_and_an_export_never_changes_directory(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db",
                      "EVIDENCE_DIR": "relative/evidence"})
    assert app.config["EVIDENCE_DIR"] == str(tmp_path / "relative" / "evidence")

    def no_chdir(_path):
        raise AssertionError("the server changed the working directory")

    monkeypatch.setattr(os, "chdir", no_chdir)
    bag = export_bag(tmp_path / "bag", {"卷宗.pdf": b"%PDF-1.7 x", "originals/a.jpg": b"\xff\xd8"},
                     {"External-Identifier": "示应急档〔2024〕1号"})
    assert os.getcwd() == str(tmp_path)
    assert verify_bag(bag) == (True, [])  # and bagit itself validates it
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert "Payload-Oxum: 12.2" in info and "External-Identifier: 示应急档〔2024〕1号" in info


def test_a_manifest_path_leaving_the_backup_is_refused(app, ctx, tmp_path, runner):
    blob = f.make_jpeg(5)
    digest = hashlib.sha256(blob).hexdigest()
    f.make_enterprise(name="备份企业")
    out = tmp_path / "deep" / "a" / "b" / "backup"
    backup.create(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    evil = "../../../../x"
    outside = (out / "evidence" / evil).resolve()
    outside.write_bytes(blob)
    manifest["evidence"][evil] = {"sha256": digest, "size": len(blob)}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(backup.BackupError, match="不合法的路径"):
        backup.verify(out)
    result = runner.invoke(args=["backup", "verify", str(out)])
    assert result.exit_code != 0 and "不合法的路径" in result.output
    # Restore into an empty store: refused before anything is written anywhere.
    db.session.remove()
    db.drop_all()
    target = Path(app.config["EVIDENCE_DIR"])
    escaped = (target / evil).resolve()
    with pytest.raises(backup.BackupError, match="不合法的路径"):
        backup.restore(out)
    assert not escaped.exists() and outside.read_bytes() == blob


def test_public_csv_feeds_neutralise_formulas(app, ctx, client):
    dataset.build()
    ent = db.session.scalar(sa.select(Enterprise).where(
        Enterprise.id == dataset.visits(dataset.OPEN_TASK)[0].enterprise_id))
    ent.name = '=HYPERLINK("http://evil.example","点我")'
    db.session.commit()
    from server.services import publication as pub

    visit = dataset.inspected(dataset.OPEN_TASK)[0]
    result = pub.propose_result(visit.id, "no_problem", visit.task.window_start, [])
    pub.approve_result(result.id, "reviewer", revision=result.revision)
    for url in ("/public/results.csv", "/public/tasks.csv", "/public/plans.csv",
                "/public/items.csv"):
        text = client.get(url).get_data(as_text=True)
        cells = [c for line in text.splitlines() for c in line.split(",")]
        assert not any(c.lstrip('"\ufeff').startswith(("=", "+", "@")) for c in cells), url
    assert "'=HYPERLINK" in client.get("/public/results.csv").get_data(as_text=True)


def test_abandoned_partial_uploads_are_collected(app, ctx, client):
    token = {"Authorization": f"Bearer {f.make_token(Role.INSPECTOR)}"}
    data = f.make_jpeg(9, (300, 200))
    digest = hashlib.sha256(data).hexdigest()
    resp = client.put(f"/api/v1/blobs/{digest}", data=data[:500], headers={
        **token, "Content-Type": "image/jpeg", "Content-Range": f"bytes 0-499/{len(data)}"})
    assert resp.status_code == 202
    root = Path(app.config["EVIDENCE_DIR"]) / ".partial"
    stray = root / ("f" * 64)  # bytes no row points at
    stray.write_bytes(b"x")
    assert partials.collect() == 0  # fresh: still in progress
    old = time.time() - timedelta(days=8).total_seconds()
    for p in root.iterdir():
        os.utime(p, (old, old))
    row = db.session.scalar(sa.select(Blob))
    row.created_at -= timedelta(days=8)
    db.session.commit()
    assert partials.collect() == 2
    assert list(root.iterdir()) == [] and db.session.scalar(
        sa.select(sa.func.count()).select_from(Blob)) == 0
    g.pop("user", None)
    gone = client.head(f"/api/v1/blobs/{digest}", headers=token)
    assert gone.status_code == 404  # the tablet starts that file again from 0


def test_catch_up_commands(app, ctx, runner, monkeypatch):
    """`flask case observe` applies what arrived while the case step failed;
    `flask sync collect-partials` runs the collection on demand."""
    from server.models.case import Case
    from server.services import case_observe
    from tests.server.services import test_cases_support as s

    a, b = f.make_inspector(), f.make_inspector()
    with f.bureau_day():  # drawn before the March 2024 record it sends
        visit = f.make_sync_visit(f.make_sync_task(), [a, b], codes=s.CODES)
    monkeypatch.setattr(case_observe, "after_record", lambda visit_id: None)  # the step failed
    rec, blobs = s.inspection_record(visit, orders=[])
    s.sync(app.test_client(), s.tablet(a), rec, blobs)
    case = db.session.scalar(sa.select(Case).where(Case.visit_id == visit.id))
    assert case.state == "drawn"  # stored and acknowledged, the case not yet moved
    monkeypatch.undo()
    out = runner.invoke(args=["case", "observe"])
    assert out.exit_code == 0 and "已推进1件案件" in out.output
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "closed"
    out = runner.invoke(args=["sync", "collect-partials"])
    assert out.exit_code == 0 and "已清理0个未完成的上传" in out.output
