"""The registry import preview of a long file, in real Chromium: 确认导入 is on
the first screen (not after 200 table rows), the footer row the import skips
is named, and the table shows the columns that reveal swapped columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from shared.uscc import make_uscc

from .conftest import shot
from .test_console_browser import _login

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

HEAD = ["序号", "单位名称", "统一社会信用代码", "行业领域", "所属乡镇", "信用风险分类",
        "安全风险等级"]


def test_a_long_preview_has_its_button_on_the_first_screen(live_server, page, tmp_path: Path):
    book = Workbook()
    book.active.append(["长子县安全生产检查对象名录库"])
    book.active.append(HEAD)
    for i in range(240):
        book.active.append([i + 1, f"长子县测试{i}有限公司", make_uscc(f"91140428MA1C{i:05d}"),
                            "工贸", "丹朱镇", "B", "一般"])
    book.active.append(["合计", "共240家"])
    book.save(tmp_path / "county.xlsx")
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 800})
    _login(page, base, "dispatcher")
    page.goto(base + "/console/registries/enterprises")
    page.set_input_files("#import-form input[type=file]", str(tmp_path / "county.xlsx"))
    page.click("#import-form button")
    expect(page.locator("#import-summary")).to_contain_text("将新增240条")
    expect(page.locator("#import-skipped")).to_contain_text(
        "第243行“合计 | 共240家”是合计行，未导入")
    expect(page.locator("#import-new thead")).to_contain_text("统一社会信用代码")
    expect(page.locator("#import-new thead")).to_contain_text("所属乡镇（街道）")
    expect(page.locator("#import-new tbody tr").first).to_contain_text("丹朱镇")
    expect(page.locator("#import-new tbody tr")).to_have_count(200)
    button = page.locator("#import-apply button")
    expect(button).to_be_in_viewport()
    shot(page, "import-preview", full_page=False)  # the first screen, as the clerk sees it
    button.click()
    expect(page.locator(".flash")).to_contain_text("新增240条")
