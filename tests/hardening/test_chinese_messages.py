"""Every message a person can read is Chinese (outside test finding 11 and 18).

The walk takes every operation of the OpenAPI contract (/api/openapi.json, built
from the routes by server/api/contract.py) and, for every property of its body
and every query parameter, sends values that break the declared type and limits
(too long, too short, out of range, not a choice, wrong type, a control
character), plus bodies that are not JSON at all. Every refusal's ``message``
and every text under ``errors`` must hold Chinese: a field name or a code may
appear inside (the API shape names the field), an English sentence may not.

A second test asks for every error status the app can produce (400 … 500) on
the API and on the console and public pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from shared.enums import Role

CJK = re.compile(r"[\u4e00-\u9fff]")
METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = spec["components"]["schemas"][name]
    if "allOf" in node:
        merged: dict = {}
        for part in node["allOf"]:
            merged.update(_resolve(spec, part))
        return merged
    return node


def bad_values(spec: dict, schema: dict) -> Iterator[object]:
    """Values that break what *schema* declares, one rule at a time."""
    schema = _resolve(spec, schema)
    kind = schema.get("type")
    if kind == "string":
        yield 12345
        yield "甲\x00乙"
        if "maxLength" in schema:
            yield "长" * (schema["maxLength"] + 1)
        if schema.get("minLength"):
            yield ""
        if "enum" in schema:
            yield "不是选项之一"
        if "pattern" in schema or schema.get("format") in ("date", "date-time", "uuid"):
            yield "!!?"
    elif kind in ("integer", "number"):
        yield "不是数字"
        yield 10**30
        if "minimum" in schema:
            yield schema["minimum"] - 1
        if "maximum" in schema:
            yield schema["maximum"] + 1
    elif kind == "boolean":
        yield "也许"
    elif kind == "array":
        yield "不是列表"
        for item in bad_values(spec, schema.get("items", {})):
            yield [item]
            break
    elif kind == "object" or "properties" in schema:
        yield "不是对象"
    yield None


def placeholder(name: str) -> str:
    return "1" if name.endswith("id") else "X-1"


def requests(spec: dict) -> Iterator[tuple[str, str, dict]]:
    """(method, url, request kwargs) for every bad value of every field."""
    for path, item in spec["paths"].items():
        url = re.sub(r"\{([^}]+)\}", lambda m: placeholder(m.group(1)), path)
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            for param in op.get("parameters", []) + item.get("parameters", []):
                if param.get("in") != "query":
                    continue
                for value in bad_values(spec, param.get("schema", {})):
                    if value is None or isinstance(value, list):
                        continue
                    yield method, url, {"query_string": {param["name"]: str(value)}}
            content = op.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            if body is None:
                continue
            yield method, url, {"data": b"{not json", "content_type": "application/json"}
            yield method, url, {"data": b"\xff\xfe", "content_type": "application/json"}
            yield method, url, {"json": ["不是对象"]}
            yield method, url, {"json": {"unknown_field_x": 1}}
            for name, prop in _resolve(spec, body).get("properties", {}).items():
                if _resolve(spec, prop).get("readOnly"):
                    continue
                for value in bad_values(spec, prop):
                    yield method, url, {"json": {name: value}}


def english(node: object, where: str = "") -> list[str]:
    """Texts in an error answer that hold no Chinese (field names as keys are fine)."""
    if isinstance(node, str):
        return [] if CJK.search(node) else [f"{where}: {node!r}"]
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in english(v, f"{where}.{k}")]
    if isinstance(node, list):
        return [t for v in node for t in english(v, where)]
    return []


def test_every_validation_message_in_the_contract_is_chinese(app, client, auth):
    spec = client.get("/api/openapi.json").json
    admin = auth(Role.ADMIN)
    problems: list[str] = []
    refused = 0
    for method, url, kwargs in requests(spec):
        resp = getattr(client, method)(url, headers=admin, **kwargs)
        if resp.status_code < 400 or not resp.is_json:
            continue
        refused += 1
        body = resp.get_json()
        shown = {"message": body.get("message"), "errors": body.get("errors")}
        for text in english(shown):
            problems.append(f"{method.upper()} {url} {kwargs} → {resp.status_code} {text}")
        # the sentence names fields in Chinese (the keys stay in "errors"); a field
        # the caller made up is named as sent
        for key in ENGLISH_FIELD.findall(body.get("message") or ""):
            if key != "unknown_field_x":
                problems.append(f"{method.upper()} {url} {kwargs} → field {key!r} not named")
        problems.extend(f"{method.upper()} {url} {kwargs} → {body['message']}"
                        for _ in CODE_AND_LABEL.findall(body.get("message") or ""))
        for listed in CHOICES.findall(body.get("message") or ""):  # labels, not codes
            if re.search(r"[a-z_]{3,}", re.sub(r"xlsx|csv|drand", "", listed)):
                problems.append(f"{method.upper()} {url} {kwargs} → choices {listed!r}")
    assert refused > 300, f"the walk should provoke many refusals, got {refused}"
    assert not problems, f"{len(problems)} English messages:\n" + "\n".join(problems[:40])


# “plan_no：…” / “…；window_start：…” / “rules·nope：…”: an English field name in the sentence.
ENGLISH_FIELD = re.compile(r"(?:^|：|；|·)([A-Za-z_][A-Za-z0-9_]*)(?=：|·)")
CHOICES = re.compile(r"应为以下(?:取值)?之一：([^；]*)")
# “A（A）”, “coal_mine（煤矿）”: a code beside its label in a list of choices.
CODE_AND_LABEL = re.compile(r"[A-Za-z_]+（[^）]*）")


def test_refusals_name_the_field(client, auth):
    resp = client.post("/api/v1/plans", headers=auth(Role.ADMIN),
                       json={"plan_no": "A" * 10000, "name": "计划", "year": 99999})
    assert resp.status_code == 400
    body = resp.get_json()
    # the key stays in the structured part, the sentence names the field in Chinese
    assert body["errors"]["json"]["plan_no"] == ["长度应在1至64个字符之间"]
    assert "计划编号：长度应在1至64个字符之间" in body["message"]
    assert "年度：应不小于2000且不大于2100" in body["message"]
    assert "plan_no" not in body["message"] and "year" not in body["message"]


def test_a_task_names_its_fields_as_the_plan_spreadsheet_does(client, auth):
    headers = auth(Role.ADMIN)
    assert client.post("/api/v1/plans", headers=headers,
                       json={"plan_no": "P1", "name": "计划", "year": 2026}).status_code == 201
    resp = client.post("/api/v1/plans/P1/tasks", headers=headers,
                       json={"task_no": "T1", "name": "任务", "draw_type": "directed",
                             "ratio": "10%", "window_end": "2026-12-31"})
    body = resp.get_json()
    assert resp.status_code == 400 and body["errors"]["json"]["window_start"] == ["必填项"]
    assert "开始日期：必填项" in body["message"], body["message"]


def test_enum_refusals_list_the_chinese_labels_and_a_label_is_accepted(client, auth):
    headers = auth(Role.ADMIN)
    from tests.server.factories import uscc

    base = {"uscc": uscc(901), "name": "测试企业有限公司", "industry": "工贸"}
    bad = client.post("/api/v1/enterprises", headers=headers, json={**base, "credit_class": "E"})
    body = bad.get_json()
    assert bad.status_code == 400 and "credit_class" in body["errors"]["json"]
    assert "信用风险分类：应为以下之一：A、B、C、D" in body["message"], body["message"]
    assert "A（A）" not in body["message"]
    wrong = client.post("/api/v1/enterprises", headers=headers, json={**base, "industry": "化工"})
    assert "行业领域：应为以下之一：煤矿、非煤矿山、" in wrong.get_json()["message"]
    assert not CODE_AND_LABEL.search(wrong.get_json()["message"])
    made = client.post("/api/v1/enterprises", headers=headers, json={**base, "credit_class": "b"})
    assert made.status_code == 201, made.get_json()
    assert (made.get_json()["industry"], made.get_json()["credit_class"]) == ("industry_trade", "B")


def _statuses(app, client, auth, prefix: str) -> dict[int, object]:
    """One response per error status, for the API (*prefix* /api/v1) or a page."""
    api = prefix.startswith("/api")

    @app.route(f"{prefix}/boom-for-test")
    def _boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["MAX_CONTENT_LENGTH"] = 4096
    inspector, admin = auth(Role.INSPECTOR), auth(Role.ADMIN)
    client.get("/console/login")
    with client.session_transaction() as s:  # past the CSRF check, to the 405 itself
        form = {"X-CSRF-Token": s["csrf"]}
    answers = {
        404: client.get(f"{prefix}/no-such-page"),
        405: client.delete("/api/v1/plans" if api else f"{prefix}/" + (
            "login" if prefix == "/console" else "plans"),
                           headers=admin if api else form),
        413: client.post("/api/v1/plans" if api else "/console/login", data=b"x" * 5000,
                         headers=admin if api else form,
                         content_type="application/json" if api
                         else "application/x-www-form-urlencoded"),
        414: client.get(f"{prefix}/enterprises?q=" + "长" * 20000),
        400: client.get("/api/v1/enterprises?page=-1", headers=admin) if api
        else client.post("/console/login", data={"username": "x"}),
        403: client.get("/api/v1/enterprises", headers=inspector) if api else None,
    }
    answers[500] = client.get(f"{prefix}/boom-for-test")
    return {k: v for k, v in answers.items() if v is not None}


@pytest.mark.parametrize("prefix", ["/api/v1", "/console", "/public"])
def test_every_error_page_is_chinese(app, client, auth, prefix):
    answers = _statuses(app, client, auth, prefix)
    for status, resp in answers.items():
        assert resp.status_code == status, (prefix, status, resp.status_code)
        text = resp.get_data(as_text=True)
        if prefix.startswith("/api"):
            assert resp.is_json, (status, text[:200])
            assert not english({"message": resp.get_json()["message"],
                                "errors": resp.get_json().get("errors")}), (status, text)
        else:
            assert 'lang="zh-CN"' in text, (status, text[:300])
            title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
            assert CJK.search(title), (status, title)


@pytest.mark.parametrize("path", ["/api/v1/enterprises", "/console/enterprises"])
def test_the_development_server_refuses_an_overlong_address_in_chinese(app, path):
    """``make run`` serves with werkzeug, which answers a request line past 64 KiB
    itself (414) before the app: over real HTTP on loopback, that answer too."""
    import http.client
    import threading

    from werkzeug.serving import make_server

    from server.devserver import ChineseRequestHandler

    server = make_server("127.0.0.1", 0, app, request_handler=ChineseRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        conn.request("GET", path + "?q=" + "%E9%95%BF" * 25000)
        resp = conn.getresponse()
        text = resp.read().decode()
        conn.close()
    finally:
        server.shutdown()
    assert resp.status == 414
    if path.startswith("/api"):  # the API's error shape ("status" is its code name)
        assert resp.getheader("Content-Type") == "application/json"
        assert CJK.search(json.loads(text)["message"])
    else:
        assert 'lang="zh-CN"' in text and CJK.search(text)
        assert "Request-URI" not in text and "Error response" not in text


def test_library_descriptions_never_reach_a_person(app, client):
    """Flask's own refusals carry English descriptions ("Did not attempt to load
    JSON data …", "Failed to decode JSON object …"): the status's Chinese message
    stands in for them."""
    from flask import request

    @app.route("/api/v1/json-for-test", methods=["POST"])
    def _json():
        return request.get_json()

    for kwargs in ({"data": "x", "content_type": "text/plain"},
                   {"data": "{x", "content_type": "application/json"}):
        resp = client.post("/api/v1/json-for-test", **kwargs)
        assert resp.status_code in (400, 415)
        assert not english({"message": resp.get_json()["message"]}), resp.get_json()


def test_choices_of_a_plain_list_are_named_in_chinese(client, auth):
    resp = client.get("/api/v1/plans?status=nope", headers=auth(Role.ADMIN))
    body = resp.get_json()
    assert resp.status_code == 400 and "status" in body["errors"]["query"]
    assert "状态：应为以下之一：草稿、已发布、已变更待重新发布" in body["message"], body["message"]
