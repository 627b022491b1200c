"""The five enforcement documents: text, footers, fonts and signature images.

Checked through poppler (pdftotext, pdffonts, pdfimages), as a reader would.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from server import documents as d
from tests.server.documents import samples

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

CASES: list[tuple[Callable[[Any], bytes], Callable[[], dict[str, Any]], str]] = [
    (d.render_notice, samples.notice, "随机抽查通知书"),
    (d.render_inspection_record, samples.inspection_record, "现场检查记录"),
    (d.render_rectification_order, samples.rectification_order, "责令限期整改指令书"),
    (d.render_onsite_measures, samples.onsite_measures, "现场处理措施决定书"),
    (d.render_reinspection_opinion, samples.reinspection_opinion, "整改复查意见书"),
]
IDS = [c[2] for c in CASES]


def _run(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    text = _run("pdftotext", pdf, tmp_path)
    return text.split("\f")[:-1]


def flat(s: str) -> str:
    return "".join(s.split())


@pytest.mark.parametrize(("render", "make", "title"), CASES, ids=IDS)
def test_document_text(render: Any, make: Any, title: str, tmp_path: Path) -> None:
    data = make()
    pdf = render(data)
    assert pdf.startswith(b"%PDF-")
    pages = pages_text(pdf, tmp_path)
    whole = flat("".join(pages))
    assert title in whole
    assert samples.BUREAU in whole
    assert flat(data["number"]) in whole
    assert data["enterprise"]["name"] in whole
    for officer in samples.OFFICERS:
        assert officer["name"] in whole
        assert officer["cert_no"] in whole
    for number, page in enumerate(pages, 1):
        assert f"第{number}页共{len(pages)}页" in flat(page)


@pytest.mark.parametrize(("render", "make", "title"), CASES, ids=IDS)
def test_font_embedded_and_signatures_drawn(
    render: Any, make: Any, title: str, tmp_path: Path
) -> None:
    data = make()
    pdf = render(data)
    fonts = _run("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts, "no font in PDF"
    for line in fonts:
        # columns: name type encoding emb sub uni
        assert line.split()[-5] == "yes", line  # every font is embedded
    images = _run("pdfimages", pdf, tmp_path, "-list").splitlines()[2:]
    with_png = [s for s in data["signatures"] if s.get("image_png")]
    # a PNG with alpha becomes an image plus its soft mask
    assert len([i for i in images if i.split()[2] == "image"]) == len(with_png)


def test_dict_and_dataclass_inputs_give_identical_bytes() -> None:
    data = {**samples.rectification_order(), "created_at": "2024-03-12T09:30:00+08:00"}
    from_dict = d.render_rectification_order(data)
    obj = d.data.coerce(d.RectificationOrderData, data)
    assert isinstance(obj.enterprise, d.Enterprise)
    assert isinstance(obj.hazards[0], d.Hazard)
    assert d.render_rectification_order(obj) == from_dict  # reproducible bytes


def test_findings_and_deadline_in_order(tmp_path: Path) -> None:
    whole = flat(
        "".join(pages_text(d.render_rectification_order(samples.rectification_order()), tmp_path))
    )
    assert "液氨储罐区可燃气体报警装置未定期检测" in whole
    assert "2024年4月12日前整改完毕" in whole
    assert "第六十五条" in whole
    assert "承德市人民政府申请行政复议" in whole


def test_long_record_spans_pages_with_footer_on_each(tmp_path: Path) -> None:
    data = samples.inspection_record()
    data["hazards"] = [
        dict(samples.HAZARDS[0], description=f"问题{i}：" + "隐患描述" * 12) for i in range(40)
    ]
    pages = pages_text(d.render_inspection_record(data), tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"第{number}页共{len(pages)}页" in flat(page)
    assert "问题39" in flat("".join(pages))


def test_reinspection_open_items_wording(tmp_path: Path) -> None:
    data = samples.reinspection_opinion()
    data["results"][0]["rectified"] = False
    whole = flat("".join(pages_text(d.render_reinspection_opinion(data), tmp_path)))
    assert "未整改" in whole
    assert "尚有1项问题未整改完毕" in whole


def test_user_text_is_escaped(tmp_path: Path) -> None:
    data = samples.notice()
    data["items"] = ["<b>粗体</b> & 其他"]
    whole = flat("".join(pages_text(d.render_notice(data), tmp_path)))
    assert "<b>粗体</b>&其他" in whole


def test_missing_and_unknown_fields_named_in_chinese() -> None:
    data = samples.notice()
    del data["task_name"]
    with pytest.raises(ValueError, match="缺少字段“task_name”"):
        d.render_notice(data)
    data = samples.notice()
    data["enterprise"]["fax"] = "1"
    with pytest.raises(ValueError, match="不认识的字段：fax"):
        d.render_notice(data)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("承", "inspection_record", 2024, 12), "（承）应急检记〔2024〕12号"),
        (("承", "rectification_order", 2024, 7), "（承）应急责改〔2024〕7号"),
        (("龙", "onsite_measures", 2025, 1), "（龙）应急现决〔2025〕1号"),
        (("石", "reinspection_opinion", 2024, 30), "（石）应急复查〔2024〕30号"),
        (("承", "检记", 2024, 12), "（承）应急检记〔2024〕12号"),
    ],
)
def test_document_number(args: tuple[str, str, int, int], expected: str) -> None:
    assert d.document_number(*args) == expected


@pytest.mark.parametrize("args", [("", "检记", 2024, 1), ("承", "检记", 2024, 0)])
def test_document_number_rejects_bad_input(args: tuple[str, str, int, int]) -> None:
    with pytest.raises(ValueError):
        d.document_number(*args)


def test_font_lookup_finds_truetype_cjk() -> None:
    path, index = d.find_cjk_font()
    assert Path(path).is_file()
    assert index >= 0


def test_font_lookup_clear_error_when_none(monkeypatch: pytest.MonkeyPatch) -> None:
    from server.documents import fonts

    monkeypatch.setenv("SUICHA_CJK_FONT", "/nonexistent/font.ttf")
    monkeypatch.setattr(
        fonts, "_CANDIDATES", (("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),)
    )
    monkeypatch.setattr(fonts, "_scan", lambda roots: [])
    monkeypatch.setattr(fonts, "packaged_font", lambda: None)
    with pytest.raises(fonts.FontNotFoundError, match="fonts-wqy-microhei"):
        fonts.find_cjk_font.__wrapped__()


def test_signature_without_image_leaves_blank_line(tmp_path: Path) -> None:
    data = samples.rectification_order()
    data["signatures"] = [
        {"role": "被检查单位负责人", "name": "王建国", "signed_on": date(2024, 3, 12)}
    ]
    pdf = d.render_rectification_order(data)
    whole = flat("".join(pages_text(pdf, tmp_path)))
    # officers without a signature entry still get their line and number
    assert "张明执法证号：13080120001" in whole
    assert "王建国" in whole


def test_inspection_record_prints_item_basis(tmp_path: Path) -> None:
    pdf = d.render_inspection_record(samples.inspection_record())
    whole = flat("".join(pages_text(pdf, tmp_path)))
    assert "依据：《中华人民共和国安全生产法》第二十二条" in whole
    assert "本次检查未发现问题" not in whole
    assert "检查发现问题（隐患）共2项" in whole


def test_inspection_record_names_the_drawn_experts(tmp_path: Path) -> None:
    plain = flat("".join(pages_text(d.render_inspection_record(samples.inspection_record()),
                                    tmp_path)))
    assert "专家" not in plain
    data = {**samples.inspection_record(),
            "experts": ["赵静强（太原理工大学）", "徐强（长治学院）"]}
    whole = flat("".join(pages_text(d.render_inspection_record(data), tmp_path)))
    assert "随同检查的专家：赵静强（太原理工大学）、徐强（长治学院）。" in whole
