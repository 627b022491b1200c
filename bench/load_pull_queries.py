"""In process: SQL statements and time of one full pull (the load bench's ``first_pull``).

    .venv/bin/python -m bench.load_pull_queries [--backend sqlite,postgresql]
                                                [--tablets 100] [--visits 30] [--repeat 5]

Seeds the load bench's fleet (``bench/load_seed.py``: tablet i leads ``--visits`` visits
and is second member of tablet i-1's, so one full pull is ``2 × --visits`` packages),
gives a tenth of the enterprises a previous case with an open hazard (so the ``history``
part of a package is not empty), then calls ``server.services.sync.pull.pull`` with no
cursor for tablet 0: statements counted with a ``before_cursor_execute`` listener, wall
time the best of ``--repeat`` (a fresh session each time, nothing cached in the ORM).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_seed import PASSWORD, seed  # noqa: E402


def _add_history(every: int) -> int:
    """A closed case of last year with one open hazard for every *every*-th enterprise."""
    from server.extensions import db
    from server.models import DrawRecord, Visit
    from server.models.case import Case, CaseHazard
    from tests.server import factories as f

    task = f.make_sync_task(window_start=date(2023, 5, 1), window_end=date(2023, 5, 31))
    draw = db.session.scalar(sa.select(DrawRecord).where(DrawRecord.task_id == task.id))
    ent_ids = db.session.scalars(sa.select(Visit.enterprise_id).order_by(Visit.id)).all()
    n = 0
    for ent_id in ent_ids[::every]:
        old = Visit(task_id=task.id, draw_record_id=draw.id, enterprise_id=ent_id,
                    item_codes=["WH-01"], current=False)
        db.session.add(old)
        db.session.flush()
        case = Case(visit_id=old.id, task_id=task.id, enterprise_id=ent_id, state="closed",
                    opened_on=date(2023, 5, 1), inspected_on=date(2023, 5, 10),
                    outcome="corrected")
        case.hazards.append(CaseHazard(hazard_uuid=f"00000000-0000-4000-8000-{n:012d}",
                                       description="消防通道堵塞", level="general",
                                       deadline=date(2023, 6, 1), status="open"))
        db.session.add(case)
        n += 1
    db.session.commit()
    return n


def measure(url: str, evidence: str, tablets: int, visits: int, repeat: int,
            analyze: bool = False) -> dict:
    from server import TestConfig, create_app
    from server.extensions import db
    from server.models import User
    from server.services import dispatch as dispatch_service
    from server.services.sync.pull import pull

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, EVIDENCE_DIR=evidence)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        db.session.remove()
    seed(url, evidence, tablets, visits)
    with app.app_context():
        cases = _add_history(10)
        if analyze:  # planner statistics, as a database in service has them
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        inspector_id = db.session.scalar(sa.select(User.inspector_id).where(
            User.username == "tablet0"))
        db.session.remove()
        dispatch_service.today = lambda: date(2024, 2, 20)  # before the window: notices out
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        times, counts, packages = [], [], 0
        for _ in range(repeat):
            statements.clear()
            t0 = time.perf_counter()
            body = pull(inspector_id, None)
            json.dumps(body, default=str)
            times.append(time.perf_counter() - t0)
            counts.append(len(statements))
            packages = len(body["packages"])
            db.session.remove()
        # The whole request as a tablet makes it: token check, pull, response schema, JSON.
        client = app.test_client()
        token = client.post("/api/v1/auth/token", json={
            "username": "tablet0", "password": PASSWORD,
            "device_id": "00000000-0000-4000-8000-000000000000"}).json["token"]
        http_times, http_counts = [], []
        for _ in range(repeat):
            statements.clear()
            t0 = time.perf_counter()
            resp = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
            http_times.append(time.perf_counter() - t0)
            http_counts.append(len(statements))
            assert resp.status_code == 200 and len(resp.json["packages"]) == packages
        sa.event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
        db.engine.dispose()
    return {"packages": packages, "cases_with_open_hazard": cases,
            "statements": counts[0], "statements_all_runs": sorted(set(counts)),
            "best_s": round(min(times), 4), "median_s": round(_median(times), 4),
            "http_statements": http_counts[0], "http_best_s": round(min(http_times), 4),
            "http_median_s": round(_median(http_times), 4),
            "load_avg": round(os.getloadavg()[0], 2)}


def _median(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="sqlite,postgresql")
    ap.add_argument("--tablets", type=int, default=100)
    ap.add_argument("--visits", type=int, default=30, help="visits each tablet leads")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--analyze", action="store_true",
                    help="ANALYZE after seeding (the load bench does not: fresh tables)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="suicha-pullq-") as tmp:
        for backend in args.backend.split(","):
            evidence = str(Path(tmp) / backend / "evidence")
            os.makedirs(evidence)
            if backend == "sqlite":
                result = measure(f"sqlite:///{tmp}/pull.db", evidence, args.tablets,
                                 args.visits, args.repeat, args.analyze)
            else:
                import psycopg

                from tests.pgserver import PostgresServer
                pg = PostgresServer().start()
                try:
                    with psycopg.connect(pg.url().replace("+psycopg", ""),
                                         autocommit=True) as c:
                        c.execute('CREATE DATABASE "pull"')
                    result = measure(pg.url("pull"), evidence, args.tablets, args.visits,
                                     args.repeat, args.analyze)
                finally:
                    pg.stop()
            print(json.dumps({"backend": backend, "analyze": args.analyze, **result},
                             ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
