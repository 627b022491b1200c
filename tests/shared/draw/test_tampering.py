"""Any changed byte in the pool, the seed or the result makes verification fail."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.draw import draw, load_record, record_to_json, verify, verify_record_file
from tests.shared.draw.helpers import SEED, enterprise, expert, snapshot, task

RULES = {"composition": {"street_pool": 1, "bureau_pool": 1}}


def make_record() -> dict:
    rows = [enterprise(i, needs_expert=i % 5 == 0) for i in range(30)]
    rows[4]["status"] = "closed"
    return draw(snapshot(rows, task(ratio="A:20%;B:30%;C:50%;D:100%"), RULES,
                         experts=[expert(i) for i in range(4)]), SEED)


RECORD = make_record()
DATA = record_to_json(RECORD)


def span(key: str) -> tuple[int, int]:
    """Byte range of a top-level value in the canonical record (keys are sorted)."""
    start = DATA.index(f'"{key}":'.encode()) + len(key) + 3
    value = json.dumps(RECORD[key], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    end = start + len(value.encode())
    assert DATA[start:end].decode() == value
    return start, end


def pool_span() -> tuple[int, int]:
    start, end = span("snapshot")
    inner = DATA.index(b'"enterprises":', start)
    return inner, DATA.index(b',"excluded":', inner)


SECTIONS = {"pool": pool_span(), "seed": span("seed"), "result": span("result"),
            "snapshot": span("snapshot")}


def flipped(pos: int, new: int) -> bytes:
    data = bytearray(DATA)
    data[pos] = new
    return bytes(data)


def test_untouched_record_verifies(tmp_path):
    path = tmp_path / "record.json"
    path.write_bytes(DATA)
    result = verify_record_file(path)
    assert (result.ok, result.message) == (True, "一致")


@pytest.mark.parametrize("section", ["pool", "seed", "result", "snapshot"])
@pytest.mark.parametrize("fraction", [0.0, 0.13, 0.29, 0.5, 0.71, 0.87, 0.999])
def test_flipped_byte_fails(tmp_path, section, fraction):
    start, end = SECTIONS[section]
    pos = start + int((end - start - 1) * fraction)
    path = tmp_path / "record.json"
    path.write_bytes(flipped(pos, DATA[pos] ^ 0x01))
    result = verify_record_file(path)
    assert not result.ok
    assert result.message.startswith("不一致：")


@settings(max_examples=300, deadline=None)
@given(section=st.sampled_from(["pool", "seed", "result", "snapshot"]),
       where=st.floats(0, 1, exclude_max=True), new=st.integers(0, 255))
def test_random_byte_fails(section, where, new):
    start, end = SECTIONS[section]
    pos = start + int((end - start) * where)
    if DATA[pos] == new:
        new ^= 0x80
    try:
        record = load_record(flipped(pos, new))
    except (UnicodeDecodeError, ValueError):
        return  # the file no longer parses: verify_record_file reports that (tested above)
    assert verify(record)[0] is False


def test_messages_name_the_cause():
    seed_start, _ = SECTIONS["seed"]
    doctored = load_record(flipped(seed_start + 1, ord("0") if DATA[seed_start + 1] != 48 else 49))
    assert "承诺" in verify(doctored)[1]

    record = load_record(DATA)
    record["snapshot"]["enterprises"]["values"][1][0] += "X"
    assert "哈希" in verify(record)[1]

    record = load_record(DATA)
    visit = record["result"]["visits"][2]
    visit["leader"] = next(c for c in visit["inspectors"] if c != visit["leader"])
    ok, message = verify(record)
    assert not ok and f"第3个检查对象（{visit['uscc']}）" in message and "组长" in message

    record = load_record(DATA)
    record["result"]["visits"].pop()
    assert "应有" in verify(record)[1]


def test_upper_case_seed_is_not_the_same_seed():
    record = load_record(DATA)
    record["seed"] = record["seed"].upper()
    assert verify(record)[0] is False


def test_expected_commitment():
    record = load_record(DATA)
    assert verify(record, expected_commitment=RECORD["commitment"]) == (True, None)
    assert verify(record, expected_commitment="0" * 64)[0] is False


def test_unreadable_file(tmp_path):
    path = tmp_path / "r.json"
    path.write_bytes(b"\xff\xfe")
    assert verify_record_file(path).message.startswith("不一致：记录文件无法读取")
    assert not verify_record_file(tmp_path / "missing.json").ok


@pytest.mark.parametrize("path", [
    ("pool_size",), ("strata", "A", "drawn"), ("strata", "D", "eligible")])
def test_number_respelled_as_float_fails(path):
    record = load_record(DATA)
    node = record["result"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = float(node[path[-1]])  # equal under ==, not the same record
    assert verify(record)[0] is False
