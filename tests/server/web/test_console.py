"""The office console through the Flask test client: every screen, its roles, and
the main actions (import, draw ceremony, dispatch, review, calendar, devices)."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from server.extensions import db
from server.models import CalendarYear, DeviceToken, Enterprise, PublicationResult
from server.services import publication as pub
from server.services.deadlines import bureau_today
from shared.enums import Outcome, Role
from shared.workdays import Calendar
from tests.server import factories
from tests.server.web import dataset
from tests.server.web.conftest import csrf

SCREENS = ["/console/", "/console/registries/enterprises", "/console/registries/inspectors",
           "/console/registries/experts", "/console/registries/items", "/console/plans",
           "/console/dispatch", "/console/publication", "/console/dashboard", "/console/users",
           "/console/calendar"]


def _console_views(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/console") and hasattr(view, "_console_roles"):
            yield rule, view


@pytest.mark.parametrize("role", list(Role))
def test_each_screen_renders_for_its_roles_and_refuses_others(app, client, login, role):
    login(role)
    allowed = {r.rule: v._console_roles for r, v in _console_views(app)}
    for url in SCREENS:
        rule = next(r for r in allowed if re.fullmatch(re.sub(r"<[^>]+>", "[^/]+", r), url))
        resp = client.get(url)
        expected = 200 if role in allowed[rule] else 403
        assert resp.status_code == expected, f"{role} GET {url}"
        if expected == 200:
            assert "随查" in resp.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    for url in SCREENS:
        resp = client.get(url)
        assert resp.status_code == 302 and "/console/login" in resp.location


def test_a_form_without_the_csrf_token_is_refused(client, login):
    login(Role.ADMIN)
    resp = client.post("/console/calendar", data={"year": "2027"})
    assert resp.status_code == 400


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ENT_HEADER = ["单位名称", "统一社会信用代码", "行业领域", "属地", "规模", "安全风险等级",
              "信用风险分类"]


def test_registry_import_shows_row_errors_then_imports(app, client, login, count_rows):
    login(Role.DISPATCHER)
    with app.app_context():
        good = factories.uscc(9001)
    bad = _xlsx([ENT_HEADER, ["甲公司", good, "工贸", "丹朱镇", "小", "一般", "B"],
                 ["乙公司", "91140428MA0000000X", "不存在的行业", "丹朱镇", "小", "一般", "B"]])
    preview = "/console/registries/enterprises/import/preview"
    html = client.post(preview, data={
        "csrf_token": csrf(client), "file": (io.BytesIO(bad), "bad.xlsx")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "导入失败，文件未作任何更改" in html and "第3行" in html
    # … and offers the upload form again, posting to the preview, for the corrected file.
    assert re.search(r'<form[^>]*id="import-form"[^>]*action="' + re.escape(preview) + '"', html,
                     re.S)
    assert count_rows(Enterprise) == 0
    ok = _xlsx([ENT_HEADER, ["甲公司", good, "工贸", "丹朱镇", "小", "一般", "B"]])
    html = client.post(preview, data={
        "csrf_token": csrf(client), "file": (io.BytesIO(ok), "ok.xlsx")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "将新增1条" in html and "甲公司" in html
    assert count_rows(Enterprise) == 0  # a preview changes nothing
    form = dict(re.findall(r'name="(key|token)" value="([^"]+)"', html))
    html = client.post("/console/registries/enterprises/import/apply", data={
        "csrf_token": csrf(client), **form}, follow_redirects=True).get_data(as_text=True)
    assert "导入完成：新增1条" in html and "甲公司" in html
    assert count_rows(Enterprise) == 1
    again = client.post("/console/registries/enterprises/import/apply", data={
        "csrf_token": csrf(client), **form}, follow_redirects=True).get_data(as_text=True)
    assert "预览已过期或不存在" in again and count_rows(Enterprise) == 1
    resp = client.get("/console/registries/enterprises/export.xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"


def test_import_preview_shows_what_catches_swapped_columns(app, client, login):
    """Testers' findings: the preview names the code column, shows 行业领域,
    乡镇, 信用 and 风险 beside each new record, reports a footer row it
    skipped, and offers 确认导入 above the tables as well as below them."""
    login(Role.DISPATCHER)
    with app.app_context():
        codes = [factories.uscc(9100 + i) for i in range(250)]
    rows = [ENT_HEADER, *[[f"企业{i}", code, "冶金", "鲍店镇", "小", "较大", "C"]
                          for i, code in enumerate(codes)], ["合计", "共250家"]]
    html = client.post("/console/registries/enterprises/import/preview", data={
        "csrf_token": csrf(client), "file": (io.BytesIO(_xlsx(rows)), "county.xlsx")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "将新增250条" in html and "列出前200条" in html
    assert "第252行“合计 | 共250家”是合计行，未导入" in html
    table = html[html.index('id="import-new"'):]
    head = table[:table.index("</thead>")]
    assert re.findall(r"<th>([^<]+)</th>", head) == [
        "统一社会信用代码", "单位名称", "行业领域", "所属乡镇（街道）", "信用风险分类",
        "安全风险等级"]
    first = table[table.index("<tbody>"):table.index("</tr>", table.index("<tbody>"))]
    assert re.findall(r"<td>([^<]*)</td>", first) == [
        codes[0], "企业0", "冶金", "鲍店镇", "C", "较大"]
    # The button comes before the long table, and again after it.
    assert html.index('id="import-apply"') < html.index('id="import-new"') < html.index(
        'id="import-apply-end"')
    assert html.count(">确认导入</button>") == 2


def test_registry_search_filter_and_paging(ctx, client, login):
    for i in range(55):
        factories.make_enterprise(name=f"分页企业{i:02d}", industry="metallurgy")
    factories.make_enterprise(name="唯一煤矿", industry="coal_mine")
    login(Role.ARCHIVIST)
    page1 = client.get("/console/registries/enterprises?industry=metallurgy").get_data(
        as_text=True)
    assert "（55）" in page1 and "第 1 / 2 页" in page1 and "唯一煤矿" not in page1
    page2 = client.get("/console/registries/enterprises?industry=metallurgy&page=2").get_data(
        as_text=True)
    assert page2.count("分页企业") == 5
    found = client.get("/console/registries/enterprises?q=唯一").get_data(as_text=True)
    assert "（1）" in found and "唯一煤矿" in found
    # Archivists read but cannot import.
    assert "import-form" not in found


def test_draw_ceremony_and_dispatch_from_the_console(ctx, client, login):
    from server.services import draw as draws
    from server.services import plans

    dataset.build(bureau_today())
    login(Role.DISPATCHER)
    # A fresh task of the published plan, drawn through the console.
    task = plans.get_task(dataset.OPEN_TASK)
    page = client.get(f"/console/tasks/{task.task_no}").get_data(as_text=True)
    assert "④ 抽取结果与记录" in page and "全部冻结与抽取尝试" in page
    # A redraw needs a new freeze with a reason; the console passes the refusal through.
    resp = client.post(f"/console/tasks/{task.task_no}/freeze", data={
        "csrf_token": csrf(client), "kind": "redraw", "reason": ""}, follow_redirects=True)
    assert "理由" in resp.get_data(as_text=True)
    assert draws.latest_record(task).kind == "draw"
    client.application.config["DRAND_LEAD_MINUTES"] = 0  # the named lottery draw is imminent
    announced = datetime.now(UTC) + timedelta(seconds=3)  # a busy machine may take a second
    soon = announced.astimezone(
        ZoneInfo("Asia/Shanghai")).replace(tzinfo=None).isoformat()
    resp = client.post(f"/console/tasks/{task.task_no}/freeze", data={
        "csrf_token": csrf(client), "kind": "redraw", "reason": "企业停产",
        "source": "lottery", "lottery_draw": "2026140", "lottery_time": soon},
        follow_redirects=True)
    commitment = re.search(r'id="commitment">([0-9a-f]{64})<', resp.get_data(as_text=True))
    assert commitment, resp.get_data(as_text=True)
    time.sleep(max(0.0, (announced - datetime.now(UTC)).total_seconds()) + 0.2)
    resp = client.post(f"/console/tasks/{task.task_no}/draw", data={
        "csrf_token": csrf(client), "numbers": "4 0 8"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "抽取完成" in html
    latest = draws.latest_record(task)
    assert latest.kind == "redraw" and latest.seed_commitment == commitment.group(1)
    assert latest.seed in html
    # The team rules in words and each officer's workload for the draw.
    assert "组队规则：每户检查人数2人" in html and 'id="workload"' in html
    assert latest.seed in html and "重新抽取 1 次" in html
    # The numbers the draw used, beside it, to hold against the lottery's announcement.
    assert '开奖号码 <span class="numbers">4 0 8</span>' in html
    public = client.get(f"/public/tasks/{task.task_no}").get_data(as_text=True)
    assert '（<span class="numbers">4 0 8</span>）' in public
    confirm = client.get(f"/console/tasks/{task.task_no}/dispatch").get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]+)"', confirm).group(1)
    resp = client.post(f"/console/tasks/{task.task_no}/dispatch",
                       data={"csrf_token": csrf(client), "token": token}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "已派发" in html and 'id="teams"' in html
    assert html.count("未回传") >= len(dataset.visits(dataset.OPEN_TASK))
    record = client.get(f"/console/records/{latest.id}.json")
    assert record.status_code == 200 and b"credit_class" in record.data  # staff copy

    # One visit withdrawn from the dispatch screen: a reason is required.
    from server.models.sync import Dispatch

    visit = next(v for v in dataset.visits(dataset.OPEN_TASK) if v.current)
    url = f"/console/visits/{visit.id}/withdraw"
    assert f'action="{url}"' in html
    resp = client.post(url, data={"csrf_token": csrf(client), "reason": " "},
                       follow_redirects=True)
    assert "撤回必须说明理由" in resp.get_data(as_text=True)
    d = db.session.scalar(sa.select(Dispatch).filter_by(visit_id=visit.id))
    assert d.withdrawn_at is None
    resp = client.post(url, data={"csrf_token": csrf(client), "reason": "企业已关闭"},
                       follow_redirects=True)
    assert "已撤回该检查对象" in resp.get_data(as_text=True)
    db.session.refresh(d)
    assert d.withdrawn_at is not None and d.withdrawn_reason == "企业已关闭"
    assert f'action="{url}"' not in resp.get_data(as_text=True)  # no second button
    login(Role.ARCHIVIST)
    assert client.post(url, data={"csrf_token": csrf(client), "reason": "x"}).status_code == 403


def test_reviewer_approves_and_the_result_goes_public(ctx, client, login):
    dataset.build(bureau_today())
    visit = dataset.inspected(dataset.OPEN_TASK)[0]
    result = pub.propose_result(visit.id, Outcome.NO_PROBLEM, bureau_today(), [])
    login(Role.DISPATCHER)
    page = client.get("/console/publication").get_data(as_text=True)
    assert visit.enterprise.name in page and "审核通过并公开" not in page
    assert client.post(f"/console/publication/{result.id}/approve",
                       data={"csrf_token": csrf(client)}).status_code == 403
    login(Role.REVIEWER)
    resp = client.post(f"/console/publication/{result.id}/approve",
                       data={"csrf_token": csrf(client), "revision": result.revision},
                       follow_redirects=True)
    assert "已审核通过并公开" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PublicationResult, result.id).status == "approved"
    assert visit.enterprise.name in client.get("/public/results").get_data(as_text=True)


def test_review_board_shows_status_and_the_provisional_warning(ctx, client, login):
    dataset.build(bureau_today())
    visits = dataset.inspected(dataset.OPEN_TASK)
    today = bureau_today()
    pub.propose_result(visits[0].id, Outcome.CORRECTED, today - timedelta(days=60), [])
    pub.propose_result(visits[1].id, Outcome.CORRECTED, today, [])
    login(Role.REVIEWER)
    html = client.get("/console/publication").get_data(as_text=True)
    assert "已逾期" in html and "未到期" in html
    # A deadline that runs into a year nobody has entered carries the warning.
    unpublished = next(y for y in range(today.year, today.year + 30)
                       if Calendar().source(y) == "provisional")
    pub.propose_result(visits[2].id, Outcome.CORRECTED, date(unpublished, 6, 1), [])
    html = client.get("/console/publication").get_data(as_text=True)
    assert f"{unpublished}年节假日安排尚未公布，已按法定节假日推算" in html


def test_calendar_page_stores_a_year_and_refuses_bad_input(ctx, client, login, count_rows):
    login(Role.ADMIN)
    page = client.get("/console/calendar").get_data(as_text=True)
    assert "节假日安排" in page
    resp = client.post("/console/calendar", data={
        "csrf_token": csrf(client), "year": "2027", "holidays": "2027-02-05~2027-02-11",
        "workdays": "2027-01-30,2027-02-20", "note": "国办发明电"}, follow_redirects=True)
    assert "已保存2027年节假日安排：放假7天，调休上班2天" in resp.get_data(as_text=True)
    resp = client.post("/console/calendar", data={
        "csrf_token": csrf(client), "year": "2027", "holidays": "2028-01-01"},
        follow_redirects=True)
    assert "未保存" in resp.get_data(as_text=True) and "其他年份" in resp.get_data(as_text=True)
    row = db.session.execute(sa.select(CalendarYear)).scalar_one()
    assert row.workdays == ["2027-01-30", "2027-02-20"]
    client.post("/console/calendar/2027/delete", data={"csrf_token": csrf(client)})
    assert count_rows(CalendarYear) == 0


def test_users_page_creates_a_user_and_revokes_a_device(ctx, client, login):
    factories.make_token(Role.INSPECTOR, device_id="tablet-lost")
    login(Role.ADMIN)
    resp = client.post("/console/users", data={
        "csrf_token": csrf(client), "username": "newdispatcher", "role": "dispatcher",
        "password": "longenough1", "display_name": "孙立新"}, follow_redirects=True)
    assert "已创建用户 newdispatcher" in resp.get_data(as_text=True)
    resp = client.post("/console/users", data={
        "csrf_token": csrf(client), "username": "x", "role": "dispatcher", "password": "short"},
        follow_redirects=True)
    assert "密码至少8位" in resp.get_data(as_text=True)
    resp = client.post("/console/devices/tablet-lost/revoke", data={"csrf_token": csrf(client)},
                       follow_redirects=True)
    assert "已吊销平板（编号 tablet-lost）的 1 个令牌" in resp.get_data(as_text=True)
    db.session.expire_all()
    token = db.session.execute(sa.select(DeviceToken).filter_by(device_id="tablet-lost")
                               ).scalar_one()
    assert token.revoked_at is not None


def test_plan_import_reports_bad_rows_and_publishes(ctx, client, login):
    login(Role.DISPATCHER)
    header = ("计划编号,计划名称,任务编号,任务名称,抽查类型,抽查比例,抽查对象范围,"
              "开始日期,结束日期,每户检查人数,是否暗查\n")
    bad = header + "P9,计划,T9,任务,定向,20%,行业领域=工贸,2026-13-01,2026-12-31,2,否\n"
    html = client.post("/console/plans", data={
        "csrf_token": csrf(client), "file": (io.BytesIO(bad.encode()), "plan.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "导入失败" in html and "第2行" in html
    good = header + "P9,计划,T9,任务,定向,20%,行业领域=工贸,2026-03-01,2026-12-31,2,否\n"
    html = client.post("/console/plans", data={
        "csrf_token": csrf(client), "file": (io.BytesIO(good.encode()), "plan.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "导入完成" in html and 'id="publish-P9"' in html
    html = client.post("/console/plans/P9/publish", data={"csrf_token": csrf(client)},
                       follow_redirects=True).get_data(as_text=True)
    assert "计划P9已发布" in html and 'id="publish-P9"' not in html
    assert client.get("/public/plans.json").json["plans"][0]["plan_no"] == "P9"
