"""派发到检查组平板 asks first (outside test #19: one click sent 13 visits and
issued 13 通知书 numbers). The button opens a page that says, in Chinese, how many
visits go to which inspectors and that 通知书 numbers will be issued; only its
confirming POST (CSRF-protected, carrying the page's token) dispatches. Neither
the page, a POST without the token, nor a stale token changes anything."""

from __future__ import annotations

import re

import sqlalchemy as sa

from server.extensions import db
from server.models import Dispatch, DispatchEvent, Visit
from server.services.dispatch import reassign_visit
from shared.enums import Role
from tests.server import factories as f

from .conftest import csrf


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Dispatch)),
            db.session.scalar(sa.select(sa.func.count()).select_from(DispatchEvent)))


def _drawn(n: int = 3, **task_args):
    task = f.make_sync_task(**task_args)
    leader, other = f.make_inspector(name="韩文"), f.make_inspector(name="马敏志")
    visits = [f.make_sync_visit(task, [leader, other]) for _ in range(n)]
    return task, visits


def _token(html: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert found, html
    return found.group(1)


def test_the_button_opens_a_page_that_says_what_will_happen(ctx, client, login):
    task, visits = _drawn(3)
    login(Role.DISPATCHER)
    url = f"/console/tasks/{task.task_no}/dispatch"
    task_page = client.get(f"/console/tasks/{task.task_no}").get_data(as_text=True)
    # The task page's button only leads to the page (a GET form, no CSRF token).
    assert f'<form method="get" action="{url}"><button id="dispatch">' in task_page

    html = client.get(url).get_data(as_text=True)
    assert "确认派发（任务" in html
    assert "把 3 户检查对象派发到 2 名执法人员的平板" in html
    assert "编发《随机抽查通知书》文号 3 个" in html and "不能收回" in html
    assert "收到任务的执法人员：韩文、马敏志" in html
    assert html.count("派发并编发通知书") == 3
    assert 'id="dispatch-confirm">确认派发3户' in html
    assert _counts() == (0, 0)  # the page writes nothing

    # A POST without the page's token (the old one-click form) only shows the page.
    resp = client.post(url, data={"csrf_token": csrf(client)})
    assert resp.status_code == 200 and "把 3 户检查对象派发" in resp.get_data(as_text=True)
    assert _counts() == (0, 0)
    # The confirming POST without the CSRF token is refused.
    token = _token(html)
    resp = client.post(url, data={"token": token})
    assert resp.status_code == 400 and _counts() == (0, 0)

    resp = client.post(url, data={"csrf_token": csrf(client), "token": token},
                       follow_redirects=True)
    assert "已派发3户" in resp.get_data(as_text=True)
    numbers = db.session.scalars(sa.select(Dispatch.notice_no)).all()
    assert len(numbers) == 3 and all(numbers)
    assert all(db.session.get(Visit, v.id).status == "notified" for v in visits)
    # Nothing left to send: the page says so and offers no button.
    html = client.get(url).get_data(as_text=True)
    assert "无需再次派发" in html and 'id="dispatch-confirm"' not in html


def test_a_change_after_the_page_was_opened_is_shown_again_not_dispatched(ctx, client, login):
    task, visits = _drawn(2)
    login(Role.DISPATCHER)
    url = f"/console/tasks/{task.task_no}/dispatch"
    token = _token(client.get(url).get_data(as_text=True))
    # Meanwhile another dispatcher changes the second visit's team.
    third = f.make_inspector(name="郑秀兰")
    members = [(m.inspector_id, m.leader) for m in visits[1].members][:1] + [(third.id, False)]
    reassign_visit(visits[1].id, members, "other", "人员调整")

    resp = client.post(url, data={"csrf_token": csrf(client), "token": token})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="dispatch-changed"' in html
    assert "派发到 3 名执法人员的平板" in html and "郑秀兰" in html
    assert _counts() == (0, 0)
    resp = client.post(url, data={"csrf_token": csrf(client), "token": _token(html)},
                       follow_redirects=True)
    assert "已派发2户" in resp.get_data(as_text=True) and _counts()[0] == 2


def test_unannounced_task_says_no_notice_is_issued(ctx, client, login):
    task, _ = _drawn(1, unannounced=True)
    login(Role.DISPATCHER)
    html = client.get(f"/console/tasks/{task.task_no}/dispatch").get_data(as_text=True)
    assert "暗查暗访，不编发通知书" in html and "编发《随机抽查通知书》文号" not in html


def test_only_the_office_sees_the_page(ctx, client, login):
    task, _ = _drawn(1)
    login(Role.REVIEWER)
    assert client.get(f"/console/tasks/{task.task_no}/dispatch").status_code == 403
