"""User administration, the password policy, error pages, downloads with Chinese
names, the enterprise page and the shared list behaviour (search, sort, export)."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from server.extensions import db
from server.models import AuditLog, DeviceToken, Enterprise, User
from server.services.accounts import AccountError, check_password_policy
from shared.enums import Role
from tests.server import factories
from tests.server.web.conftest import csrf


@pytest.mark.parametrize("weak", ["12345678", "abcdefgh", "aaaaaaaa1", "Password",
                                  "qwerty123", "zhang-san-1"])
def test_weak_passwords_are_refused_in_chinese(weak):
    with pytest.raises(AccountError) as err:
        check_password_policy(weak, "zhang-san")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


def test_a_reasonable_password_passes():
    check_password_policy("Danzhu-2026", "zhangsan")


def test_admin_edits_resets_and_disables_a_user(ctx, client, login):
    login(Role.ADMIN)
    user = factories.make_user(Role.DISPATCHER, username="lihua")
    factories.make_token(Role.DISPATCHER, user=user)
    resp = client.post(f"/console/users/{user.id}", data={
        "csrf_token": csrf(client), "display_name": "李华", "role": "archivist"},
        follow_redirects=True)
    assert "已修改李华的姓名、角色" in resp.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.display_name, user.role) == ("李华", "archivist")
    # A role change revokes the tablet tokens that carried the old rights.
    assert db.session.scalar(sa.select(DeviceToken.revoked_at).where(
        DeviceToken.user_id == user.id)) is not None
    resp = client.post(f"/console/users/{user.id}/password", data={
        "csrf_token": csrf(client), "password": "12345678"}, follow_redirects=True)
    assert "未重置：" in resp.get_data(as_text=True)
    assert user.check_password("password123")
    client.post(f"/console/users/{user.id}/password", data={
        "csrf_token": csrf(client), "password": "Dan-zhu-88"})
    db.session.refresh(user)
    assert user.check_password("Dan-zhu-88")
    client.post(f"/console/users/{user.id}/active", data={"csrf_token": csrf(client),
                                                           "active": "0"})
    db.session.refresh(user)
    assert not user.active
    actions = db.session.scalars(sa.select(AuditLog.after).where(
        AuditLog.entity == "users", AuditLog.entity_key == "lihua")).all()
    assert len(actions) == 3 and "12345678" not in str(actions)


def test_a_user_changes_their_own_password(ctx, client, login):
    name = login(Role.REVIEWER)
    page = client.get("/console/password").get_data(as_text=True)
    assert "修改我的密码" in page
    bad = client.post("/console/password", data={
        "csrf_token": csrf(client), "current": "wrong", "new": "Shen-he-2026",
        "again": "Shen-he-2026"}, follow_redirects=True)
    assert "当前密码不正确" in bad.get_data(as_text=True)
    client.post("/console/password", data={
        "csrf_token": csrf(client), "current": "password123", "new": "Shen-he-2026",
        "again": "Shen-he-2026"})
    user = db.session.scalar(sa.select(User).where(User.username == name))
    assert user.check_password("Shen-he-2026")


def test_a_stale_form_and_a_missing_page_answer_in_chinese_with_navigation(ctx, client, login):
    login(Role.DISPATCHER)
    stale = client.post("/console/calendar", data={"year": "2027", "csrf_token": "old"},
                        headers={"Referer": "http://localhost/console/calendar"})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 400 and "表单已过期" in body and "返回上一页" in body
    assert "计划与抽取" in body  # the console's navigation is there
    missing = client.get("/console/tasks/NO-SUCH-TASK")
    assert missing.status_code == 404 and "页面不存在" in missing.get_data(as_text=True)
    assert "计划与抽取" in missing.get_data(as_text=True)
    public = client.get("/public/tasks/NO-SUCH-TASK").get_data(as_text=True)
    assert "返回信息公开首页" in public


def test_a_chinese_file_name_travels_as_rfc_5987(ctx, client, login):
    login(Role.ARCHIVIST)
    ent = factories.make_enterprise(name="丹朱加油站")
    resp = client.get(f"/console/enterprise-file/{ent.uscc}.zip")
    header = resp.headers["Content-Disposition"]
    header.encode("latin-1")  # what gunicorn needs
    assert resp.status_code == 200 and 'filename="enterprise-file-' in header
    assert unquote(header.split("filename*=UTF-8''")[1]) == f"一企一档-{ent.uscc}.zip"


def test_enterprise_page_edits_adds_and_records_a_closure(ctx, client, login):
    login(Role.DISPATCHER)
    ent = factories.make_enterprise(name="长子县\u202e丹朱加油站")
    page = client.get(f"/console/enterprises/{ent.id}").get_data(as_text=True)
    assert "一企一档" in page and "修改登记信息" in page
    form = {"csrf_token": csrf(client), "name": "长子县\u200b丹朱加油站（更名）",
            "industry": ent.industry, "street": "丹朱镇", "legal_rep": "王刚"}
    client.post(f"/console/enterprises/{ent.id}", data=form)
    db.session.refresh(ent)
    assert (ent.name, ent.legal_rep) == ("长子县丹朱加油站（更名）", "王刚")
    resp = client.post(f"/console/enterprises/{ent.id}/status", data={
        "csrf_token": csrf(client), "status": "deregistered", "reason": "市场监管局注销公告"},
        follow_redirects=True)
    assert "经营状态已改为“注销”" in resp.get_data(as_text=True)
    bad = client.post("/console/enterprises/new", data={
        "csrf_token": csrf(client), "uscc": "91140428MA0B00001X", "name": "新企业",
        "industry": "fireworks"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.get_data(as_text=True)
    good_uscc = factories.uscc(4242)
    client.post("/console/enterprises/new", data={
        "csrf_token": csrf(client), "uscc": good_uscc, "name": "新烟花店", "industry": "fireworks"})
    assert db.session.scalar(sa.select(Enterprise.name).where(Enterprise.uscc == good_uscc)) \
        == "新烟花店"
    audit = db.session.scalars(sa.select(AuditLog.action).where(
        AuditLog.entity == "enterprise")).all()
    assert sorted(audit) == ["create", "update", "update"]


def test_registry_search_is_multi_word_and_the_export_is_the_filter(ctx, client, login):
    login(Role.ARCHIVIST)
    factories.make_enterprise(name="丹朱加油站", street="丹朱镇")
    factories.make_enterprise(name="慈林加油站", street="慈林镇")
    factories.make_enterprise(name="丹朱煤矿", street="丹朱镇")
    page = client.get("/console/registries/enterprises?q=+加油站　丹朱+").get_data(as_text=True)
    assert "丹朱加油站" in page and "慈林加油站" not in page and "丹朱煤矿" not in page
    found = client.get("/console/enterprise-file?q=慈林").get_data(as_text=True)
    assert "慈林加油站" in found and "历次检查" in found
    resp = client.get("/console/registries/enterprises?q=丹朱&sort=-uscc&export=xlsx")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["丹朱煤矿", "丹朱加油站"]


def test_a_server_error_is_a_chinese_page_with_navigation(app, client, login):
    def boom():
        raise RuntimeError("boom")

    app.add_url_rule("/console/boom", "boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(Role.DISPATCHER)
    resp = client.get("/console/boom")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "服务器出错" in body and "派发与同步" in body
    assert "boom" not in body and "Traceback" not in body


def test_revoke_is_offered_only_to_roles_that_may_revoke(ctx, client, login):
    user = factories.make_user(Role.INSPECTOR)
    factories.make_token(Role.INSPECTOR, user=user, device_id="pad-77")
    login(Role.REVIEWER)
    page = client.get("/console/dispatch").get_data(as_text=True)
    assert "pad-77" in page and "吊销</button>" not in page
    login(Role.DISPATCHER)
    assert "吊销</button>" in client.get("/console/dispatch").get_data(as_text=True)


def test_a_tablet_is_named_by_its_owner_and_number_not_by_its_raw_id(ctx, client, login):
    raw = "f9dc3a0f-5fde-44d2-9483-37343c65b2d5"  # what the tester's tablet sent
    user = factories.make_user(Role.INSPECTOR)
    factories.make_token(Role.INSPECTOR, user=user, device_id=raw)
    login(Role.DISPATCHER)
    page = client.get("/console/dispatch").get_data(as_text=True)
    table = page.split('id="tablets"')[1].split("</table>")[0]
    shown = re.sub(r"<[^>]+>", "", table)  # what a person reads (the id stays in a tooltip)
    assert "的平板（编号 F9DC）" in shown and raw not in shown
    login(Role.ADMIN)
    page = client.get("/console/users").get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", "", page.split('id="devices"')[1].split("</table>")[0])
    assert "的平板（编号 F9DC）" in shown and raw not in shown
