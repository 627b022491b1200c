"""Archival PDFs (PDF/A-2b) checked as far as the tools here allow.

veraPDF is not available on this machine; these checks use pikepdf (qpdf)
and the qpdf command: structure, version, XMP identification and dates, the
output intent with its ICC profile, every font embedded, and one subset tag
per font program – for each document kind and for a whole dossier."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pikepdf
import pytest

from server import documents as d
from server.dossier import build_dossier
from tests.server.documents import samples
from tests.server.dossier import cases

CREATED = datetime(2024, 3, 12, 1, 30, tzinfo=UTC)  # 09:30 in Beijing

KINDS = {
    "notice": (d.render_notice, samples.notice),
    "inspection_record": (d.render_inspection_record, samples.inspection_record),
    "rectification_order": (d.render_rectification_order, samples.rectification_order),
    "onsite_measures": (d.render_onsite_measures, samples.onsite_measures),
    "reinspection_opinion": (d.render_reinspection_opinion, samples.reinspection_opinion),
}


def check_archival(data: bytes, title: str, created: datetime | None) -> dict[str, bytes]:
    """Assert the PDF/A-2b properties; return {subset tag: font program}."""
    assert shutil.which("qpdf"), "qpdf (Debian package) is installed by the setup script"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        qpdf = subprocess.run(["qpdf", "--check", f.name], capture_output=True)
    assert qpdf.returncode == 0, qpdf.stdout.decode() + qpdf.stderr.decode()
    assert data.startswith(b"%PDF-1.7\n%")
    assert all(b > 127 for b in data.split(b"\n")[1][1:5])  # the binary comment line
    with pikepdf.open(BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert not pdf.is_encrypted
        assert len(pdf.trailer.ID) == 2
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == title
        stamp = meta["xmp:CreateDate"]
        when = datetime.fromisoformat(stamp)
        if created is not None:
            assert when == created
        else:  # the real time of rendering
            assert abs(datetime.now(UTC) - when) < timedelta(minutes=5)
        assert str(pdf.docinfo.CreationDate).startswith(when.strftime("D:%Y%m%d%H%M%S"))
        assert "2000" not in str(pdf.docinfo.CreationDate)[2:6]
        assert str(pdf.docinfo.Title) == title
        [intent] = list(pdf.Root.OutputIntents)
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile
        assert profile.N == 3
        icc = profile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[8] in (2, 4)
        programs: dict[str, bytes] = {}
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") == "/Type0":
                continue  # checked through its descendant
            descriptor = obj.get("/FontDescriptor")
            assert descriptor is not None, f"font {obj.get('/BaseFont')} is not embedded"
            keys = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            assert keys, f"font {obj.get('/BaseFont')} is not embedded"
            program = descriptor[keys[0]].read_bytes()
            name = str(obj.BaseFont)[1:]
            assert str(descriptor.FontName)[1:] == name
            if name[6:7] == "+":
                tag = name[:6]
                assert programs.get(tag, program) == program, f"tag {tag} names two programs"
                programs[tag] = program
    return programs


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_document_kind_is_archival(kind):
    render, sample = KINDS[kind]
    data = {**sample(), "created_at": CREATED.isoformat()}  # given: kept
    pdf = render(data)
    title = next(t for t in [_title(pdf)])
    programs = check_archival(pdf, title, CREATED)
    assert programs
    assert render(data) == pdf  # same input and date: same bytes


def test_without_a_date_the_document_is_dated_now():
    undated = {k: v for k, v in samples.notice().items() if k != "created_at"}
    pdf = d.render_notice(undated)
    check_archival(pdf, _title(pdf), None)


def test_a_dossier_of_several_documents_has_one_tag_per_font_program():
    docs = cases.documents()
    dossier = build_dossier(cases.case_data(), docs, cases.photos(2, 300), created=CREATED)
    programs = check_archival(dossier.pdf, cases.case_data()["case_name"], CREATED)
    digests = {hashlib.sha256(p).hexdigest() for p in programs.values()}
    assert len(programs) == len(digests) >= 2
    with pikepdf.open(BytesIO(dossier.pdf)) as pdf:
        assert str(pdf.docinfo.Subject).startswith("归档号")


def _title(pdf: bytes) -> str:
    with pikepdf.open(BytesIO(pdf)) as doc:
        return str(doc.docinfo.Title)
