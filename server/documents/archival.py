"""Turn a generated PDF into an archival one: PDF/A-2b.

reportlab and pypdf write PDF 1.4 without what PDF/A asks for, so every
document and dossier passes through ``make_archival`` (pikepdf, i.e. qpdf):

* XMP metadata with ``pdfaid:part=2``/``conformance=B``, the title, the
  producer and the dates, and the document information dictionary in step;
* an output intent with an sRGB ICC profile (Debian's icc-profiles-free, a
  version 2 profile; else one made by Pillow's LittleCMS);
* the real creation date (reportlab's ``invariant`` mode writes 2000-01-01);
* a font subset tag per font program: reportlab names every subset
  ``AAAAAA+…``, so a dossier joining nine documents carried nine different
  programs under one name.  The tag is taken from the program's hash, so the
  same input still gives the same bytes.

veraPDF is not available here; tests/server/documents/test_archival.py checks
structure, metadata, output intent, embedded fonts and tags with pikepdf/qpdf.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

import pikepdf

log = logging.getLogger(__name__)

ICC_PATHS = (Path("/usr/share/color/icc/sRGB.icc"),)  # Debian: icc-profiles-free
SRGB = "sRGB IEC61966-2.1"


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile: ``ICC_PROFILE`` if set, the system one, else Pillow's."""
    configured = os.environ.get("ICC_PROFILE")
    for path in ([Path(configured)] if configured else []) + list(ICC_PATHS):
        if path.is_file():
            return path.read_bytes()
    from PIL import ImageCms

    log.warning("no sRGB ICC profile installed (icc-profiles-free); using Pillow's")
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _pdf_date(when: datetime) -> str:
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return (when.strftime("D:%Y%m%d%H%M%S")
            + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'")


def _tag(program: bytes, taken: dict[str, bytes]) -> str:
    """Six capital letters from the program's hash; another if already used."""
    digest = hashlib.sha256(program).digest()
    for start in range(0, len(digest) - 6):
        tag = "".join(chr(65 + b % 26) for b in digest[start:start + 6])
        if taken.get(tag, program) == program:
            taken[tag] = program
            return tag
    raise ValueError("font subset tags exhausted")  # 26 tries on one hash: not reachable


def _font_program(descriptor: pikepdf.Dictionary) -> bytes | None:
    for key in ("/FontFile2", "/FontFile", "/FontFile3"):
        if key in descriptor:
            return descriptor[key].read_bytes()
    return None


def unique_subset_tags(pdf: pikepdf.Pdf) -> None:
    taken: dict[str, bytes] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        targets = [obj, *list(obj.get("/DescendantFonts", []))]
        for font in targets:
            descriptor = font.get("/FontDescriptor")
            base = str(font.get("/BaseFont", ""))[1:]
            if descriptor is None or len(base) < 8 or base[6] != "+":
                continue
            program = _font_program(descriptor)
            if program is None:
                continue
            name = f"{_tag(program, taken)}+{base[7:]}"
            font.BaseFont = pikepdf.Name("/" + name)
            descriptor.FontName = pikepdf.Name("/" + name)
            if font is not obj and str(obj.get("/BaseFont", ""))[1:] == base:
                obj.BaseFont = pikepdf.Name("/" + name)


def _output_intent(pdf: pikepdf.Pdf) -> None:
    icc = pdf.make_stream(srgb_profile())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String(SRGB), Info=pikepdf.String(SRGB),
        RegistryName=pikepdf.String("http://www.color.org"), DestOutputProfile=icc))])


def make_archival(data: bytes, *, title: str, created: datetime | None = None,
                  subject: str | None = None) -> bytes:
    """``data`` as PDF/A-2b, dated ``created`` (now if not given)."""
    when = (created or datetime.now(UTC))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # stored datetimes are UTC
    with pikepdf.open(BytesIO(data)) as pdf:
        unique_subset_tags(pdf)
        _output_intent(pdf)
        info = pdf.docinfo
        info.Title = pikepdf.String(title)
        if subject:
            info.Subject = pikepdf.String(subject)
        info.CreationDate = info.ModDate = pikepdf.String(_pdf_date(when))
        for key in ("/Trapped",):
            if key in info:
                del info[key]
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta.load_from_docinfo(info)
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
            meta["dc:title"] = title
            meta["xmp:CreateDate"] = when.isoformat(timespec="seconds")
            meta["xmp:ModifyDate"] = when.isoformat(timespec="seconds")
            meta["xmp:MetadataDate"] = when.isoformat(timespec="seconds")
        out = BytesIO()
        pdf.save(out, deterministic_id=True, force_version="1.7",
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()
