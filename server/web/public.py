"""一公开 public pages under /public/ (no login) and their JSON and CSV feeds.

Every value comes from ``services.publication``'s whitelists; this module only
renders them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from ..services import publication as pub
from ..sheets import csv_text
from .download import attachment

bp = Blueprint("public", __name__, url_prefix="/public", template_folder="templates")

FEED = "<any(json,csv):fmt>"


def _csv(header: list[str], rows: Iterable[list[Any]], name: str) -> Response:
    # Formulas neutralised, BOM for Excel (server/sheets.py).
    return Response(csv_text([header, *rows]), mimetype="text/csv; charset=utf-8",
                    headers=attachment(f"{name}.csv"))


def _feed(fmt: str, payload: Any, name: str, csv_of: Callable[[Any], tuple[list, list]]):
    if fmt == "json":
        return jsonify(payload)
    header, rows = csv_of(payload)
    return _csv(header, rows, name)


def _items_text(items: list[dict]) -> str:
    return "；".join(f"{i['code']} {i['name']}".strip() for i in items)


@bp.route("/")
def index():
    return render_template("public/index.html", bureau=current_app.config["BUREAU_NAME"],
                           results=pub.public_results(limit=10), plans=pub.public_plans())


PER_PAGE = 20  # a phone screen or two


@bp.route("/results")
def results():
    """Search by name or USCC, a year, 20 a page (readable on a phone)."""
    text = (request.args.get("q") or "").strip()[:100]
    year = request.args.get("year", type=int)
    total = pub.public_results_count(text, year)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    return render_template("public/results.html", q=text, year=year, total=total, page=page,
                           pages=pages, years=pub.public_result_years(),
                           results=pub.public_results(text, year, limit=PER_PAGE,
                                                      offset=(page - 1) * PER_PAGE))


@bp.route(f"/results.{FEED}")
def results_feed(fmt: str):
    return _feed(fmt, {"results": pub.public_results()}, "results", lambda p: (
        ["单位名称", "统一社会信用代码", "检查日期", "检查事项", "检查结果", "任务编号",
         "任务名称", "公开日期"],
        [[r["enterprise"], r["uscc"], r["inspected_on"], _items_text(r["items"]), r["outcome"],
          r["task_no"], r["task_name"], r["published_on"]] for r in p["results"]]))


@bp.route("/items")
def items():
    return render_template("public/items.html", data=pub.public_items())


@bp.route(f"/items.{FEED}")
def items_feed(fmt: str):
    return _feed(fmt, pub.public_items(), "items", lambda p: (
        ["事项编号", "事项名称", "子项", "抽查依据", "抽查主体", "适用行业", "抽查内容", "抽查方式",
         "事项类别", "法律责任", "清单版本"],
        [[i["code"], i["name"], i["sub_item"], i["legal_basis"], i["enforcing_dept"],
          "、".join(i["industries"]), i["content"], "、".join(i["methods"]), i["category"],
          i["liability"], p["version"]] for i in p["items"]]))


@bp.route("/plans")
def plans():
    return render_template("public/plans.html", plans=pub.public_plans(),
                           tasks=pub.public_tasks())


@bp.route(f"/plans.{FEED}")
def plans_feed(fmt: str):
    return _feed(fmt, {"plans": pub.public_plans()}, "plans", lambda p: (
        ["计划编号", "计划名称", "年度", "公开日期", "任务数"],
        [[x["plan_no"], x["name"], x["year"], x["published_on"], x["task_count"]]
         for x in p["plans"]]))


@bp.route("/tasks")
def tasks():
    return render_template("public/tasks.html", tasks=pub.public_tasks())


@bp.route("/tasks/<task_no>")
def task(task_no: str):
    data = pub.public_task_by_no(task_no)
    if data is None:
        abort(404)
    return render_template("public/task.html", task=data,
                           attempts=pub.public_attempts_page(task_no, data["drawn_list_public"]))


def _task_rows(tasks: list[dict]) -> list[list[Any]]:
    rows = []
    for t in tasks:
        head = [t["task_no"], t["name"], t["plan_no"], t["draw_type"], t["ratio"], t["scope"],
                t["window"], "是" if t["unannounced"] else "否", t["seed_commitment"]]
        last = t["records"][-1] if t["records"] else {}
        verify = [last.get("seed", ""), last.get("pool_hash", "")]
        if not t["visits"]:
            note = "检查完成后公开" if not t["drawn_list_public"] else "尚未抽取"
            rows.append(head + verify + [note, "", "", ""])
        for v in t["visits"]:
            team = "、".join(f"{m['name']}（{m['cert_no']}）" for m in v["inspectors"])
            rows.append(head + verify + [v["enterprise"], v["uscc"], team,
                                         _items_text(v["items"])])
    return rows


@bp.route(f"/tasks.{FEED}")
def tasks_feed(fmt: str):
    return _feed(fmt, {"tasks": pub.public_tasks()}, "tasks", lambda p: (
        ["任务编号", "任务名称", "计划编号", "抽查类型", "抽查比例", "抽查对象范围", "抽查时间",
         "暗查", "种子承诺值", "随机种子", "对象池哈希", "检查对象", "统一社会信用代码",
         "执法人员（执法证号）", "检查事项"], _task_rows(p["tasks"])))


def _json_file(data: bytes, name: str) -> Response:
    # The published bytes exactly as hashed and logged: never re-serialised.
    return Response(data, mimetype="application/json",
                    headers={"Content-Disposition": f"inline; filename={name}",
                             "Cache-Control": "public, max-age=31536000, immutable"})


_DOCS = Path(__file__).resolve().parents[2] / "docs"


@bp.route("/draw-check")
def draw_guide():
    """抽取核验说明: what a citizen, an enterprise and an auditor can check, how,
    with which files – in Chinese; the English spec is the developers' reference."""
    return render_template("public/draw_guide.html", log=pub.public_log_head())


@bp.route("/draw-spec.md")
def draw_spec():
    """The normative spec, so anyone can write their own verifier."""
    return Response((_DOCS / "draw-spec.md").read_bytes(), mimetype="text/markdown; charset=utf-8")


@bp.route("/draw-vectors.json")
def draw_vectors():
    """Every test vector of the spec, one JSON document keyed by step."""
    files = sorted((_DOCS / "draw-vectors").glob("*.json"))
    return jsonify({p.stem: json.loads(p.read_text("utf-8")) for p in files})


@bp.route("/files/<sha256>.json")
def draw_file(sha256: str):
    """A published draw file, by its SHA-256 (as the log names it)."""
    data = pub.public_draw_file(sha256)
    if data is None:
        abort(404)
    return _json_file(data, f"{sha256}.json")


@bp.route("/tasks/<task_no>/verify.json")
def task_verify(task_no: str):
    """What the in-browser check of a task fetches first: the task's published
    values and its files (with their log positions)."""
    data = pub.public_verify_index(task_no)
    if data is None:
        abort(404)
    return jsonify(data)


@bp.route("/log/head.json")
def log_head():
    return jsonify(pub.public_log_head())


@bp.route("/log/entries.json")
def log_entries():
    return jsonify({"entries": pub.public_log_entries()})


@bp.route("/log/consistency/<int:first>/<int:second>.json")
def log_consistency(first: int, second: int):
    """That the log of size *second* extends the one of size *first* (RFC 9162)."""
    data = pub.public_log_consistency(first, second)
    if data is None:
        abort(404)
    return jsonify(data)


@bp.route("/log/proof/<int:leaf_index>/<int:tree_size>.json")
def log_proof(leaf_index: int, tree_size: int):
    data = pub.public_log_proof(leaf_index, tree_size)
    if data is None:
        abort(404)
    return jsonify(data)
