"""Server time of every operational console list and search at bureau scale.

    .venv/bin/python -m bench.console_lists [--backend sqlite,postgresql] [--repeat 3]

Seeds 50,000 enterprises, 5,000 visits (dispatched, with teams), 5,000 cases,
5,000 results (2,000 waiting for review) and 5,000 audit entries, then asks
each page through the real app (Flask test client, logged in as an
administrator; a reviewer for the review queue) and reports the best of
``--repeat`` times, next to a bare ``SELECT`` of the same page's rows (same
filter, same order, 50 rows) measured in the same run. Goal: < 0.3 s a page.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENTERPRISES, VISITS, AUDIT = 50_000, 5_000, 5_000
STREETS = ["丹朱镇", "鲍店镇", "石哲镇", "慈林镇", "色头镇", "南漳镇", "岚水乡", "碾张乡",
           "常张乡", "南陈乡", "宋村乡", "张店镇"]
WORDS = ["宏达", "晋丰", "华鑫", "鑫源", "恒通", "正泰", "金盛", "永安", "瑞丰", "兴旺"]
KINDS = ["加油站", "化工有限公司", "煤业有限公司", "机械厂", "建材有限公司"]
INDUSTRIES = ["hazchem_trading", "hazchem_production", "coal_mine", "industry_trade",
              "metallurgy", "fireworks"]
PASSWORD = "Bench-pass-2026"
STATES = ["notified", "inspected", "orders_issued", "rectification_reported", "reinspection",
          "closed", "closed", "closed", "archived"]


def seed() -> dict[str, int]:
    """Bulk rows through the ORM's executemany INSERT (defaults applied)."""
    from server.extensions import db
    from server.models import (
        AuditLog,
        DrawRecord,
        Enterprise,
        Inspector,
        Plan,
        PublicationResult,
        Task,
        Visit,
        VisitMember,
    )
    from server.models.case import Case
    from server.models.sync import Dispatch
    from server.services.accounts import create_user
    from server.services.demo_data import _csv as demo_csv
    from server.services.demo_items import item_rows
    from server.services.registry_io import import_registry
    from shared.uscc import make_uscc

    rng = random.Random(17)
    import_registry("items", demo_csv("items", item_rows()), "items.csv", "bench")
    codes = [r["事项编号"] for r in item_rows()][:12]
    db.session.execute(sa.insert(Enterprise), [
        {"uscc": make_uscc(f"91140428MA{i:07d}"),
         "name": f"长子县{rng.choice(WORDS)}{STREETS[i % 12][:2]}{KINDS[i % 5]}{i}",
         "industry": INDUSTRIES[i % 6], "street": STREETS[i % 12],
         "legal_rep": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("伟芳娜敏静丽强磊军洋"),
         "scale": ["small", "micro", "medium", "large"][i % 4],
         "risk_level": ["general", "low", "significant", "major"][i % 4],
         "credit_class": "ABCD"[i % 4], "status": "active" if i % 40 else "suspended",
         "special_work": [], "registries": []} for i in range(ENTERPRISES)])
    db.session.execute(sa.insert(Inspector), [
        {"name": f"执法员{i:02d}", "cert_no": f"140428{i:05d}", "cert_expiry":
         date(2030, 1, 1) if i % 7 else date(2025, 1, 1), "department": "执法监察科",
         "street": STREETS[i % 12], "duty_status": "on_duty", "fields": [], "conflicts": []}
        for i in range(40)])
    plan = Plan(plan_no="BENCH-2026", name="2026年度双随机抽查计划", year=2026,
                status="published", change_log=[])
    db.session.add(plan)
    db.session.flush()
    tasks = []
    for t in range(5):
        task = Task(task_no=f"BENCH-2026-{t + 1:02d}", plan_id=plan.id, name=f"专项抽查{t + 1}",
                    draw_type="directed", ratio="10%", window_start=date(2026, 3, 1),
                    window_end=date(2026, 11, 30), rules={}, status="drawn")
        db.session.add(task)
        db.session.flush()
        rec = DrawRecord(task_id=task.id, kind="draw", actor="bench", seed="0" * 64,
                         seed_commitment="0" * 64, pool_hash="0" * 64,
                         algorithm_version="suicha-draw/1", pool_size=ENTERPRISES,
                         record_json="{}", result={})
        db.session.add(rec)
        db.session.flush()
        tasks.append((task, rec))
    ent_ids = rng.sample(range(1, ENTERPRISES + 1), VISITS)
    visits = [{"id": i + 1, "task_id": tasks[i % 5][0].id, "draw_record_id": tasks[i % 5][1].id,
               "enterprise_id": ent_ids[i], "item_version": 1, "item_codes": codes[:3],
               "status": "notified", "current": True, "joint_task_nos": [], "expert_names": []}
              for i in range(VISITS)]
    db.session.execute(sa.insert(Visit), visits)
    db.session.execute(sa.insert(VisitMember), [
        {"visit_id": v["id"], "inspector_id": (v["id"] + k) % 40 + 1, "leader": k == 0}
        for v in visits for k in range(2)])
    db.session.execute(sa.insert(Dispatch), [
        {"visit_id": v["id"], "task_id": v["task_id"], "team": [], "dispatched_by": "bench",
         "notice_year": 2026, "notice_seq": v["id"],
         "notice_no": f"（长）应急抽通〔2026〕{v['id']}号",
         "notice_sent_on": date(2026, 3, 2)} for v in visits])
    day0 = date(2026, 3, 2)
    db.session.execute(sa.insert(Case), [
        {"case_no": f"AJ2026-{v['id']:05d}", "visit_id": v["id"], "task_id": v["task_id"],
         "enterprise_id": v["enterprise_id"], "state": STATES[v["id"] % len(STATES)],
         "opened_on": day0, "inspected_on": day0 + timedelta(days=v["id"] % 200),
         "findings": v["id"] % 4, "major_findings": int(v["id"] % 23 == 0),
         "outcome": ["no_problem", "corrected", "pending"][v["id"] % 3], "handlers": []}
        for v in visits])
    names = dict(db.session.execute(sa.select(Enterprise.id, Enterprise.name)).all())
    usccs = dict(db.session.execute(sa.select(Enterprise.id, Enterprise.uscc)).all())
    db.session.execute(sa.insert(PublicationResult), [
        {"visit_id": v["id"], "task_id": v["task_id"], "enterprise_id": v["enterprise_id"],
         "enterprise_name": names[v["enterprise_id"]], "uscc": usccs[v["enterprise_id"]],
         "inspected_on": day0 + timedelta(days=v["id"] % 200), "item_version": 1,
         "item_codes": codes[:3], "outcome": "no_problem",
         "status": "approved" if v["id"] % 5 > 1 else ("pending" if v["id"] % 5 else "rejected"),
         "review_note": None if v["id"] % 5 else "请核对检查事项", "proposed_by": "system",
         "published_on": day0 + timedelta(days=v["id"] % 200 + 5) if v["id"] % 5 > 1 else None}
        for v in visits])
    db.session.execute(sa.insert(AuditLog), [
        {"actor": "bench", "action": "update", "entity": "enterprise",
         "entity_key": usccs[1 + i * 7], "before": {"street": "丹朱镇"},
         "after": {"street": "鲍店镇"}, "source": "console"} for i in range(AUDIT)])
    db.session.commit()
    create_user("benchadmin", "admin", PASSWORD, display_name="测试管理员")
    create_user("benchreviewer", "reviewer", PASSWORD, display_name="测试审核员")
    return {"enterprises": ENTERPRISES, "visits": VISITS, "cases": VISITS,
            "results": VISITS, "audit": AUDIT}


def pages():
    """(label, URL, role, bare SELECT of the same page's rows)."""
    from server.models import AuditLog, Enterprise, PublicationResult, Visit
    from server.models.case import Case
    from server.models.sync import Dispatch

    def like(col, text):
        return col.like(f"%{text}%")

    e, c = Enterprise, Case
    return [
        ("名录库：企业 第1页", "/console/registries/enterprises", "admin",
         sa.select(e).order_by(e.name, e.id).limit(50)),
        ("名录库：企业 第500页", "/console/registries/enterprises?page=500", "admin",
         sa.select(e).order_by(e.name, e.id).limit(50).offset(24950)),
        ("名录库：企业 搜索两个词", "/console/registries/enterprises?q=宏达+加油站", "admin",
         sa.select(e).where(like(e.name, "宏达"), like(e.name, "加油站"))
         .order_by(e.name, e.id).limit(50)),
        ("名录库：企业 属地+规模+状态", "/console/registries/enterprises?street=丹朱镇"
         "&scale=small&status=active", "admin",
         sa.select(e).where(e.street == "丹朱镇", e.scale == "small", e.status == "active")
         .order_by(e.name, e.id).limit(50)),
        ("一企一档 按名称查找", "/console/enterprise-file?q=晋丰+煤业", "admin",
         sa.select(e).where(like(e.name, "晋丰"), like(e.name, "煤业")).order_by(e.name)
         .limit(51)),
        ("案件 第1页", "/console/cases", "admin",
         sa.select(c).order_by(c.id.desc()).limit(50)),
        ("案件 状态+搜索", "/console/cases?state=closed&q=加油站", "admin",
         sa.select(c).join(e, e.id == c.enterprise_id).where(c.state == "closed",
                                                            like(e.name, "加油站"))
         .order_by(c.id.desc()).limit(50)),
        ("派发 第1页", "/console/dispatch", "admin",
         sa.select(Dispatch).order_by(Dispatch.dispatched_at.desc()).limit(50)),
        ("派发 未回传+搜索", "/console/dispatch?record=no&q=化工", "admin",
         sa.select(Dispatch).join(Visit, Visit.id == Dispatch.visit_id)
         .join(e, e.id == Visit.enterprise_id).where(like(e.name, "化工"))
         .order_by(Dispatch.dispatched_at.desc()).limit(50)),
        ("抽取名单（1,000户）第1页", "/console/tasks/BENCH-2026-01", "admin",
         sa.select(Visit).where(Visit.task_id == 1).order_by(Visit.id).limit(50)),
        ("公开审核 队列", "/console/publication", "reviewer",
         sa.select(PublicationResult).where(PublicationResult.status.in_(("pending", "rejected")))
         .order_by(PublicationResult.inspected_on).limit(50)),
        ("操作日志 第1页", "/console/audit", "admin",
         sa.select(AuditLog).order_by(AuditLog.at.desc()).limit(50)),
        ("公开：检查结果 第1页", "/public/results", None,
         sa.select(PublicationResult).where(PublicationResult.status == "approved")
         .order_by(PublicationResult.published_on.desc()).limit(20)),
        ("公开：检查结果 按名称搜索", "/public/results?q=恒通&year=2026", None,
         sa.select(PublicationResult).where(PublicationResult.status == "approved",
                                            like(PublicationResult.enterprise_name, "恒通"))
         .order_by(PublicationResult.published_on.desc()).limit(20)),
        ("工作台", "/console/", "admin", sa.select(sa.func.count(e.id))),
    ]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(url: str, repeat: int) -> list[tuple[str, float, float, int]]:
    from server import TestConfig, create_app
    from server.extensions import db

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, TESTING=False,
                  EVIDENCE_DIR=tempfile.mkdtemp(prefix="bench-ev-"))
    app = create_app(config)
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        seed()
        print(f"  seeded in {time.perf_counter() - t0:.1f} s", flush=True)
    clients = {}
    for role, user in (("admin", "benchadmin"), ("reviewer", "benchreviewer"), (None, None)):
        client = app.test_client()
        if user:
            client.get("/console/login")
            with client.session_transaction() as s:
                token = s["csrf"]
            resp = client.post("/console/login", data={"username": user, "password": PASSWORD,
                                                       "csrf_token": token})
            assert resp.status_code == 302, resp.status_code
        clients[role] = client
    out = []
    with app.app_context():
        for label, path, role, bare in pages():
            client = clients[role]
            status = client.get(path).status_code  # warm: templates compiled, caches filled
            page = best(lambda c=client, p=path: c.get(p), repeat)

            def select(q=bare):
                db.session.execute(q).all()
                db.session.rollback()
            floor = best(select, repeat)
            out.append((label, page, floor, status))
            print(f"  {label:<28} {page * 1000:7.1f} ms  bare SELECT {floor * 1000:6.2f} ms  "
                  f"HTTP {status}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for backend in args.backend.split(","):
        print(f"{backend}:", flush=True)
        if backend == "sqlite":
            path = Path(tempfile.mkdtemp(prefix="bench-console-")) / "bench.db"
            results[backend] = run(f"sqlite:///{path}", args.repeat)
        else:
            from tests.pgserver import PostgresServer

            server = PostgresServer().start()
            try:
                import psycopg

                with psycopg.connect(server.url().replace("+psycopg", ""),
                                     autocommit=True) as conn:
                    conn.execute('CREATE DATABASE "bench_console"')
                results[backend] = run(server.url("bench_console"), args.repeat)
            finally:
                server.stop()
    print("\n| page | " + " | ".join(f"{b} server s | bare SELECT s | ratio" for b in results)
          + " |")
    print("|---|" + "---|---|---|" * len(results))
    labels = [r[0] for r in next(iter(results.values()))]
    worst = 0.0
    for i, label in enumerate(labels):
        cells = []
        for rows in results.values():
            _l, page, floor, status = rows[i]
            worst = max(worst, page)
            cells.append(f"{page:.3f} | {floor:.4f} | {page / floor:.0f}x"
                         + ("" if status == 200 else f" (HTTP {status})"))
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"\nslowest page {worst:.3f} s (goal < 0.3 s): {'met' if worst < 0.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
