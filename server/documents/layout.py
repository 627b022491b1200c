"""Page layout shared by the enforcement documents and the dossier.

A4 portrait, CJK font embedded, "第 x 页 共 y 页" at the foot of every page
(the total is known only after the last page, hence the deferred canvas).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from server.documents.archival import make_archival
from server.documents.data import Officer, Signature
from server.documents.fonts import register_cjk_font

PAGE_W, PAGE_H = A4
MARGIN_X = 25 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

SIGN_W = 38 * mm
SIGN_H = 14 * mm


def cn_date(d: date | datetime | None) -> str:
    """2024年3月1日 (blank underscores when unknown, to be filled by hand)."""
    if d is None:
        return "____年__月__日"
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(d: datetime) -> str:
    return f"{cn_date(d)}{d.hour}时{d.minute:02d}分"


def text(value: Any) -> str:
    """User text made safe for reportlab's paragraph mini-markup."""
    return escape(str(value)).replace("\n", "<br/>")


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    font = register_cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    return {
        "bureau": ParagraphStyle("bureau", base, fontSize=18, leading=26, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", base, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=4
        ),
        "number": ParagraphStyle("number", base, alignment=TA_RIGHT, spaceAfter=10),
        "body": ParagraphStyle(
            "body", base, alignment=TA_JUSTIFY, firstLineIndent=24, spaceAfter=4
        ),
        "plain": ParagraphStyle("plain", base, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", base, fontSize=10.5, leading=15),
        "small": ParagraphStyle("small", base, fontSize=9, leading=12),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", base, alignment=TA_CENTER),
    }


def para(markup: str, style: str = "body") -> Paragraph:
    """A paragraph from already-escaped markup (use ``text()`` on user values)."""
    return Paragraph(markup, styles()[style])


def header(bureau_name: str, title: str, number: str) -> list[Flowable]:
    return [
        para(text(bureau_name), "bureau"),
        para(text(title), "title"),
        para(text(number), "number"),
    ]


def addressee(name: str) -> Paragraph:
    return para(f"{text(name)}：", "plain")


def numbered(items: Iterable[str], style: str = "body") -> list[Flowable]:
    return [para(f"{i}. {text(item)}", style) for i, item in enumerate(items, 1)]


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    header_row: bool = False,
) -> Table:
    """A ruled table; ``str`` cells become wrapped paragraphs."""
    body = [[para(text(c), "cell") if isinstance(c, str) else c for c in row] for row in rows]
    table = Table(body, colWidths=list(widths), repeatRows=1 if header_row else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_row:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def fields(pairs: Sequence[tuple[str, str]]) -> Table:
    """Label/value rows, two pairs per line, like the form's header block."""
    rows: list[list[str]] = []
    for i in range(0, len(pairs), 2):
        row: list[str] = []
        for label, value in pairs[i : i + 2]:
            row += [label, value]
        rows.append(row + [""] * (4 - len(row)))
    w = CONTENT_W
    return grid(rows, [0.21 * w, 0.29 * w, 0.21 * w, 0.29 * w])


def officers_paragraph(bureau_name: str, officers: Sequence[Officer]) -> Paragraph:
    names = "、".join(text(o.name) for o in officers)
    certs = "、".join(text(o.cert_no) for o in officers)
    return para(
        f"我们是{text(bureau_name)}执法人员{names}，证件号码分别为{certs}，"
        "这是我们的证件（出示证件）。"
    )


def signature_image(png: bytes, max_w: float = SIGN_W, max_h: float = SIGN_H) -> Image:
    reader = ImageReader(BytesIO(png))
    w, h = reader.getSize()
    scale = min(max_w / w, max_h / h)
    return Image(BytesIO(png), width=w * scale, height=h * scale)


def signature_block(
    signatures: Sequence[Signature],
    officers: Sequence[Officer],
    bureau_name: str,
    issued_on: date,
    seal_note: str = "（印章）",
) -> KeepTogether:
    """Signers with their images, then the issuing bureau and date.

    Officers without a signature entry still get a blank line to sign by
    hand, with their 执法证号, as the form requires.
    """
    rows: list[list[Any]] = []
    signed = {s.name for s in signatures}
    entries = list(signatures) + [
        Signature(role="执法人员", name=o.name) for o in officers if o.name not in signed
    ]
    certs = {o.name: o.cert_no for o in officers}
    for s in entries:
        label = f"{s.role}（签名）："
        who = text(s.name) + (f"<br/>执法证号：{text(certs[s.name])}" if s.name in certs else "")
        mark: Any = signature_image(s.image_png) if s.image_png else ""
        signed_on = cn_date(s.signed_on) if s.signed_on else ""
        rows.append([text(label), who, mark, signed_on])
    w = CONTENT_W
    table = Table(
        [[para(c, "cell") if isinstance(c, str) else c for c in r] for r in rows],
        colWidths=[0.26 * w, 0.30 * w, 0.24 * w, 0.20 * w],
        rowHeights=[SIGN_H + 6] * len(rows),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (2, 0), (2, -1), 0.5, colors.black),
            ]
        )
    )
    closing = [
        Spacer(1, 8 * mm),
        para(f"{text(bureau_name)}{text(seal_note)}", "right"),
        para(cn_date(issued_on), "right"),
    ]
    return KeepTogether([Spacer(1, 6 * mm), table, *closing])


def _footer_canvas(font: str, label: str) -> type[canvas.Canvas]:
    class NumberedCanvas(canvas.Canvas):
        """Defers each page until the total page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Without this every page names a non-embedded Helvetica.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(font, 10)
                self.drawCentredString(PAGE_W / 2, 12 * mm, f"第 {number} 页 共 {total} 页")
                if label:
                    self.setFont(font, 8)
                    self.drawRightString(PAGE_W - MARGIN_X, 12 * mm, label)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Flowable], title: str, footer_label: str = "",
              created: datetime | None = None) -> bytes:
    """Lay out ``story`` on A4 pages with the page-x-of-y footer; return PDF/A-2b bytes.

    Output is byte-for-byte reproducible for the same input and ``created``
    (``invariant``, and archival.py derives everything else from the content),
    so a document's hash is stable.  ``created`` is the creation date: now if
    not given.
    """
    font = register_cjk_font()
    buf = BytesIO()
    a4_document(buf, title).build(story, canvasmaker=_footer_canvas(font, footer_label))
    return make_archival(buf.getvalue(), title=title, created=created)


def a4_document(buf: BytesIO, title: str, *, top: float = MARGIN_TOP,
                bottom: float = MARGIN_BOTTOM, **kwargs: Any) -> SimpleDocTemplate:
    """An A4 page template with our margins and metadata; ``invariant`` makes the
    bytes depend on the content alone (no timestamp, no random id)."""
    return SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                             topMargin=top, bottomMargin=bottom, title=title, author="随查",
                             creator="随查 suicha", invariant=1, **kwargs)
