"""The test vectors of docs/draw-spec.md, one file per step, in docs/draw-vectors/.

Each file is ``{"step", "spec", "cases": [{"op", inputs…, "expect"}]}`` –
the case without ``expect`` is exactly what the node runner reads, so any
implementation can run them.  Regenerate after a deliberate change::

    .venv/bin/python -m tests.shared.draw.vectors
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from shared.draw import merkle
from shared.draw.adjust import public_adjustment
from shared.draw.beacon import lottery_value
from shared.draw.public import public_draw, receipts
from shared.draw.record import build_record_v2
from shared.draw.snapshot import canonical_json
from tests.shared.draw.generate import random_inputs
from tests.shared.draw.helpers import (
    LOCAL_FREEZE,
    LOTTERY_FREEZE,
    enterprise,
    expert,
    inspector,
    items,
    local_beacon,
    snapshot,
    task,
)
from tests.shared.draw.oracle import ROOT, answer

OUT = ROOT / "docs" / "draw-vectors"
H = hashlib.sha256


def _hx(text: str) -> str:
    return H(text.encode()).hexdigest()


def _cases(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**c, "expect": answer(c)} for c in cases]


def _small_snapshot(ratio: str, **task_extra: Any) -> dict[str, Any]:
    rows = [enterprise(i, ["coal_mine", "hazchem_trading", "industry_trade"][i % 3],
                       needs_expert=i % 4 == 0) for i in range(1, 13)]
    officers = [inspector(i, street=["", "城关镇", "丹朱镇", "鲍店镇"][i % 4]) for i in range(8)]
    officers[1]["conflicts"] = [rows[0]["uscc"]]
    return snapshot(rows, task(ratio=ratio, **task_extra), {"composition": {
        "street_pool": 0, "bureau_pool": 1}}, officers=officers,
        experts=[expert(i) for i in range(3)], item_list=items())


ROUNDS = json.loads((ROOT / "tests/shared/draw/data/drand_rounds.json").read_text("utf-8"))
QUICKNET = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
DEFAULT = "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce"


def _beacon_cases() -> list[dict[str, Any]]:
    """Real drand rounds (accepted, then altered), lottery and local values."""
    out = []
    for name, chain_hash in (("quicknet", QUICKNET), ("default", DEFAULT)):
        for r in ROUNDS[name]:
            value = {"source": "drand", "chain": chain_hash, **r}
            value["randomness"] = H(bytes.fromhex(r["signature"])).hexdigest()
            promise = {"source": "drand", "chain": chain_hash, "round": r["round"]}
            early = "2020-01-01T00:00:00"
            out.append({"op": "beacon", "promise": promise, "value": value, "frozen_at": early})
            sig = value["signature"][:-2] + ("00" if value["signature"][-2:] != "00" else "01")
            bad_sig = {**value, "signature": sig,
                       "randomness": H(bytes.fromhex(sig)).hexdigest()}
            out.append({"op": "beacon", "promise": promise, "value": bad_sig, "frozen_at": early})
            other = {**promise, "round": r["round"] + 1}
            out.append({"op": "beacon", "promise": other,
                        "value": {**value, "round": r["round"] + 1}, "frozen_at": early})
            out.append({"op": "beacon", "promise": promise, "value": value,
                        "frozen_at": "2099-01-01T00:00:00"})
    lottery = lottery_value("fc3d", "2024060", ["3", "0", "7"])
    out += [{"op": "beacon", "promise": LOTTERY_FREEZE["beacon"], "value": lottery,
             "frozen_at": LOTTERY_FREEZE["frozen_at"]},
            {"op": "beacon", "promise": LOTTERY_FREEZE["beacon"],
             "value": {**lottery, "numbers": ["3", "0", "8"]},
             "frozen_at": LOTTERY_FREEZE["frozen_at"]},
            {"op": "beacon", "promise": {"source": "local"},
             "value": local_beacon(H(b"x").digest()), "frozen_at": ""}]
    return out


def _adjustment_cases(draw: dict[str, Any], draw_text: str) -> list[dict[str, Any]]:
    """A public adjustment chain on a public draw: an officer replaced, then
    (doctored) the replaced leader kept as leader."""
    visit = draw["drawn"][0]
    plain = {"uscc": visit["uscc"], "inspectors": [m["cert_no"] for m in visit["inspectors"]],
             "leader": visit["leader"], "experts": [], "items": visit["items"]}
    old, new = plain["leader"], "14043199999"
    after = {**plain, "inspectors": sorted([c for c in plain["inspectors"] if c != old] + [new]),
             "leader": new}
    doc = {"meta": {"task_no": draw["task_no"], "parent_record_id": 1, "reason": "组长生病",
                    "created_at": "2024-04-02T09:00:00"},
           "adjustment": {"visit": plain["uscc"], "replace": "inspector", "old": old, "new": new},
           "visit_before": plain, "visit_after": after}
    names = {m["cert_no"]: m["name"] for m in visit["inspectors"]} | {new: "执法员替补"}
    good = public_adjustment(doc, record_id=2, who="王调度", names=names,
                             parent_sha256=H(draw_text.encode()).hexdigest())
    bad = {**good, "visit_after": {**good["visit_after"], "leader": old}}
    return [{"op": "check_adjustments", "draw": draw_text, "adjustments": [canonical_json(a)]}
            for a in (good, bad)]


def build() -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    key = _hx("vector key")
    files["01-canonical-json"] = {"spec": "§2.2", "cases": _cases([
        {"op": "canonical_json", "value": v} for v in (
            {"b": 1, "a": [True, None, "x"]}, {"中": "文", "a\u0000": "\u001f\"\\\n"},
            {"😀": 1, "\uffff": 2}, ["\u2028", "é", -5, 0], {})])}
    pool = _small_snapshot("20%")["enterprises"]
    files["02-pool-encoding"] = {"spec": "§3.2", "cases": _cases([
        {"op": "encode_pool", "pool": {"columns": pool["columns"], "values": pool["values"]}},
        {"op": "encode_pool", "pool": {"columns": pool["columns"], "values": [[]] * 6}}])}
    files["03-snapshot-hash"] = {"spec": "§3", "cases": _cases([
        {"op": "snapshot_hash", "snapshot": _small_snapshot(r)}
        for r in ("20%", "A:10%;B:1/3;C:50%;D:100%")])}
    files["04-key"] = {"spec": "§4", "cases": _cases([
        {"op": "key", "seed": _hx("seed"), "randomness": _hx("beacon"),
         "snapshot_hash": _hx("snap")},
        {"op": "key", "seed": _hx("seed"), "randomness": None, "snapshot_hash": _hx("snap")}])}
    files["04b-beacon"] = {"spec": "§4.2", "cases": _cases(_beacon_cases())}
    files["05-stream"] = {"spec": "§5", "cases": _cases([
        {"op": "stream", "key": key, "label": label, "below": below} for label, below in (
            ("visit:91140431000000001F", [1, 2, 3, 10, 1000, 2**40 + 1, 2**53 - 1, 7, 7, 7, 7, 7]),
            ("order", list(range(1, 40))), ("标签", [5] * 9))])}
    files["06-sample"] = {"spec": "§5.3", "cases": _cases([
        {"op": "shuffle", "key": key, "label": "stratum:A", "items": list(range(20)), "k": k}
        for k in (0, 1, 5, 20)])}
    files["07-ratio"] = {"spec": "§6.1", "cases": _cases([
        {"op": "ceil_ratio", "ratio": r, "sizes": [0, 1, 2, 3, 7, 10, 99, 100, 1000001]}
        for r in ("0.2", "1", "1/3", "0.07", "0.125", "2/7")])}
    usccs = [enterprise(i)["uscc"] for i in range(1, 9)]
    secret = _hx("pseudonym secret")
    files["08-pseudonym-ticket"] = {"spec": "§6.2–§6.3", "cases": _cases([
        {"op": "pseudonym", "secret": secret, "uscc": u, "key": key} for u in usccs])}
    names = [answer({"op": "pseudonym", "secret": secret, "uscc": u, "key": key})["pseudonym"]
             for u in usccs]
    files["09-select-order"] = {"spec": "§6.4, §7", "cases": _cases(
        [{"op": "select", "key": key, "pseudonyms": names, "k": k} for k in (0, 3, 8)]
        + [{"op": "visit_order", "key": key, "usccs": usccs}])}
    rng = random.Random(15)
    draws = [{"op": "draw", "snapshot": _small_snapshot(r, general_items=2), "seed": _hx("s" + r),
              "randomness": _hx("b" + r)} for r in ("20%", "A:10%;B:1/3;C:50%;D:100%")]
    draws += [{"op": "draw", **random_inputs(rng)} for _ in range(8)]
    files["10-draw"] = {"spec": "§6–§10", "cases": _cases(draws)}
    public = []
    for case in draws[:2]:
        got = answer(case)
        record = build_record_v2(case["snapshot"], bytes.fromhex(case["seed"]), got["result"],
                                 snapshot_digest=got["snapshot_hash"], freeze=LOCAL_FREEZE,
                                 beacon=local_beacon(bytes.fromhex(case["randomness"])))
        record["meta"]["record_id"] = 1
        built = answer({"op": "public_files", "record": record})
        doctored = json.loads(built["draw"])
        doctored["visit_order"].reverse()
        public += [{"op": "public_files", "record": record},
                   {"op": "check_public", **built},
                   {"op": "check_public", "pool": built["pool"], "draw": canonical_json(doctored)},
                   {"op": "check_receipt", "receipt": receipts(case["snapshot"],
                                                               got["snapshot_hash"])[0], **built},
                   {"op": "audit", "record": record, **built}]
    # A file of format /1 (times without "Z", published before /2) still
    # checks, and the auditor re-derives it in its own version.
    legacy_pool = built["pool"]
    legacy = canonical_json(public_draw(record, legacy_pool.encode(), fmt="suicha-public-draw/1"))
    public += [{"op": "check_public", "pool": legacy_pool, "draw": legacy},
               {"op": "audit", "record": record, "pool": legacy_pool, "draw": legacy}]
    # A lottery promise: its draw time is written with "Z" and checked as UTC.
    lottery = lottery_value("fc3d", "2024060", ["3", "0", "7"])
    case = {"op": "draw", "snapshot": _small_snapshot("A:10%;B:1/3;C:50%;D:100%"),
            "seed": _hx("lottery seed"), "randomness": lottery["randomness"]}
    got = answer(case)
    record = build_record_v2(case["snapshot"], bytes.fromhex(case["seed"]), got["result"],
                             snapshot_digest=got["snapshot_hash"], freeze=LOTTERY_FREEZE,
                             beacon=lottery)
    record["meta"]["record_id"] = 2
    built = answer({"op": "public_files", "record": record})
    public += [{"op": "public_files", "record": record}, {"op": "check_public", **built},
               {"op": "audit", "record": record, **built}]
    public += _adjustment_cases(json.loads(built["draw"]), built["draw"])
    files["11-public-files"] = {"spec": "§12", "cases": _cases(public)}
    entries = [canonical_json({"leaf_index": i, "sha256": _hx(str(i))}) for i in range(7)]
    leaves = [merkle.leaf_hash(e.encode()) for e in entries]
    files["12-log"] = {"spec": "§13", "cases": _cases([{
        "op": "merkle", "entries": entries, "root": merkle.root(leaves).hex(),
        "proofs": [[p.hex() for p in merkle.inclusion_proof(i, leaves)] for i in range(7)]},
        {"op": "consistency", "entries": entries, "root": merkle.root(leaves).hex(),
         "firsts": list(range(1, 8)) + [3],
         "roots": [merkle.root(leaves[:m]).hex() for m in range(1, 8)] + ["00" * 32],
         "proofs": [[p.hex() for p in merkle.consistency_proof(m, leaves)]
                    for m in (*range(1, 8), 3)]}])}
    for name, doc in files.items():
        doc["step"] = name
    return files


def write() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, doc in build().items():
        (OUT / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1,
                                                     sort_keys=True) + "\n", encoding="utf-8")


def load() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(OUT.glob("*.json"))}


if __name__ == "__main__":
    write()
    print(f"wrote {len(list(OUT.glob('*.json')))} files to {OUT}")


