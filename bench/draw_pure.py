"""Benchmark of the pure draw (shared/draw) on a synthetic 1,000,000-enterprise registry.

Times build_pool, build_snapshot, the pool hash, run_draw (targets + teams +
items for every visit), record serialisation to disk, and verify of the file,
and prints each against a baseline of ``random.sample`` per credit stratum in
the same run (the naive draw: no canonical order, no record, no teams).

    .venv/bin/python bench/draw_pure.py [--n 1000000] [--sorted] [--undirected] [--lean]

Targets (issue): whole draw < 2 s, verify < 1 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.draw import (  # noqa: E402
    DrawContext,
    build_pool,
    build_record,
    build_snapshot,
    run_draw,
    snapshot_hash,
    verify_record_file,
    write_record,
)
from shared.enums import Industry  # noqa: E402

INDUSTRIES = [m.value for m in Industry]
WEIGHTS = [2, 3, 2, 15, 2, 60, 4, 2, 5, 5]
STREETS = [f"街道{i:02d}" for i in range(20)]
SCOPE = "行业领域=危险化学品生产,危险化学品经营,冶金,工贸;规模=大,中,小"


LEAN_KEYS = ("uscc", "name", "credit_class", "industry", "street", "needs_expert", "status",
             "scale")


def registry(n: int, rng: random.Random, presorted: bool, lean: bool = False) -> list[dict]:
    """Rows as a database driver returns them: one dict per row, created in
    result order – by USCC with ``--sorted`` (ORDER BY uscc), else in an order
    unrelated to the USCC (insertion order)."""
    industries = rng.choices(INDUSTRIES, WEIGHTS, k=n)
    credit = rng.choices("ABCD", [60, 30, 8, 2], k=n)
    scale = rng.choices(["large", "medium", "small", "micro"], [2, 8, 40, 50], k=n)
    order = list(range(n))
    if not presorted:
        rng.shuffle(order)
    rows = [
        {"uscc": f"91{i:016d}", "name": f"合成企业{i}有限公司", "industry": industries[i],
         "street": STREETS[i % 20], "affiliation": "区属", "scale": scale[i],
         "risk_level": "general", "credit_class": credit[i], "blacklisted": False,
         "major_hazard": False, "special_ops": [], "needs_expert": i % 37 == 0,
         "registries": ["一级库"], "status": "closed" if i % 101 == 0 else "active"}
        for i in order
    ]
    if lean:  # only the pool's columns and the filter's: what the server selects
        rows = [{k: r[k] for k in LEAN_KEYS} for r in rows]
    return rows


def officers(rng: random.Random) -> list[dict]:
    out = []
    for i in range(200):
        street = "" if i < 40 else STREETS[i % 20]
        fields = rng.sample(INDUSTRIES, 6) if i % 4 else INDUSTRIES
        out.append({"cert_no": f"1403{i:08d}", "name": f"执法员{i}", "cert_expiry": "2029-12-31",
                    "department": "执法监察科", "street": street, "fields": fields,
                    "duty": "在岗" if i % 25 else "休假", "conflicts": []})
    return out


def experts() -> list[dict]:
    return [{"id": f"E{i:03d}", "name": f"专家{i}", "specialties": INDUSTRIES[i % 10:],
             "org": "设计院", "conflicts": []} for i in range(30)]


def items() -> list[dict]:
    out = []
    for i in range(40):
        fits = [] if i % 3 == 0 else [INDUSTRIES[i % 10], INDUSTRIES[(i + 3) % 10]]
        out.append({"no": f"YJ-{i:03d}", "name": f"事项{i}",
                    "category": "重点" if i % 5 == 0 else "一般", "industries": fits})
    return out


REPEAT = 3


CPU: dict[str, float] = {}


def timed(label: str, fn, results: dict):
    """Best of REPEAT runs: the machine is shared, and the minimum is the
    figure least disturbed by other processes (as timeit reports).  The CPU
    time of this process is kept too: under load it is the steadier figure."""
    best = cpu = float("inf")
    for _ in range(REPEAT):
        gc.collect()
        c, t = time.process_time(), time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    results[label] = best
    CPU[label] = cpu
    return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sorted", action="store_true", help="registry already ORDER BY uscc")
    ap.add_argument("--undirected", action="store_true", help="whole registry eligible")
    ap.add_argument("--lean", action="store_true",
                    help="rows hold only the columns the server selects (8 keys, not 14)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    global REPEAT
    REPEAT = args.repeat

    rng = random.Random(2024)
    print(f"generating {args.n:,} enterprises …", flush=True)
    rows = registry(args.n, rng, args.sorted, args.lean)
    drawn_before = {rows[i]["uscc"] for i in range(0, args.n, 997)}
    ctx = DrawContext(drawn_in_plan=drawn_before,
                      inspections_this_year={rows[i]["uscc"]: 2 for i in range(0, args.n, 499)})
    task = {"task_no": "BENCH-1", "draw_type": "不定向" if args.undirected else "定向",
            "scope": "" if args.undirected else SCOPE,
            "ratio": "A:3%;B:5%;C:20%;D:100%", "window_start": "2025-03-01",
            "window_end": "2025-05-31", "team_size": 2, "general_items": 3}
    rules = {"composition": {"street_pool": 1, "bureau_pool": 1}, "yearly_cap": 2,
             "recuse_previous": True}
    seed = bytes(range(32))
    t: dict[str, float] = {}

    eligible, excluded = timed("build_pool", lambda: build_pool(rows, task, rules, ctx), t)
    snap = timed("build_snapshot", lambda: build_snapshot(
        task, rules, eligible, excluded, officers(rng), experts(), items(), "2025版"), t)
    ph = timed("pool hash", lambda: snapshot_hash(snap), t)
    result = timed("run_draw", lambda: run_draw(snap, seed, pool_hash=ph), t)
    path = Path(tempfile.mkdtemp()) / "record.json"
    timed("record write", lambda: write_record(
        build_record(snap, seed, result, pool_hash=ph), path), t)
    draw_total = sum(t.values())
    verdict = timed("verify (read+parse+hash+rerun)", lambda: verify_record_file(path), t)

    # Baseline: the naive draw – random.sample per stratum over the eligible USCCs.
    def baseline():
        uscc, credit = eligible["values"][0], eligible["values"][2]
        strata: dict[str, list[str]] = {}
        for u, c in zip(uscc, credit, strict=True):
            strata.setdefault(c, []).append(u)
        ratio = {"A": 0.03, "B": 0.05, "C": 0.2, "D": 1.0}
        return {c: random.sample(m, -int(-ratio[c] * len(m) // 1)) for c, m in strata.items()}

    timed("baseline random.sample per stratum", baseline, t)
    base = t["baseline random.sample per stratum"]

    n_eligible = result["pool_size"]
    print(f"registry {args.n:,} · eligible {n_eligible:,} · excluded {len(excluded):,} · "
          f"visits {len(result['visits']):,} · strata "
          + ", ".join(f"{c}:{s['drawn']}/{s['eligible']}" for c, s in result["strata"].items()))
    print(f"record file {os.path.getsize(path) / 1e6:.1f} MB · verify: {verdict.message} · "
          f"best of {REPEAT} · load average {os.getloadavg()[0]:.2f}")
    print(f"  {'step':<36} {'wall':>7}   {'cpu':>7}   wall vs baseline")
    for label, secs in t.items():
        print(f"  {label:<36} {secs:7.3f}   {CPU[label]:7.3f}   ×{secs / base:6.1f}")
    cpu_total = sum(CPU[k] for k in list(t)[:5])
    print(f"  {'whole draw (pool→record on disk)':<36} {draw_total:7.3f}   {cpu_total:7.3f}   "
          f"×{draw_total / base:6.1f}   target < 2 s")
    v = "verify (read+parse+hash+rerun)"
    print(f"  {'verify':<36} {t[v]:7.3f}   {CPU[v]:7.3f}   target < 1 s")
    path.unlink()


if __name__ == "__main__":
    main()
