"""The 一案一卷 PDF read back the way a person would: rendered pages and text.

The 卷内目录 is parsed from the PDF's own text (pdftotext -layout) and every
page number in it is checked against the page where that document's heading
actually appears.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from server.dossier import build_dossier, build_dossier_pdf, infer_kind
from tests.server.dossier import cases

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs poppler-utils",
)

N_PHOTOS = 20
STAMP = re.compile(r"页号：(\d+)")
TOC_ROW = re.compile(
    r"^\s*(?P<seq>\d+)\s+(?P<title>\S+)\s+(?:(?P<date>\d{4}-\d{2}-\d{2})\s+)?"
    r"(?P<first>\d+)(?:-(?P<last>\d+))?(?:\s+(?P<note>\S.*))?$"
)


@pytest.fixture(scope="module")
def photos() -> list[tuple[str, bytes, str]]:
    return cases.photos(N_PHOTOS, size=800)


@pytest.fixture(scope="module")
def dossier_file(tmp_path_factory: pytest.TempPathFactory, photos: list) -> Path:
    pdf = build_dossier_pdf(cases.case_data(), cases.documents(), photos)
    path = tmp_path_factory.mktemp("dossier") / "dossier.pdf"
    path.write_bytes(pdf)
    return path


def page_texts(path: Path, layout: bool = False) -> list[str]:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def flat(s: str) -> str:
    return "".join(s.split())


def parse_toc(path: Path) -> list[dict[str, str]]:
    """Rows of the 卷内目录, read from the unnumbered front pages."""
    rows = []
    for text in page_texts(path, layout=True):
        if STAMP.search(text):
            break  # body reached
        if "卷内目录" not in text:
            continue
        for line in text.splitlines():
            m = TOC_ROW.match(line)
            if m:
                rows.append({k: v or "" for k, v in m.groupdict().items()})
    return rows


def test_cover_and_toc_headings(dossier_file: Path) -> None:
    pages = page_texts(dossier_file)
    cover = flat(pages[0])
    for heading in (
        "行政执法案卷",
        "案件名称",
        "案由",
        "处理结果",
        "立案日期",
        "结案日期",
        "承办人",
        "归档号",
        "保存期限",
    ):
        assert heading in cover, heading
    assert "承应急档〔2024〕检-0012" in cover
    assert "2024年4月16日" in cover
    toc = flat(pages[1])
    for heading in ("卷内目录", "序号", "文件名称及编号", "日期", "页号", "备注"):
        assert heading in toc, heading


def test_toc_page_numbers_match_where_documents_start(dossier_file: Path) -> None:
    pages = page_texts(dossier_file)
    by_number: dict[int, str] = {}
    for text in pages:
        m = STAMP.search(text)
        if m:
            by_number[int(m.group(1))] = flat(text)
    body_pages = len(by_number)
    assert sorted(by_number) == list(range(1, body_pages + 1))  # every body page stamped once

    rows = parse_toc(dossier_file)
    assert [r["seq"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    # Legal order: draw record, notice, record, orders, photos, re-inspection, closing.
    assert [r["title"] for r in rows] == [
        "随机抽取记录", "随机抽查通知书", "现场检查记录", "责令限期整改指令书",
        "现场处理措施决定书", f"现场照片证据（共{N_PHOTOS}张）", "整改复查意见书", "结案审批表",
    ]  # fmt: skip
    previous_last = 0
    for row in rows:
        first = int(row["first"])
        last = int(row["last"] or first)
        heading = row["title"].split("（")[0]
        assert heading in by_number[first], f"{heading} not on page {first}"
        if first > 1:
            assert heading not in by_number[first - 1], f"{heading} already on page {first - 1}"
        assert first == previous_last + 1  # contiguous, nothing unlisted in between
        previous_last = last
    assert previous_last == body_pages


def test_photos_have_captions_and_original_hashes(dossier_file: Path, photos: list) -> None:
    whole = flat("".join(page_texts(dossier_file)))
    for i, (caption, _jpeg, sha) in enumerate(photos, 1):
        assert f"照片{i}/{N_PHOTOS}：{flat(caption)}" in whole
        assert f"原件SHA-256：{sha}" in whole
    images = subprocess.run(
        ["pdfimages", "-list", str(dossier_file)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    jpegs = [line for line in images if line.split()[8] == "jpeg"]
    assert len(jpegs) == N_PHOTOS  # embedded as JPEG, not re-encoded


def test_documents_keep_their_own_footers(dossier_file: Path) -> None:
    pages = [flat(t) for t in page_texts(dossier_file)]
    record = [p for p in pages if "现场检查记录" in p and "第1页共2页" in p]
    assert record, "the inspection record's own page-x-of-y footer survived the merge"


def test_pages_render_to_png(dossier_file: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(dossier_file),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 3
    from PIL import Image

    for png in pngs:
        with Image.open(png) as img:
            lo, hi = img.convert("L").getextrema()
            assert lo < 100 < hi  # something dark was drawn on white


def test_dossier_result_object_agrees_with_pdf(photos: list) -> None:
    ds = build_dossier(cases.case_data(), cases.documents(), photos[:3])
    assert ds.front_pages == 2
    assert ds.toc[-1].last_page == ds.body_pages
    assert [e.seq for e in ds.toc] == list(range(1, len(ds.toc) + 1))
    photo_row = next(e for e in ds.toc if e.title.startswith("现场照片证据"))
    assert photo_row.last_page - photo_row.first_page + 1 == 2  # 3 photos, 2 a page


def test_without_photos_there_is_no_photo_section() -> None:
    ds = build_dossier(cases.case_data(), cases.documents()[:2], [])
    assert all(not e.title.startswith("现场照片证据") for e in ds.toc)


def test_explicit_kind_overrides_title_guess() -> None:
    pdf = cases.simple_pdf("情况说明", "", "企业提交的情况说明。")
    docs = [
        {"title": "结案审批表", "number": "", "date": "2024-04-16", "pdf": pdf},
        {"title": "情况说明", "number": "", "date": "2024-03-01", "pdf": pdf, "kind": "notice"},
    ]
    ds = build_dossier(cases.case_data(), docs)
    assert [e.title for e in ds.toc] == ["情况说明", "结案审批表"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("随机抽取记录", "draw_record"),
        ("随机抽查通知书", "notice"),
        ("现场检查记录", "inspection_record"),
        ("责令限期整改指令书", "order"),
        ("现场处理措施决定书", "order"),
        ("整改复查意见书", "reinspection"),
        ("结案审批表", "closing"),
        ("情况说明", "other"),
    ],
)
def test_infer_kind(title: str, kind: str) -> None:
    assert infer_kind(title) == kind


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="不是 PDF"):
        build_dossier(cases.case_data(), [("现场检查记录", "", date(2024, 3, 1), b"x", "")])
    with pytest.raises(ValueError, match="SHA-256 格式不正确"):
        build_dossier(cases.case_data(), [], [("照片", cases.synthetic_jpeg(0, 200), "abc")])


def test_png_evidence_still_embeds(tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGBA", (120, 90), (200, 30, 30, 128)).save(buf, "PNG")
    png = buf.getvalue()
    pdf = build_dossier_pdf(cases.case_data(), [], [("截图", png, "0" * 64)])
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert [line.split()[2] for line in images] == ["image"]  # decoded and re-compressed


def test_same_inputs_give_identical_bytes(photos: list) -> None:
    # An archived volume can be rebuilt from its parts and compared by hash.
    made = datetime(2024, 4, 16, 8, 0, tzinfo=UTC)
    first = build_dossier_pdf(cases.case_data(), cases.documents(), photos[:4], made)
    again = build_dossier_pdf(cases.case_data(), cases.documents(), photos[:4], made)
    assert first == again
