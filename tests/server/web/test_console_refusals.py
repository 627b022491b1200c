"""Plan and draw forms leave a refusal to the one error handler (server/errors.py):
no route catches a service error itself, and the person still reads the reason,
with the form's own words (未保存、导入失败 …), on the page they came from."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

from shared.enums import Role
from tests.server.web import dataset
from tests.server.web.conftest import csrf

WEB = Path(__file__).resolve().parents[3] / "server" / "web"
REFUSALS = {"ServiceError", "PlanError", "FollowupError", "CaseError", "FormError",
            "DateProblem", "AccountError"}


@pytest.mark.parametrize("module", ["console_plans.py", "console_plan_review.py",
                                    "console_plan_edit.py", "console_cases.py",
                                    "console_users.py"])
def test_no_form_route_catches_a_service_refusal(module):
    tree = ast.parse((WEB / module).read_text("utf-8"))
    caught = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "")
                     for n in ast.walk(node.type)}
            if names & REFUSALS:
                caught.append(f"{module}:{node.lineno}")
    # One GET is allowed its own answer: 一企一档 shows "not found" on its search page.
    assert [c for c in caught if not _enterprise_file_lookup(module, tree, c)] == []


def _enterprise_file_lookup(module: str, tree: ast.Module, where: str) -> bool:
    line = int(where.split(":")[1])
    return module == "console_cases.py" and any(
        isinstance(f, ast.FunctionDef) and f.name == "enterprise_files"
        and f.lineno <= line <= f.end_lineno for f in tree.body)


def test_a_refused_freeze_is_shown_on_the_task_page(ctx, client, login):
    dataset.build()
    login(Role.DISPATCHER)
    task_page = f"http://localhost/console/tasks/{dataset.OPEN_TASK}"
    resp = client.post(f"/console/tasks/{dataset.OPEN_TASK}/freeze",
                       data={"csrf_token": csrf(client)}, headers={"Referer": task_page})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(
        f"/console/tasks/{dataset.OPEN_TASK}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'class="flash"' in page and "已抽取" in page


def test_a_plan_import_without_a_file_says_so(ctx, client, login):
    login(Role.DISPATCHER)
    page = client.post("/console/plans", data={
        "csrf_token": csrf(client), "file": (io.BytesIO(b""), "")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "导入失败：请选择要导入的文件" in page


def test_plan_forms_keep_their_words_before_the_reason(ctx, client, login):
    login(Role.DISPATCHER)
    page = client.post("/console/plans/new", data={
        "csrf_token": csrf(client), "plan_no": "X", "name": "计划", "year": "二〇二六"},
        follow_redirects=True).get_data(as_text=True)
    assert "未新建：年度应为四位数字" in page
    client.post("/console/plans/new", data={"csrf_token": csrf(client), "plan_no": "X",
                                            "name": "计划", "year": "2026"})
    again = client.post("/console/plans/new", data={
        "csrf_token": csrf(client), "plan_no": "X", "name": "计划", "year": "2026"},
        follow_redirects=True).get_data(as_text=True)
    assert "未新建：计划编号X已存在" in again


def test_an_unknown_plan_review_is_a_404_page_with_navigation(ctx, client, login):
    login(Role.DISPATCHER)
    resp = client.get("/console/plans/NO-SUCH/review")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert "未找到计划编号为NO-SUCH的抽查计划" in html and "计划与抽取" in html  # the menu


def test_a_refused_task_review_goes_back_with_the_reason(ctx, client, login):
    dataset.build()
    login(Role.DISPATCHER)
    review = "http://localhost/console/plans/CS-2026/review"
    resp = client.post(f"/console/tasks/{dataset.OPEN_TASK}/review", data={
        "csrf_token": csrf(client), "ratio": "很多", "target_filter": "", "item_codes": []},
        headers={"Referer": review})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/plans/CS-2026/review")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'class="flash"' in page and "已确认" not in page
