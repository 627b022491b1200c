"""Must-show 1: the office console through real working days, in Chromium at
1366×768, the clock moved (time-machine patches it for the live server thread):

day 1 (Mon 2026-03-02, Beijing) registry import → enterprise found → plan
imported and published → seed committed and drawn → drawn list printed →
dispatched (通知书) → at 23:50 Beijing (15:50 UTC) two records arrive from a
tablet over HTTP → day 2 at 00:10 Beijing the case shows the inspection on
03-02 and Beijing times, never UTC → the reviewer rejects one result, the
dispatcher reads 退回意见 and resubmits, both are approved and public on a
phone → follow-up: 整改指令, report, 复查 dispatched and its record arrives on
day 16 → 销号 → the archivist archives → 工作台, dashboard, audit log.

Screenshots go to $SUICHA_SCREENSHOTS (docs/img refreshes docs/console.md).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from server.extensions import db
from server.models import Task, User, Visit
from server.models.case import Case
from shared.uscc import make_uscc

from .conftest import INSPECTORS, PASSWORD, shot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
time_machine = pytest.importorskip("time_machine")

DAY1 = date(2026, 3, 2)  # a Monday
TASK = "GM-2026-01"
ENT_HEADER = ["单位名称", "统一社会信用代码", "行业领域", "属地", "规模", "安全风险等级",
              "信用风险分类", "法定代表人"]


def _bj(day: date, hour: int, minute: int = 0) -> datetime:
    """A Beijing wall-clock time as the UTC instant the clock is set to."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _registry(path: Path) -> Path:
    names = ["丹朱加油站", "鲍店加油站", "石哲化工有限公司", "慈林加油站", "南漳危化品仓储",
             "色头加油站"]
    return _xlsx(path, [ENT_HEADER] + [
        # One street: the demo officers' street pool is 丹朱镇 (龙岗-style teams).
        [f"长子县{n}", make_uscc(f"91140428MA0C{i:05d}"), "危险化学品经营", "丹朱镇", "小",
         "一般", "ABCD"[i % 4], ["王建国", "李明", "赵红", "王建华", "刘洋", "陈静"][i]]
        for i, n in enumerate(names)])


def _plan(path: Path) -> Path:
    return _xlsx(path, [
        ["计划编号", "计划名称", "任务编号", "任务名称", "抽查类型", "抽查比例", "抽查事项",
         "抽查对象范围", "发起科室", "联合部门", "开始日期", "结束日期", "每户检查人数",
         "是否暗查"],
        ["GM-2026", "2026年度危化品经营单位双随机抽查计划", TASK, "加油站春季专项", "定向",
         "100%", "危化品经营许可", "行业领域=危险化学品经营", "危化品监管股", "",
         DAY1.isoformat(), (DAY1 + timedelta(days=30)).isoformat(), 2, "否"]])


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    expect(page.locator("h1")).to_contain_text("工作台")


def _arrive(app, base: str, request, visit_id: int, day: date, *, hazard: bool) -> None:
    """A tablet's record for the visit: evidence stored, the record PUT over HTTP
    by an inspector of the team with their own token."""
    from server.services import demo_cases

    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        member = visit.members[0].inspector
        user = db.session.scalar(sa.select(User).where(User.inspector_id == member.id))
        codes = visit.item_codes[:2] or visit.item_codes
        hazards = [{"id": "00000000-0000-4000-8000-000000000101", "item_code": codes[-1],
                    "description": "加油机防静电接地线断开", "location": "加油区2号加油机",
                    "level": "general", "legal_basis": "《危险化学品安全管理条例》第二十条",
                    "orders": [{"kind": "deadline",
                                "deadline": (day + timedelta(days=10)).isoformat(),
                                "measures": "", "transfer_to": ""}],
                    "created_at": demo_cases._at(day, 23, 20)}] if hazard else []
        results = {c: "compliant" for c in codes}
        if hazard:
            results[codes[-1]] = "noncompliant"
        record = demo_cases._record(visit, day, hazards=hazards, results=results,
                                    photos=[("现场照片：加油区", hazards[0]["id"] if hazard
                                             else None)], user=user)
        # Finished late in the Beijing evening: 23:40 is 15:40 UTC the same day.
        record["finished_at"] = f"{day.isoformat()}T23:40:00+08:00"
        record["trail"][-1]["at"] = record["finished_at"]
        body = demo_cases.canonical_json(record)
        username = user.username
        db.session.remove()
    token = request.post(f"{base}/api/v1/auth/token", data={
        "username": username, "password": PASSWORD, "device_id": f"pad-{username}"}).json()
    resp = request.put(f"{base}/api/v1/records/{record['uuid']}", data=body, headers={
        "Authorization": f"Bearer {token['token']}", "Content-Type": "application/json"})
    assert resp.status in (200, 201), resp.text()


def test_a_working_day_across_roles_and_beijing_midnight(live_server, browser, tmp_path):
    base, app = live_server.url, live_server.app
    with app.app_context():  # every officer has a tablet account
        from server.services.accounts import create_user

        for _name, cert, _street, _dept in INSPECTORS[1:]:
            create_user(f"pad{cert[-3:]}", "inspector", PASSWORD, inspector_cert=cert)
        db.session.remove()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(20000)
    page = context.new_page()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                locale="zh-CN").new_page()
    clock = time_machine.travel(_bj(DAY1, 8, 50), tick=True)
    clock.start()
    try:
        _day_one(page, base, app, tmp_path)
        clock.stop()
        clock = time_machine.travel(_bj(DAY1, 23, 50), tick=True)
        clock.start()
        visits = _visit_ids(app)
        _arrive(app, base, page.request, visits[0], DAY1, hazard=True)
        _arrive(app, base, page.request, visits[1], DAY1, hazard=False)
        # The morning's console session has ended (8 hours); the dispatcher on late
        # duty signs in again. Nobody opens a case: they move when records arrive.
        _login(page, base, "dispatcher")
        clock.stop()
        clock = time_machine.travel(_bj(DAY1 + timedelta(days=1), 0, 10), tick=True)
        clock.start()
        case_a, case_b = _after_midnight(page, base, app, visits)
        _review(page, phone, base, case_a, case_b)
        clock.stop()
        # Late on day 16: the 复查 record (finished 23:40 by the tablet's clock)
        # arrives after it was made – the server refuses records ahead of its clock.
        clock = time_machine.travel(_bj(DAY1 + timedelta(days=15), 23, 42), tick=True)
        clock.start()
        _follow_up(page, base, app, case_a)
    finally:
        clock.stop()
        context.close()


def _day_one(page, base, app, tmp_path) -> None:
    _login(page, base, "dispatcher")
    shot(page, "day-home")
    page.goto(base + "/console/registries/enterprises")
    page.set_input_files("#import-form input[type=file]", str(_registry(tmp_path / "r.xlsx")))
    page.click("#import-form button")
    # Nothing is written until the preview is confirmed.
    expect(page.locator("#import-summary")).to_contain_text("将新增6条")
    page.click("#import-apply button")
    expect(page.locator(".flash")).to_contain_text("新增6条")
    # Finding an enterprise: two words, extra blanks, the 属地 filter.
    page.fill("input[name=q]", "  加油站　王建国 ")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("#registry tbody tr")).to_have_count(1)
    shot(page, "day-registry-search")
    page.click("#registry tbody a")
    expect(page.locator("h1")).to_contain_text("长子县丹朱加油站")
    shot(page, "day-enterprise")

    page.goto(base + "/console/plans")
    page.set_input_files("input[type=file]", str(_plan(tmp_path / "plan.xlsx")))
    page.click("form.card button[type=submit]")
    expect(page.locator("#import-report")).to_contain_text("导入完成")
    expect(page.locator("h2").first).to_contain_text("2026年")
    page.click("#publish-GM-2026")
    shot(page, "day-plans")
    page.click(f"a:text('{TASK}')")
    # The ceremony: check, freeze naming a lottery draw announced a few seconds after
    # the freeze in the moved clock (it ticks), wait for it, draw with its numbers.
    page.click("#check")
    expect(page.locator("#problems-ok")).to_contain_text("检查通过")
    page.select_option("#source", "lottery")
    page.fill("input[name=lottery_draw]", "2026024")
    soon = datetime.now(UTC) + timedelta(seconds=4)  # the moved clock; a busy machine is slow
    page.fill("input[name=lottery_time]", soon.astimezone(
        ZoneInfo("Asia/Shanghai")).replace(tzinfo=None).isoformat(timespec="seconds"))
    page.click("#freeze")
    expect(page.locator(".flash")).to_contain_text("已冻结")
    assert len(page.locator("#commitment").inner_text()) == 64
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.3)  # announced
    page.fill("#numbers", "0 7 2")
    page.click("#run-draw")
    expect(page.locator(".flash")).to_contain_text("抽取完成")
    # The record's time is Beijing's 08:5x, not UTC's 00:5x.
    expect(page.locator("main")).to_contain_text(f"{DAY1.isoformat()} 08:5")
    assert not re.search(rf"{DAY1.isoformat()} 00:5\d", page.locator("main").inner_text())
    shot(page, "day-draw")
    sheet = page.context.new_page()
    sheet.goto(f"{base}/console/tasks/{TASK}/sheet")
    expect(sheet.locator(".signatures")).to_contain_text("见证人")
    sheet.emulate_media(media="print")
    shot(sheet, "day-sheet-print")
    sheet.close()
    page.click("#dispatch")
    # A confirmation page first (outside test #19), saying what will happen.
    expect(page.locator("#dispatch-summary")).to_contain_text("编发《随机抽查通知书》文号 6 个")
    page.click("#dispatch-confirm")
    expect(page.locator(".flash")).to_contain_text("已派发6户")
    shot(page, "day-dispatch")
    notice = page.locator("#teams tbody tr").first.locator("a[title]")
    resp = page.request.get(base + notice.get_attribute("href"))
    assert resp.status == 200 and resp.body()[:4] == b"%PDF"
    assert "filename*=UTF-8''" in resp.headers["content-disposition"]


def _visit_ids(app) -> list[int]:
    with app.app_context():
        task = db.session.scalar(sa.select(Task).where(Task.task_no == TASK))
        ids = db.session.scalars(sa.select(Visit.id).where(
            Visit.task_id == task.id, Visit.current.is_(True)).order_by(Visit.id)).all()
        db.session.remove()
    return list(ids)


def _case_of(app, visit_id: int) -> int:
    with app.app_context():
        cid = db.session.scalar(sa.select(Case.id).where(Case.visit_id == visit_id))
        db.session.remove()
    return cid


def _after_midnight(page, base, app, visits) -> tuple[int, int]:
    """00:10 Beijing on 03-03 is still 03-02 in UTC: the pages say 03-02 23:xx."""
    page.goto(base + "/console/cases")
    case_a, case_b = _case_of(app, visits[0]), _case_of(app, visits[1])
    page.goto(f"{base}/console/cases/{case_a}")
    expect(page.locator("main")).to_contain_text("已检查")
    text = page.locator("main").inner_text()
    assert f"{DAY1.isoformat()} 23:" in text       # the record arrived 23:50 Beijing
    assert not re.search(rf"{DAY1.isoformat()} 15:[45]\d", text)  # never the UTC time
    assert "inspect" not in text and "system" not in text
    assert "现场检查记录\t（示）应急检记〔2026〕1号\t2026-03-02" in text  # the Beijing day
    # Only the actions the state allows are offered: no 销号 while a hazard is open.
    expect(page.locator("form[id^=act-]")).to_have_count(2)  # 下达整改指令, 转处罚/移送
    shot(page, "day-case-after-midnight")
    page.goto(f"{base}/console/cases/{case_b}")
    page.goto(base + "/console/")
    shot(page, "day-home-dispatcher")
    return case_a, case_b


def _review(page, phone, base, case_a, case_b) -> None:
    _login(page, base, "reviewer")
    expect(page.locator("#todos")).to_contain_text("待法制审核的检查结果")
    shot(page, "day-home-reviewer")
    page.goto(base + "/console/publication")
    expect(page.locator("#review tbody tr")).to_have_count(2)
    expect(page.locator("#review")).to_contain_text("现场检查记录")
    shot(page, "day-review")
    row = page.locator("#review tbody tr").first
    name = row.locator("td").nth(1).locator("a").inner_text()
    row.locator("input[name=note]").fill("检查结果应为责令改正，请核对")
    row.locator("button:text('退回')").click()
    expect(page.locator(".flash")).to_contain_text("已退回")

    _login(page, base, "dispatcher")
    page.goto(base + "/console/publication?review=rejected")
    expect(page.locator("#review")).to_contain_text("检查结果应为责令改正，请核对")
    page.click("#review a:text('修改后重新提交')")
    expect(page.locator("#publication")).to_contain_text("检查结果应为责令改正，请核对")
    page.fill("#resubmit input[name=note]", "已核对现场记录")
    page.click("#resubmit button")
    expect(page.locator(".flash")).to_contain_text("已重新提交法制审核")

    _login(page, base, "reviewer")
    page.goto(base + "/console/publication")
    page.check("#review tbody tr >> nth=0 >> input[type=checkbox]")
    page.check("#review tbody tr >> nth=1 >> input[type=checkbox]")
    page.click("#bulk button[value=approve]")
    expect(page.locator(".flash")).to_contain_text("已审核通过并公开2条")
    phone.goto(base + "/public/results?q=" + name[-5:])
    expect(phone.locator("main")).to_contain_text(name)
    shot(phone, "day-public-results", full_page=False)


def _follow_up(page, base, app, case_a) -> None:
    _login(page, base, "dispatcher")
    page.goto(f"{base}/console/cases/{case_a}")
    page.click("#act-issue_orders button")
    expect(page.locator(".flash")).to_contain_text("已办理")
    # A report dated in the future: the date field's max stops it in the browser, and
    # without that hint (removed here) the server refuses it in Chinese.
    field = page.locator("#act-report_rectification input[name=reported_on]")
    assert field.get_attribute("max") == (DAY1 + timedelta(days=15)).isoformat()
    field.evaluate("f => f.removeAttribute('max')")
    page.fill("#act-report_rectification input[name=reported_on]", "2030-01-01")
    page.click("#act-report_rectification button")
    expect(page.locator(".flash")).to_contain_text("不能晚于今天")
    page.fill("#act-report_rectification input[name=reported_on]",
              (DAY1 + timedelta(days=14)).isoformat())
    page.click("#act-report_rectification button")
    page.click("#act-schedule_reinspection button")
    expect(page.locator("main")).to_contain_text("复查中")
    with app.app_context():
        case = db.session.get(Case, case_a)
        re_visit = case.reinspections[-1].visit_id
        db.session.remove()
    _arrive(app, base, page.request, re_visit, DAY1 + timedelta(days=15), hazard=False)
    page.goto(f"{base}/console/cases/{case_a}")
    expect(page.locator("main")).to_contain_text("已复查")
    page.click("#act-close button")
    expect(page.locator("main")).to_contain_text("已销号办结")
    shot(page, "day-case-closed")

    _login(page, base, "admin")  # admin is also who reads the audit log
    page.goto(base + "/console/audit")
    shot(page, "day-audit")
    page.goto(base + "/console/dashboard")
    shot(page, "day-dashboard")
    with app.app_context():
        from server.services.accounts import create_user

        create_user("archivist", "archivist", PASSWORD, display_name="闫秀兰")
        db.session.remove()
    _login(page, base, "archivist")
    expect(page.locator("#todos")).to_contain_text("已办结待归档的案件")
    page.goto(f"{base}/console/cases/{case_a}")
    page.click("button:text('归档（归档后冻结）')")
    expect(page.locator(".flash")).to_contain_text("已归档")
    shot(page, "day-archived")
