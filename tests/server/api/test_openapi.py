"""The API contract: /api/openapi.json is a valid OpenAPI 3 document in which
every operation has an operationId, a summary and the error answers the server
gives it (server/api/contract.py completes them centrally)."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

METHODS = {"get", "post", "put", "patch", "delete", "head"}


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def test_document_is_valid(client):
    spec = client.get("/api/openapi.json").json
    validate(spec)  # raises with the offending pointer if not


def test_every_operation_has_id_summary_and_error_answers(client):
    spec = client.get("/api/openapi.json").json
    ids = []
    problems = []
    for path, method, op in _operations(spec):
        ids.append(op.get("operationId"))
        if not op.get("operationId") or not op.get("summary"):
            problems.append(f"{method} {path}: operationId/summary")
        if re.search(r"[A-Za-z]{3,} [a-z]{3,}", op.get("summary", "")) and not re.search(
                r"[\u4e00-\u9fff]", op["summary"]):
            problems.append(f"{method} {path}: summary not in Chinese: {op['summary']}")
        responses = set(op["responses"])
        guarded = path not in ("/healthz", "/api/v1/auth/token") or method == "delete"
        if guarded and not {"401", "403"} <= responses:
            problems.append(f"{method} {path}: 401/403 not declared")
        if "{" in path and "404" not in responses:
            problems.append(f"{method} {path}: 404 not declared")
        if method in ("post", "put", "patch", "delete") and not {"409", "422"} <= responses:
            problems.append(f"{method} {path}: 409/422 not declared")
    assert problems == []
    assert len(ids) == len(set(ids)) >= 60


def test_declared_errors_are_what_the_server_answers(client, auth):
    from shared.enums import Role
    spec = client.get("/api/openapi.json").json
    op = spec["paths"]["/api/v1/plans/{plan_no}"]["get"]
    assert {"401", "403", "404"} <= set(op["responses"])
    assert client.get("/api/v1/plans/P-1").status_code == 401
    assert client.get("/api/v1/plans/P-1", headers=auth(Role.DISPATCHER)).status_code == 404


def test_a_multipart_upload_is_one_request_body(client):
    spec = client.get("/api/openapi.json").json
    op = spec["paths"]["/api/v1/plans/import"]["post"]
    assert "parameters" not in op or all(p["in"] != "formData" for p in op["parameters"])
    body = op["requestBody"]["content"]["multipart/form-data"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    assert {"file", "reason"} <= set(spec["components"]["schemas"][name]["properties"])
