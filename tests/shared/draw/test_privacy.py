"""The public artefacts of a draw leak no credit class and no 暗查 target.

Two attacks on ``suicha-draw/1``'s public record (issue 15) are replayed on
the ``suicha-draw/2`` public files and must learn nothing; the same attacker
run on ``suicha-draw/1`` records (the control) recovers every class, which
shows the attacker is real.  Then, over 1,200 simulated stratified draws, a
chi-square test per public per-enterprise field finds no link with the class.
What the public does learn – per-class counts, and no more – is tested as
``docs/draw-spec.md`` §15.1 states it.
"""

from __future__ import annotations

import hashlib
import itertools
import random

import pytest
from scipy.stats import chi2_contingency

from shared.draw import DrawContext, build_pool, build_snapshot, draw
from shared.draw.check import check_public, key_of
from shared.draw.parse import ceil_ratio, parse_ratio
from shared.draw.public import public_draw, public_pool, to_bytes
from shared.draw.rng import Stream, partial_shuffle, stream_key
from shared.draw.snapshot import snapshot_hash
from tests.shared.draw.helpers import (
    LOCAL_FREEZE,
    enterprise,
    expert,
    inspectors,
    items,
    local_beacon,
    task,
)

STRATIFIED = "A:10%;B:20%;C:50%;D:100%"
P_MIN = 0.001
BEACON = hashlib.sha256(b"drand round used in tests").digest()


def pool_rows(rng: random.Random, n: int) -> list[dict]:
    ids = rng.sample(range(1, 10**6), n)
    return [enterprise(i, credit_class=rng.choice("ABCD"),
                       street=rng.choice(["城关镇", "丹朱镇", "鲍店镇"])) for i in ids]


def make_snapshot(rows, task_=None, context=None, secret=None, v1=False):
    task_ = task_ or task(ratio=STRATIFIED)
    eligible, excluded = build_pool(rows, task_, {}, context)
    snap = build_snapshot(task_, {}, eligible, excluded, inspectors(),
                          [expert(i) for i in range(3)], items(), "2024版",
                          pseudonym_secret=secret)
    if v1:  # the record layout the attacks were found on
        del snap["privacy"]
        snap["format"] = "suicha-snapshot/1"
    return snap


def publish(snap, seed: bytes) -> tuple[dict, bytes, bytes]:
    record = draw(snap, seed, freeze=LOCAL_FREEZE, beacon=local_beacon(BEACON))
    pool = to_bytes(public_pool(snap, record["pool_hash"], record["commitment"]))
    return record, pool, to_bytes(public_draw(record, pool))


def classes_of(snap) -> dict[str, str]:
    values = snap["enterprises"]["values"]
    return dict(zip(values[0], values[2], strict=True))


# -- attack 1: undo the order shuffle -------------------------------------

def unshuffle(key: bytes, visit_order: list[str]) -> list[str]:
    """Undo ``suicha-draw/1``'s public ``order`` shuffle."""
    n = len(visit_order)
    perm = partial_shuffle(list(range(n)), n, Stream(key, "order"))
    unshuffled = [""] * n
    for position, source in enumerate(perm):
        unshuffled[source] = visit_order[position]
    return unshuffled


def order_attack(key: bytes, visit_order: list[str], counts: list[tuple[str, int]]
                 ) -> dict[str, str]:
    """Issue 15's attack: the visit order was the class-by-class drawn list
    shuffled with the public ``order`` stream; undo the shuffle, then cut the
    list at the published per-class counts."""
    unshuffled = unshuffle(key, visit_order)
    guess, start = {}, 0
    for cls, k in counts:
        for u in unshuffled[start:start + k]:
            guess[u] = cls
        start += k
    return guess


def test_order_attack_recovers_every_class_from_a_v1_record():
    rows = pool_rows(random.Random(1), 80)
    snap = make_snapshot(rows, v1=True)
    record = draw(snap, bytes(32))
    visits = [v["uscc"] for v in record["result"]["visits"]]
    counts = [(c, s["drawn"]) for c, s in record["result"]["strata"].items()]
    guess = order_attack(stream_key(bytes(32), record["pool_hash"]), visits, counts)
    truth = classes_of(snap)
    assert all(guess[u] == truth[u] for u in visits) and len(visits) >= 16


def test_order_attack_learns_nothing_from_the_public_files():
    """Over 300 draws the attacker's hit rate is what guessing with the
    published counts alone gives (Σ k_c² / K per draw)."""
    rng = random.Random(2)
    hits = total = 0
    expected = 0.0
    for _ in range(300):
        snap = make_snapshot(pool_rows(rng, 60), secret=rng.randbytes(32))
        _, pool, public = publish(snap, rng.randbytes(32))
        doc = __import__("json").loads(public)
        counts = [(s["stratum"], s["drawn"]) for s in doc["strata"]]
        guess = order_attack(key_of(doc), doc["visit_order"], counts)
        truth = classes_of(snap)
        hits += sum(guess[u] == truth[u] for u in doc["visit_order"])
        k_total = sum(k for _, k in counts)
        total += k_total
        expected += sum(k * k for _, k in counts) / k_total
    rate, chance = hits / total, expected / total
    assert abs(rate - chance) < 0.03, (rate, chance)


def test_a_class_drawn_at_100_percent_is_not_named():
    """Where D is drawn at 100 %, the old public pool named every D member.
    Now the public files name only the drawn enterprises, and nothing in them
    separates the D members from the others."""
    rows = pool_rows(random.Random(3), 60)
    snap = make_snapshot(rows, secret=bytes(range(32)))
    record, pool, public = publish(snap, bytes(range(32, 64)))
    drawn = {v["uscc"] for v in record["result"]["visits"]}
    for row in rows:
        named = row["uscc"].encode() in pool + public or row["name"].encode() in pool + public
        assert named == (row["uscc"] in drawn)
    assert b"credit" not in pool + public
    assert check_public(pool, public).ok


# -- attack 2: set difference of public pools ------------------------------

def test_pool_difference_names_no_unannounced_target():
    """An announced task's pool excludes what a 暗查 task of the plan drew; the
    difference of two public pools of one scope named the 暗查 targets."""
    rng = random.Random(4)
    rows = pool_rows(rng, 50)
    secret_targets = {r["uscc"] for r in rows[:7]}
    ctx = DrawContext(drawn_in_plan=frozenset(secret_targets))
    announced = make_snapshot(rows, task(task_no="CZ-2024-02", ratio=STRATIFIED), ctx,
                              secret=rng.randbytes(32))
    other_plan = make_snapshot(rows, task(task_no="CZ-2025-01", plan_no="CZ-2025",
                                          ratio=STRATIFIED), secret=rng.randbytes(32))
    _, pool_a, draw_a = publish(announced, rng.randbytes(32))
    _, pool_b, draw_b = publish(other_plan, rng.randbytes(32))
    for target in secret_targets:
        assert target.encode() not in pool_a + draw_a  # excluded, and not named as such
    # The attacker's difference: names in one pool and not the other – there
    # are no names in a public pool; pseudonyms of two snapshots never match.
    import json
    names_a = {p for s in json.loads(pool_a)["strata"] for p in s["pseudonyms"]}
    names_b = {p for s in json.loads(pool_b)["strata"] for p in s["pseudonyms"]}
    assert len(names_b) - len(names_a) == len(secret_targets)  # only a count differs
    assert names_a.isdisjoint(names_b)
    # Even the same pool frozen twice gives unrelated pseudonyms.
    again = make_snapshot(rows, task(task_no="CZ-2025-01", plan_no="CZ-2025",
                                     ratio=STRATIFIED))
    names_c = {p for s in public_pool(again, snapshot_hash(again), "00" * 32)["strata"]
               for p in s["pseudonyms"]}
    assert names_c.isdisjoint(names_b)


# -- what the public does learn (docs/draw-spec.md §15.1) -----------------

def test_pseudonymous_stratum_labels_would_not_hide_class_counts():
    """§15.1: sizes must be public for ``k = ceil(ratio × n)`` to be checked,
    and the plan's ratios then name the strata: with labels replaced by
    per-freeze pseudonyms (only each stratum's n and k left), the fully drawn
    class's count is still found in every one of 300 pools.  Hiding the
    labels would hide nothing, so the spec keeps them and says so."""
    rng = random.Random(6)
    ratio = parse_ratio("A:3%;B:5%;C:20%;D:100%")
    found = 0
    for _ in range(300):
        snap = make_snapshot(pool_rows(rng, rng.randint(20, 120)),
                             task(ratio="A:3%;B:5%;C:20%;D:100%"), secret=rng.randbytes(32))
        doc = public_pool(snap, snapshot_hash(snap), "00" * 32)
        true_d = next(s["size"] for s in doc["strata"] if s["stratum"] == "D")
        blind = [(s["size"], ceil_ratio(ratio[s["stratum"]], s["size"]))
                 for s in doc["strata"]]
        rng.shuffle(blind)  # pseudonymous labels: order and names say nothing
        fits = [dict(zip(p, blind, strict=True)) for p in itertools.permutations(ratio)
                if all(ceil_ratio(ratio[c], n) == k for c, (n, k) in zip(p, blind, strict=True))]
        found += len({f["D"][0] for f in fits}) == 1 and fits[0]["D"][0] == true_d
    assert found == 300


def test_only_counts_can_be_subtracted_across_pools():
    """§15.1 (3), the documented limit: two pools that differ by one known
    enterprise differ by one in that enterprise's class count and in nothing
    else – their pseudonyms share nothing to subtract."""
    rng = random.Random(7)
    rows = pool_rows(rng, 60)
    changed = rows[0]
    sizes, names = [], []
    for pool in (rows, rows[1:]):  # a re-freeze after one enterprise closed
        snap = make_snapshot(pool, secret=rng.randbytes(32))
        doc = public_pool(snap, snapshot_hash(snap), "00" * 32)
        sizes.append({s["stratum"]: s["size"] for s in doc["strata"]})
        names.append({p for s in doc["strata"] for p in s["pseudonyms"]})
    diff = {c: sizes[0][c] - sizes[1].get(c, 0) for c in sizes[0]}
    assert diff == {c: int(c == changed["credit_class"]) for c in sizes[0]}
    assert names[0].isdisjoint(names[1])


# -- chi-square over 1,200 simulated draws --------------------------------

DRAWS = 1200
BUCKETS = 4
# Per drawn enterprise, what the public files say or let anyone compute: its
# place in the staffing order, in the published list, in the v1 attacker's
# un-shuffled order, the leader's place in its team, its first officer.
FIELDS = ("visit_position", "list_position", "unshuffled_position", "leader_position",
          "first_officer")


def _bucket(position: int, n: int) -> int:
    return min(position * BUCKETS // n, BUCKETS - 1)


@pytest.fixture(scope="module")
def tallies():
    return build_tallies()


def build_tallies():
    """Per public per-enterprise field, a class × value contingency table."""
    rng = random.Random(5)
    fields = FIELDS
    tables = {f: {c: [0] * 8 for c in "ABCD"} for f in fields}
    v1_order = {c: [0] * BUCKETS for c in "ABCD"}
    import json
    for trial in range(DRAWS):
        rows = pool_rows(rng, 40)
        seed = rng.randbytes(32)
        snap = make_snapshot(rows, secret=rng.randbytes(32))
        _, _, public = publish(snap, seed)
        doc = json.loads(public)
        truth = classes_of(snap)
        n = len(doc["visit_order"])
        listed = [d["uscc"] for d in doc["drawn"]]
        for i, u in enumerate(doc["visit_order"]):
            tables["visit_position"][truth[u]][_bucket(i, n)] += 1
        for i, u in enumerate(unshuffle(key_of(doc), doc["visit_order"])):
            tables["unshuffled_position"][truth[u]][_bucket(i, n)] += 1
        for i, d in enumerate(doc["drawn"]):
            cls = truth[d["uscc"]]
            tables["list_position"][cls][_bucket(i, n)] += 1
            certs = [m["cert_no"] for m in d["inspectors"]]
            tables["leader_position"][cls][certs.index(d["leader"])] += 1
            tables["first_officer"][cls][int(certs[0][-4:]) % 8] += 1
        assert listed == sorted(listed)
        if trial < 300:  # the control: the v1 order on the same kind of pools
            old = make_snapshot(rows, v1=True)
            record = draw(old, seed)
            visits = [v["uscc"] for v in record["result"]["visits"]]
            old_truth = classes_of(old)
            key = stream_key(seed, record["pool_hash"])
            for i, u in enumerate(unshuffle(key, visits)):
                v1_order[old_truth[u]][_bucket(i, len(visits))] += 1
    return tables, v1_order


def _p(table: dict[str, list[int]]) -> float:
    cols = [j for j in range(len(next(iter(table.values())))) if any(r[j] for r in table.values())]
    return chi2_contingency([[r[j] for j in cols] for r in table.values()]).pvalue


@pytest.mark.parametrize("field", FIELDS)
def test_no_public_field_is_correlated_with_class(tallies, field):
    assert _p(tallies[0][field]) > P_MIN


if __name__ == "__main__":  # the figures: python -m tests.shared.draw.test_privacy
    tables, control = build_tallies()
    for name in FIELDS:
        print(f"{name:22s} p = {_p(tables[name]):.3f}")
    print(f"v1 un-shuffled position (control) p = {_p(control):.2e}")


def test_the_chi_square_sees_the_v1_leak(tallies):
    """Control: on v1 records the same test finds the un-shuffled position
    tied to the class (300 draws suffice), so the test has the power to fail."""
    assert _p(tallies[1]) < 1e-12


def test_the_fast_pool_bytes_are_the_canonical_bytes():
    # The server writes pool files with orjson (json_bytes): it must give exactly
    # the bytes an auditor re-derives with the plain canonical encoder.
    from shared.draw.public import json_bytes

    snap = make_snapshot(pool_rows(random.Random(7), 60))
    doc = public_pool(snap, snapshot_hash(snap), "00" * 32)
    assert sum(len(s["pseudonyms"]) for s in doc["strata"]) == 60
    assert json_bytes(doc) == to_bytes(doc)
    empty = {**doc, "strata": [{**doc["strata"][0], "pseudonyms": []}, *doc["strata"][1:]]}
    assert json_bytes(empty) == to_bytes(empty)
    odd = {**doc, "strata": [{**doc["strata"][0], "pseudonyms": ['a"b', "c\\d"]}]}
    assert json_bytes(odd) == to_bytes(odd)  # anything to escape: the plain encoder
