"""`make run` loads a realistic county bureau into an empty database."""

import re

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Enterprise, Inspector, ItemListVersion, User
from server.services.accounts import AccountError, create_user, person_name
from server.services.demo_data import DEMO_USERS, load_demo
from shared.enums import Industry, Role
from shared.uscc import is_valid_uscc

_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def test_demo_data_loads_once(ctx):
    counts = load_demo()
    assert 140 <= counts["enterprises"] <= 160
    assert counts["inspectors"] >= 20 and counts["items"] >= 40
    enterprises = db.session.execute(sa.select(Enterprise)).scalars().all()
    assert all(is_valid_uscc(e.uscc) for e in enterprises)
    assert {e.industry for e in enterprises} >= {m.value for m in Industry}
    assert len({e.street for e in enterprises}) >= 5
    streets = {i.street for i in db.session.execute(sa.select(Inspector)).scalars()}
    assert None in streets and len(streets) >= 5  # bureau pool and several street pools
    roles = {u.role for u in db.session.execute(sa.select(User)).scalars()}
    assert roles == {r.value for r in Role}
    assert db.session.scalar(sa.select(sa.func.max(ItemListVersion.number))) == 1
    assert load_demo() == {}  # not twice


def test_demo_logins_work(client, ctx):
    load_demo()
    for username, *_ in DEMO_USERS:
        resp = client.post("/api/v1/auth/token", json={
            "username": username, "password": "suicha2024", "device_id": "t"})
        assert resp.status_code == 201, username


def test_every_demo_account_has_a_real_name_that_documents_print(ctx):
    load_demo()
    users = db.session.scalars(sa.select(User)).all()
    names = {u.username: u.display_name for u in users}
    assert all(_NAME.match(name or "") for name in names.values()), names
    assert len(set(names.values())) == len(names)  # nobody shares a name
    for u in users:
        if u.inspector:  # an inspector's account carries the registry's name
            assert u.display_name == u.inspector.name
        assert person_name(u.username) == u.display_name
    assert person_name("system") == "system"  # an actor that is no account


def test_staff_accounts_need_a_name(ctx):
    with pytest.raises(AccountError, match="姓名"):
        create_user("clerk", "dispatcher", "longenough1")
    with pytest.raises(AccountError, match="姓名"):
        create_user("clerk", "dispatcher", "longenough1", display_name="  ")
    assert create_user("clerk", "dispatcher", "longenough1", display_name=" 秦晓梅 "
                       ).display_name == "秦晓梅"


def test_setup_prints_logins_with_names_and_chinese_roles(runner, ctx):
    out = runner.invoke(args=["demo", "load"])
    assert out.exit_code == 0, out.output
    assert "已载入演示数据：企业" in out.output and "{" not in out.output
    line = next(li for li in out.output.splitlines() if li.strip().startswith("dispatcher"))
    assert "调度员" in line and "秦晓梅" in line
    for code in ("admin", "dispatcher", "archivist", "reviewer", "inspector"):
        # role codes appear only as login names at the start of a line
        assert all(code not in li.split(maxsplit=1)[1] for li in out.output.splitlines()
                   if li.startswith("  ")), code
