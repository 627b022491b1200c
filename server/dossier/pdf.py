"""一案一卷: one inspection case as one paginated PDF.

Layout of the volume:

* 案卷封面 (cover) and 卷内目录 (table of contents) – unnumbered, as archival
  practice has it;
* the body: the case's documents in legal order, with the evidence photos
  (two a page, each with its caption and the SHA-256 of the untouched
  original) between the orders and the re-inspection.  Every body page is
  stamped "页号：n" in its top-right corner, counting from 1, and the 卷内目录
  gives the page each document starts on.

Two passes: the body parts are rendered (or taken as given) first and their
pages counted; only then is the table of contents written, so its page
numbers are the real ones.  pypdf joins the parts and stamps the numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, PageBreak, Spacer

from server.documents.archival import make_archival
from server.documents.data import coerce
from server.documents.fonts import register_cjk_font
from server.documents.layout import CONTENT_W, MARGIN_X, a4_document, cn_date, grid, para, text
from server.dossier.model import (
    KIND_RANK,
    CaseData,
    DossierDocument,
    EvidencePhoto,
    as_document,
    as_photo,
    legal_order,
)

__all__ = ["Dossier", "TocEntry", "build_dossier", "build_dossier_pdf"]

PHOTOS_PER_PAGE = 2
PHOTO_SECTION_TITLE = "现场照片证据"
PAGE_LABEL = "页号："


@dataclass(frozen=True)
class TocEntry:
    """One row of the 卷内目录."""

    seq: int
    title: str
    number: str
    date: date | None
    first_page: int  # body page number, 1-based
    last_page: int
    note: str


@dataclass(frozen=True)
class Dossier:
    pdf: bytes
    toc: list[TocEntry]
    front_pages: int  # cover + 卷内目录, unnumbered
    body_pages: int


class _PassThroughImage(ImageReader):
    """An image reportlab embeds without decoding it when it is a JPEG.

    reportlab copies a JPEG's bytes into the PDF as they are (DCTDecode), but
    first decodes every pixel only to name the image by their digest; a digest
    of the file does that job at a fraction of the cost.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(BytesIO(data))
        self._file_digest = hashlib.sha256(data).digest()

    def getRGBData(self) -> bytes:  # noqa: N802 - reportlab's name
        if self.jpeg_fh() is not None:
            self._dataA = None  # a JPEG has no alpha channel
            return self._file_digest
        return super().getRGBData()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Embed image bytes raw rather than ASCII85 (+25 % size, slow in pure Python)."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def _photo_pages(photos: Sequence[EvidencePhoto]) -> bytes:
    """The evidence section, drawn directly on the canvas (JPEGs pass through)."""
    with _binary_streams():
        return _draw_photo_pages(photos)


def _draw_photo_pages(photos: Sequence[EvidencePhoto]) -> bytes:
    font = register_cjk_font()
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName=font)
    c.setTitle(PHOTO_SECTION_TITLE)
    page_w, page_h = A4
    box_w = page_w - 2 * MARGIN_X
    slot_h = (page_h - 40 * mm) / PHOTOS_PER_PAGE
    box_h = slot_h - 24 * mm
    total = len(photos)
    for start in range(0, total, PHOTOS_PER_PAGE):
        c.setFont(font, 16)
        heading = PHOTO_SECTION_TITLE if start == 0 else f"{PHOTO_SECTION_TITLE}（续）"
        c.drawCentredString(page_w / 2, page_h - 20 * mm, heading)
        for slot, photo in enumerate(photos[start : start + PHOTOS_PER_PAGE]):
            top = page_h - 28 * mm - slot * slot_h
            reader = _PassThroughImage(photo.jpeg)
            iw, ih = reader.getSize()
            scale = min(box_w / iw, box_h / ih)
            w, h = iw * scale, ih * scale
            c.drawImage(reader, (page_w - w) / 2, top - h, w, h)
            c.setFont(font, 10.5)
            y = top - h - 6 * mm
            caption = f"照片{start + slot + 1}/{total}：{photo.caption}"
            for line in simpleSplit(caption, font, 10.5, box_w)[:2]:
                c.drawString(MARGIN_X, y, line)
                y -= 5 * mm
            c.setFont(font, 8)
            c.drawString(MARGIN_X, y, f"原件 SHA-256：{photo.sha256}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _stamps(sizes: Sequence[tuple[float, float]], first: int) -> bytes:
    """One overlay page per body page, carrying only its page number."""
    font = register_cjk_font()
    buf = BytesIO()
    c = canvas.Canvas(buf, invariant=1, initialFontName=font)
    for i, (w, h) in enumerate(sizes):
        c.setPageSize((w, h))
        c.setFont(font, 11)
        c.drawRightString(w - 12 * mm, h - 12 * mm, f"{PAGE_LABEL}{first + i}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _cover(case: CaseData, body_pages: int, photo_count: int) -> list[Flowable]:
    w = CONTENT_W
    closed = cn_date(case.closed_on) if case.closed_on else "（未结案）"
    rows = [
        ["案件名称", case.case_name],
        ["案由", case.cause],
        ["被检查单位", case.enterprise_name],
        ["处理结果", case.result],
        ["立案日期", cn_date(case.opened_on)],
        ["结案日期", closed],
        ["承办人", "、".join(case.handlers)],
        ["归档号", case.archive_no],
        ["保存期限", case.retention],
        ["本卷页数", f"共 {body_pages} 页（其中照片 {photo_count} 张）"],
    ]
    rows = [r for r in rows if r[0] != "被检查单位" or case.enterprise_name]
    story: list[Flowable] = [Spacer(1, 20 * mm)]
    if case.bureau_name:
        story.append(para(text(case.bureau_name), "bureau"))
    story += [para("行政执法案卷", "title"), para("（一案一卷）", "center"), Spacer(1, 16 * mm)]
    table = grid(rows, [0.22 * w, 0.78 * w])
    table.setStyle([("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 9)])
    story.append(table)
    return story


def _toc(entries: Sequence[TocEntry]) -> list[Flowable]:
    w = CONTENT_W
    rows: list[list[Any]] = [["序号", "文件名称及编号", "日期", "页号", "备注"]]
    for e in entries:
        name = text(e.title) + (f"<br/>{text(e.number)}" if e.number else "")
        pages = (
            str(e.first_page) if e.first_page == e.last_page else (f"{e.first_page}-{e.last_page}")
        )
        day = e.date.isoformat() if e.date else ""
        rows.append([str(e.seq), para(name, "cell"), day, pages, e.note])
    table = grid(rows, [0.08 * w, 0.44 * w, 0.16 * w, 0.10 * w, 0.22 * w], header_row=True)
    # Top-aligned, so every cell of a row starts on the same line.
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    return [para("卷内目录", "title"), Spacer(1, 6 * mm), table]


def _front(case: CaseData, toc: Sequence[TocEntry], body_pages: int, photos: int) -> bytes:
    buf = BytesIO()
    doc = a4_document(buf, case.case_name, top=22 * mm, bottom=22 * mm,
                      initialFontName=register_cjk_font())
    doc.build([*_cover(case, body_pages, photos), PageBreak(), *_toc(toc)])
    return buf.getvalue()


def build_dossier(
    case_data: CaseData | Mapping[str, Any],
    documents: Sequence[DossierDocument | Sequence[Any] | Mapping[str, Any]],
    photos: Sequence[EvidencePhoto | Sequence[Any] | Mapping[str, Any]] = (),
    created: datetime | None = None,
) -> Dossier:
    """Assemble the dossier; see the module docstring for the layout.

    ``documents``: ``(title, number, date, pdf_bytes, note)`` tuples or
    ``DossierDocument``; they are put into legal order by kind (inferred from
    the title unless given), then date.  ``photos``: ``(caption, jpeg_bytes,
    sha256_of_original)`` tuples or ``EvidencePhoto``, kept in the given order.
    The result is PDF/A-2b, created ``created`` (now if not given).
    """
    case = coerce(CaseData, case_data)
    docs = legal_order([as_document(d) for d in documents])
    pics = [as_photo(p) for p in photos]

    # Pass 1: the body parts and their page counts.
    parts: list[tuple[PdfReader, TocEntry]] = []
    evidence_rank = KIND_RANK["evidence"]
    before = [d for d in docs if KIND_RANK[d.kind or "other"] < evidence_rank]
    after = [d for d in docs if KIND_RANK[d.kind or "other"] >= evidence_rank]
    items: list[DossierDocument | None] = [*before, *([None] if pics else []), *after]
    page = 1
    for seq, item in enumerate(items, 1):
        if item is None:
            reader = PdfReader(BytesIO(_photo_pages(pics)))
            title, number, day = f"{PHOTO_SECTION_TITLE}（共{len(pics)}张）", "", None
            note = "附原件SHA-256"
        else:
            reader = PdfReader(BytesIO(item.pdf))
            title, number, day, note = item.title, item.number, item.date, item.note
        n = len(reader.pages)
        if n == 0:
            raise ValueError(f"“{title}”没有页面")
        parts.append((reader, TocEntry(seq, title, number, day, page, page + n - 1, note)))
        page += n
    body_pages = page - 1
    toc = [entry for _, entry in parts]

    # Pass 2: cover and 卷内目录 with the real page numbers, then join and stamp.
    front = PdfReader(BytesIO(_front(case, toc, body_pages, len(pics))))
    writer = PdfWriter()
    writer.append(front)
    front_pages = len(front.pages)
    for reader, _ in parts:
        writer.append(reader, import_outline=False)
    body = writer.pages[front_pages:]
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in body]
    overlay = PdfReader(BytesIO(_stamps(sizes, 1)))
    for target, stamp in zip(body, overlay.pages, strict=True):
        target.merge_page(stamp)
    for entry in toc:
        writer.add_outline_item(title=entry.title, page_number=front_pages + entry.first_page - 1)
    out = BytesIO()
    writer.write(out)
    pdf = make_archival(out.getvalue(), title=case.case_name, created=created,
                        subject=f"归档号 {case.archive_no}")
    return Dossier(pdf, toc, front_pages, body_pages)


def build_dossier_pdf(
    case_data: CaseData | Mapping[str, Any],
    documents: Sequence[DossierDocument | Sequence[Any] | Mapping[str, Any]],
    photos: Sequence[EvidencePhoto | Sequence[Any] | Mapping[str, Any]] = (),
    created: datetime | None = None,
) -> bytes:
    """The dossier PDF only; see ``build_dossier``."""
    return build_dossier(case_data, documents, photos, created).pdf
