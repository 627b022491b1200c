"""Input shapes of a 一案一卷 dossier, and the legal order of its documents."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from server.documents.data import coerce


@dataclass
class CaseData:
    """What the cover (案卷封面) shows."""

    case_name: str  # 案件名称
    cause: str  # 案由
    result: str  # 处理结果
    opened_on: date  # 立案日期
    closed_on: date | None  # 结案日期 (None while open)
    handlers: list[str]  # 承办人
    archive_no: str  # 归档号
    retention: str  # 保存期限: 永久 / 长期 / 30年 / 10年 …
    bureau_name: str = ""
    enterprise_name: str = ""


@dataclass
class DossierDocument:
    """One document of the case as PDF bytes, with its 卷内目录 row."""

    title: str  # 文件名称
    number: str  # 文号 ("" when it has none)
    date: date
    pdf: bytes
    note: str = ""  # 备注
    kind: str | None = None  # one of KIND_RANK; inferred from the title if None


@dataclass
class EvidencePhoto:
    caption: str
    jpeg: bytes  # the image to show (usually the annotated copy)
    sha256: str  # SHA-256 of the untouched original, 64 hex digits
    extra: dict[str, Any] = field(default_factory=dict)


# The legal order of a case file: the draw, the notice, the record, the
# orders, the evidence, the re-inspection, anything else, then closing.
KIND_RANK: dict[str, int] = {
    "draw_record": 10,
    "notice": 20,
    "inspection_record": 30,
    "order": 40,
    "evidence": 50,
    "reinspection": 60,
    "other": 70,
    "closing": 80,
}

# Checked in this order; the first match wins.
_TITLE_RULES: tuple[tuple[str, str], ...] = (
    ("closing", r"结案|销号|归档|备考表"),
    ("reinspection", r"复查"),
    ("draw_record", r"抽取|摇号|抽签|选派"),
    ("notice", r"通知|告知"),
    ("inspection_record", r"检查记录|检查表"),
    ("order", r"指令书|决定书|责令|处罚|移送"),
    ("evidence", r"照片|证据|询问笔录|勘验"),
)

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def infer_kind(title: str) -> str:
    """The kind of a document from its title (``other`` when nothing matches)."""
    for kind, pattern in _TITLE_RULES:
        if re.search(pattern, title):
            return kind
    return "other"


def as_document(item: DossierDocument | Sequence[Any] | Mapping[str, Any]) -> DossierDocument:
    """Accept a DossierDocument, a dict, or a ``(title, number, date, pdf, note)`` tuple."""
    if isinstance(item, DossierDocument):
        doc = item
    elif isinstance(item, Mapping):
        doc = coerce(DossierDocument, item)
    else:
        title, number, day, pdf, note = item
        doc = DossierDocument(str(title), str(number or ""), day, bytes(pdf), str(note or ""))
    if isinstance(doc.date, str):
        doc.date = date.fromisoformat(doc.date)
    if doc.kind is None:
        doc.kind = infer_kind(doc.title)
    if doc.kind not in KIND_RANK:
        raise ValueError(f"未知的文书类别：{doc.kind}（可选：{'、'.join(KIND_RANK)}）")
    if not doc.pdf.startswith(b"%PDF"):
        raise ValueError(f"“{doc.title}”不是 PDF 文件")
    return doc


def as_photo(item: EvidencePhoto | Sequence[Any] | Mapping[str, Any]) -> EvidencePhoto:
    """Accept an EvidencePhoto, a dict, or a ``(caption, jpeg_bytes, sha256)`` tuple."""
    if isinstance(item, EvidencePhoto):
        photo = item
    elif isinstance(item, Mapping):
        photo = coerce(EvidencePhoto, item)
    else:
        caption, jpeg, sha = item
        photo = EvidencePhoto(str(caption), bytes(jpeg), str(sha))
    if not _SHA256.fullmatch(photo.sha256):
        raise ValueError(f"照片“{photo.caption}”的原件 SHA-256 格式不正确：{photo.sha256}")
    photo.sha256 = photo.sha256.lower()
    return photo


def legal_order(documents: Sequence[DossierDocument]) -> list[DossierDocument]:
    """Documents sorted by kind, then date; ties keep the given order."""
    indexed = list(enumerate(documents))
    indexed.sort(key=lambda p: (KIND_RANK[p[1].kind or "other"], p[1].date, p[0]))
    return [d for _, d in indexed]
