"""The draw's shortcuts give exactly what the plain definitions give.

Selection by a ticket bound, the pool file written from bytes, the public
draw's grouping of the drawn few, and the memos of pseudonyms and strata:
each is compared with the spec's definition written out the slow way, and
the memos must never answer for a pool changed in place.
"""

from __future__ import annotations

import hashlib
import random

import orjson
import pytest

from shared.draw import engine, targets
from shared.draw import public as public_module
from shared.draw import select as sel
from shared.draw.public import (
    _sorted_digests,
    json_bytes,
    public_draw,
    public_draw_bytes,
    public_pool,
    public_pool_bytes,
    to_bytes,
)
from shared.draw.snapshot import snapshot_hash
from tests.shared.draw.helpers import task
from tests.shared.draw.test_privacy import make_snapshot, pool_rows, publish

KEY = hashlib.sha256(b"fast paths").digest()


def plain_select(key: bytes, members: list[bytes], k: int) -> list[bytes]:
    """Spec §6.4 as written: sort every ticket ‖ pseudonym, take k."""
    ranked = sorted(sel.ticket(key, p) + p for p in members)
    return [r[32:] for r in ranked[:k]]


@pytest.mark.parametrize("n", [1, 2, 7, 40, 300, 3000])
def test_selection_is_the_k_smallest_tickets(n):
    rng = random.Random(n)
    members = [rng.randbytes(32) for _ in range(n)]
    for k in sorted({0, 1, 2, n // 50, n // 10, n // 3, n // 2, n - 1, n} & set(range(n + 1))):
        assert sel.select(KEY, members, k) == plain_select(KEY, members, k), k
        assert [members[j] for j in sel.ranked(KEY, members, k)] == plain_select(KEY, members, k)


def test_a_bound_too_low_falls_back_to_every_ticket(monkeypatch):
    rng = random.Random(1)
    members = [rng.randbytes(32) for _ in range(2000)]
    expected = plain_select(KEY, members, 60)
    monkeypatch.setattr(sel, "_bound", lambda k, n: b"\x00\x00\x01")  # almost nothing below
    assert sel.select(KEY, members, 60) == expected


def test_equal_tickets_order_by_pseudonym():
    # The same pseudonym twice has the same ticket: the order is still the spec's.
    members = [bytes([i]) * 32 for i in range(50)] * 2
    assert sel.select(KEY, members, 30) == plain_select(KEY, members, 30)


def test_visit_order_sorts_by_tag_then_uscc():
    usccs = [f"91{i:016d}" for i in range(500)]
    assert sel.visit_order(KEY, usccs) == sorted(
        usccs, key=lambda u: (sel.order_tag(KEY, u), u))


@pytest.mark.parametrize("ratio", ["A:3%;B:5%;C:20%;D:100%", "A:1/3;B:1;C:0.5;D:0.07", "15%"])
def test_pool_file_bytes_are_the_canonical_bytes(ratio):
    snap = make_snapshot(pool_rows(random.Random(3), 400), task(ratio=ratio))
    digest = snapshot_hash(snap)
    doc = public_pool(snap, digest, "ab" * 32)
    assert public_pool_bytes(snap, digest, "ab" * 32) == to_bytes(doc) == json_bytes(doc)


def test_a_long_stratum_sorts_by_first_byte_then_in_full():
    rng = random.Random(14)
    digests = [rng.randbytes(32) for _ in range(9000)]
    odd = [bytes([7]) + rng.randbytes(rng.randrange(0, 5)) for _ in range(300)]  # one bucket
    assert _sorted_digests(digests + odd) == sorted(digests + odd)
    snap = make_snapshot(pool_rows(random.Random(15), 5000), task(ratio="1/7"))
    digest = snapshot_hash(snap)
    assert public_pool_bytes(snap, digest, "ef" * 32) == to_bytes(
        public_pool(snap, digest, "ef" * 32))


def test_pool_file_bytes_with_an_empty_stratum_and_a_chinese_task_no():
    rows = [r for r in pool_rows(random.Random(4), 200) if r["credit_class"] != "B"]
    snap = make_snapshot(rows, task(ratio="A:10%;B:20%;C:50%;D:100%", task_no="任务“甲”\\1"))
    digest = snapshot_hash(snap)
    doc = public_pool(snap, digest, "cd" * 32)
    assert [s["size"] for s in doc["strata"] if s["stratum"] == "B"] == [0]
    assert public_pool_bytes(snap, digest, "cd" * 32) == to_bytes(doc)


def test_json_bytes_of_a_pool_with_odd_values_are_the_canonical_bytes():
    snap = make_snapshot(pool_rows(random.Random(5), 30))
    doc = public_pool(snap, snapshot_hash(snap), "00" * 32)
    for odd in (["é" * 64], ["ab", 7, 2**64], ["a\nb", 'q"'], [""], []):
        changed = {**doc, "strata": [{**doc["strata"][0], "pseudonyms": odd}]}
        assert json_bytes(changed) == to_bytes(changed)


def slow_selected(snap, record) -> dict[str, list[str]]:
    """Spec §12: per stratum the sorted hex pseudonyms of its drawn members."""
    names = sel._pseudonyms(sel.pseudonym_secret(snap), snap["enterprises"]["values"][0])
    drawn = {v["uscc"] for v in record["result"]["visits"]}
    column = snap["enterprises"]["values"][0]
    return {cls: sorted(names[i].hex() for i in members if column[i] in drawn)
            for cls, members in targets._by_class(
                snap["enterprises"]["values"],
                {c: None for c in snap["task"]["ratio"]}).items()}


def test_public_draw_selects_the_drawn_pseudonyms_per_stratum():
    snap = make_snapshot(pool_rows(random.Random(6), 300))
    record, _pool, _draw = publish(snap, bytes(range(32)))
    doc = public_draw(record, pool_sha256="00" * 32)
    assert {s["stratum"]: s["selected"] for s in doc["strata"]} == slow_selected(snap, record)
    assert sum(len(s["selected"]) for s in doc["strata"]) == len(record["result"]["visits"])


def test_draw_file_bytes_are_the_canonical_bytes():
    snap = make_snapshot(pool_rows(random.Random(11), 300))
    record, pool, _draw = publish(snap, bytes(range(32)))
    doc = public_draw(record, pool)
    assert public_draw_bytes(record, pool) == to_bytes(doc)
    assert public_draw_bytes(record, pool, fmt="suicha-public-draw/1") == to_bytes(
        public_draw(record, pool, fmt="suicha-public-draw/1"))


def test_draw_file_bytes_escape_as_the_encoder_does():
    snap = make_snapshot(pool_rows(random.Random(12), 120))
    record, pool, _draw = publish(snap, bytes(range(32)))
    values = snap["enterprises"]["values"]
    drawn = {v["uscc"] for v in record["result"]["visits"]}
    odd = ['甲"乙\\丙', "tab\there\nnew", "\x00\x1f\u2028", "😀 é"]
    for j, i in enumerate(i for i, u in enumerate(values[0]) if u in drawn):
        values[1][i] = odd[j % len(odd)]  # names as a registry may hold them
    snap["inspectors"][0]["name"] = '王"五\n'
    visit = record["result"]["visits"][0]
    visit["items"] = [*visit["items"], 'x"\\y']
    assert public_draw_bytes(record, pool) == to_bytes(public_draw(record, pool))


def test_json_bytes_are_the_canonical_bytes():
    # Every code point but the surrogates (which UTF-8 cannot carry either way).
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    doc = {"b": [every, 'a"b\\c', 0, -7, 2**63 - 1, -(2**63), True, False, None, [], ()],
           "a": {"é": "x", "z": {}, "A": [{"k": 1}]}, "\u00e9": 1, "e": 2, "😀": 3}
    assert orjson.dumps(doc, option=public_module._ORJSON) == to_bytes(doc) == json_bytes(doc)
    odd = {"big": 2**70, "sub": type("S", (str,), {})("x"), "k": {1: "int key"}}
    assert json_bytes(odd) == to_bytes(odd)  # not orjson's: the standard encoder's


def test_draw_file_bytes_fall_back_for_anything_not_text():
    snap = make_snapshot(pool_rows(random.Random(13), 120))
    record, pool, _draw = publish(snap, bytes(range(32)))
    record["result"]["visits"][0]["experts"] = [7, "8", 2**70]  # orjson: no ints past 64 bits
    snap["inspectors"][1]["name"] = None
    assert public_draw_bytes(record, pool) == to_bytes(public_draw(record, pool))


def test_the_draws_positions_serve_its_draw_file_and_are_checked():
    snap = make_snapshot(pool_rows(random.Random(16), 300))
    record, pool, _draw = publish(snap, bytes(range(32)))
    visits = record["result"]["visits"]
    assert engine.visit_positions(visits) is not None  # the draw just made them
    hinted = public_draw_bytes(record, pool)
    engine._last[0] = None
    assert hinted == public_draw_bytes(record, pool) == to_bytes(public_draw(record, pool))
    _again, pool, _draw = publish(snap, bytes(range(32)))
    visits = _again["result"]["visits"]
    visits[0]["uscc"], visits[1]["uscc"] = visits[1]["uscc"], visits[0]["uscc"]  # in place
    hinted = public_draw_bytes(_again, pool)
    engine._last[0] = None
    assert hinted == to_bytes(public_draw(_again, pool))


def test_memoized_pseudonyms_follow_a_column_changed_in_place():
    snap = make_snapshot(pool_rows(random.Random(8), 50))
    column = snap["enterprises"]["values"][0]
    first = list(sel.pseudonyms(snap))
    assert sel.pseudonyms(snap) == first  # answered from the memo
    column[0] = column[0][:-1] + ("0" if column[0][-1] != "0" else "1")
    again = sel.pseudonyms(snap)
    assert again[0] != first[0] and again[1:] == first[1:]
    assert again == sel._pseudonyms(sel.pseudonym_secret(snap), column)


def test_memoized_strata_follow_a_column_changed_in_place():
    snap = make_snapshot(pool_rows(random.Random(9), 80))
    credit = snap["enterprises"]["values"][2]
    before = targets.strata(snap)
    before["A"].append(-1)  # each call gets lists of its own
    assert -1 not in targets.strata(snap)["A"]
    i = next(i for i, c in enumerate(credit) if c == "A")
    credit[i] = "D"
    after = targets.strata(snap)
    assert i in after["D"] and i not in after["A"]
    assert after == targets._by_class(snap["enterprises"]["values"],
                                      {c: None for c in "ABCD"})


def test_a_duplicate_pseudonym_stops_the_draw():
    snap = make_snapshot(pool_rows(random.Random(10), 20))
    names = sel.pseudonyms(snap)
    try:
        names[1] = names[0]  # what a SHA-256 collision would give
        sel._memo[0].distinct.clear()
        with pytest.raises(ValueError, match="化名重复"):
            sel.draw_targets(snap, KEY)
    finally:
        sel._memo[0] = None
