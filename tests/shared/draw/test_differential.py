"""Python and JavaScript agree byte for byte on 1,600 generated snapshots and seeds.

For every generated case both implementations draw (or both refuse); for
every draw both derive the public files from the record, check them as a
citizen would, check them again after one field was tampered with, check one
enterprise's receipt, and (one case in five) audit the full record.  All
answers are compared as canonical JSON.
"""

from __future__ import annotations

import json
import random

import pytest

from shared.draw.beacon import lottery_value
from shared.draw.public import receipts
from shared.draw.record import build_record_v2
from shared.draw.snapshot import canonical_json
from tests.shared.draw.generate import random_inputs
from tests.shared.draw.helpers import LOCAL_FREEZE, LOTTERY_FREEZE, local_beacon
from tests.shared.draw.oracle import answer, node_answers

CASES = 1600
MIN_DRAWS = 1000


def _tamper(draw_text: str, rng: random.Random) -> str:
    doc = json.loads(draw_text)
    what = rng.randrange(5)
    if what == 0:
        doc["seed"] = doc["seed"][:-1] + ("0" if doc["seed"][-1] != "0" else "1")
    elif what == 1 and doc["drawn"]:
        doc["drawn"].pop(rng.randrange(len(doc["drawn"])))
    elif what == 2 and doc["visit_order"]:
        rng.shuffle(doc["visit_order"])
    elif what == 3:
        doc["strata"][0]["drawn"] += 1
    else:
        doc["beacon"]["randomness"] = doc["seed"]
    return canonical_json(doc)


@pytest.fixture(scope="module")
def batches():
    rng = random.Random(20261203)
    draws = [{"op": "draw", **random_inputs(rng)} for _ in range(CASES)]
    py_draws = [answer(c) for c in draws]
    follow = []
    for case, got in zip(draws, py_draws, strict=True):
        if got.get("error") or case["randomness"] is None:
            continue  # no public files without a beacon
        freeze, beacon = LOCAL_FREEZE, local_beacon(bytes.fromhex(case["randomness"]))
        if rng.random() < 0.3:  # the same draw, keyed by a lottery result instead
            freeze, beacon = LOTTERY_FREEZE, lottery_value("fc3d", "2024060", [
                str(rng.randrange(10)) for _ in range(3)])
            got = answer({**case, "randomness": beacon["randomness"]})
            if got.get("error"):
                continue
        record = build_record_v2(case["snapshot"], bytes.fromhex(case["seed"]), got["result"],
                                 snapshot_digest=got["snapshot_hash"], freeze=freeze,
                                 beacon=beacon)
        files = answer({"op": "public_files", "record": record})
        follow.append({"op": "public_files", "record": record})
        follow.append({"op": "check_public", **files})
        follow.append({"op": "check_public", "pool": files["pool"],
                       "draw": _tamper(files["draw"], rng)})
        mine = receipts(case["snapshot"], got["snapshot_hash"])
        if mine:
            follow.append({"op": "check_receipt", "receipt": rng.choice(mine), **files})
        if rng.random() < 0.2:
            follow.append({"op": "audit", "record": record, **files})
    cases = draws + follow
    return cases, py_draws + [answer(c) for c in follow], node_answers(cases)


def test_enough_generated_draws(batches):
    cases, python, _ = batches
    drawn = [a for c, a in zip(cases, python, strict=True)
             if c["op"] == "draw" and not a.get("error")]
    assert len(drawn) >= MIN_DRAWS
    assert sum(len(a["result"]["visits"]) for a in drawn) > 10 * MIN_DRAWS


def test_python_and_javascript_agree_byte_for_byte(batches):
    cases, python, javascript = batches
    assert len(python) == len(javascript)
    for case, a, b in zip(cases, python, javascript, strict=True):
        assert canonical_json(a) == canonical_json(b), case["op"]


def test_the_checks_both_pass_and_fail(batches):
    """The agreement covers both verdicts: untouched files 一致, tampered not."""
    cases, python, _ = batches
    verdicts = {(c["op"], a["ok"]) for c, a in zip(cases, python, strict=True)
                if c["op"] in ("check_public", "audit", "check_receipt")}
    assert {("check_public", True), ("check_public", False), ("audit", True),
            ("check_receipt", True)} <= verdicts
