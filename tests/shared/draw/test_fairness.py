"""Fairness: over 10,000 seeds every enterprise and officer is equally likely.

Chi-square against uniform, per stratum, for enterprise selection, officer
assignment and leadership.  The pool is small (30 enterprises in 2 credit
classes, 8 interchangeable officers) so the run takes a few seconds.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from scipy.stats import chisquare

import shared.draw.teams as teams_module
from shared.draw import run_draw, snapshot_hash
from tests.shared.draw.helpers import enterprise, inspector, snapshot, task

SEEDS = 10_000
P_MIN = 0.001


def fair_snapshot() -> dict:
    rows = [enterprise(i, credit_class="A" if i < 15 else "B") for i in range(30)]
    return snapshot(rows, task(ratio="A:20%;B:40%"), {},
                    officers=[inspector(i) for i in range(8)])


def tally(snap: dict, seeds: int) -> dict[str, dict[str, Counter]]:
    ph = snapshot_hash(snap)
    cls = dict(zip(snap["enterprises"]["values"][0], snap["enterprises"]["values"][2],
                   strict=True))
    out = {c: {"selected": Counter(), "officers": Counter(), "leaders": Counter()} for c in "AB"}
    for s in range(seeds):
        seed = hashlib.sha256(f"fairness-{s}".encode()).digest()
        for v in run_draw(snap, seed, pool_hash=ph)["visits"]:
            t = out[cls[v["uscc"]]]
            t["selected"][v["uscc"]] += 1
            t["officers"].update(v["inspectors"])
            t["leaders"][v["leader"]] += 1
    return out


def p_uniform(counter: Counter, keys: list[str]) -> float:
    return chisquare([counter[k] for k in keys]).pvalue


@pytest.fixture(scope="module")
def counts():
    return tally(fair_snapshot(), SEEDS)


@pytest.mark.parametrize("cls", ["A", "B"])
def test_enterprise_selection_uniform_within_stratum(counts, cls):
    snap = fair_snapshot()
    members = [u for u, c in zip(snap["enterprises"]["values"][0],
                                 snap["enterprises"]["values"][2], strict=True) if c == cls]
    drawn = {"A": 3, "B": 6}[cls]
    assert sum(counts[cls]["selected"].values()) == drawn * SEEDS
    assert p_uniform(counts[cls]["selected"], members) > P_MIN


@pytest.mark.parametrize("cls", ["A", "B"])
@pytest.mark.parametrize("what", ["officers", "leaders"])
def test_officer_assignment_uniform_within_stratum(counts, cls, what):
    certs = [inspector(i)["cert_no"] for i in range(8)]
    assert set(counts[cls][what]) <= set(certs)
    assert p_uniform(counts[cls][what], certs) > P_MIN


def test_the_check_detects_a_biased_tie_break(monkeypatch):
    """The chi-square test has teeth: first-candidate tie-breaking is caught."""

    def biased(cands, count, taken, load, stream):
        out = []
        for _ in range(count):
            free = [c for c in cands if c not in taken and c not in out]
            loads = [load[c] for c in free]
            pick = free[loads.index(min(loads))]
            load[pick] += 1
            out.append(pick)
        return out

    def biased_ties(self, count, exclude, load, stream):
        return biased(self.cands, count, list(exclude), load, stream)

    monkeypatch.setattr(teams_module, "least_loaded", biased)
    monkeypatch.setattr(teams_module.Ties, "pick", biased_ties)
    certs = [inspector(i)["cert_no"] for i in range(8)]
    biased_counts = tally(fair_snapshot(), 2_000)
    assert p_uniform(biased_counts["A"]["officers"], certs) < P_MIN
