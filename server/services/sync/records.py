"""``PUT``/``GET /api/v1/records/<uuid>``: store inspection records exactly once.

The table in docs/sync.md §4: new → 201 v1; byte-identical to the current
version → 200; different with ``base_version`` = current → 200 v+1 (old kept);
otherwise 409. The database decides races: unique ``uuid`` on the head,
unique ``(uuid, version)`` on the versions; a loser re-reads and answers from
what the winner stored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from shared.lifecycle import VisitStatus
from shared.schemas.record import MAX_RECORD_BYTES, RecordSchema, blob_hashes

from ...extensions import db
from ...localtime import local_date, local_time
from ...models import DrawRecord, User, Visit, VisitMember
from ...models.sync import Blob, Dispatch, SyncRecord, SyncRecordVersion
from .. import case_observe
from . import SyncError, parse_visit_code
from .record_clock import check_not_future

# Visit states a finished record moves forward to "inspected" (later states are
# the case workflow's and must not go backwards).
_BEFORE_INSPECTED = (VisitStatus.DRAWN, VisitStatus.NOTIFIED)


@dataclass
class RecordStatus:
    uuid: str
    version: int
    created: bool = False
    missing_blobs: list[str] = field(default_factory=list)
    withdrawn: bool = False

    @property
    def complete(self) -> bool:
        return not self.missing_blobs

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"uuid": self.uuid, "version": self.version,
                               "complete": self.complete, "missing_blobs": self.missing_blobs}
        if self.withdrawn:
            out["withdrawn"] = True
            out["message"] = "该检查任务已撤回，记录已保存，由科室决定如何处理"
        return out


def _member(visit_id: int, user: User) -> bool:
    if user.inspector_id is None:
        return False
    member = db.session.scalar(sa.select(VisitMember.id).where(
        VisitMember.visit_id == visit_id, VisitMember.inspector_id == user.inspector_id))
    return member is not None


def _visit_for(code: str, user: User) -> Visit:
    visit_id = parse_visit_code(code)
    visit = db.session.get(Visit, visit_id) if visit_id is not None else None
    if visit is None or not _member(visit.id, user):
        raise SyncError(403, "该检查任务不属于您所在的检查组，不能上传记录")
    return visit


def parse(uuid: str, body: bytes) -> dict[str, Any]:
    """The record as validated by the shared ``RecordSchema`` (400 / 413 otherwise)."""
    if len(body) > MAX_RECORD_BYTES:
        raise SyncError(413, "记录过大（上限2MB），证据文件应单独上传")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise SyncError(400, "记录不是有效的JSON格式") from None
    except RecursionError:  # a definite 400, so the tablet quarantines instead of retrying
        raise SyncError(400, "记录内容嵌套层数过深，不是有效的检查记录") from None
    if not isinstance(data, dict):
        raise SyncError(400, "记录格式错误")
    try:
        RecordSchema().load(data)
    except ValidationError as exc:
        raise SyncError(400, "记录格式错误", errors=exc.messages) from None
    if data["uuid"] != uuid:
        raise SyncError(400, "地址中的记录编号与记录内容不一致")
    return data


def _check_items(data: dict[str, Any], visit: Visit) -> None:
    """清单之外无检查: a record may only give results for the items drawn for its visit."""
    drawn = set(visit.item_codes or [])
    outside = [i["code"] for i in data.get("items", []) if i["code"] not in drawn]
    if drawn and outside:
        raise SyncError(422, f"记录中的检查事项{'、'.join(outside[:5])}不在本次抽取的事项中"
                             "（清单之外无检查），请同步任务后核对")


def _check_one_record(uuid: str, visit: Visit) -> None:
    """One record per visit: the case is built from it, and a second record under
    a new number must never replace it (an archived file least of all). A team
    amends its record (same number, ``base_version``) instead."""
    elsewhere = db.session.scalar(sa.select(SyncRecord.visit_id).where(SyncRecord.uuid == uuid))
    if elsewhere is not None and elsewhere != visit.id:
        raise SyncError(409, "该记录编号已用于另一个检查任务")
    other = db.session.scalar(sa.select(SyncRecord.uuid).where(
        SyncRecord.visit_id == visit.id, SyncRecord.uuid != uuid).limit(1))
    if other is not None:
        raise SyncError(409, f"该检查任务已有检查记录（{other}），请在原记录上修改后重新提交；"
                             "已保存的记录不会被另一条记录替换")


def _check_dates(data: dict[str, Any], visit: Visit) -> None:
    """An inspection cannot start before its enterprise was drawn, nor before the
    visit reached the team (派发). Compared as the bureau's calendar days: that is
    the date the 检查记录 carries, and a tablet clock a few minutes off must not
    lose a real inspection done on the day of the draw."""
    started = datetime.fromisoformat(data["started_at"])
    day = local_date(started)
    drawn_at = db.session.scalar(sa.select(DrawRecord.created_at).where(
        DrawRecord.id == visit.draw_record_id))
    dispatched_at = db.session.scalar(sa.select(Dispatch.dispatched_at).where(
        Dispatch.visit_id == visit.id))
    for when, what in ((drawn_at, "抽取"), (dispatched_at, "派发")):
        if when is not None and day < local_date(when):
            raise SyncError(422, f"检查记录的开始时间{local_time(started)}早于该检查任务的"
                                 f"{what}时间{local_time(when)}，记录日期有误，服务器未保存；"
                                 "请核对平板的日期和时间，并联系科室处理（记录仍保存在平板上）",
                            errors={"started_at": [f"早于{what}日期{local_date(when)}"]})
    early = sorted(o["deadline"] for h in data.get("hazards", []) for o in h["orders"]
                   if o.get("deadline") and date.fromisoformat(o["deadline"]) < day)
    if early:
        raise SyncError(422, f"整改期限{early[0]}早于检查日期{day}，记录日期有误，服务器未保存；"
                             "请核对平板的日期和整改期限，并联系科室处理（记录仍保存在平板上）",
                        errors={"hazards": [f"整改期限{early[0]}早于检查日期{day}"]})


def _check_signers(data: dict[str, Any], visit: Visit) -> None:
    """执法人员 signatures must be of the visit's team (the registry says who is on
    it, not the record)."""
    certs = {m.inspector.cert_no for m in visit.members}
    strangers = sorted({s["cert_no"] for s in data["signatures"]
                        if s["role"] == "inspector" and s["cert_no"] not in certs})
    if strangers:
        raise SyncError(422, f"执法证号{'、'.join(strangers)}不是本检查组成员，"
                             "不能作为执法人员签名")


def _check_evidence_owner(data: dict[str, Any], visit: Visit) -> None:
    """Evidence is bound to the enterprise it was collected at: a record may not
    cite photos or signatures another enterprise's record already holds."""
    hashes = blob_hashes(data)
    if not hashes:
        return
    rows = db.session.execute(
        sa.select(SyncRecordVersion.blob_hashes, Visit.enterprise_id)
        .join(SyncRecord, SyncRecord.id == SyncRecordVersion.record_id)
        .join(Visit, Visit.id == SyncRecord.visit_id)
        .where(Visit.enterprise_id != visit.enterprise_id,
               sa.or_(*[sa.cast(SyncRecordVersion.blob_hashes, sa.Text).contains(h)
                        for h in hashes]))).all()
    taken = {h for cited, _ in rows for h in (cited or [])} & set(hashes)
    if taken:
        raise SyncError(422, f"记录引用的证据文件{sorted(taken)[0][:12]}…属于另一被检查单位的"
                             "检查记录，不能用于本次检查")


def put_record(uuid: str, body: bytes, user: User, device_id: str | None = None,
               ) -> RecordStatus:
    """Store one record version. Who sent it and from which device come from the
    caller's token; the body's ``submitted_by`` / ``device_id`` are the tablet's
    own notes and are never trusted."""
    data = parse(uuid, body)
    visit = _visit_for(data["visit_id"], user)
    _check_items(data, visit)
    check_not_future(data)
    _check_dates(data, visit)
    _check_one_record(uuid, visit)
    _check_signers(data, visit)
    _check_evidence_owner(data, visit)
    device = device_id or "控制台"
    digest = hashlib.sha256(body).hexdigest()
    for _ in range(5):
        head = db.session.scalar(
            sa.select(SyncRecord).where(SyncRecord.uuid == uuid).execution_options(
                populate_existing=True))
        try:
            if head is None:
                version, created = 1, True
                head = SyncRecord(uuid=uuid, visit_id=visit.id, version=1)
                db.session.add(head)
                db.session.flush()  # the unique uuid decides a race here
                _add_version(head, 1, body, digest, data, user, device)
            else:
                created = False
                if head.visit_id != visit.id:
                    raise SyncError(409, "该记录编号已用于另一个检查任务")
                current = _version(uuid, head.version)
                if current.body_sha256 == digest and current.body == body:
                    return status(head)  # a repeat: nothing stored twice
                if data.get("base_version") != head.version:
                    raise SyncError(409, "服务器上已有该记录的不同内容",
                                    errors={"version": [f"服务器当前版本为{head.version}"]})
                version = head.version + 1
                _add_version(head, version, body, digest, data, user, device)
                # Compare-and-set: a concurrent amendment of the same base loses here
                # (or on unique (uuid, version)) and re-reads.
                moved = db.session.execute(
                    sa.update(SyncRecord).where(SyncRecord.id == head.id,
                                                SyncRecord.version == version - 1)
                    .values(version=version).execution_options(synchronize_session=False))
                if moved.rowcount != 1:
                    db.session.rollback()
                    continue
            if visit.status in _BEFORE_INSPECTED:
                visit.status = VisitStatus.INSPECTED.value
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        db.session.expire_all()
        case_observe.after_record(visit.id)  # the case moves now, not when someone looks
        head = db.session.scalar(sa.select(SyncRecord).where(SyncRecord.uuid == uuid))
        out = status(head)
        out.created = created
        return out
    raise SyncError(503, "服务器繁忙，请稍后重试")


def _version(uuid: str, version: int) -> SyncRecordVersion:
    return db.session.scalar(sa.select(SyncRecordVersion).where(
        SyncRecordVersion.uuid == uuid, SyncRecordVersion.version == version))


def _add_version(head: SyncRecord, version: int, body: bytes, digest: str,
                 data: dict[str, Any], user: User, device_id: str) -> None:
    db.session.add(SyncRecordVersion(
        record_id=head.id, uuid=head.uuid, version=version, body=body, body_sha256=digest,
        blob_hashes=blob_hashes(data), outcome=data["outcome"], device_id=device_id[:64],
        user_id=user.id))
    db.session.flush()


def get_record(uuid: str, user: User, *, office: bool = False) -> RecordStatus:
    head = db.session.scalar(sa.select(SyncRecord).where(SyncRecord.uuid == uuid))
    if head is None:
        raise SyncError(404, "服务器上没有该记录")
    if not office and not _member(head.visit_id, user):
        raise SyncError(403, "该记录不属于您所在的检查组")
    return status(head)


def status(head: SyncRecord) -> RecordStatus:
    current = _version(head.uuid, head.version)
    hashes = list(current.blob_hashes or [])
    held = set(db.session.scalars(sa.select(Blob.sha256).where(
        Blob.sha256.in_(hashes), Blob.complete.is_(True)))) if hashes else set()
    d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == head.visit_id))
    return RecordStatus(uuid=head.uuid, version=head.version,
                        missing_blobs=[h for h in hashes if h not in held],
                        withdrawn=d is not None and d.withdrawn_at is not None)
