"""A case's enforcement documents: 文号 from the database, PDFs from server.documents.

The renderers are pure; this module fills their data from the case, its
visit's team and the synced record (signature images come from the evidence
store), takes a 文号 from ``DocumentSequence`` in the same transaction as the
document row, and stores the PDF. The draw record and the closing form are
two small documents the 2016 式样 has no renderer for; they are laid out here
with the same page furniture.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime
from io import BytesIO
from typing import Any

import sqlalchemy as sa
from flask import current_app
from PIL import Image
from pypdf import PdfReader
from reportlab.platypus import Spacer
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shared.enums import HazardLevel, ItemResult, OrderKind
from shared.orders import describe_orders

from .. import documents as docs
from ..documents.layout import CONTENT_W, build_pdf, fields, grid, header, para
from ..extensions import db
from ..localtime import local_date, local_time, to_local
from ..models import CheckItem, Inspector, ItemListVersion
from ..models.case import Case, CaseHazard, Reinspection
from ..models.document import CaseDocument, DocumentSequence
from .accounts import person_name
from .followup import FollowupError, evidence_path

REVIEW_AUTHORITY = "本级人民政府"
COURT = "本辖区人民法院"
TITLES = {**docs.KIND_TITLE, "draw_record": "随机抽取记录", "closing": "结案（销号）审批表",
          "correction": "案卷更正说明"}


def bureau_abbr() -> str:
    return current_app.config.get("BUREAU_ABBR", "示")


def bureau_name() -> str:
    return current_app.config.get("BUREAU_NAME", "示范县应急管理局")


def next_number(kind: str, year: int) -> tuple[int, str]:
    """Take the next 文号 of ``kind`` in ``year`` inside the caller's transaction."""
    bureau = bureau_abbr()
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(DocumentSequence).values(bureau=bureau, kind=kind, year=year, last=0)
                       .on_conflict_do_nothing(index_elements=["bureau", "kind", "year"]))
    seq = db.session.execute(
        sa.update(DocumentSequence)
        .where(DocumentSequence.bureau == bureau, DocumentSequence.kind == kind,
               DocumentSequence.year == year)
        .values(last=DocumentSequence.last + 1).returning(DocumentSequence.last)
        .execution_options(synchronize_session=False)).scalar_one()
    number = docs.document_number(bureau, kind, year, seq) if kind in docs.KIND_ABBR else ""
    return seq, number


def _pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


# Orders whose 文号 must follow their dates: a later number never bears an earlier
# date (the register of 指令书 is read in number order, and a back-dated order
# is what an audit looks for first).
IN_STEP = ("rectification_order", "onsite_measures")


def _in_step(kind: str, issued_on: date, seq: int) -> None:
    """Refuse a number whose predecessor is dated later. Checked after taking the
    number: the sequence row is then held by this transaction, so the order
    numbered before is committed and visible (no race between the two)."""
    before = db.session.scalar(sa.select(CaseDocument).where(
        CaseDocument.bureau == bureau_abbr(), CaseDocument.kind == kind,
        CaseDocument.year == issued_on.year, CaseDocument.seq == seq - 1))
    if before is not None and before.issued_on > issued_on:
        raise FollowupError(409, f"{TITLES[kind]}的日期{issued_on}早于上一号{before.number}的"
                                 f"日期{before.issued_on}：文号须与日期先后一致，未下达。"
                                 f"请填写不早于{before.issued_on}的下达日期")


def store(case: Case, kind: str, issued_on: date, actor: str, render, *, numbered: bool = True,
          ref: int = 0) -> CaseDocument:
    """Number (if ``numbered``), render ``render(number)`` and store one document."""
    seq, number = next_number(kind, issued_on.year) if numbered else (None, "")
    if seq is not None and kind in IN_STEP:
        _in_step(kind, issued_on, seq)
    pdf = render(number)
    doc = CaseDocument(case_id=case.id, kind=kind, title=TITLES[kind], bureau=bureau_abbr(),
                       year=issued_on.year, seq=seq, number=number, issued_on=issued_on, ref=ref,
                       sha256=hashlib.sha256(pdf).hexdigest(), pages=_pages(pdf), pdf=pdf,
                       created_by=actor)
    db.session.add(doc)
    db.session.flush()
    return doc


def documents_of(case: Case, kind: str | None = None) -> list[CaseDocument]:
    query = sa.select(CaseDocument).where(CaseDocument.case_id == case.id)
    if kind:
        query = query.where(CaseDocument.kind == kind)
    return list(db.session.scalars(query.order_by(CaseDocument.id)))


# -- data from the case ---------------------------------------------------------

def officers(case: Case) -> list[docs.Officer]:
    return [docs.Officer(m.inspector.name, m.inspector.cert_no) for m in case.visit.members]


def item_names(version: int | None, codes: list[str]) -> list[str]:
    """The items by name (the 告知书 and records are read by the enterprise)."""
    found = _items(version, codes)
    return [found[c].name if c in found else c for c in codes]


def _items(version: int | None, codes: list[str]) -> dict[str, CheckItem]:
    if version is None or not codes:
        return {}
    return {i.code: i for i in db.session.scalars(
        sa.select(CheckItem).join(ItemListVersion).where(
            ItemListVersion.number == version, CheckItem.code.in_(list(codes))))}


def notice_items(version: int | None, codes: list[str]) -> dict[str, list[str]]:
    """随机抽查通知书: each item by name with what will be checked, and what the
    enterprise must have ready (秦皇岛: 告知书写明检查事项、内容和需准备的材料)."""
    found = _items(version, codes)
    items, materials = [], ["营业执照、安全生产许可证等证照（原件备查）"]
    for code in codes:
        item = found.get(code)
        if item is None:
            items.append(code)
            continue
        name = item.name + (f"（{item.sub_item}）" if item.sub_item else "")
        items.append(f"{name}：{item.content}" if item.content else name)
        if {"documents", "written"} & set(item.methods or []):
            materials.append(f"与“{item.name}”有关的制度、台账、记录和证明材料")
    materials.append("安全生产责任制、安全管理制度和近一年隐患排查治理记录")
    return {"items": items, "materials": list(dict.fromkeys(materials))}


def enterprise(case: Case) -> docs.Enterprise:
    e = case.enterprise
    return docs.Enterprise(name=e.name, uscc=e.uscc, address=e.address or "",
                           legal_rep=e.legal_rep or "", contact=e.contact or "",
                           phone=e.phone or "")


# A signature line is a few centimetres wide: nothing larger is ever drawn.
SIGNATURE_BOX = (1200, 600)
_SIGNATURE_CACHE: dict[str, bytes] = {}
_SIGNATURE_CACHE_MAX = 512


def signature_png(sha256: str) -> bytes | None:
    """The signature image as a small PNG, decoded once per file (bounded work:
    a JPEG is decoded at reduced scale, anything larger is shrunk to the box)."""
    cached = _SIGNATURE_CACHE.get(sha256)
    if cached is not None:
        return cached
    path = evidence_path(sha256)
    if not path.is_file():
        return None
    try:
        with Image.open(path, formats=["PNG", "JPEG"]) as im:
            im.draft("RGB", SIGNATURE_BOX)
            im.thumbnail(SIGNATURE_BOX)
            out = BytesIO()
            im.save(out, "PNG")
    except Exception:  # noqa: BLE001 – an unreadable image signs as a blank line
        return None
    if len(_SIGNATURE_CACHE) >= _SIGNATURE_CACHE_MAX:
        _SIGNATURE_CACHE.pop(next(iter(_SIGNATURE_CACHE)))
    _SIGNATURE_CACHE[sha256] = out.getvalue()
    return _SIGNATURE_CACHE[sha256]


def prepare(record: dict[str, Any]) -> None:
    """Decode the record's signatures now, before the caller's first write, so the
    database write that issues the documents is not held open by image work."""
    for s in record.get("signatures", []):
        signature_png(s["sha256"])


def signatures(record: dict[str, Any]) -> list[docs.Signature]:
    """Signature lines; an 执法人员's name is the registry's for his certificate
    (the sync service checked that he is on the visit's team), not the record's."""
    certs = [s["cert_no"] for s in record.get("signatures", []) if s.get("cert_no")]
    names = dict(db.session.execute(sa.select(Inspector.cert_no, Inspector.name).where(
        Inspector.cert_no.in_(certs))).all()) if certs else {}
    out = []
    for s in record.get("signatures", []):
        role = "执法人员" if s["role"] == "inspector" else "被检查单位负责人"
        name = names.get(s.get("cert_no"), s["name"]) if s["role"] == "inspector" else s["name"]
        out.append(docs.Signature(role=role, name=name, image_png=signature_png(
            s["sha256"]), signed_on=local_date(s["signed_at"])))
    return out


def _item_rows(case: Case, record: dict[str, Any]) -> list[docs.CheckItem]:
    version = case.visit.item_version
    rows = {i.code: i for i in db.session.scalars(
        sa.select(CheckItem).join(ItemListVersion).where(
            ItemListVersion.number == version,
            CheckItem.code.in_([r["code"] for r in record["items"]])))} if version else {}
    out = []
    for r in record["items"]:
        item = rows.get(r["code"])
        name = r["code"]
        if item is not None:  # as the tablet showed it to the enterprise: name—sub-item
            name = item.name + (f"—{item.sub_item}" if item.sub_item else "")
        out.append(docs.CheckItem(name=name,
                                  result=ItemResult(r["result"]).label, note=r.get("note", ""),
                                  basis=item.legal_basis if item else ""))
    return out


def _hazard(h: CaseHazard) -> docs.Hazard:
    # The orders in the tablet's words (shared.orders): the enterprise signed this text.
    return docs.Hazard(description=h.description, location=h.location,
                       level=HazardLevel(h.level).label, legal_basis=h.legal_basis,
                       measure=describe_orders(h.orders))


# -- the documents ------------------------------------------------------------

def issue_inspection_record(case: Case, record: dict[str, Any], actor: str) -> CaseDocument:
    started = local_date(record["started_at"])

    def render(number: str) -> bytes:
        return docs.render_inspection_record(docs.InspectionRecordData(
            bureau_name=bureau_name(), number=number, issued_on=started,
            enterprise=enterprise(case), officers=officers(case),
            signatures=signatures(record), place=case.enterprise.address or case.enterprise.name,
            started_at=_naive(record["started_at"]), ended_at=_naive(record["finished_at"]),
            items=_item_rows(case, record), hazards=[_hazard(h) for h in case.hazards],
            experts=list(case.visit.expert_names or [])))

    return store(case, "inspection_record", started, actor, render)


def issue_orders(case: Case, record: dict[str, Any], actor: str, today: date,
                 issued_on: date | None = None) -> list[CaseDocument]:
    """One 责令限期整改指令书 per deadline, one 现场处理措施决定书 for all measures,
    dated ``issued_on`` (the inspection day unless the office gives a later one)."""
    inspected = case.inspected_on or today
    on = issued_on or inspected
    record_no = next((d.number for d in documents_of(case, "inspection_record")), "")
    by_deadline: dict[date, list[CaseHazard]] = defaultdict(list)
    measures: list[tuple[CaseHazard, str]] = []
    for h in case.hazards:
        for o in h.orders:
            if o["kind"] == OrderKind.DEADLINE and o.get("deadline"):
                by_deadline[date.fromisoformat(o["deadline"])].append(h)
            elif o["kind"] == OrderKind.ON_SITE_MEASURES:
                measures.append((h, o.get("measures", "")))
    past = [d for d in by_deadline if d < on]
    if past:  # an order cannot give less than no time at all
        raise FollowupError(422, f"整改期限{min(past)}早于下达日期{on}，未下达；"
                                 "请核对下达日期（整改期限以现场检查记录为准）")
    sigs = [s for s in signatures(record) if s.role == "执法人员"]
    issued = []
    for deadline in sorted(by_deadline):
        hazards = by_deadline[deadline]
        issued.append(store(case, "rectification_order", on, actor, lambda n, hz=hazards,
                            dl=deadline: docs.render_rectification_order(
                                docs.RectificationOrderData(
                                    bureau_name=bureau_name(), number=n, issued_on=on,
                                    enterprise=enterprise(case), officers=officers(case),
                                    signatures=sigs, inspected_on=inspected,
                                    hazards=[_hazard(h) for h in hz], deadline=dl,
                                    review_authority=REVIEW_AUTHORITY, court=COURT,
                                    record_number=record_no))))
    if measures:
        text_ = "；".join(dict.fromkeys(m for _, m in measures if m))
        hz = list(dict.fromkeys(h for h, _ in measures))
        issued.append(store(case, "onsite_measures", on, actor, lambda n: (
            docs.render_onsite_measures(docs.OnsiteMeasuresData(
                bureau_name=bureau_name(), number=n, issued_on=on,
                enterprise=enterprise(case), officers=officers(case), signatures=sigs,
                inspected_on=inspected, hazards=[_hazard(h) for h in hz], measures=text_,
                review_authority=REVIEW_AUTHORITY, court=COURT)))))
    return issued


def issue_reinspection_opinion(case: Case, re: Reinspection, record: dict[str, Any],
                               results: list[tuple[CaseHazard, bool, str]],
                               actor: str) -> CaseDocument:
    order = next(iter(documents_of(case, "rectification_order")), None)
    day = local_date(record["finished_at"])
    team = [docs.Officer(m.inspector.name, m.inspector.cert_no) for m in re.visit.members]

    def render(number: str) -> bytes:
        return docs.render_reinspection_opinion(docs.ReinspectionOpinionData(
            bureau_name=bureau_name(), number=number, issued_on=day,
            enterprise=enterprise(case), officers=team, signatures=signatures(record),
            order_number=order.number if order else "（现场检查记录）",
            order_date=order.issued_on if order else (case.inspected_on or day),
            reinspected_on=day,
            results=[docs.ReinspectionResult(h.description, ok, note) for h, ok, note in results]))

    return store(case, "reinspection_opinion", day, actor, render, ref=re.seq)


def issue_closing(case: Case, actor: str, reason: str, today: date,
                  review: dict[str, Any] | None) -> CaseDocument:
    def render(_number: str) -> bytes:
        story = header(bureau_name(), TITLES["closing"], case.case_no or "")
        rows = [("案件编号", case.case_no or ""), ("被检查单位", case.enterprise.name),
                ("检查日期", case.inspected_on.isoformat() if case.inspected_on else ""),
                ("发现问题", f"{case.findings}项（其中重大事故隐患{case.major_findings}项）"),
                ("处理结果", reason), ("办结日期", today.isoformat()),
                ("承办人", person_name(actor))]
        if review:
            when = local_time(review["at"])[:10]
            rows.append(("法制审核", f"{person_name(review['by'])}于{when}审核通过："
                                     f"{review.get('note') or '同意'}"))
        story.append(fields(rows))
        w = CONTENT_W
        table = [["序号", "问题（隐患）", "处理情况"]] + [
            [str(i), h.description, {"rectified": "已整改销号", "fixed_on_site": "当场整改",
                                     "escalated": "已转处罚/移送"}.get(h.status, "未整改")]
            for i, h in enumerate(case.hazards, 1)]
        if case.hazards:
            story.append(Spacer(1, 6))
            story.append(grid(table, [0.1 * w, 0.6 * w, 0.3 * w], header_row=True))
        return build_pdf(story, title=TITLES["closing"], footer_label=case.case_no or "")

    return store(case, "closing", today, actor, render, numbered=False)


def issue_correction(case: Case, actor: str, reason: str, version: int,
                     today: date) -> CaseDocument:
    def render(_number: str) -> bytes:
        story = header(bureau_name(), TITLES["correction"], f"{case.archive_no} 第{version}版")
        story.append(fields([("案件编号", case.case_no or ""), ("归档号", case.archive_no or ""),
                             ("更正日期", today.isoformat()), ("更正人", person_name(actor)),
                             ("更正理由", reason)]))
        story.append(para("本说明附于案卷新版本之后；原版本保持不变，可在归档记录中查阅。"))
        return build_pdf(story, title=TITLES["correction"], footer_label=case.archive_no or "")

    return store(case, "correction", today, actor, render, numbered=False, ref=version)


def _naive(value: str) -> datetime:
    """A record's timestamp as the bureau's wall-clock time (what the form prints)."""
    return to_local(datetime.fromisoformat(value)).replace(tzinfo=None)

