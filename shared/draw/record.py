"""The draw record (摇号过程记录): build, export, load and verify.

Layout (one JSON document, canonical: sorted keys, no spaces, UTF-8)::

    {"format": "suicha-draw-record/1", "algorithm": "suicha-draw/1",
     "meta": {"record_id", "kind": draw|redraw|adjustment, "actor",
              "created_at", "reason", "parent_record_id"},   # filled by the server
     "seed": hex32, "commitment": sha256(seed) hex, "pool_hash": hex,
     "snapshot": {...}, "result": {...}}

``verify`` trusts nothing in the file: it recomputes the commitment from the
seed, the pool hash from the snapshot, re-runs the draw and compares the
result, reporting the first difference in Chinese.  ``meta`` is not covered –
the server's own audit trail (who, when, why) vouches for it.

Format ``suicha-draw-record/2`` (algorithm ``suicha-draw/2``) adds what the
freeze fixed and the public value it promised::

    "freeze": {"frozen_at": UTC ISO, "beacon": {"source": "drand", "chain", "round"}
                                           | {"source": "lottery", "id", "name",
                                              "draw_no", "draw_time"}},
    "beacon": {"source": "drand", "chain", "round", "signature",
               "previous_signature"?, "randomness"} | {"source": "lottery", "id",
               "draw_no", "numbers", "randomness"}

and the verifier also checks the beacon value against the promise (same chain
and round, published after ``frozen_at``, BLS signature valid under the
chain's public key) before re-running the draw with the ``suicha-draw/2`` key.
``pool_hash`` is the snapshot hash.  ``/1`` records still verify as before.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.draw.adjust import ADJUSTMENT_FORMAT, verify_adjustment
from shared.draw.beacon import LOCAL, BeaconError, check_value
from shared.draw.engine import run_draw, seed_bytes
from shared.draw.errors import DrawError
from shared.draw.gcpause import gc_paused
from shared.draw.rng import ALGORITHM_V2, ALGORITHM_VERSION, commitment
from shared.draw.snapshot import canonical_json, snapshot_hash

RECORD_FORMAT_V1 = "suicha-draw-record/1"
RECORD_FORMAT = "suicha-draw-record/2"
_ALGORITHMS = {RECORD_FORMAT_V1: ALGORITHM_VERSION, RECORD_FORMAT: ALGORITHM_V2}
KINDS = ("draw", "redraw", "adjustment")
META_KEYS = ("record_id", "kind", "actor", "created_at", "reason", "parent_record_id")

_FIELD_LABELS = {"uscc": "统一社会信用代码", "inspectors": "执法人员", "leader": "组长",
                 "experts": "专家", "items": "检查事项", "pool_size": "可抽取对象数",
                 "excluded": "排除对象", "strata": "分层抽取数", "visits": "检查对象",
                 "eligible": "可抽取数", "drawn": "抽取数", "ratio": "比例", "reason": "排除原因"}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    message: str  # "一致" or "不一致：<first difference>"


def build_record(snapshot: Mapping[str, Any], seed: bytes | str, result: Mapping[str, Any], *,
                 pool_hash: str | None = None,
                 meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    raw = seed_bytes(seed)
    m = {k: None for k in META_KEYS} | {"kind": "draw"} | dict(meta or {})
    if m["kind"] not in KINDS:
        raise ValueError(f"记录类型应为{'/'.join(KINDS)}")
    return {
        "format": RECORD_FORMAT_V1,
        "algorithm": ALGORITHM_VERSION,
        "meta": m,
        "seed": raw.hex(),
        "commitment": commitment(raw),
        "pool_hash": pool_hash or snapshot_hash(snapshot),
        "snapshot": snapshot,
        "result": result,
    }


def build_record_v2(snapshot: Mapping[str, Any], seed: bytes, result: Mapping[str, Any], *,
                    snapshot_digest: str, freeze: Mapping[str, Any],
                    beacon: Mapping[str, Any],
                    meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A ``suicha-draw-record/2``: the draw of a freeze with its public value."""
    m = {k: None for k in META_KEYS} | {"kind": "draw"} | dict(meta or {})
    if m["kind"] not in KINDS:
        raise ValueError(f"记录类型应为{'/'.join(KINDS)}")
    return {
        "format": RECORD_FORMAT,
        "algorithm": ALGORITHM_V2,
        "meta": m,
        "seed": seed.hex(),
        "commitment": commitment(seed),
        "pool_hash": snapshot_digest,
        "freeze": dict(freeze),
        "beacon": dict(beacon),
        "snapshot": snapshot,
        "result": result,
    }


def draw(snapshot: Mapping[str, Any], seed: bytes | str, *,
         freeze: Mapping[str, Any] | None = None, beacon: Mapping[str, Any] | None = None,
         meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Run the draw and return its record (the pool is hashed once).

    With *freeze* (its promise) and *beacon* (the public value) the record is
    a ``suicha-draw-record/2``; without, a ``/1`` (no public randomness).
    """
    ph = snapshot_hash(snapshot)
    if beacon is None:
        result = run_draw(snapshot, seed, pool_hash=ph)
        return build_record(snapshot, seed, result, pool_hash=ph, meta=meta)
    if freeze is None:
        raise ValueError("有公共随机数的抽取须同时给出冻结信息")
    randomness = check_value(freeze["beacon"], beacon, freeze["frozen_at"])
    result = run_draw(snapshot, seed, pool_hash=ph, beacon_randomness=randomness)
    return build_record_v2(snapshot, seed_bytes(seed), result, snapshot_digest=ph,
                           freeze=freeze, beacon=beacon, meta=meta)


def record_randomness(record: Mapping[str, Any]) -> bytes | None:
    """The beacon randomness a /2 record's key was derived with (unchecked)."""
    if record.get("format") != RECORD_FORMAT:
        return None
    value = record["beacon"]["randomness"]
    if not isinstance(value, str) or len(value) != 64 or value != value.lower():
        raise ValueError("公共随机数应为64位小写十六进制")
    return bytes.fromhex(value)


def record_to_json(record: Mapping[str, Any]) -> bytes:
    return canonical_json(record).encode("utf-8")


def detach(record: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of *record* without the pool's values and the result.

    A server keeps those two apart (the pool as :func:`encode_pool` bytes,
    the result as its own column) and puts them back with :func:`attach`;
    the canonical JSON of the re-attached record is byte for byte the
    original's.
    """
    snapshot = dict(record["snapshot"])
    snapshot["enterprises"] = {k: v for k, v in snapshot["enterprises"].items()
                               if k != "values"}
    return {**{k: v for k, v in record.items() if k != "result"}, "snapshot": snapshot}


def attach(head: Mapping[str, Any], values: list[list[Any]],
           result: Mapping[str, Any]) -> dict[str, Any]:
    """The whole record from :func:`detach`'s head, the pool's values and the result."""
    snapshot = dict(head["snapshot"])
    snapshot["enterprises"] = {**snapshot["enterprises"], "values": values}
    return {**head, "snapshot": snapshot, "result": result}


def write_record(record: Mapping[str, Any], path: str | Path) -> None:
    Path(path).write_bytes(record_to_json(record))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        # json would silently keep the last value; a doctored file might rely on it.
        raise ValueError("记录中有重复的键")
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"记录中有非法数值{name}")


def load_record(data: bytes | str) -> dict[str, Any]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def _show(value: Any) -> str:
    text = canonical_json(value)
    return text if len(text) <= 80 else text[:77] + "…"


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """A Chinese description of the first place *actual* departs from *expected*."""
    if type(expected) is not type(actual):
        return f"{path or '结果'}应为{_show(expected)}，记录为{_show(actual)}"
    if isinstance(expected, dict):
        for k in sorted(set(expected) | set(actual)):
            where = f"{path}的{_FIELD_LABELS.get(k, k)}" if path else _FIELD_LABELS.get(k, k)
            if k not in actual:
                return f"{where}缺失"
            if k not in expected:
                return f"{where}不应存在"
            diff = first_difference(expected[k], actual[k], where)
            if diff:
                return diff
        return None
    if isinstance(expected, list):
        for n, (a, b) in enumerate(zip(expected, actual, strict=False), start=1):
            if isinstance(a, dict) and "uscc" in a:
                where = (f"第{n}个检查对象（{a['uscc']}）" if path == _FIELD_LABELS["visits"]
                         else f"{path}第{n}项（{a['uscc']}）")
            else:
                where = f"{path}第{n}项"
            diff = first_difference(a, b, where)
            if diff:
                return diff
        if len(expected) != len(actual):
            return f"{path}应有{len(expected)}项，记录有{len(actual)}项"
        return None
    if expected != actual:
        return f"{path}应为{_show(expected)}，记录为{_show(actual)}"
    return None


def _same_number_types(rerun: Mapping[str, Any], recorded: Mapping[str, Any]) -> bool:
    """``==`` equates 12, 12.0 and True==1; the result's only numbers are these."""
    pairs = [(rerun["pool_size"], recorded["pool_size"])]
    for cls, counts in rerun["strata"].items():
        pairs += [(v, recorded["strata"][cls][k]) for k, v in counts.items()]
    return all(type(a) is type(b) for a, b in pairs)


def verify(record: Mapping[str, Any], *,
           expected_commitment: str | None = None) -> tuple[bool, str | None]:
    """Re-run *record* and compare.  Returns ``(True, None)`` or ``(False, reason)``.

    *expected_commitment* is the commitment published before the pool closed,
    when the caller has it from elsewhere (the plan's publication).
    """
    try:
        fmt = record.get("format")
        if fmt == ADJUSTMENT_FORMAT:  # checked against its parent chain, not re-run
            return verify_adjustment(record, verify)
        if fmt not in _ALGORITHMS:
            return False, f"记录格式“{fmt}”无法识别"
        if record.get("algorithm") != _ALGORITHMS[fmt]:
            return False, (f"算法版本“{record.get('algorithm')}”与记录格式{fmt}"
                           f"（{_ALGORITHMS[fmt]}）不符")
        seed = seed_bytes(record["seed"])
        if commitment(seed) != record["commitment"]:
            return False, "随机种子与种子承诺值不符（种子或承诺值被改动）"
        if expected_commitment is not None and record["commitment"] != expected_commitment:
            return False, "种子承诺值与事先公布的承诺值不符"
        try:
            computed = snapshot_hash(record["snapshot"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return False, f"抽取对象池无法计算哈希（快照内容被改动：{exc}）"
        if computed != record["pool_hash"]:
            return False, "抽取对象池哈希不符（快照内容被改动）"
        randomness = None
        if fmt == RECORD_FORMAT:
            freeze = record["freeze"]
            try:
                randomness = check_value(freeze["beacon"], record["beacon"], freeze["frozen_at"])
            except BeaconError as exc:
                return False, f"公共随机数未通过核验：{exc.full}"
        try:
            rerun = run_draw(record["snapshot"], seed, pool_hash=computed,
                             beacon_randomness=randomness)
        except DrawError as exc:
            return False, f"重新执行抽取失败：{exc.message}"
        recorded = record["result"]
        if rerun == recorded and _same_number_types(rerun, recorded):
            return True, None
        return False, first_difference(rerun, recorded) or "结果的编码与重新执行的结果不同"
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # A doctored record may not even have the right shape; that is a
        # failed verification, not a crash of the verifier.
        return False, f"记录结构无效（{type(exc).__name__}: {exc}）"


def verify_record_file(path: str | Path, *,
                       expected_commitment: str | None = None) -> VerifyResult:
    """What ``flask draw verify RECORD.json`` prints: "一致" or "不一致：…"."""
    with gc_paused():  # parsing a large record allocates many small containers
        try:
            record = load_record(Path(path).read_bytes())
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return VerifyResult(False, f"不一致：记录文件无法读取或解析（{exc}）")
        if not isinstance(record, dict):
            return VerifyResult(False, "不一致：记录文件不是一个JSON对象")
        ok, diff = verify(record, expected_commitment=expected_commitment)
    if not ok:
        return VerifyResult(False, f"不一致：{diff}")
    if (record.get("beacon") or {}).get("source") == LOCAL:
        return VerifyResult(True, "一致（但随机数来源为本地随机数，仅用于演示和测试，不具公信力）")
    return VerifyResult(True, "一致")
