"""Every API route declares its roles, and refuses anonymous and wrong-role callers."""

import re

import pytest

from shared.enums import Role

_SAMPLE = {"uscc": "91350100M000100Y43", "cert_no": "X1", "kind": "enterprises",
           "device_id": "d1", "task_no": "T1", "expert_id": "1", "record_id": "1",
           "uuid": "00000000-0000-4000-8000-000000000000", "sha256": "0" * 64}


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and not rule.rule.startswith("/api/openapi"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}) or ["HEAD"]:
                yield rule, method, app.view_functions[rule.endpoint]


def _url(rule) -> str:
    def fill(match):
        name = match.group(1).split(":")[-1]
        if "any(" in match.group(1):
            return re.search(r"any\(([^,)]+)", match.group(1)).group(1)
        return _SAMPLE.get(name, "1")
    return re.sub(r"<([^>]+)>", fill, rule.rule)


def test_every_api_route_declares_roles_or_is_deliberately_public(app):
    undeclared = [f"{m} {r.rule}" for r, m, view in _api_rules(app)
                  if not hasattr(view, "_roles") and not getattr(view, "_public", False)]
    assert undeclared == []
    public = sorted({r.rule for r, _m, v in _api_rules(app) if getattr(v, "_public", False)})
    assert public == ["/api/v1/auth/token"]


def test_unauthenticated_and_wrong_role_calls_are_refused(app, client, auth):
    checked = 0
    tokens = {role: auth(role) for role in Role}
    for rule, method, view in _api_rules(app):
        if getattr(view, "_public", False):
            continue
        url = _url(rule)
        resp = client.open(url, method=method, json={})
        assert resp.status_code == 401, f"{method} {url} without a token → {resp.status_code}"
        assert resp.json["message"]
        bad = client.open(url, method=method, json={},
                          headers={"Authorization": "Bearer not-a-token"})
        assert bad.status_code == 401, f"{method} {url} with a forged token"
        for role in set(Role) - set(view._roles):
            resp = client.open(url, method=method, json={}, headers=tokens[role])
            assert resp.status_code == 403, f"{method} {url} as {role} → {resp.status_code}"
        checked += 1
    assert checked >= 15


def test_revoked_token_is_refused_on_the_next_call(client, auth, runner, app):
    headers = auth(Role.DISPATCHER, device_id="tablet-7")
    assert client.get("/api/v1/enterprises", headers=headers).status_code == 200
    result = runner.invoke(args=["device", "revoke", "tablet-7"])
    assert result.exit_code == 0 and "已吊销" in result.output
    resp = client.get("/api/v1/enterprises", headers=headers)
    assert resp.status_code == 401 and "重新登录" in resp.json["message"]


@pytest.mark.parametrize("body, code", [
    ({"username": "nobody", "password": "x", "device_id": "d"}, 401),
    ({"username": "nobody"}, 400),
])
def test_token_endpoint_errors(client, body, code):
    resp = client.post("/api/v1/auth/token", json=body)
    assert resp.status_code == code and resp.json["code"] == code and resp.json["message"]
