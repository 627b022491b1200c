"""一企一档: one enterprise's whole history across years and cases.

Viewable in the console and exported like a case dossier: one paginated PDF
(cover, 卷内目录, an overview page, then every case's documents in date
order) plus a BagIt package with each case's documents and record JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from reportlab.platypus import Spacer

from ..documents.layout import CONTENT_W, build_pdf, fields, grid, header
from ..dossier import CaseData, DossierDocument, build_dossier, export_bag
from ..extensions import db
from ..models import Enterprise
from ..models.case import Case, CaseHazard
from ..models.document import CaseDocument
from . import case_documents as documents
from . import cases as case_service
from . import credit, draw_documents, followup
from .deadlines import bureau_today
from .followup import FollowupError


@dataclass
class EnterpriseFile:
    pdf: bytes
    files: dict[str, bytes]
    metadata: dict[str, str]


def _enterprise(uscc: str) -> Enterprise:
    ent = db.session.scalar(sa.select(Enterprise).where(Enterprise.uscc == uscc))
    if ent is None:
        raise FollowupError(404, f"未找到统一社会信用代码为{uscc}的单位")
    return ent


def history(ent: Enterprise) -> list[Case]:
    return list(db.session.scalars(sa.select(Case).where(Case.enterprise_id == ent.id)
                                   .order_by(Case.opened_on, Case.id)))


def last_inspected(ent: Enterprise, cases: Iterable[Case]) -> date | None:
    """上次检查 as the history below it shows it: the latest of the registry's date
    (imported with the enterprise, moved when a record arrives) and the cases'
    inspection days – a file stored before records moved the registry date
    must not say 无 above an inspection it lists."""
    days = [d for d in (ent.last_inspected, *(c.inspected_on for c in cases)) if d]
    return max(days, default=None)


def view(uscc: str) -> dict[str, Any]:
    """What the console shows (and the tablet's package could show as history)."""
    ent = _enterprise(uscc)
    cases = history(ent)
    return {
        "enterprise": ent, "credit": credit.credit_of(ent.id),
        "last_inspected": last_inspected(ent, cases),
        "cases": [{**case_service.summary(c),
                   "hazards": [{"description": h.description, "level": h.level,
                                "status": h.status, "deadline": h.deadline} for h in c.hazards]}
                  for c in cases],
        "open_hazards": [{"case_no": c.case_no, "description": h.description,
                          "deadline": h.deadline} for c in cases for h in c.hazards
                         if h.status == "open"],
    }


def _overview(ent: Enterprise, cases: list[Case]) -> bytes:
    c = credit.credit_of(ent.id)
    last = last_inspected(ent, cases)
    story = header(documents.bureau_name(), "企业基本情况及检查历史", ent.uscc)
    story.append(fields([
        ("单位名称", ent.name), ("统一社会信用代码", ent.uscc), ("地址", ent.address or ""),
        ("法定代表人", ent.legal_rep or ""),
        ("上次检查日期", last.isoformat() if last else "无"),
        ("重大事故隐患", "有（未销号）" if ent.major_hazard else "无"),
        ("黑名单", "是" if ent.blacklisted else "否"),
        ("已办结案件", f"{c['cases_closed']}件，发现问题{c['findings']}项"
                      f"（重大{c['major_findings']}项），立案处罚{c['penalty_cases']}件"),
    ]))
    story.append(Spacer(1, 8))
    w = CONTENT_W
    rows: list[list[Any]] = [["案件编号", "检查日期", "发现问题", "状态", "归档号"]]
    for case in cases:
        rows.append([case.case_no or "", case.inspected_on.isoformat() if case.inspected_on else "",
                     str(case.findings), case_service.STATES[case.state], case.archive_no or ""])
    story.append(grid(rows, [0.2 * w, 0.18 * w, 0.14 * w, 0.2 * w, 0.28 * w], header_row=True))
    return build_pdf(story, title="企业基本情况及检查历史", footer_label=ent.uscc)


def build(uscc: str) -> EnterpriseFile:
    ent = _enterprise(uscc)
    cases = history(ent)
    first = cases[0].opened_on if cases else bureau_today()
    docs = [DossierDocument("企业基本情况及检查历史", "", first, _overview(ent, cases),
                            kind="draw_record")]
    files: dict[str, bytes] = {}
    for case in cases:
        issued = list(db.session.scalars(sa.select(CaseDocument).where(
            CaseDocument.case_id == case.id).order_by(CaseDocument.id)))
        notice = draw_documents.render_notice(case)
        parts = [("随机抽查通知书", notice[0], notice[1], notice[2])] if notice else []
        parts += [(d.title, d.number, d.issued_on, d.pdf) for d in issued]
        for i, (title, number, day, pdf) in enumerate(parts, 1):
            # "other" for all: one enterprise's file reads in date order, case after case.
            docs.append(DossierDocument(f"{case.case_no} {title}", number, day, pdf,
                                        kind="other"))
            files[f"cases/{case.case_no}/{i:02d}.pdf"] = pdf
        if case.record_version:
            ref = followup.record_for_visit(case.visit_id, case.record_version,
                                            uuid=case.record_uuid)
            if ref is not None:
                files[f"cases/{case.case_no}/record-v{ref.version}.json"] = ref.body
    data = CaseData(case_name=f"{ent.name}（一企一档）", cause="企业安全生产监督检查档案",
                    result=f"共{len(cases)}件案件", opened_on=first,
                    closed_on=None, handlers=sorted({h for c in cases for h in c.handlers}),
                    archive_no=f"一企一档 {ent.uscc}", retention="永久",
                    bureau_name=documents.bureau_name(), enterprise_name=ent.name)
    volume = build_dossier(data, docs)
    info = view(uscc)
    summary = {"enterprise": {"uscc": ent.uscc, "name": ent.name}, "credit": info["credit"],
               "cases": [{k: v for k, v in c.items() if k != "pending_review"}
                         for c in info["cases"]]}
    files["enterprise-file.pdf"] = volume.pdf
    files["enterprise.json"] = json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=1,
                                          default=str).encode()
    meta = {"Source-Organization": documents.bureau_name(),
            "External-Identifier": f"一企一档 {ent.uscc}",
            "External-Description": f"一企一档：{ent.name}"}
    return EnterpriseFile(volume.pdf, files, meta)


def export(uscc: str, directory: str | os.PathLike[str]) -> Path:
    built = build(uscc)
    return export_bag(directory, built.files, built.metadata, bagging_date=bureau_today())


def package_history(enterprise_id: int) -> dict[str, list]:
    """The ``history`` of a tablet's task package (docs/sync.md §2), from the cases:
    previous results and the hazards still open."""
    return package_histories([enterprise_id])[enterprise_id]


def package_histories(enterprise_ids: Iterable[int]) -> dict[int, dict[str, list]]:
    """:func:`package_history` of many enterprises in two queries (whatever their number,
    up to a few thousand): what ``sync/pull`` needs to build a full pull's packages."""
    ids = sorted(set(enterprise_ids))
    out: dict[int, dict[str, list]] = {
        i: {"previous_results": [], "open_hazards": []} for i in ids}
    cases: list[sa.Row] = []
    for chunk in _chunks(ids):
        cases += db.session.execute(
            sa.select(Case.id, Case.enterprise_id, Case.inspected_on, Case.outcome)
            .where(Case.enterprise_id.in_(chunk), Case.inspected_on.is_not(None))).all()
    if not cases:
        return out
    hazards: dict[int, list[dict[str, Any]]] = {}
    for chunk in _chunks([c.id for c in cases]):
        for h in db.session.execute(
                sa.select(CaseHazard.case_id, CaseHazard.description, CaseHazard.deadline,
                          CaseHazard.item_code, CaseHazard.level, CaseHazard.location,
                          CaseHazard.orders, CaseHazard.hazard_uuid)
                .where(CaseHazard.case_id.in_(chunk), CaseHazard.status == "open")
                .order_by(CaseHazard.id)):
            # what a 复查 checks on site: which item, how serious, what was ordered
            hazards.setdefault(h.case_id, []).append(
                {"description": h.description,
                 "deadline": h.deadline.isoformat() if h.deadline else None,
                 "item_code": h.item_code, "level": h.level, "location": h.location,
                 "orders": h.orders or [], "uuid": h.hazard_uuid})
    photos = _hazard_photos(list(hazards))
    for found in hazards.values():
        for h in found:  # …and the photos taken of it then (upload copies, by hash)
            h["photos"] = photos.get(h.pop("uuid"), [])
    # Newest case first, each case's open hazards in the order they were found.
    cases.sort(key=lambda c: (c.inspected_on, -c.id), reverse=True)
    for c in cases:
        history = out[c.enterprise_id]
        if c.outcome:
            history["previous_results"].append({"date": c.inspected_on.isoformat(),
                                                "outcome": c.outcome})
        history["open_hazards"] += hazards.get(c.id, [])
    return out


def _hazard_photos(case_ids: list[int]) -> dict[str, list[str]]:
    """Per hazard uuid, the photo copies its record placed on it, from the record
    version each case was built from (one query per 1000 cases)."""
    from ..models.sync import SyncRecordVersion

    out: dict[str, list[str]] = {}
    for chunk in _chunks(case_ids):
        refs = db.session.execute(sa.select(Case.record_uuid, Case.record_version).where(
            Case.id.in_(chunk), Case.record_uuid.is_not(None))).all()
        for uuid, version in refs:
            query = sa.select(SyncRecordVersion.body).where(SyncRecordVersion.uuid == uuid)
            if version is not None:
                query = query.where(SyncRecordVersion.version == version)
            body = db.session.scalar(query.order_by(SyncRecordVersion.version.desc()).limit(1))
            if body is None:
                continue
            for a in json.loads(body).get("attachments", []):
                if a.get("hazard_id") and a.get("kind") == "photo":
                    out.setdefault(a["hazard_id"], []).append(a["sha256"])
    return out


def _chunks(ids: list[int], size: int = 1000) -> Iterator[list[int]]:
    """Bound each ``IN`` list (SQLite and psycopg cap the parameters of one statement)."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
