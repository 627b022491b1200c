"""What the public and an enterprise can check, from published files alone.

The browser's "在本机核验" runs the same steps in JavaScript (``js/verify/src/``,
built into ``server/static/draw/suicha-verify.js``); the differential test
holds the two to the same answers.  Messages are Chinese and name the first difference.

* :func:`check_public` – a citizen: the public pool file and the public draw
  file (and, optionally, the values the task page published at freeze).
* :func:`check_receipt` – an enterprise with its receipt: in the pool exactly
  once, and drawn exactly when its ticket says it should be.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.draw import select as sel
from shared.draw.adjust import AdjustmentMismatch, check_public_adjustments
from shared.draw.beacon import BeaconError, check_value
from shared.draw.public import (
    PUBLIC_DRAW_FORMATS,
    PUBLIC_POOL_FORMAT,
    RECEIPT_FORMAT,
    record_freeze,
)
from shared.draw.rng import derive_key
from shared.draw.snapshot import canonical_json

_HEX64 = re.compile(r"[0-9a-f]{64}")


class Mismatch(Exception):
    """One failed check; its message is the Chinese difference."""


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str  # "一致" or "不一致：…"
    details: tuple[str, ...] = ()  # the checks that passed, in order, for the page


def _hex(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise Mismatch(f"{what}应为64位小写十六进制")
    return bytes.fromhex(value)


def _load(data: bytes | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        return data
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Mismatch(f"{what}无法解析") from None
    if not isinstance(doc, dict):
        raise Mismatch(f"{what}不是一个JSON对象")
    return doc


def _pool_strata(pool: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    if pool.get("format") != PUBLIC_POOL_FORMAT:
        raise Mismatch(f"公开对象池文件格式“{pool.get('format')}”无法识别")
    seen: set[str] = set()
    out = {}
    for s in pool["strata"]:
        label, names = s["stratum"], s["pseudonyms"]
        if label in out:
            raise Mismatch(f"公开对象池中分层“{label}”重复")
        for p in names:
            _hex(p, f"分层“{label}”的化名")
        if names != sorted(names):
            raise Mismatch(f"公开对象池分层“{label}”的化名未按升序排列")
        if len(names) != s["size"] or type(s["size"]) is not int:
            raise Mismatch(f"公开对象池分层“{label}”公布{s['size']}户，实有化名{len(names)}个")
        if seen & set(names) or len(set(names)) != len(names):
            raise Mismatch(f"公开对象池中有重复的化名（分层“{label}”）")
        seen.update(names)
        out[label] = s
    return out


_RATIO = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]*[1-9]))?|([1-9][0-9]*)/([1-9][0-9]*)")


def stratum_k(ratio: Any, size: int) -> int:
    """``ceil(ratio × size)`` for the canonical ratio text (``0.2``, ``1``, ``1/3``)."""
    m = _RATIO.fullmatch(ratio) if isinstance(ratio, str) else None
    if m is None:
        raise Mismatch(f"比例“{ratio}”不是规范写法")
    if m.group(3):
        num, den = int(m.group(3)), int(m.group(4))
    else:
        frac = m.group(2) or ""
        num, den = int(m.group(1) + frac), 10 ** len(frac)
    if not 0 < num <= den:
        raise Mismatch(f"比例“{ratio}”应大于0且不超过1")
    return -((-num * size) // den)


def beacon_randomness(draw: Mapping[str, Any]) -> bytes:
    """The public value checked against the freeze's promise (source, chain and
    round or lottery draw, published after the freeze, drand's BLS signature)."""
    freeze, beacon = draw["freeze"], draw["beacon"]
    if not isinstance(freeze, Mapping) or not isinstance(beacon, Mapping):
        raise Mismatch("缺少冻结信息或公共随机数")
    try:
        plain = record_freeze(freeze)  # the record's form: "Z" dropped
        return check_value(plain["beacon"], beacon, plain["frozen_at"])
    except BeaconError as exc:
        raise Mismatch(f"公共随机数未通过核验：{exc.full}") from None


def key_of(draw: Mapping[str, Any]) -> bytes:
    seed = _hex(draw["seed"], "随机种子")
    _hex(draw["snapshot_hash"], "快照哈希")
    return derive_key(seed, beacon_randomness(draw), draw["snapshot_hash"])


def _check(pool_bytes: bytes, draw_bytes: bytes,
           published: Mapping[str, str] | None) -> list[str]:
    done: list[str] = []
    pool = _load(pool_bytes, "公开对象池文件")
    draw = _load(draw_bytes, "公开抽取结果文件")
    if draw.get("format") not in PUBLIC_DRAW_FORMATS:
        raise Mismatch(f"公开抽取结果文件格式“{draw.get('format')}”无法识别")
    if draw.get("algorithm") != sel.VERSION or pool.get("algorithm") != sel.VERSION:
        raise Mismatch(f"算法版本应为{sel.VERSION}")
    strata = _pool_strata(pool)
    done.append("公开对象池文件格式正确、化名无重复")
    if hashlib.sha256(pool_bytes).hexdigest() != draw["public_pool_sha256"]:
        raise Mismatch("公开对象池文件的SHA-256与抽取结果文件记载的不符（对象池文件被改动）")
    for field, label in (("snapshot_hash", "快照哈希"), ("commitment", "种子承诺值"),
                         ("task_no", "任务编号")):
        if pool[field] != draw[field]:
            raise Mismatch(f"两个文件的{label}不一致")
        if published and field in published and published[field] != draw[field]:
            raise Mismatch(f"{label}与冻结时公布的不符（公布：{published[field]}）")
    done.append("两个文件相互对应，快照哈希与种子承诺值与冻结时公布的一致")
    seed = _hex(draw["seed"], "随机种子")
    if hashlib.sha256(seed).hexdigest() != draw["commitment"]:
        raise Mismatch("SHA-256(随机种子)与种子承诺值不符")
    done.append("SHA-256(随机种子) = 种子承诺值")
    if published and "freeze" in published and (
            canonical_json(published["freeze"]) != canonical_json(draw["freeze"])):
        raise Mismatch("冻结时约定的随机源与公布的不符")
    key = key_of(draw)
    source = draw["beacon"].get("source")
    done.append("公共随机数与冻结时约定的随机源相符" + (
        "（drand签名已用链公钥验证）" if source == "drand" else
        "（本地随机数，仅用于演示和测试，不具公信力）" if source == "local" else
        "（请与彩票官方公告的开奖号码核对）"))
    done.append("由随机种子、公共随机数和快照哈希算出抽取密钥")
    drawn_strata = {s["stratum"]: s for s in draw["strata"]}
    if list(drawn_strata) != list(strata):
        raise Mismatch("抽取结果的分层与公开对象池的分层不一致")
    total = 0
    for label, s in strata.items():
        k = stratum_k(s["ratio"], s["size"])
        d = drawn_strata[label]
        if d["size"] != s["size"] or d["drawn"] != k or type(d["drawn"]) is not int:
            raise Mismatch(f"分层“{label}”：{s['size']}户按比例{s['ratio']}应抽{k}户，"
                           f"记载为{d['drawn']}户")
        expect = sorted(p.hex() for p in sel.select(
            key, [bytes.fromhex(p) for p in s["pseudonyms"]], k))
        if d["selected"] != expect:
            wrong = sorted(set(d["selected"]) ^ set(expect))
            raise Mismatch(f"分层“{label}”抽中的化名与重新计算的不符（如{wrong[0][:16]}…）"
                           if wrong else f"分层“{label}”抽中的化名排列不符")
        total += k
    done.append("每一分层按比例抽取的户数和抽中的化名与重新计算的一致")
    usccs = [d["uscc"] for d in draw["drawn"]]
    if len(usccs) != total:
        raise Mismatch(f"公开名单有{len(usccs)}户，按各分层应抽{total}户")
    if usccs != sorted(set(usccs)):
        raise Mismatch("公开名单未按统一社会信用代码升序排列或有重复")
    if draw["visit_order"] != sel.visit_order(key, usccs):
        raise Mismatch("检查顺序与由抽取密钥重新计算的顺序不符")
    done.append("公开名单户数相符，检查顺序只由抽取密钥和信用代码决定")
    return done


def check_public(pool_bytes: bytes, draw_bytes: bytes,
                 published: Mapping[str, str] | None = None) -> CheckResult:
    """Everything a citizen can check.  *published*: values the task page
    showed at freeze (``snapshot_hash``, ``commitment``, ``task_no``,
    ``beacon_randomness``)."""
    try:
        done = _check(pool_bytes, draw_bytes, published)
    except Mismatch as exc:
        return CheckResult(False, f"不一致：{exc}")
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return CheckResult(False, "不一致：文件结构无效")
    return CheckResult(True, "一致", tuple(done))


def check_receipt(receipt: Mapping[str, Any], pool_bytes: bytes, draw_bytes: bytes
                  ) -> CheckResult:
    """An enterprise's check: its pseudonym is in the pool exactly once, and it
    is on the public list exactly when its ticket ranks within its stratum's k."""
    try:
        if receipt.get("format") != RECEIPT_FORMAT:
            raise Mismatch("回执格式无法识别")
        pool = _load(pool_bytes, "公开对象池文件")
        draw = _load(draw_bytes, "公开抽取结果文件")
        if receipt["snapshot_hash"] != pool["snapshot_hash"]:
            raise Mismatch("回执所属的快照哈希与公开对象池的不符（回执不属于本次抽取）")
        mine = sel.pseudonym(_hex(receipt["salt"], "回执码"), receipt["uscc"]).hex()
        hits = [s for s in pool["strata"] for p in s["pseudonyms"] if p == mine]
        if len(hits) != 1:
            raise Mismatch(f"本单位的化名在公开对象池中出现{len(hits)}次（应恰好1次）")
        stratum = hits[0]
        k = stratum_k(stratum["ratio"], stratum["size"])
        key = key_of(draw)
        chosen = {p.hex() for p in sel.select(
            key, [bytes.fromhex(p) for p in stratum["pseudonyms"]], k)}
        should = mine in chosen
        listed = any(d["uscc"] == receipt["uscc"] for d in draw["drawn"])
        if should != listed:
            raise Mismatch("按抽取规则本单位" + ("应被抽中，但不在公开名单中" if should
                                               else "不应被抽中，却在公开名单中"))
        verdict = "本单位在对象池中恰好出现一次；按抽取规则" + (
            "应被抽中，公开名单中有本单位" if should else "不应被抽中，公开名单中没有本单位")
        return CheckResult(True, "一致", (verdict,))
    except Mismatch as exc:
        return CheckResult(False, f"不一致：{exc}")
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return CheckResult(False, "不一致：文件结构无效")


def check_adjustments(draw_bytes: bytes, adjustment_files: list[bytes]) -> CheckResult:
    """A citizen's check of the public adjustment files of one draw, in log
    order: each names the previous public file by SHA-256 and changes exactly
    what it declares (who, when and why present)."""
    try:
        draw = _load(draw_bytes, "公开抽取结果文件")
        files = [(hashlib.sha256(b).hexdigest(), _load(b, "调整说明文件"))
                 for b in adjustment_files]
        done = check_public_adjustments(draw["drawn"], hashlib.sha256(draw_bytes).hexdigest(),
                                        files)
    except (Mismatch, AdjustmentMismatch) as exc:
        return CheckResult(False, f"不一致：{exc}")
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, StopIteration):
        return CheckResult(False, "不一致：文件结构无效")
    return CheckResult(True, "一致", tuple(done))
