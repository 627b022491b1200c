"""Public randomness: real drand rounds verified offline, lottery results, the v2 key.

The rounds in data/drand_rounds.json were published by the League of Entropy
(chains ``default`` – chained, signatures on G2 – and ``quicknet`` –
unchained, signatures on G1, RFC 9380); nothing here reaches the network.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from shared.draw import build_record_v2, derive_key, verify, verify_record_file, write_record
from shared.draw.beacon import (
    CHAINS,
    UNCHAINED_G1,
    BeaconError,
    chain,
    check_value,
    iso_utc,
    lottery_value,
    verify_drand,
)
from shared.draw.engine import run_draw
from shared.draw.snapshot import snapshot_hash
from tests.shared.draw.helpers import SEED, enterprise, snapshot, task

ROUNDS = json.loads((Path(__file__).parent / "data" / "drand_rounds.json").read_text())
REAL = [(name, r) for name in ("default", "quicknet") for r in ROUNDS[name]]
IDS = [f"{name}-{r['round']}" for name, r in REAL]


def _flip(hex_text: str, at: int) -> str:
    raw = bytearray(bytes.fromhex(hex_text))
    raw[at] ^= 0x01
    return raw.hex()


@pytest.mark.parametrize(("name", "rnd"), REAL, ids=IDS)
def test_a_real_round_is_accepted_and_its_randomness_derived(name, rnd):
    out = verify_drand(name, rnd)
    assert out["randomness"] == hashlib.sha256(bytes.fromhex(rnd["signature"])).hexdigest()
    if "randomness" in rnd:  # as the relay published it
        assert out["randomness"] == rnd["randomness"]


@pytest.mark.parametrize(("name", "rnd"), REAL, ids=IDS)
def test_a_changed_signature_is_refused(name, rnd):
    for at in (5, len(rnd["signature"]) // 2 - 1):
        bad = {**rnd, "signature": _flip(rnd["signature"], at)}
        bad.pop("randomness", None)
        with pytest.raises(BeaconError):
            verify_drand(name, bad)
    # a published randomness that is not the signature's hash
    with pytest.raises(BeaconError, match="随机数与其签名不符"):
        verify_drand(name, {**rnd, "randomness": "00" * 32})


@pytest.mark.parametrize(("name", "rnd"), REAL, ids=IDS)
def test_a_changed_round_number_is_refused(name, rnd):
    for other in (rnd["round"] - 1, rnd["round"] + 1):
        with pytest.raises(BeaconError, match="未通过"):
            verify_drand(name, {**rnd, "round": other})


def test_a_changed_previous_signature_is_refused():
    rnd = ROUNDS["default"][0]
    with pytest.raises(BeaconError, match="未通过"):
        verify_drand("default", {**rnd, "previous_signature": _flip(rnd["previous_signature"], 0)})


@pytest.mark.parametrize(("name", "rnd"), REAL, ids=IDS)
def test_another_chain_is_refused(name, rnd):
    other = "quicknet" if name == "default" else "default"
    with pytest.raises(BeaconError):
        verify_drand(other, rnd)  # wrong key, and the wrong signature group
    with pytest.raises(BeaconError, match="服务无法识别") as err:
        verify_drand("f" * 64, rnd)
    assert "未知的drand链" in err.value.detail


def _promise(name: str, rnd: dict) -> dict:
    return {"source": "drand", "chain": chain(name).hash, "round": rnd["round"]}


def _value(name: str, rnd: dict) -> dict:
    return {"source": "drand", "chain": chain(name).hash,
            **{k: v for k, v in rnd.items() if k != "randomness"},
            "randomness": hashlib.sha256(bytes.fromhex(rnd["signature"])).hexdigest()}


@pytest.mark.parametrize(("name", "rnd"), REAL, ids=IDS)
def test_a_round_already_published_at_the_freeze_is_refused(name, rnd):
    c = chain(name)
    published = c.round_time(rnd["round"])
    before, after = iso_utc(published - 60), iso_utc(published)
    randomness = check_value(_promise(name, rnd), _value(name, rnd), before)
    assert randomness.hex() == _value(name, rnd)["randomness"]
    with pytest.raises(BeaconError, match=f"约定的第{rnd['round']}轮随机数在冻结前已经公布"):
        check_value(_promise(name, rnd), _value(name, rnd), after)


def test_the_value_must_be_the_promised_round_and_chain():
    rnd = ROUNDS["default"][1]
    frozen = iso_utc(chain("default").round_time(rnd["round"]) - 300)
    with pytest.raises(BeaconError, match=f"粘贴的是第{rnd['round']}轮，本次抽取约定的是"
                                          f"第{rnd['round'] + 1}轮"):
        check_value({**_promise("default", rnd), "round": rnd["round"] + 1},
                    _value("default", rnd), frozen)
    quick = ROUNDS["quicknet"][0]
    with pytest.raises(BeaconError, match="不是约定的公共随机数（drand 信标）服务发布的") as err:
        check_value(_promise("default", rnd), _value("quicknet", quick), frozen)
    assert "drand链不符" in err.value.detail and "drand链不符" in err.value.full


def test_round_times_follow_genesis_and_period():
    for c in CHAINS.values():
        assert c.round_at(c.round_time(1000)) == 1000
        assert c.round_at(c.round_time(1000) - 1) == 999
        assert c.round_at(c.genesis_time - 1) == 0


def test_lottery_text_and_randomness():
    value = lottery_value("cwl-3d", "2024100", "0 7 3")
    text = "cwl-3d\n2024100\n0,7,3"
    assert value["randomness"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert value["numbers"] == ["0", "7", "3"]
    promise = {"source": "lottery", "id": "cwl-3d", "name": "福彩3D", "draw_no": "2024100",
               "draw_time": "2024-04-13T13:15:00"}
    assert check_value(promise, value, "2024-04-13T08:00:00").hex() == value["randomness"]
    with pytest.raises(BeaconError, match="期号不符"):
        check_value({**promise, "draw_no": "2024101"}, value, "2024-04-13T08:00:00")
    with pytest.raises(BeaconError, match="不晚于冻结时间"):
        check_value(promise, value, "2024-04-13T14:00:00")
    with pytest.raises(BeaconError, match="不符"):
        check_value(promise, {**value, "numbers": ["0", "7", "4"]}, "2024-04-13T08:00:00")


def test_key_contract():
    """The published contract, computed here by hand (issue 15's JS implements the same)."""
    seed, rand, snap = bytes(range(32)), bytes(range(32, 64)), bytes(range(64, 96))
    want = hashlib.sha256(b"suicha-draw/2\0key\0" + seed + rand + snap).digest()
    assert derive_key(seed, rand, snap.hex()) == want
    assert derive_key(seed, rand, snap.hex()) != derive_key(seed, bytes(32), snap.hex())


def test_a_v2_record_with_a_real_round_verifies_offline_and_tampering_is_found(tmp_path):
    rows = [enterprise(i) for i in range(30)]
    snap = snapshot(rows, task())
    digest = snapshot_hash(snap)
    rnd = ROUNDS["quicknet"][0]
    promise = _promise("quicknet", rnd)
    frozen_at = iso_utc(chain("quicknet").round_time(rnd["round"]) - 600)
    value = _value("quicknet", rnd)
    randomness = check_value(promise, value, frozen_at)
    result = run_draw(snap, SEED, pool_hash=digest, beacon_randomness=randomness)
    record = build_record_v2(snap, SEED, result, snapshot_digest=digest,
                             freeze={"frozen_at": frozen_at, "beacon": promise}, beacon=value)
    assert verify(record) == (True, None)
    path = tmp_path / "record.json"
    write_record(record, path)
    assert verify_record_file(path).message == "一致"
    # The same seed and snapshot with another round draw differently.
    other = run_draw(snap, SEED, pool_hash=digest, beacon_randomness=bytes(32))
    assert other["visits"] != result["visits"]
    for doctored, why in (
        ({**record, "beacon": {**value, "signature": _flip(value["signature"], 3)}}, "公共随机数"),
        ({**record, "freeze": {**record["freeze"],
                               "frozen_at": iso_utc(chain("quicknet").round_time(rnd["round"]))}},
         "已经公布"),
        ({**record, "beacon": _value("default", ROUNDS["default"][1])}, "公共随机数"),
    ):
        ok, diff = verify(doctored)
        assert not ok and why in diff


@pytest.mark.parametrize(("name", "rnd"), REAL, ids=IDS)
def test_the_office_reads_plain_chinese_and_the_log_the_detail(name, rnd):
    """Outside finding: “drand签名应为48字节，实际2字节”, “drand轮次不符…” in the console."""
    hexchars = 96 if chain(name).scheme == UNCHAINED_G1 else 192
    with pytest.raises(BeaconError) as err:
        verify_drand(name, {**rnd, "signature": "ab"})
    assert err.value.message == f"粘贴的随机数签名不完整（应为{hexchars}位十六进制字符）"
    assert err.value.detail == f"drand签名应为{hexchars // 2}字节，实际1字节"
    bad = {**rnd, "signature": _flip(rnd["signature"], 5)}
    bad.pop("randomness", None)
    with pytest.raises(BeaconError) as err:
        verify_drand(name, bad)
    assert err.value.message.startswith(f"粘贴的第{rnd['round']}轮随机数核验未通过")
    for refused in (err.value.message, "粘贴的随机数签名不完整"):
        assert "字节" not in refused and "drand第" not in refused and "drand签名" not in refused
