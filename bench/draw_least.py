"""What ``bench/draw_1m.py`` measures the draw against: the floor (a bare
``SELECT`` of the pool), ``ORDER BY RANDOM()`` for reference, and what no draw
ceremony can skip, measured bare.

The 3x goal of issue 14 compares the ceremony with a bare ``SELECT`` of the
pool.  This module times, on the same database and in the same run, the
parts of the ceremony that the draw's specification (docs/draw-spec.md) and
the product require of any implementation, each with nothing around it, so
the report can say how much of the goal is left for everything else.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from collections.abc import Callable
from math import ceil
from pathlib import Path


def spec_minimum(path: Path, scope: tuple[str, ...], ratios: dict[str, str]) -> dict[str, float]:
    """CPU seconds of the work no implementation of the ceremony can skip,
    each part measured bare, with what it needs prepared outside the clock.

    * ``pseudonyms`` – two SHA-256 per pool enterprise (salt, pseudonym; spec §6);
    * ``tickets`` – one SHA-256 per member of every stratum not drawn whole
      (spec §7; the hashes alone, not even the choice of the smallest k);
    * ``public pool sort`` – every stratum's pseudonyms sorted as bytes by the
      fastest sort we have (``shared.draw.public._sorted_digests``; the hex
      and the file are not counted; spec §9);
    * ``store rows`` – the rows the draw stored (visits, members, cases and
      their 立案 events), re-inserted as ready tuples by multi-row ``INSERT …
      VALUES`` statements, in a transaction rolled back.

    With the floor's SELECT, these are a lower bound for the ceremony in
    CPython: no staffing, no record, no file, no check is in them.
    """
    import hashlib
    from itertools import compress

    from shared.draw.parse import ceil_ratio, parse_ratio
    from shared.draw.public import _sorted_digests
    from shared.draw.select import PSEUDONYM_TAG, SALT_TAG, TICKET_TAG

    conn = sqlite3.connect(path)
    marks = ",".join("?" * len(scope))
    rows = conn.execute(f"SELECT uscc, credit_class FROM enterprises WHERE industry IN ({marks}) "
                        "AND status NOT IN ('closed', 'deregistered') ORDER BY uscc",
                        scope).fetchall()
    usccs = [r[0] for r in rows]
    secret, key = hashlib.sha256(b"secret").digest(), hashlib.sha256(b"key").digest()
    out: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], object]) -> object:
        gc.collect()
        c = time.process_time()
        value = fn()
        out[name] = time.process_time() - c
        return value

    def pseudonyms() -> list[bytes]:
        head, sha, names = hashlib.sha256(SALT_TAG + secret), hashlib.sha256, []
        for u in usccs:
            raw = u.encode()
            h = head.copy()
            h.update(raw)
            names.append(sha(PSEUDONYM_TAG + h.digest() + raw).digest())
        return names

    names = timed("pseudonyms", pseudonyms)
    ratio = parse_ratio(";".join(f"{k}:{v}" for k, v in ratios.items()))
    classes = [r[1] for r in rows]
    strata = {cls: list(compress(names, (c == cls for c in classes))) for cls in ratio}

    def tickets() -> None:
        base = hashlib.sha256(TICKET_TAG + key)
        for cls, members in strata.items():
            k = ceil_ratio(ratio[cls], len(members))
            if k < len(members):
                copy, hashes = base.copy, []
                for p in members:
                    h = copy()
                    h.update(p)
                    hashes.append(h.digest())

    timed("tickets", tickets)
    timed("public pool sort", lambda: [_sorted_digests(m) for m in strata.values()])
    tables = ["visits", "visit_members", "cases", "case_events"]
    stored = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables}

    def store() -> None:
        conn.execute("BEGIN")
        for t in reversed(tables):
            conn.execute(f"DELETE FROM {t}")
        c = time.process_time()
        limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        for t in tables:  # multi-row VALUES: cheaper than executemany's statement per row
            rows = stored[t]
            if rows:
                one = "(" + ",".join("?" * len(rows[0])) + ")"
                per = min(2000, limit // len(rows[0]))
                for i in range(0, len(rows), per):
                    chunk = rows[i:i + per]
                    conn.execute(f"INSERT INTO {t} VALUES " + ",".join([one] * len(chunk)),
                                 [v for r in chunk for v in r])
        out["store rows"] = time.process_time() - c
        conn.rollback()

    store()
    out["rows stored"] = sum(map(len, stored.values()))
    conn.close()
    return out


def best_of(k: int, fn: Callable[[], object]) -> tuple[float, float, object]:
    """Best wall and best CPU seconds of *k* calls, and the last value.

    CPU time (this process) is reported beside wall time because the machine
    is shared: other work inflates wall time, far less the CPU time.
    """
    wall, cpu, value = float("inf"), float("inf"), None
    for _ in range(k):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        value = fn()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu, value


def floor_select(path: Path, sql: str, scope: tuple[str, ...]) -> tuple[float, float, int]:
    """The floor: a bare ``fetchall()`` of the pool through raw sqlite3, best of 3."""
    conn = sqlite3.connect(path)
    try:
        wall, cpu, rows = best_of(3, lambda: conn.execute(sql, scope).fetchall())
    finally:
        conn.close()
    return wall, cpu, len(rows)


def order_by_random(path: Path, scope: tuple[str, ...], ratios: dict[str, str]) -> float:
    """``ORDER BY RANDOM() LIMIT k`` per stratum (a reference: no record, not reproducible)."""
    conn = sqlite3.connect(path)
    total = 0.0
    marks = ",".join("?" * len(scope))
    for cls, ratio in ratios.items():
        t = time.perf_counter()
        n = conn.execute(f"SELECT count(*) FROM enterprises WHERE industry IN ({marks}) AND "
                         "credit_class = ? AND status NOT IN ('closed', 'deregistered')",
                         (*scope, cls)).fetchone()[0]
        k = ceil(n * int(ratio[:-1]) / 100)
        conn.execute(f"SELECT id FROM enterprises WHERE industry IN ({marks}) AND credit_class = ? "
                     "AND status NOT IN ('closed', 'deregistered') ORDER BY RANDOM() LIMIT ?",
                     (*scope, cls, k)).fetchall()
        total += time.perf_counter() - t
    conn.close()
    return total
