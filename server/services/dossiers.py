"""一案一卷 from the database: completeness, archiving, versions, BagIt export.

The volume is assembled by ``server.dossier`` (pure); this module gathers its
inputs – the draw record, the notice, the issued documents, the record's
photos with their originals' hashes – and the bag payload: the PDF, every
document, every original and upload copy, the exact bytes of each synced
record version, the draw record and the trail. Archiving stores the PDF
content-addressed and the payload manifest; a later export of an archived
version must reproduce every file of that manifest byte for byte, else it
refuses (the evidence store or a record was changed behind the archive's back).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..dossier import CaseData, DossierDocument, EvidencePhoto, build_dossier, export_bag
from ..dossier import verify_bag as _verify_bag
from ..extensions import db
from ..localtime import local_date, local_time
from ..models import DrawRecord, PublicationResult
from ..models._types import utcnow
from ..models.case import Case, CaseEvent, DossierVersion
from ..models.document import CaseDocument
from ..models.sync import Dispatch
from . import case_documents as documents
from . import cases as case_service
from . import draw_documents, followup
from .deadlines import bureau_today
from .draw import export_record
from .files import write_once
from .followup import FollowupError

_DOC_KIND = {"inspection_record": "inspection_record", "rectification_order": "order",
             "onsite_measures": "order", "reinspection_opinion": "reinspection",
             "closing": "closing", "correction": "closing"}
_EXT = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf", "audio/mp4": "m4a",
        "audio/mpeg": "mp3", "audio/wav": "wav", "audio/amr": "amr", "audio/ogg": "ogg"}


@dataclass
class Assembly:
    pdf: bytes
    pages: int
    front_pages: int
    toc: list
    files: dict[str, bytes]
    metadata: dict[str, str]


def _records(case: Case) -> list[tuple[str, followup.RecordRef]]:
    """(label, record) of the inspection and each done 复查, at their pinned versions."""
    out = []
    if case.record_version:
        out.append(("inspection", followup.record_for_visit(case.visit_id, case.record_version,
                                                            uuid=case.record_uuid)))
    for re in case.reinspections:
        if re.record_version:
            out.append((f"reinspection-{re.seq}",
                        followup.record_for_visit(re.visit_id, re.record_version)))
    return [(label, ref) for label, ref in out if ref is not None]


def _photos(case: Case, records: list[tuple[str, followup.RecordRef]]) -> list[EvidencePhoto]:
    """Each photo captioned as a reader names it: the hazard or the item by name
    (never a code), and the time in the bureau's zone."""
    photos = []
    for label, ref in records:
        hazards = {h["id"]: h["description"] for h in ref.data.get("hazards", [])}
        codes = [i["code"] for i in ref.data.get("items", [])]
        names = dict(zip(codes, documents.item_names(case.visit.item_version, codes), strict=True))
        for a in ref.data.get("attachments", []):
            if a["kind"] != "photo" or a["mime"] not in ("image/jpeg", "image/png"):
                continue
            image = followup.evidence_bytes(a["sha256"])
            if image is None:
                continue
            photos.append(EvidencePhoto(_caption(label, a, hazards, codes, names), image,
                                        a["original"]["sha256"]))
    return photos


def _caption(label: str, a: dict[str, Any], hazards: dict[str, str], codes: list[str],
             names: dict[str, str]) -> str:
    code = a.get("item_code")
    if a.get("hazard_id") in hazards:
        what = f"隐患：{hazards[a['hazard_id']]}"
    elif code in names:
        what = f"第{codes.index(code) + 1}项 {names[code]}"
    else:
        what = "现场"
    if label.startswith("reinspection"):
        what = f"复查·{what}"
    when = local_time(a.get("taken_at"))
    return what + (f"（{when}）" if when else "")


def _blobs(records: list[tuple[str, followup.RecordRef]]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for _label, ref in records:
        for a in ref.data.get("attachments", []):
            for sha, mime, folder in ((a["original"]["sha256"], a["original"]["mime"], "originals"),
                                      (a["sha256"], a["mime"], "copies")):
                data = followup.evidence_bytes(sha)
                if data is not None:
                    files[f"evidence/{folder}/{sha}.{_EXT.get(mime, 'bin')}"] = data
        for s in ref.data.get("signatures", []):
            data = followup.evidence_bytes(s["sha256"])
            if data is not None:
                files[f"evidence/signatures/{s['sha256']}.{_EXT.get(s['mime'], 'bin')}"] = data
    return files


def _event(e: CaseEvent) -> dict[str, Any]:
    return {"seq": e.seq, "at": e.at.isoformat(timespec="seconds"), "actor": e.actor,
            "role": e.role, "action": e.action, "from": e.from_state, "to": e.to_state,
            "reason": e.reason, "review": e.review, "data": e.data}


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode()


def assemble(case: Case, upto_seq: int | None = None) -> Assembly:
    issued = list(db.session.scalars(sa.select(CaseDocument).where(
        CaseDocument.case_id == case.id).order_by(CaseDocument.id)))
    draw = db.session.get(DrawRecord, case.visit.draw_record_id)
    docs = [DossierDocument("随机抽取记录", f"抽取记录第{draw.id}号", local_date(draw.created_at),
                            draw_documents.render_draw_record(case), kind="draw_record")]
    notice = draw_documents.render_notice(case)
    if notice:
        number, day, pdf = notice
        docs.append(DossierDocument("随机抽查通知书", number, day, pdf, kind="notice"))
    for d in issued:
        title = d.title + (f"（第{d.ref}版）" if d.kind == "correction" else "")
        docs.append(DossierDocument(title, d.number, d.issued_on, d.pdf, kind=_DOC_KIND[d.kind]))
    records = _records(case)
    photos = _photos(case, records)
    closing = next((e.reason for e in reversed(case.events)
                    if e.to_state in case_service.FINISHED and e.from_state != e.to_state), "")
    data = CaseData(
        case_name=f"{case.enterprise.name}安全生产监督检查案",
        cause="“双随机、一公开”抽查" + ("发现事故隐患" if case.findings else ""),
        result=f"{case_service.STATES[_finished_state(case)]}：{closing}" if closing else
        case_service.STATES[case.state],
        opened_on=case.opened_on, closed_on=case.closed_on, handlers=list(case.handlers),
        archive_no=case.archive_no or "（未归档）", retention=case.retention,
        bureau_name=documents.bureau_name(), enterprise_name=case.enterprise.name)
    volume = build_dossier(data, docs, photos)
    events = [e for e in case.events if upto_seq is None or e.seq <= upto_seq]
    files: dict[str, bytes] = {"dossier.pdf": volume.pdf,
                               "draw-record.json": export_record(draw)}
    for i, d in enumerate(docs, 1):
        files[f"documents/{i:02d}-{d.kind}.pdf"] = d.pdf
    for label, ref in records:
        files[f"records/{label}-v{ref.version}.json"] = ref.body
    files.update(_blobs(records))
    files["trail.json"] = _dump({
        "case_events": [_event(e) for e in events],
        "record_trails": {label: ref.data.get("trail", []) for label, ref in records}})
    files["case.json"] = _dump({
        **{k: v for k, v in case_service.summary(case).items()
           if k not in ("state", "state_label", "pending_review", "dossier_version")},
        "state": _finished_state(case),
        "documents": [{"title": d.title, "number": d.number, "date": d.date.isoformat(),
                       "kind": d.kind, "sha256": hashlib.sha256(d.pdf).hexdigest()} for d in docs],
        "photos": [{"caption": p.caption, "original_sha256": p.sha256} for p in photos],
        "toc": [{"seq": t.seq, "title": t.title, "number": t.number, "first_page": t.first_page,
                 "last_page": t.last_page} for t in volume.toc]})
    meta = {"Source-Organization": documents.bureau_name(),
            "External-Identifier": case.archive_no or case.case_no or str(case.id),
            "Internal-Sender-Identifier": case.case_no or str(case.id),
            "External-Description": f"一案一卷：{data.case_name}"}
    return Assembly(volume.pdf, volume.front_pages + volume.body_pages, volume.front_pages,
                    volume.toc, files, meta)


def _finished_state(case: Case) -> str:
    if case.state != "archived":
        return case.state
    return next(e.from_state for e in case.events if e.action == "archive")


# -- completeness and archiving ------------------------------------------------------

def missing(case: Case) -> list[str]:
    """What stops the archivist (Chinese, one line each); empty → complete."""
    out = []
    state = _finished_state(case)
    if state not in case_service.FINISHED:
        out.append(f"案件尚未办结（当前状态：{case_service.STATES[state]}）")
    if case.pending:
        out.append("有待法制审核的事项")
    if db.session.scalar(sa.select(Dispatch.id).where(Dispatch.visit_id == case.visit_id)) is None:
        out.append("缺少随机抽查通知书（任务未派发）")
    ref = followup.record_for_visit(case.visit_id, case.record_version,
                                    uuid=case.record_uuid) if case.record_version \
        else None
    if ref is None:
        out.append("缺少现场检查记录（尚未同步）")
    else:
        out += [f"证据文件未上传完整：{h}" for h in ref.missing]
    kinds = {d.kind for d in db.session.scalars(sa.select(CaseDocument).where(
        CaseDocument.case_id == case.id))}
    needs = {"inspection_record": "现场检查记录（文书）", "closing": "结案（销号）审批表"}
    order_kinds = followup.order_kinds(case)
    if "deadline" in order_kinds and state == "closed":
        needs["rectification_order"] = "责令限期整改指令书"
        needs["reinspection_opinion"] = "整改复查意见书"
    if "on_site_measures" in order_kinds and state == "closed":
        needs["onsite_measures"] = "现场处理措施决定书"
    out += [f"缺少{label}" for kind, label in needs.items() if kind not in kinds]
    result = db.session.scalar(sa.select(PublicationResult).where(
        PublicationResult.visit_id == case.visit_id))
    if result is None or result.status != "approved":
        out.append("检查结果尚未经法制审核公开")
    return out


def dossier_dir() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]) / "dossiers"


def _store_pdf(pdf: bytes) -> str:
    sha = hashlib.sha256(pdf).hexdigest()
    write_once(dossier_dir() / sha[:2] / f"{sha}.pdf", pdf)  # durable before the row
    return sha


def _manifest(files: dict[str, bytes]) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in sorted(files.items())}


def _version(case: Case, kind: str, actor: str, reason: str) -> DossierVersion:
    seq = db.session.scalar(sa.select(sa.func.max(CaseEvent.seq)).where(
        CaseEvent.case_id == case.id)) or 0
    built = assemble(case, upto_seq=seq)
    version = DossierVersion(case_id=case.id, version=case.dossier_version + 1, kind=kind,
                             created_by=actor, reason=reason, pdf_sha256=_store_pdf(built.pdf),
                             pages=built.pages, event_seq=seq, manifest=_manifest(built.files))
    db.session.add(version)
    case.dossier_version = version.version
    return version


def archive(case_id: int, actor: str, reason: str = "") -> Case:
    case = case_service.writable(case_service.get(case_id))
    gaps = missing(case)
    if gaps:
        raise FollowupError(409, "案卷不完整，不能归档：" + "；".join(gaps))
    try:
        seq, _ = documents.next_number("archive", case.closed_on.year)
        case.archive_no = f"{documents.bureau_abbr()}应急档〔{case.closed_on.year}〕{seq}号"
        case.archived_at, case.archived_by = utcnow(), actor
        case_service.log(case, "archive", actor, reason or f"归档，归档号{case.archive_no}",
                         to="archived", role="archivist")
        _version(case, "archive", actor, reason or "归档")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return case


def correct(case_id: int, actor: str, reason: str) -> DossierVersion:
    """A correction of an archived file: a new version; the old ones stay as they were."""
    case = case_service.get(case_id)
    if case.state != "archived":
        raise FollowupError(409, "只有已归档的案件才需要更正；未归档案件请直接办理")
    if not reason.strip():
        raise FollowupError(422, "更正须说明理由")
    try:
        latest = followup.record_for_visit(case.visit_id, uuid=case.record_uuid)
        if latest and case.record_version and latest.versions > case.record_version:
            case.record_version = latest.versions  # the amendment enters the new version
        documents.issue_correction(case, actor, reason, case.dossier_version + 1,
                                   case_service.today())
        nxt = case.dossier_version + 1
        case_service.log(case, "correct", actor, f"更正，生成第{nxt}版：{reason}",
                         role="archivist", data={"version": nxt})
        version = _version(case, "correction", actor, reason)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return version


def versions(case: Case) -> list[DossierVersion]:
    return list(db.session.scalars(sa.select(DossierVersion).where(
        DossierVersion.case_id == case.id).order_by(DossierVersion.version)))


# -- export ------------------------------------------------------------------

def files_for(case: Case) -> tuple[dict[str, bytes], dict[str, str]]:
    """The bag payload: live for an open case, the frozen version for an archived one."""
    if case.state != "archived":
        built = assemble(case)
        return built.files, built.metadata
    v = versions(case)[-1]
    built = assemble(case, upto_seq=v.event_seq)
    stored = (dossier_dir() / v.pdf_sha256[:2] / f"{v.pdf_sha256}.pdf").read_bytes()
    if hashlib.sha256(stored).hexdigest() != v.pdf_sha256:
        raise FollowupError(500, f"已归档案卷PDF被改动：{v.pdf_sha256}")
    built.files["dossier.pdf"] = stored
    drift = [k for k, sha in v.manifest.items()
             if k != "dossier.pdf" and _manifest({k: built.files.get(k, b"")})[k] != sha]
    drift += [k for k in built.files if k not in v.manifest]
    if drift:
        raise FollowupError(500, "已归档案卷的文件与存档清单不一致：" + "、".join(sorted(drift)))
    # The versions of one dossier form a group (RFC 8493: Bag-Group-Identifier);
    # each bag names its own version.
    group = built.metadata["External-Identifier"]
    return built.files, built.metadata | {"Bag-Group-Identifier": group,
                                          "External-Identifier": f"{group} 第{v.version}版"}


def pdf_of(case: Case) -> bytes:
    if case.state == "archived":
        v = versions(case)[-1]
        return (dossier_dir() / v.pdf_sha256[:2] / f"{v.pdf_sha256}.pdf").read_bytes()
    return assemble(case).pdf


def export(case_id: int, directory: str | os.PathLike[str]) -> Path:
    case = case_service.get(case_id)
    files, meta = files_for(case)
    return export_bag(directory, files, meta, bagging_date=bureau_today())


def verify(directory: str | os.PathLike[str]) -> tuple[bool, list[str]]:
    return _verify_bag(directory)
