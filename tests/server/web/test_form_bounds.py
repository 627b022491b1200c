"""Console forms keep the bounds of what they write: 用户名 and 姓名 at most 64
characters as the API has them, a calendar note at most 300 (posted directly, a
longer one was stored on SQLite and a 500 on PostgreSQL); refused in Chinese,
nothing stored."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import CalendarYear, User
from shared.enums import Role
from tests.server.web.conftest import csrf


def test_user_forms_keep_the_apis_bounds(ctx, client, login):
    admin = login(Role.ADMIN)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    page = client.post("/console/users", data={
        "csrf_token": csrf(client), "username": "u" * 65, "role": "dispatcher",
        "password": "longenough1", "display_name": "孙立新"}, follow_redirects=True)
    assert "未创建：用户名：长度应在1至64个字符之间" in page.get_data(as_text=True)
    page = client.post("/console/users", data={
        "csrf_token": csrf(client), "username": "newdispatcher", "role": "dispatcher",
        "password": "longenough1", "display_name": "孙" * 65}, follow_redirects=True)
    assert "未创建：姓名：长度不能超过64个字符" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    user_id = db.session.scalar(sa.select(User.id).where(User.username == admin))
    page = client.post(f"/console/users/{user_id}", data={
        "csrf_token": csrf(client), "display_name": "管" * 65, "role": "admin"},
        follow_redirects=True)
    assert "未保存：姓名：长度不能超过64个字符" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user_id).display_name != "管" * 65
    page = client.post(f"/console/users/{user_id}", data={
        "csrf_token": csrf(client), "display_name": "管" * 64, "role": "admin"},
        follow_redirects=True)
    assert "已修改" in page.get_data(as_text=True)


def test_the_calendar_form_keeps_its_bounds_and_speaks_chinese(ctx, client, login):
    login(Role.ADMIN)
    for over, words in (({"note": "国" * 301}, "未保存：备注不能超过300字"),
                        ({"year": "二〇二七"}, "未保存：年份应为四位数字")):
        page = client.post("/console/calendar", data={
            "csrf_token": csrf(client), "year": "2027", "holidays": "2027-02-05~2027-02-11",
            "workdays": "", **over}, follow_redirects=True).get_data(as_text=True)
        assert words in page and "invalid literal" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarYear)) == 0
