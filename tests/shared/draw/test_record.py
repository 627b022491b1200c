"""Record layout, metadata, seeds, and the purity of shared/draw."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shared.draw import (
    ALGORITHM_VERSION,
    DrawError,
    attach,
    build_record,
    commitment,
    decode_pool,
    detach,
    draw,
    encode_pool,
    load_record,
    new_seed,
    record_to_json,
    run_draw,
    snapshot_hash,
    verify,
    verify_record_file,
    write_record,
)
from tests.shared.draw.helpers import SEED, enterprise, inspectors, snapshot, task

ROOT = Path(__file__).resolve().parents[3]


def small_snapshot() -> dict:
    return snapshot([enterprise(i) for i in range(12)], task(ratio="50%"))


def test_record_layout_and_round_trip(tmp_path):
    snap = small_snapshot()
    meta = {"record_id": "R-2", "kind": "redraw", "actor": "张三", "created_at": "2024-04-02T09:00",
            "reason": "原抽取结果中检查组不满足回避要求", "parent_record_id": "R-1"}
    record = draw(snap, SEED, meta=meta)
    assert set(record) == {"format", "algorithm", "meta", "seed", "commitment", "pool_hash",
                           "snapshot", "result"}
    assert record["algorithm"] == ALGORITHM_VERSION
    assert record["meta"] == meta
    assert record["seed"] == SEED.hex() and record["commitment"] == commitment(SEED)
    assert record["pool_hash"] == snapshot_hash(snap)
    path = tmp_path / "r.json"
    write_record(record, path)
    assert load_record(path.read_bytes()) == record
    assert verify_record_file(path).ok
    # Canonical: serialising the loaded record gives the same bytes.
    assert record_to_json(load_record(path.read_bytes())) == path.read_bytes()


def test_meta_is_not_part_of_the_draw():
    record = draw(small_snapshot(), SEED)
    record["meta"]["actor"] = "someone else"
    assert verify(record) == (True, None)


def test_unknown_kind_is_refused():
    snap = small_snapshot()
    with pytest.raises(ValueError, match="记录类型"):
        build_record(snap, SEED, run_draw(snap, SEED), meta={"kind": "overwrite"})


def test_seed_forms_and_errors():
    snap = small_snapshot()
    assert run_draw(snap, SEED) == run_draw(snap, SEED.hex())
    assert run_draw(snap, SEED) != run_draw(snap, new_seed())
    for bad in (SEED[:31], SEED.hex().upper(), "zz" * 32):
        with pytest.raises(ValueError):
            run_draw(snap, bad)


def test_seed_is_bound_to_the_whole_snapshot():
    # Renaming one officer changes nothing the selection reads – except the
    # pool hash, which keys every stream: the drawn enterprises change.
    rows = [enterprise(i) for i in range(60)]
    officers = inspectors()
    a = run_draw(snapshot(rows, task(), officers=officers), SEED)
    officers[0]["name"] = "执法员零"
    b = run_draw(snapshot(rows, task(), officers=officers), SEED)
    assert {v["uscc"] for v in a["visits"]} != {v["uscc"] for v in b["visits"]}


def test_unsorted_pool_is_refused():
    snap = small_snapshot()
    snap["enterprises"]["values"] = [list(reversed(c)) for c in snap["enterprises"]["values"]]
    with pytest.raises(ValueError, match="升序"):
        run_draw(snap, SEED)


def test_floats_are_refused():
    with pytest.raises(ValueError, match="浮点数"):
        snapshot([enterprise(1)], task(ratio=0.2))


def test_draw_error_is_a_value_error():
    assert issubclass(DrawError, ValueError)


def test_shared_draw_imports_no_framework():
    code = ("import sys\n"
            "for m in ('flask', 'kivy', 'requests', 'sqlalchemy'):\n"
            "    sys.modules[m] = None\n"
            "import shared.draw, shared.draw.record\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_snapshot_hash_follows_documented_encoding():
    import hashlib
    import json

    snap = small_snapshot()
    head = {k: v for k, v in snap.items() if k != "enterprises"}
    head["enterprises"] = {k: v for k, v in snap["enterprises"].items() if k != "values"}
    raw = json.dumps(head, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    h = hashlib.sha256(snap["format"].encode() + b"\n" + len(raw).to_bytes(8, "big") + raw)
    values = snap["enterprises"]["values"]
    n = len(values[0])
    for col in values[:-1]:
        data = b"s" + "\x00".join(col).encode()
        h.update(n.to_bytes(8, "big") + len(data).to_bytes(8, "big") + data)
    data = b"b" + bytes(values[-1])
    h.update(n.to_bytes(8, "big") + len(data).to_bytes(8, "big") + data)
    assert snapshot_hash(snap) == h.hexdigest()


def test_nul_in_a_pool_value_is_refused():
    snap = small_snapshot()
    snap["enterprises"]["values"][1][0] += "\x00"
    with pytest.raises(ValueError, match="NUL"):
        snapshot_hash(snap)


def test_same_record_under_different_hash_seeds():
    """Set and dict iteration order (PYTHONHASHSEED) must not leak into the draw."""
    import os

    code = ("import hashlib\n"
            "from shared.draw import draw, record_to_json\n"
            "from tests.shared.draw.helpers import SEED, enterprise, snapshot, task\n"
            "rows = [enterprise(i, needs_expert=i % 4 == 0) for i in range(50)]\n"
            "snap = snapshot(rows, task(ratio='A:20%;B:30%;C:40%;D:100%'),\n"
            "                {'composition': {'street_pool': 1, 'bureau_pool': 1}})\n"
            "print(hashlib.sha256(record_to_json(draw(snap, SEED))).hexdigest())\n")
    digests = set()
    for hash_seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_item_picker_with_a_key_outside_a_draw():
    # The server's manual adjustment (调整) samples items for one new enterprise.
    from shared.draw.items import ItemPicker
    from shared.draw.snapshot import canonical_item
    from tests.shared.draw.helpers import items

    canonical = [canonical_item(i) for i in items()]
    picker = ItemPicker({"items": {"list": canonical}, "task": {"general_items": 2}})
    key = bytes(32)
    got = picker.pick("U1", "某企业", "coal_mine", key)
    assert got == picker.pick("U1", "某企业", "coal_mine", key)
    assert got[:2] == ["SC-000", "SC-010"] and len(got) == 4


def test_pool_bytes_round_trip_and_feed_the_hash():
    snap = snapshot([enterprise(i) for i in range(30)] + [enterprise(99, name="")],
                    task(ratio="50%"))
    pool = snap["enterprises"]
    data = encode_pool(pool)
    assert decode_pool(data) == pool["values"]
    assert [type(v) for v in decode_pool(data)[-1]] == [bool] * len(pool["values"][0])
    assert snapshot_hash(snap, pool_bytes=data) == snapshot_hash(snap)
    with pytest.raises(ValueError):
        decode_pool(data + b"\x00")
    with pytest.raises(ValueError):
        decode_pool(data[:-1])


def test_detached_record_attaches_back_byte_for_byte():
    record = draw(small_snapshot(), SEED, meta={"actor": "张三"})
    head = detach(record)
    assert "values" not in head["snapshot"]["enterprises"] and "result" not in head
    assert "values" in record["snapshot"]["enterprises"]  # the original is untouched
    values = decode_pool(encode_pool(record["snapshot"]["enterprises"]))
    again = attach(load_record(record_to_json(head)), values, record["result"])
    assert record_to_json(again) == record_to_json(record)
    assert verify(again) == (True, None)
