"""What outside testers found in the registry import (console 名录库 → 导入):
each refused file gets a Chinese message naming the row, the column and the
cause, and changes nothing; a county's footer row is recognised and shown."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise
from server.services.registry_io import ImportFailed, import_registry, preview_registry
from shared.uscc import make_uscc
from tests.hardening.world import xlsx

HEAD = ["序号", "单位名称", "统一社会信用代码", "行业领域", "所属乡镇", "安全风险等级"]


def _rows(n: int) -> list[list]:
    return [[i + 1, f"企业{i}有限公司", make_uscc(f"91140428MA{i:07d}"), "工贸", "丹朱镇",
             "一般"] for i in range(n)]


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise))


@pytest.mark.parametrize("footer", [
    ["合计", "共320家"], ["", "总计：3户"], ["小计", None, None, "3"],
    ["合  计", "共3家", "", "", "", ""], [None, "合计", "共3家"]])
def test_a_footer_after_the_data_is_skipped_and_shown(ctx, footer):
    rows = [["长子县安全生产检查对象名录库"], HEAD, *_rows(3), footer, [None, "  "]]
    preview = preview_registry("enterprises", xlsx(rows), "county.xlsx")
    assert preview.created == 3
    assert len(preview.skipped) == 1
    assert preview.skipped[0].startswith("第6行“")
    assert preview.skipped[0].endswith("”是合计行，未导入")
    result = import_registry("enterprises", xlsx(rows), "county.xlsx", "tester")
    assert result.created == 3 and _count() == 3


def test_a_summary_row_between_data_rows_is_still_refused(ctx):
    data = _rows(4)
    rows = [HEAD, *data[:2], ["小计", "共2家"], *data[2:]]
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx(rows), "groups.xlsx", "tester")
    assert failed.value.errors[0].startswith("第4行: ")
    assert "统一社会信用代码不能为空" in failed.value.errors[0]
    assert _count() == 0


def test_a_last_row_with_a_code_is_data_even_if_named_like_a_total(ctx):
    last = [3, "合计能源有限公司", make_uscc("91140428MA0000099"), "工贸", "丹朱镇", "低"]
    rows = [HEAD, *_rows(2), last]
    preview = preview_registry("enterprises", xlsx(rows), "named.xlsx")
    assert preview.created == 3 and preview.skipped == []


def test_a_duplicate_code_names_its_column(ctx):
    rows = [HEAD, *_rows(3)]
    rows.append(list(rows[3]))
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx(rows), "dup.xlsx", "tester")
    assert failed.value.errors == ["第5行: C列“统一社会信用代码”：与第4行重复"]
    assert _count() == 0


def test_a_duplicate_expert_names_both_key_columns(ctx):
    rows = [["姓名", "专业", "单位"], ["王工", "化工", "省化工研究院"],
            ["王工", "电气", "省化工研究院"]]
    with pytest.raises(ImportFailed) as failed:
        import_registry("experts", xlsx(rows), "experts.xlsx", "tester")
    assert failed.value.errors == ["第3行: A列“姓名”、C列“单位”：与第2行重复"]


def test_a_formula_without_a_saved_result_is_named_as_such(ctx):
    """openpyxl writes formulas without their result, as report generators do;
    the reader sees an empty cell."""
    rows = [HEAD, *_rows(3)]
    rows[2][1] = '="企业"&"甲"'          # required column: was “单位名称不能为空”
    rows[3][4] = "=E2"                   # optional column: would be imported empty
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx(rows), "formulas.xlsx", "tester")
    errors = failed.value.errors
    assert [e.split(":")[0] for e in errors] == ["第3行", "第4行"]
    assert errors[0].startswith(
        "第3行: B列“单位名称”：单元格是公式，但文件中没有保存公式的计算结果")
    assert "不能为空" not in errors[0]
    assert "Excel或WPS打开该文件并保存" in errors[0] and "选择性粘贴" in errors[0]
    assert errors[1].startswith("第4行: E列“所属乡镇”：单元格是公式")
    assert _count() == 0


def test_a_formula_with_its_saved_result_imports(ctx, tmp_path):
    """The same file saved by an office program carries each result: it imports."""
    import subprocess

    from .office_files import soffice

    rows = [HEAD, *_rows(3)]
    rows[2][1] = '="企业"&"甲"'
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "f.xlsx").write_bytes(xlsx(rows))
    profile = (tmp_path / "lo").as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(tmp_path), str(tmp_path / "in" / "f.xlsx")],
                   check=True, capture_output=True, timeout=180)
    result = import_registry("enterprises", (tmp_path / "f.xlsx").read_bytes(), "f.xlsx", "t")
    assert result.created == 3
    assert db.session.scalar(sa.select(Enterprise.name).where(
        Enterprise.uscc == rows[2][2])) == "企业甲"


def test_an_unknown_risk_colour_lists_the_colours_too(ctx):
    rows = [HEAD, *_rows(2)]
    rows[1][5] = "红色"   # accepted: 重大
    rows[2][5] = "紫色"
    with pytest.raises(ImportFailed) as failed:
        import_registry("enterprises", xlsx(rows), "colours.xlsx", "tester")
    (error,) = failed.value.errors
    assert error.startswith("第3行: F列“安全风险等级”：“紫色”不是有效的安全风险等级")
    for word in ("重大", "较大", "一般", "低", "红", "橙", "黄", "蓝"):
        assert word in error
    rows[2][5] = "蓝"
    assert import_registry("enterprises", xlsx(rows), "colours.xlsx", "tester").created == 2
    levels = dict(db.session.execute(sa.select(Enterprise.uscc, Enterprise.risk_level)).all())
    assert levels == {rows[1][2]: "major", rows[2][2]: "low"}
