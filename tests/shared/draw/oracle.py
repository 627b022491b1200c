"""The Python answers to the cases the JavaScript runner answers.

A case is ``{"op": …, inputs…}``, the same JSON the node runner
(``js/verify/runner.cjs``) reads; :func:`answer` gives the Python
implementation's answer and :func:`node_answers` the JavaScript one, so a
test can compare the two byte for byte (canonical JSON).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from shared.draw import merkle
from shared.draw import select as sel
from shared.draw.audit import audit, expected_public
from shared.draw.beacon import BeaconError, check_value
from shared.draw.check import check_adjustments, check_public, check_receipt, stratum_k
from shared.draw.engine import run_draw
from shared.draw.errors import DrawError
from shared.draw.public import receipt_code
from shared.draw.rng import Stream, draw_key, partial_shuffle
from shared.draw.snapshot import canonical_json, encode_pool, snapshot_hash

ROOT = Path(__file__).resolve().parents[3]
RUNNER = ROOT / "js" / "verify" / "runner.cjs"


def _result(r) -> dict[str, Any]:
    return {"ok": r.ok, "message": r.message, "details": list(r.details)}


def _beacon(value: str | None) -> bytes | None:
    return None if value is None else bytes.fromhex(value)


def answer(c: dict[str, Any]) -> Any:  # noqa: C901 - one branch per op, as in the runner
    op = c["op"]
    if op == "draw":
        try:
            h = snapshot_hash(c["snapshot"])
            result = run_draw(c["snapshot"], c["seed"], pool_hash=h,
                              beacon_randomness=_beacon(c["randomness"]))
        except (DrawError, ValueError):
            return {"error": True}
        return {"snapshot_hash": h, "result": result}
    if op == "check_public":
        return _result(check_public(c["pool"].encode(), c["draw"].encode(), c.get("published")))
    if op == "check_receipt":
        return _result(check_receipt(c["receipt"], c["pool"].encode(), c["draw"].encode()))
    if op == "audit":
        pool = None if c.get("pool") is None else c["pool"].encode()
        draw = None if c.get("draw") is None else c["draw"].encode()
        return _result(audit(c["record"], pool, draw))
    if op == "check_adjustments":
        adjustments = [a.encode() for a in c["adjustments"]]
        return _result(check_adjustments(c["draw"].encode(), adjustments))
    if op == "public_files":
        pool, draw = expected_public(c["record"])
        return {"pool": pool.decode(), "draw": draw.decode()}
    if op == "canonical_json":
        return canonical_json(c["value"])
    if op == "encode_pool":
        return encode_pool(c["pool"]).hex()
    if op == "snapshot_hash":
        return snapshot_hash(c["snapshot"])
    if op == "key":
        return draw_key(bytes.fromhex(c["seed"]), _beacon(c["randomness"]),
                        c["snapshot_hash"]).hex()
    if op == "beacon":
        try:
            return check_value(c["promise"], c["value"], c["frozen_at"]).hex()
        except BeaconError as exc:
            return {"error": exc.detail or exc.message}  # the vectors' technical text
    if op == "stream":
        s = Stream(bytes.fromhex(c["key"]), c["label"])
        return [s.randbelow(n) for n in c["below"]]
    if op == "shuffle":
        return partial_shuffle(c["items"], c["k"], Stream(bytes.fromhex(c["key"]), c["label"]))
    if op == "pseudonym":
        key = bytes.fromhex(c["key"])
        salt = sel.salt(bytes.fromhex(c["secret"]), c["uscc"])
        p = sel.pseudonym(salt, c["uscc"])
        return {"salt": salt.hex(), "pseudonym": p.hex(), "ticket": sel.ticket(key, p).hex(),
                "order_tag": sel.order_tag(key, c["uscc"]).hex(),
                "receipt_code": receipt_code(salt.hex())}
    if op == "select":
        return [p.hex() for p in sel.select(bytes.fromhex(c["key"]),
                                            [bytes.fromhex(p) for p in c["pseudonyms"]], c["k"])]
    if op == "visit_order":
        return sel.visit_order(bytes.fromhex(c["key"]), c["usccs"])
    if op == "ceil_ratio":
        return [stratum_k(c["ratio"], n) for n in c["sizes"]]
    if op == "merkle":
        leaves = [merkle.leaf_hash(e.encode()) for e in c["entries"]]
        return [merkle.verify_inclusion(leaf, i, len(leaves), [bytes.fromhex(p) for p in proof],
                                        bytes.fromhex(c["root"]))
                for i, (leaf, proof) in enumerate(zip(leaves, c["proofs"], strict=True))]
    if op == "consistency":
        return [merkle.verify_consistency(m, len(c["entries"]), [bytes.fromhex(p) for p in proof],
                                          bytes.fromhex(r), bytes.fromhex(c["root"]))
                for m, proof, r in zip(c["firsts"], c["proofs"], c["roots"], strict=True)]
    raise ValueError(f"unknown op {op}")


def node_answers(cases: list[dict[str, Any]]) -> list[Any]:
    """The JavaScript answers (one node process for the whole batch)."""
    proc = subprocess.run(["node", str(RUNNER)], input=canonical_json(cases).encode("utf-8"),
                          capture_output=True, check=True, timeout=600)
    return json.loads(proc.stdout)
