"""Must-show 1: a day in the office in real headless Chromium, then the public view.

log in → import the enterprise registry from .xlsx (a bad file first: its row
errors are shown and nothing changes) → import and publish the plan → the draw
ceremony (freeze, draw with the named public value, see the result and its record) → dispatch →
a reviewer approves a result → it is on the public page, read on a phone with
no login.  With SUICHA_SCREENSHOTS=docs/img the screenshots refresh docs/console.md.
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from server.extensions import db
from server.models import Task, Visit
from server.services.deadlines import bureau_today
from server.services.publication import propose_result
from shared.enums import Outcome
from shared.uscc import make_uscc

from .conftest import PASSWORD, STAFF_NAMES, shot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

TASK = "WH-2026-01"
PHONE = "13911112222"
ENT_HEADER = ["单位名称", "统一社会信用代码", "行业领域", "属地", "规模", "安全风险等级",
              "信用风险分类", "联系电话"]


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _enterprises(n: int) -> list[list[str]]:
    return [[f"长子县丹朱{'甲乙丙丁戊己庚辛壬癸子丑'[i]}加油站", make_uscc(f"91140428MA0B{i:05d}"),
             "危险化学品经营", "丹朱镇", "小", "一般", "ABCD"[i % 4], PHONE] for i in range(n)]


def _plan(path: Path, today: date) -> Path:
    return _xlsx(path, [
        ["计划编号", "计划名称", "任务编号", "任务名称", "抽查类型", "抽查比例", "抽查事项",
         "抽查对象范围", "发起科室", "联合部门", "开始日期", "结束日期", "每户检查人数",
         "是否暗查"],
        ["WH-2026", "危化品经营单位双随机抽查计划", TASK, "加油站专项抽查", "定向",
         "A:30%;B:30%;C:50%;D:100%", "危化品经营许可、储存", "行业领域=危险化学品经营",
         "危化品监管股", "消防大队", (today - timedelta(days=3)).isoformat(),
         (today + timedelta(days=27)).isoformat(), 2, "否"]])


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    names = {"dispatcher": "秦晓梅", "reviewer": "牛振华", "admin": "郝建军"}
    expect(page.locator("header .who")).to_contain_text(names[username])
    expect(page.locator("header .who")).to_contain_text(STAFF_NAMES[username])


def test_office_day_from_import_to_the_public_result(live_server, page, phone, tmp_path):
    base, today = live_server.url, bureau_today()
    page.goto(base + "/console/")
    expect(page).to_have_url(f"{base}/console/login?next=/console/")
    shot(page, "login")
    _login(page, base, "dispatcher")

    # Import the registry: a file with a bad row changes nothing and says which row.
    page.goto(base + "/console/registries/enterprises")
    rows = _enterprises(12)
    bad = [list(r) for r in rows]
    bad[1][1] = "91140428MA0000000X"  # wrong check character → 第3行
    page.set_input_files("#import-form input[type=file]",
                         str(_xlsx(tmp_path / "bad.xlsx", [ENT_HEADER, *bad])))
    page.click("#import-form button")
    expect(page.locator("#import-report")).to_contain_text("导入失败，文件未作任何更改")
    expect(page.locator("#import-report")).to_contain_text("第3行")
    shot(page, "import-errors")
    # The refused preview offers the upload form again: the corrected file goes in there.
    expect(page.locator("#import-form")).to_contain_text("改正后重新选择文件")
    page.set_input_files("#import-form input[type=file]",
                         str(_xlsx(tmp_path / "enterprises.xlsx", [ENT_HEADER, *rows])))
    page.click("#import-form button")
    expect(page.locator("#import-summary")).to_contain_text("将新增12条")
    page.click("#import-apply button")
    expect(page.locator(".flash")).to_contain_text("新增12条")
    expect(page.locator("h1")).to_contain_text("（12）")
    shot(page, "registries")

    # The plan: import, publish, open the task.
    page.goto(base + "/console/plans")
    page.set_input_files("input[type=file]", str(_plan(tmp_path / "plan.xlsx", today)))
    page.click("form.card button[type=submit]")
    expect(page.locator("#import-report")).to_contain_text("导入完成")
    page.click("#publish-WH-2026")
    expect(page.locator(".flash")).to_contain_text("计划WH-2026已发布")
    page.click(f"a:text('{TASK}')")

    # The draw ceremony: freeze (naming a lottery draw announced a moment later), draw.
    expect(page.locator("#pool-size")).to_have_text("12")  # the pool, before the freeze
    page.select_option("#source", "lottery")
    page.fill("input[name=lottery_draw]", "2026140")
    soon = datetime.now(UTC) + timedelta(seconds=4)  # a busy machine may take a second
    page.fill("input[name=lottery_time]", soon.astimezone(
        ZoneInfo("Asia/Shanghai")).replace(tzinfo=None).isoformat(timespec="seconds"))
    page.click("#freeze")
    commitment = page.locator("#commitment").inner_text()
    assert len(commitment) == 64
    shot(page, "draw-commit")
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.3)  # announced
    page.fill("#numbers", "3 9 1")
    page.click("#run-draw")
    expect(page.locator(".flash")).to_contain_text("抽取完成")
    seed = page.locator("#seed").inner_text()
    assert hashlib.sha256(bytes.fromhex(seed)).hexdigest() == commitment
    # 3 each of A, B, C (30%/30%/50% → 1, 1, 2) and all 3 of D: ceil per class.
    expected = math.ceil(3 * .3) * 2 + math.ceil(3 * .5) + 3
    expect(page.locator("#drawn tbody tr")).to_have_count(expected)
    expect(page.locator("#record-link")).to_be_visible()
    shot(page, "draw-result")

    # A tablet enrolls and syncs once before the dispatch (inspector1 is 韩文, 14042800101).
    token = page.request.post(f"{base}/api/v1/auth/token", data={
        "username": "inspector1", "password": PASSWORD, "device_id": "pad-01"}).json()["token"]
    assert page.request.get(f"{base}/api/v1/sync/pull",
                            headers={"Authorization": f"Bearer {token}"}).status == 200
    page.click("#dispatch")
    expect(page.locator("#dispatch-summary")).to_contain_text(f"把 {expected} 户检查对象派发到")
    shot(page, "dispatch-confirm")
    page.click("#dispatch-confirm")
    expect(page.locator(".flash")).to_contain_text(f"已派发{expected}户")
    expect(page.locator("#teams tbody tr")).to_have_count(expected)
    expect(page.locator("#teams")).to_contain_text("未回传")
    # The tablet is named for its inspector; its raw id only in the tooltip.
    tablet = page.locator("#tablets tbody tr", has=page.locator('[title="pad-01"]'))
    expect(tablet).to_contain_text("韩文的平板（编号")
    assert int(tablet.locator("td").nth(3).inner_text()) > 0  # dispatched since its last sync
    shot(page, "dispatch")

    # The case workflow proposes a result (issue 6 will call this).
    with live_server.app.app_context():
        task = db.session.execute(sa.select(Task).filter_by(task_no=TASK)).scalar_one()
        visit = db.session.execute(sa.select(Visit).where(
            Visit.task_id == task.id, Visit.current.is_(True)).order_by(Visit.id)).scalars().first()
        name = visit.enterprise.name
        visit.status = "inspected"  # a result follows the inspection
        propose_result(visit.id, Outcome.CORRECTED, today, visit.item_codes[:3], "dispatcher")
        db.session.remove()

    # A dispatcher sees it waiting but cannot approve; the reviewer can.
    page.goto(base + "/console/publication")
    expect(page.locator("#review")).to_contain_text(name)
    expect(page.locator("#review button:text('审核通过并公开')")).to_have_count(0)
    page.click("header .who button")
    _login(page, base, "reviewer")
    page.goto(base + "/console/publication")
    expect(page.locator("#review")).to_contain_text("未到期")
    shot(page, "review")
    page.click("#review button:text('审核通过并公开')")
    expect(page.locator(".flash")).to_contain_text(f"已审核通过并公开：{name}")

    # The public, on a phone, with no login.
    phone.goto(base + "/public/results")
    expect(phone.locator("main")).to_contain_text(name)
    expect(phone.locator("main")).to_contain_text("发现问题已责令改正")
    assert PHONE not in phone.content()
    shot(phone, "public-results")
    phone.goto(f"{base}/public/tasks/{TASK}")
    expect(phone.locator("main")).to_contain_text(seed)
    expect(phone.locator("main")).to_contain_text(commitment)
    shot(phone, "public-task", full_page=False)

    page.goto(base + "/console/dashboard")
    expect(page.locator("#kpis")).to_contain_text("抽查使用信用风险分类的比例")
    expect(page.locator("svg.chart").first).to_be_visible()
    shot(page, "dashboard")


PUBLIC_PAGES = ["/public/", "/public/items", "/public/plans", "/public/tasks",
                f"/public/tasks/{TASK}", "/public/results"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_without_login_fit_a_phone(live_server, phone, path):
    resp = phone.goto(live_server.url + path)
    assert resp.status == 200
    assert "/console/login" not in phone.url
    expect(phone.locator("header .brand")).to_contain_text("信息公开")
    # Readable on a phone: the page never scrolls sideways.
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    # Which elements stick out, named in the failure so the fix is obvious.
    wide = phone.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' '
                  + Math.round(e.getBoundingClientRect().right))""")
    assert overflow <= 1, f"{path} is {overflow}px wider than the phone: {wide[:12]}"
    if path == "/public/items":
        shot(phone, "public-items", full_page=False)


@pytest.mark.parametrize("feed", ["results", "items", "plans", "tasks"])
def test_feeds_download_without_login(live_server, page, feed):
    resp = page.request.get(f"{live_server.url}/public/{feed}.json")
    assert resp.status == 200 and feed in resp.json()
    csv_resp = page.request.get(f"{live_server.url}/public/{feed}.csv")
    assert csv_resp.status == 200 and csv_resp.text().startswith("\ufeff")
    assert PHONE not in csv_resp.text() + resp.text()
