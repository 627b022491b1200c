"""What a draw publishes, the signed log, and adjustments checked against their parent.

* the public pool file is published and logged at the freeze – before the
  promised value exists – and the public draw file at the draw;
* every log head is signed and every file's inclusion proof verifies;
* an adjustment's exported record verifies (一致) against its parent chain,
  a doctored one does not; its public file names who, when and why, and a
  citizen's check of it agrees in Python and JavaScript.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from server import documents as docs
from server.extensions import db
from server.models import LogHead, PublicDrawFile, Task, Visit
from server.services import draw as svc
from server.services import draw_public, transparency
from server.services.accounts import create_user
from server.services.draw import adjust
from server.services.draw.beacons import LOCAL
from server.services.draw.freeze import freeze_task
from server.services.draw.run import draw_frozen
from shared.draw import merkle
from shared.draw.check import check_adjustments, check_public, check_receipt
from shared.draw.record import load_record, verify
from shared.draw.snapshot import canonical_json
from tests.server.documents import samples
from tests.server.factories import make_inspector
from tests.server.services.test_draws_world import make_task, make_world
from tests.shared.draw.oracle import node_answers


@pytest.fixture
def signed(app):
    app.config["LOG_SIGNING_KEY"] = secrets.token_hex(32)
    yield
    app.config["LOG_SIGNING_KEY"] = ""


def _files(task: Task) -> dict[str, list[PublicDrawFile]]:
    out: dict[str, list[PublicDrawFile]] = {}
    for f in draw_public.task_files(task):
        out.setdefault(f.kind, []).append(f)
    return out


def test_pool_file_is_logged_at_the_freeze_before_the_draw(ctx, signed):
    world = make_world(12)
    task = make_task(world.plan, "T1", ratio="A:10%;B:20%;C:50%;D:100%")
    freeze = freeze_task("T1", "tester", source=LOCAL, demo=True)
    files = _files(task)
    assert list(files) == ["pool"] and files["pool"][0].freeze_id == freeze.id
    pool = draw_public.read_file(files["pool"][0].sha256)
    assert not any(e.uscc.encode() in pool for e in world.enterprises)  # pseudonyms only
    logged_at = files["pool"][0].created_at
    rec = draw_frozen("T1", "tester", demo=True)
    files = _files(task)
    assert files["draw"][0].record_id == rec.id and logged_at <= rec.created_at
    assert check_public(pool, draw_public.read_file(files["draw"][0].sha256)).ok


def test_every_head_is_signed_and_every_file_is_provably_in_the_log(ctx, signed):
    world = make_world(12)
    make_task(world.plan, "T1")
    make_task(world.plan, "T2", ratio="50%")
    svc.run_task_draw("T1", "tester")
    svc.run_task_draw("T2", "tester")
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(transparency.public_key()["public_key"]))
    heads = db.session.execute(sa.select(LogHead).order_by(LogHead.tree_size)).scalars().all()
    assert [h.tree_size for h in heads] == [1, 2, 3, 4]
    for head in heads:
        key.verify(bytes.fromhex(head.signature), head.signed_json.encode())  # raises if bad
        assert json.loads(head.signed_json)["root_hash"] == head.root_hash
    latest = heads[-1]
    for row in db.session.execute(sa.select(PublicDrawFile)).scalars():
        proof = transparency.proof(row.leaf_index, latest.tree_size)
        assert merkle.verify_inclusion(
            merkle.leaf_hash(row.entry_json.encode()), row.leaf_index, latest.tree_size,
            [bytes.fromhex(p) for p in proof["path"]], bytes.fromhex(latest.root_hash))
        assert json.loads(row.entry_json)["sha256"] == row.sha256
    row.kind = "draw"  # append-only
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def _current(task: Task) -> list[Visit]:
    return db.session.execute(sa.select(Visit).where(
        Visit.task_id == task.id, Visit.current.is_(True)).order_by(Visit.id)).scalars().all()


def test_adjustments_verify_against_their_parent_and_are_published(ctx, signed, app, tmp_path):
    world = make_world(12)
    task = make_task(world.plan, "T1", ratio="50%")
    create_user("office", "dispatcher", "password-1", display_name="王调度")
    rec = svc.run_task_draw("T1", "office")
    visit = _current(task)[0]
    leader = next(m.inspector.cert_no for m in visit.members if m.leader)
    spare = make_inspector(fields=["industry_trade"])
    first = adjust(rec.id, {"uscc": visit.enterprise.uscc, "replace": "inspector",
                            "old": leader, "new": spare.cert_no, "reason": "组长生病"}, "office")
    drawn = {v.enterprise.uscc for v in _current(task)}
    other = next(e for e in world.enterprises if e.uscc not in drawn)
    moved = _current(task)[-1].enterprise.uscc
    second = adjust(first.id, {"uscc": moved, "replace": "enterprise", "new": other.uscc,
                               "reason": "企业已停产搬迁"}, "office")
    # `flask draw verify` on the exported adjustment: 一致, checked down to the draw.
    exported = load_record(svc.export_record(second))
    assert exported["parent"]["parent"]["format"] == "suicha-draw-record/2"
    assert verify(exported) == (True, None)
    doctored = json.loads(json.dumps(exported))
    doctored["parent"]["visit_after"]["leader"] = leader  # the replaced leader still leads
    ok, why = verify(doctored)
    assert not ok and "调整后的检查与声明的调整不符（leader）" in why
    doctored = json.loads(json.dumps(exported))
    doctored["visit_after"]["items"] = ["X99"]  # items the seed does not give
    assert verify(doctored) == (False, "调整后的检查与声明的调整不符（items）")
    # The command line says the same (flask draw export, then draw verify).
    runner = app.test_cli_runner()
    path = tmp_path / "adjustment.json"
    assert runner.invoke(args=["draw", "export", str(second.id), str(path)]).exit_code == 0
    result = runner.invoke(args=["draw", "verify", str(path)])
    assert result.exit_code == 0 and result.output.strip().startswith("一致"), result.output
    assert "操作人、操作时间和原因不在复算范围内" in result.output  # meta: in no hash
    # The public files: who (a name, not a login), when, why, what changed.
    files = _files(task)
    adjustments = [draw_public.read_file(f.sha256) for f in files["adjustment"]]
    doc = json.loads(adjustments[0])
    assert doc["who"] == "王调度" and doc["reason"] == "组长生病" and doc["at"]
    assert doc["change"] == {"visit": visit.enterprise.uscc, "replace": "inspector",
                             "old": leader, "new": spare.cert_no}
    assert doc["visit_after"]["inspectors"][-1]["name"] or doc["visit_after"]["inspectors"]
    draw_bytes = draw_public.read_file(files["draw"][0].sha256)
    tampered = json.loads(adjustments[1])
    tampered["visit_after"]["leader"] = tampered["visit_after"]["inspectors"][0]["cert_no"] \
        if tampered["visit_after"]["leader"] != tampered["visit_after"]["inspectors"][0][
            "cert_no"] else tampered["visit_after"]["inspectors"][1]["cert_no"]
    cases = [{"op": "check_adjustments", "draw": draw_bytes.decode(),
              "adjustments": [a.decode() for a in adjustments]},
             {"op": "check_adjustments", "draw": draw_bytes.decode(),
              "adjustments": [adjustments[0].decode(), canonical_json(tampered)]},
             {"op": "check_adjustments", "draw": draw_bytes.decode(),
              "adjustments": [adjustments[1].decode()]}]
    python = [check_adjustments(c["draw"].encode(), [a.encode() for a in c["adjustments"]])
              for c in cases]
    assert [r.ok for r in python] == [True, False, False]
    assert "leader" in python[1].message and "上一公开文件不符" in python[2].message
    javascript = node_answers(cases)
    assert [(r.ok, r.message) for r in python] == [(j["ok"], j["message"]) for j in javascript]


def test_the_notice_carries_a_receipt_that_checks_out(ctx, tmp_path):
    """The receipt printed under a drawn enterprise's notice passes that
    enterprise's own check against the public files."""
    world = make_world(12)
    task = make_task(world.plan, "T1", ratio="50%")
    rec = svc.run_task_draw("T1", "tester")
    visit = _current(task)[0]
    receipt = draw_public.receipt_for_visit(visit.draw_record_id, visit.enterprise.uscc)
    data = samples.notice() | {"receipt_code": receipt["salt"], "receipt_task_no": "T1"}
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(docs.render_notice(data))
    assert shutil.which("pdftotext"), "poppler-utils is installed on this machine and in CI"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    printed = "".join(re.findall(r"[0-9a-f]{8}", text.split("回执码", 1)[1]))[:64]
    assert printed == receipt["salt"]
    files = _files(task)
    pool, public = (draw_public.read_file(files[k][0].sha256) for k in ("pool", "draw"))
    result = check_receipt({**receipt, "salt": printed}, pool, public)
    assert result.ok and "应被抽中" in result.details[0]
    assert rec.id == visit.draw_record_id
