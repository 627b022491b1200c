"""What a draw publishes, and who may read what (privacy by construction).

At the draw, in the draw's own transaction (``publish_draw``), two files are
derived from the full record (``shared.draw.public``), written to
``EVIDENCE_DIR/draw-public/<hh>/<sha256>.json`` and appended to the public log:

* the public pool – pseudonyms per stratum, no name: published at once, even
  for a 暗查 task (it names no one, and its pseudonyms match no other pool's);
* the public draw – the drawn enterprises as a set with their teams: served
  only once the task's list is public (a 暗查 task's, after its visits).

The log entry of each file (kind, task, SHA-256, time) is public at once, so
nothing can be swapped later.  Receipts (private, one per pool enterprise)
and the full record go to staff and to auditors (监督), never to the public.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from shared.draw.adjust import public_adjustment
from shared.draw.parse import WHOLE_POOL, parse_ratio
from shared.draw.public import (
    public_draw_bytes,
    public_pool_bytes,
    receipt,
    receipts,
    to_bytes,
)
from shared.draw.record import load_record
from shared.enums import Role

from ..extensions import db
from ..models import DrawFreeze, DrawRecord, Enterprise, Inspector, PublicDrawFile, Task, User
from . import transparency
from .files import write_once

SUBDIR = "draw-public"
# A scope naming the credit class (信用风险分类=D): its pool is that class, so
# the pool's size – in the pool file, the draw file, even their byte lengths –
# is the number of such enterprises in scope.  Those files are logged (hash
# only) but served to auditors alone, and no page states the pool's size.
_CREDIT_SCOPE = re.compile(r"信用|credit", re.IGNORECASE)


def credit_scope(target_filter: str | None) -> bool:
    return bool(target_filter and _CREDIT_SCOPE.search(target_filter))
KIND_LABELS = {"pool": "公开对象池", "draw": "公开抽取结果", "adjustment": "调整说明"}


def file_path(sha256: str) -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]) / SUBDIR / sha256[:2] / f"{sha256}.json"


def privacy_notes(task: Task) -> list[str]:
    """What the public will be able to infer about credit classes from this
    task's ratio and scope (spec §15.1), said to staff before they draw."""
    notes = []
    if credit_scope(task.target_filter):
        notes.append("对象范围含内部分类条件：公开页面不显示对象池户数，对象池和抽取结果文件只提供给"
                     "监督机关；但抽取名单仍须公开，知道该条件的人可由名单推知名单上企业的分类。"
                     "按分类区别抽查，宜改用分类抽查比例（如 A:3%;B:5%;C:20%;D:100%）。")
    try:
        ratio = parse_ratio(task.ratio or "")
    except ValueError:
        ratio = {}
    full = [c for c, r in ratio.items() if c != WHOLE_POOL and r == 1]
    if full:
        notes.append(f"按100%抽取的分类（{'、'.join(full)}）：名单公开后，本任务对象范围内未列入名单的"
                     "企业即可推知不属于该分类。这是公开抽查比例和名单本身的结果，任何公开文件都无法避免。")
    return notes


def attempt_no(task_id: int, freeze_id: int) -> int:
    """The attempt's number within its task (1, 2, …), as every page and file
    shows it.  Freezes are never deleted, so the number never changes; the
    database id is not used – it counts every task's freezes and would show
    gaps that look like hidden attempts."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze).where(
        DrawFreeze.task_id == task_id, DrawFreeze.id <= freeze_id))


def _publish(task: Task, freeze_id: int | None, rec: DrawRecord | None, kind: str,
             data: bytes) -> PublicDrawFile:
    digest = hashlib.sha256(data).hexdigest()
    write_once(file_path(digest), data)  # durable before the row naming it commits
    attempt = attempt_no(task.id, freeze_id) if freeze_id is not None else None
    # The public entry's size: none where the length would count a credit class.
    hidden = kind in WITHHELD_KINDS and credit_scope(task.target_filter)
    return transparency.append(task.id, freeze_id, rec.id if rec else None, kind, digest,
                               len(data), task.task_no, attempt, public_size=not hidden)


def publish_pool(task: Task, freeze: DrawFreeze, snapshot: dict[str, Any]) -> None:
    """At the freeze, before any randomness exists: the pseudonyms per stratum.

    Called with the freeze row flushed, in the freeze's transaction.
    """
    data = public_pool_bytes(snapshot, freeze.snapshot_hash, freeze.seed_commitment)
    _publish(task, freeze.id, None, "pool", data)


def publish_draw(task: Task, freeze_id: int, rec: DrawRecord, record: dict[str, Any]) -> None:
    """At the draw: the public draw file, derived from the full record.

    Called with the record row flushed (its id known), before the commit.  The
    pool file it names by hash is the one published at the freeze.
    """
    pool = db.session.execute(sa.select(PublicDrawFile.sha256).where(
        PublicDrawFile.freeze_id == freeze_id, PublicDrawFile.kind == "pool")).scalar_one()
    _publish(task, freeze_id, rec, "draw", public_draw_bytes(record, pool_sha256=pool))


def publish_adjustment(task: Task, adj: DrawRecord, doc: dict[str, Any]) -> None:
    """At an adjustment: what changed, who (by name), when, why – naming the
    public file of the record it amends.  Called with *adj* flushed."""
    parent = db.session.execute(sa.select(PublicDrawFile).where(
        PublicDrawFile.record_id == adj.parent_id,
        PublicDrawFile.kind.in_(("draw", "adjustment")))).scalar_one_or_none()
    if parent is None:
        return  # a suicha-draw/1 record published no files to amend
    people = {doc["visit_before"]["uscc"], doc["visit_after"]["uscc"],
              *doc["visit_before"]["inspectors"], *doc["visit_after"]["inspectors"]}
    names = dict(db.session.execute(sa.select(Enterprise.uscc, Enterprise.name).where(
        Enterprise.uscc.in_(people))).all())
    names |= dict(db.session.execute(sa.select(Inspector.cert_no, Inspector.name).where(
        Inspector.cert_no.in_(people))).all())
    user = db.session.execute(sa.select(User).filter_by(username=adj.actor)).scalar_one_or_none()
    # A person's name, never a login name (a role when no name is on file).
    who = (user.display_name or Role(user.role).label) if user else "本局工作人员"
    public = public_adjustment(doc, record_id=adj.id, who=who, names=names,
                               parent_sha256=parent.sha256)
    _publish(task, parent.freeze_id, adj, "adjustment", to_bytes(public))


def task_files(task: Task) -> list[PublicDrawFile]:
    return list(db.session.execute(sa.select(PublicDrawFile).where(
        PublicDrawFile.task_id == task.id).order_by(PublicDrawFile.leaf_index)).scalars())


WITHHELD_KINDS = ("pool", "draw")  # the files that state the pool's size


def may_serve(row: PublicDrawFile, list_public: bool) -> bool:
    """A pool file names no one; the others wait for the task's list to be
    public.  A credit-class scope's pool and draw files: never to the public."""
    if row.kind in WITHHELD_KINDS and credit_scope(row.task.target_filter):
        return False
    return row.kind == "pool" or list_public


def read_file(sha256: str) -> bytes:
    return file_path(sha256).read_bytes()


def file_by_hash(sha256: str) -> PublicDrawFile | None:
    return db.session.execute(sa.select(PublicDrawFile).where(
        PublicDrawFile.sha256 == sha256).limit(1)).scalar_one_or_none()


def task_receipts(rec: DrawRecord, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every pool enterprise's receipt for a record (staff and auditors only)."""
    if record.get("format") != "suicha-draw-record/2":
        return []
    return receipts(record["snapshot"], record["pool_hash"])


def receipt_for_visit(record_id: int, uscc: str) -> dict[str, Any] | None:
    """The receipt printed under a visit's notice: from the draw its record
    descends from (an adjustment's visit: from the draw it amends).  None for
    suicha-draw/1 records and for an enterprise an adjustment brought in."""
    rec = db.session.get(DrawRecord, record_id)
    while rec is not None and rec.kind == "adjustment":
        rec = db.session.get(DrawRecord, rec.parent_id)
    if rec is None or uscc not in {v["uscc"] for v in (rec.result or {}).get("visits", [])}:
        return None
    head = load_record(rec.record_json)  # the snapshot head: no pool values needed
    if head.get("format") != "suicha-draw-record/2":
        return None
    secret = bytes.fromhex(head["snapshot"]["privacy"]["pseudonym_secret"])
    return receipt(secret, head["snapshot"]["task"]["task_no"], rec.pool_hash, uscc)
