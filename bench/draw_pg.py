"""The server's draw on a 1,000,000-enterprise registry in PostgreSQL.

bench/draw_1m.py measures the draw on SQLite; production runs on PostgreSQL
(docs/deploy.md).  This bench draws the same task on the same registry
through the same path – ``server.services.draw.run_task_draw`` (freeze and draw
at once, with a local value instead of a drand round), then
``export_record`` and ``shared.draw.verify_record_file`` – on a throwaway
PostgreSQL server (tests/pgserver.py: initdb into a temporary directory,
fsync off, default shared_buffers), stopped at the end whatever happens.

The registry is draw_1m's cached SQLite file (``build_base``), copied into
PostgreSQL with ``COPY … FROM STDIN`` table by table, sequences set past the
copied ids, then ``VACUUM (ANALYZE)`` – the state autovacuum leaves a
production table in (statistics, visibility map for index-only scans).

The floor is a bare ``SELECT`` of the eligible pool's fields (draw_1m's
``POOL_SQL``) on a psycopg cursor, ``fetchall()``.  Floor, draw and verify
are timed in turn in each of ``--repeat`` rounds, so a busy moment of the
shared machine hits all three alike.  Wall time is the figure to read here:
PostgreSQL's share of the work runs in its own processes, which this
process's CPU time does not see (it is shown too, for the Python side).

    .venv/bin/python -m bench.draw_pg [--n 1000000] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.draw_1m import (  # noqa: E402
    DRAW_PHASES,
    FREEZE_PHASES,
    OUT,
    POOL_SQL,
    SCOPE_CODES,
    TASK_NO,
    VISIT_PHASES,
    build_base,
    outcome,
)

EVIDENCE = OUT / "bench-pg-evidence"
DBNAME = "suicha_bench"
PG_POOL_SQL = POOL_SQL.replace("?", "%s")
DRAW_TABLES = ("visit_members", "visits", "draw_records", "draw_freezes", "draw_pools")


def app_for(url: str):
    from server import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "EVIDENCE_DIR": str(EVIDENCE)})


def create_schema(url: str) -> None:
    """The tables and indexes of the models, as the tests make them (``db.create_all``)."""
    from server.extensions import db
    app = app_for(url)
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()


def load_registry(base: Path, dsn: str) -> dict[str, int]:
    """Every non-empty table of the SQLite *base*, in dependency order, by COPY.

    Text-format COPY: PostgreSQL parses each value for its column, so SQLite's
    0/1 booleans, JSON text and timestamp text go in as they are.
    """
    import psycopg

    from server.extensions import db
    from server.models import Enterprise  # noqa: F401  (registers every table)

    counts: dict[str, int] = {}
    src = sqlite3.connect(base)
    try:
        with psycopg.connect(dsn) as pg:
            for table in db.metadata.sorted_tables:
                n = src.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
                if not n:
                    continue
                cols = ", ".join(f'"{c.name}"' for c in table.columns)
                rows = src.execute(f'SELECT {cols} FROM "{table.name}"')
                with pg.cursor() as cur:
                    with cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                        for row in rows:
                            copy.write_row(row)
                    if "id" in table.columns and table.c.id.autoincrement in (True, "auto"):
                        cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"',"
                                    f" 'id'), max(id)) FROM \"{table.name}\"")
                counts[table.name] = n
            pg.commit()
            pg.autocommit = True
            pg.execute("VACUUM (ANALYZE)")
    finally:
        src.close()
    return counts


def reset(dsn: str) -> None:
    """Undo the previous round's draw so the next one starts from the same state."""
    import psycopg
    with psycopg.connect(dsn) as pg:
        pg.execute(f"TRUNCATE {', '.join(DRAW_TABLES)} CASCADE")  # cases etc.: empty here
        pg.execute("UPDATE tasks SET status = 'draft', seed_commitment = NULL, "
                   "seed_secret = NULL, committed_at = NULL WHERE task_no = %s", (TASK_NO,))
    # The pool file too, or the next draw of the same pool would skip writing it.
    shutil.rmtree(EVIDENCE / "draw-pools", ignore_errors=True)


def clocked(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and CPU seconds (this process) of one call, and its value."""
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - t, time.process_time() - c, value


def timed_phases(module, names: list[str], phases: dict[str, list[float]]) -> None:
    """draw_1m's phase wrappers, with wall time beside CPU time: on PostgreSQL a
    phase that waits for the server burns little CPU here."""
    for name in names:
        real = getattr(module, name)

        def wrapper(*a, _real=real, _name=name, **kw):
            t, c = time.perf_counter(), time.process_time()
            try:
                return _real(*a, **kw)
            finally:
                spent = phases.setdefault(_name, [0.0, 0.0])
                spent[0] += time.perf_counter() - t
                spent[1] += time.process_time() - c
        setattr(module, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of floor, draw, verify (best and median are shown)")
    ap.add_argument("--profile", action="store_true", help="cProfile the draws (slower)")
    args = ap.parse_args()

    import psycopg

    from tests.pgserver import PostgresServer

    base = build_base(args.n)
    server = PostgresServer().start()
    try:
        with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{DBNAME}"')
            version = admin.execute("SHOW server_version").fetchone()[0]
            settings = ", ".join(f"{k} {admin.execute(f'SHOW {k}').fetchone()[0]}"
                                 for k in ("shared_buffers", "work_mem", "fsync"))
        url = server.url(DBNAME)
        dsn = url.replace("+psycopg", "")
        create_schema(url)
        t = time.perf_counter()
        counts = load_registry(base, dsn)
        load_secs = time.perf_counter() - t
        print(f"PostgreSQL {version} ({settings}); registry copied in {load_secs:.1f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
        run(args, url, dsn)
    finally:
        server.stop()


def run(args: argparse.Namespace, url: str, dsn: str) -> None:
    import psycopg

    from server.extensions import db
    from server.services import draw as svc
    from server.services.draw import freeze as freeze_mod
    from server.services.draw import run as run_mod
    from server.services.draw import visits as visits_mod
    from shared.draw import verify_record_file

    phases: dict[str, list[float]] = {}
    timed_phases(freeze_mod, FREEZE_PHASES, phases)
    timed_phases(run_mod, DRAW_PHASES, phases)
    timed_phases(visits_mod, VISIT_PHASES, phases)
    app = app_for(url)
    record_path = OUT / f"draw-{args.n}-pg-record.json"
    profiler = cProfile.Profile() if args.profile else None
    floors, draws, verifies = [], [], []
    runs_phases: list[dict[str, list[float]]] = []
    floor_conn = psycopg.connect(dsn)
    try:
        floor_conn.execute(PG_POOL_SQL, SCOPE_CODES).fetchall()  # untimed: the first read
        floor_conn.rollback()  # after the COPY pulls the table into the caches
        for _ in range(args.repeat):
            wall, cpu, rows = clocked(lambda: floor_conn.execute(PG_POOL_SQL,
                                                                 SCOPE_CODES).fetchall())
            floors.append((wall, cpu))
            eligible_rows = len(rows)
            del rows
            floor_conn.rollback()

            reset(dsn)
            phases.clear()
            with app.app_context():
                db.session.execute(db.text("SELECT 1"))  # connect before the clock starts
                if profiler:
                    profiler.enable()
                wall, cpu, rec = clocked(lambda: svc.run_task_draw(TASK_NO, "bench"))
                if profiler:
                    profiler.disable()
                draws.append((wall, cpu))
                runs_phases.append({k: list(v) for k, v in phases.items()})
                drawn = outcome(svc, db, rec, record_path)
                db.session.remove()

            wall, cpu, verdict = clocked(lambda: verify_record_file(record_path))
            verifies.append((wall, cpu))
            if not verdict.ok:
                print(f"verify failed: {verdict.message}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        floor_conn.close()

    def best(xs, i=0):
        return min(x[i] for x in xs)

    def median(xs, i=0):
        return statistics.median(x[i] for x in xs)

    floor, draw, verify = best(floors), best(draws), best(verifies)
    fastest = runs_phases[min(range(len(draws)), key=lambda i: draws[i][0])]
    print(f"registry {args.n:,} · in scope {eligible_rows:,} · {drawn}")
    print(f"record {record_path.stat().st_size / 1e6:.1f} MB · verify: {verdict.message}")
    for label, xs in (("floor", floors), ("draw", draws), ("verify", verifies)):
        print(f"{label} rounds (wall): " + ", ".join(f"{x[0]:.3f}" for x in xs))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    print(f"\n{'wall seconds, ' + str(args.repeat) + ' rounds':<44}{'best':>8}{'median':>8}"
          f"{'× floor':>9}")
    print(f"{'floor: bare SELECT of the pool (psycopg)':<44}{floor:8.3f}{median(floors):8.3f}"
          f"{1:9.1f}")
    print(f"{'whole draw (run_task_draw, stored)':<44}{draw:8.3f}{median(draws):8.3f}"
          f"{draw / floor:9.1f}   SQLite goal was < 2 s and ≤ 3×")
    print(f"{'verify_record_file (draw verify)':<44}{verify:8.3f}{median(verifies):8.3f}"
          f"{verify / floor:9.1f}   SQLite goal was < 1 s")

    print(f"\n{'phases of the fastest draw':<44}{'wall':>8}{'CPU':>8}{'× floor':>9}")
    for name, (wall, cpu) in fastest.items():
        label = "    of which bulk inserts" if name == "_insert" else "  " + name
        print(f"{label:<44}{wall:8.3f}{cpu:8.3f}{wall / floor:9.1f}")
    rest = draw - sum(v[0] for k, v in fastest.items() if k != "_insert")
    print(f"{'  (other: record row insert, commit …)':<44}{rest:8.3f}{'':>8}{rest / floor:9.1f}")

    print(f"\n{'CPU seconds (this process only)':<44}{'best':>8}")
    print(f"{'floor':<44}{best(floors, 1):8.3f}")
    print(f"{'whole draw':<44}{best(draws, 1):8.3f}")
    print(f"{'verify':<44}{best(verifies, 1):8.3f}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(50)


if __name__ == "__main__":
    main()
