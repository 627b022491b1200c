"""Login failure handling that nobody can turn against others (outside test finding 15).

Five wrong passwords lock an account – but only for the address they came from:
the real dispatcher at another address logs in during the lockout, on the
console and on the tablet/API login. A separate limit per address over all
accounts stops one address from guessing across many accounts.
"""

from __future__ import annotations

from server.extensions import db
from server.security import LoginFailure
from shared.enums import Role
from tests.server import factories
from tests.server.test_production import console_login, prod, token_login  # noqa: F401

ATTACKER, OFFICE = "198.51.100.9", "10.20.0.15"


def test_an_outsider_cannot_lock_the_dispatcher_out(prod):  # noqa: F811
    with prod.app_context():
        factories.make_user(Role.DISPATCHER, username="dispatcher", password="right-pass")
    for _ in range(12):  # keeps trying during the draw ceremony
        console_login(prod.test_client(), "dispatcher", "wrong", ip=ATTACKER)
        token_login(prod.test_client(), "dispatcher", "wrong", ip=ATTACKER)
    # The guessing address is locked, even with the right password, told how long in Chinese.
    locked = console_login(prod.test_client(), "dispatcher", "right-pass", ip=ATTACKER)
    assert locked.status_code == 429
    assert "登录失败次数过多，请5分钟后再试" in locked.get_data(as_text=True)
    assert token_login(prod.test_client(), "dispatcher", "right-pass",
                       ip=ATTACKER).status_code == 429
    # The dispatcher at the bureau is not.
    assert console_login(prod.test_client(), "dispatcher", "right-pass",
                         ip=OFFICE).status_code == 302
    assert token_login(prod.test_client(), "dispatcher", "right-pass",
                       ip=OFFICE).status_code == 201


def test_one_address_cannot_guess_across_many_accounts(prod):  # noqa: F811
    with prod.app_context():
        for n in range(25):
            factories.make_user(Role.INSPECTOR, username=f"user{n}", password="right-pass")
    limit = prod.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):  # one guess per account: no account's own limit is reached
        assert token_login(prod.test_client(), f"user{n}", "wrong",
                           ip=ATTACKER).status_code == 401
    resp = token_login(prod.test_client(), f"user{limit}", "wrong", ip=ATTACKER)
    assert resp.status_code == 429
    assert resp.get_json()["message"] == "从本网络地址登录失败次数过多，请5分钟后再试"
    page = console_login(prod.test_client(), f"user{limit + 1}", "right-pass", ip=ATTACKER)
    assert page.status_code == 429
    assert "从本网络地址登录失败次数过多，请5分钟后再试" in page.get_data(as_text=True)
    # Every other address goes on as before.
    assert token_login(prod.test_client(), f"user{limit}", "right-pass",
                       ip=OFFICE).status_code == 201
    with prod.app_context():
        assert db.session.query(LoginFailure).filter_by(address=ATTACKER).count() == limit
