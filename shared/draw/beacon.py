"""Public randomness no insider controls: drand rounds and lottery results.

A draw is frozen first (snapshot, seed commitment, and *which* future public
value it will use); the value itself did not exist then.  Two sources:

* **drand** (League of Entropy).  A round is a BLS12-381 signature by the
  network's threshold key over the round number (and, on the chained
  ``default`` chain, the previous round's signature).  It is verified here,
  offline, against the chain's public key – no network is needed, the round's
  JSON can be pasted.  ``randomness = SHA-256(signature)``.
  Round *r* is published at ``genesis_time + (r − 1) × period``.
* **lottery** (中国福利彩票 / 体育彩票 …): a named future draw of a configured
  lottery.  Nothing cryptographic vouches for it; the numbers are public and
  anyone can compare them with the lottery's announcement.
  ``randomness = SHA-256(UTF-8 lottery_text(source id, draw number, numbers))``.

The BLS arithmetic is py_arkworks_bls12381 (Rust arkworks, RFC 9380
hash-to-curve on both groups): a pairing check is a few milliseconds, where a
pure-Python pairing takes seconds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DRAND = "drand"
LOTTERY = "lottery"
LOCAL = "local"  # demo and tests only: a value from this machine, vouching for nothing
SOURCE_LABELS = {DRAND: "公共随机数（drand 信标）", LOTTERY: "彩票开奖结果",
                 LOCAL: "本地随机数（仅用于演示和测试，不具公信力）"}

CHAINED = "pedersen-bls-chained"
UNCHAINED_G1 = "bls-unchained-g1-rfc9380"
_DST_G2 = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_"
_DST_G1 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"


class BeaconError(ValueError):
    """A public randomness value that cannot be accepted.

    ``message`` is what the office reads (plain Chinese: 公共随机数, 第N轮,
    十六进制字符); ``detail`` the technical reason (chain, bytes, signature) for
    the log and for an auditor's offline check, which print :attr:`full`.  The
    published test vectors (docs/draw-vectors) hold ``detail`` where there is one.
    """

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    @property
    def full(self) -> str:
        return f"{self.message}（{self.detail}）" if self.detail else self.message


@dataclass(frozen=True)
class Chain:
    """A drand chain as its ``/info`` describes it (the hash names it)."""

    hash: str
    name: str
    scheme: str
    public_key: str
    period: int
    genesis_time: int

    def round_time(self, round_no: int) -> int:
        """Unix time at which *round_no* is published."""
        return self.genesis_time + (round_no - 1) * self.period

    def round_at(self, unix: float) -> int:
        """The latest round published at *unix* (0 before genesis)."""
        if unix < self.genesis_time:
            return 0
        return int((unix - self.genesis_time) // self.period) + 1

    def info(self) -> dict[str, Any]:
        return {"hash": self.hash, "name": self.name, "scheme": self.scheme,
                "public_key": self.public_key, "period": self.period,
                "genesis_time": self.genesis_time}


# The League of Entropy mainnet chains (their /info, as published by drand).
CHAINS: dict[str, Chain] = {c.hash: c for c in (
    Chain("52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971", "quicknet",
          UNCHAINED_G1,
          "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a57"
          "76a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4"
          "bc09e76eae8991ef5ece45a", 3, 1692803367),
    Chain("8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce", "default",
          CHAINED,
          "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c729378"
          "4a9402801af31", 30, 1595431050),
)}
CHAIN_NAMES = {c.name: c.hash for c in CHAINS.values()}


def chain(ref: str) -> Chain:
    """A known chain by hash or name (``quicknet``, ``default``)."""
    found = CHAINS.get(ref) or CHAINS.get(CHAIN_NAMES.get(ref, ""))
    if found is None:
        raise BeaconError("约定的公共随机数（drand 信标）服务无法识别",
                          f"未知的drand链“{ref}”（支持：{'、'.join(CHAIN_NAMES)}）")
    return found


def _hex(value: Any, what: str, size: int | None = None, tech: str | None = None) -> bytes:
    """*what* as the office names it (随机数签名); *tech* as the log does (drand签名)."""
    tech = tech or what
    wanted = f"（应为{size * 2}位十六进制字符）" if size else "（应为十六进制字符）"
    if not isinstance(value, str) or not re.fullmatch(r"(?:[0-9a-f]{2})+", value):
        raise BeaconError(f"粘贴的{what}缺失或有误{wanted}", f"{tech}应为小写十六进制文字")
    raw = bytes.fromhex(value)
    if size is not None and len(raw) != size:
        raise BeaconError(f"粘贴的{what}不完整{wanted}",
                          f"{tech}应为{size}字节，实际{len(raw)}字节")
    return raw


def _bls_valid(c: Chain, round_no: int, signature: bytes, previous: bytes) -> bool:
    # Imported here: only verifying a drand round needs the BLS library.
    from py_arkworks_bls12381 import GT, G1Point, G2Point

    try:
        if c.scheme == CHAINED:  # public key on G1, signature on G2
            msg = hashlib.sha256(previous + round_no.to_bytes(8, "big")).digest()
            pk = G1Point.from_compressed_bytes(bytes.fromhex(c.public_key))
            sig = G2Point.from_compressed_bytes(signature)
            return GT.pairing(G1Point(), sig) == GT.pairing(pk, G2Point.hash_to_curve(msg, _DST_G2))
        msg = hashlib.sha256(round_no.to_bytes(8, "big")).digest()  # public key on G2
        pk2 = G2Point.from_compressed_bytes(bytes.fromhex(c.public_key))
        sig1 = G1Point.from_compressed_bytes(signature)
        return GT.pairing(sig1, G2Point()) == GT.pairing(G1Point.hash_to_curve(msg, _DST_G1), pk2)
    except ValueError:  # not a point of the group (the library checks the subgroup)
        return False


def verify_drand(chain_ref: str, round_data: Mapping[str, Any]) -> dict[str, Any]:
    """Verify a drand round (its JSON as the HTTP API gives it) against the
    chain's public key; return the normalized value with its ``randomness``.

    ``round_data``: ``{"round", "signature", "previous_signature"?, "randomness"?}``.
    """
    c = chain(chain_ref)
    round_no = round_data.get("round")
    if isinstance(round_no, bool) or not isinstance(round_no, int) or round_no < 1:
        raise BeaconError("粘贴的内容缺少轮次（应以 {\"round\": 开头）", "drand轮次应为正整数")
    sig_size = 96 if c.scheme == CHAINED else 48
    signature = _hex(round_data.get("signature"), "随机数签名", sig_size, "drand签名")
    previous = b""
    if c.scheme == CHAINED:
        previous = _hex(round_data.get("previous_signature"), "上一轮签名", 96, "drand上一轮签名")
    elif round_data.get("previous_signature"):
        raise BeaconError("粘贴的内容与约定的公共随机数（drand 信标）服务不符",
                          f"drand链{c.name}的轮次不含上一轮签名")
    randomness = hashlib.sha256(signature).hexdigest()
    if round_data.get("randomness") not in (None, randomness):
        raise BeaconError("粘贴的随机数与其签名不符，内容可能被改动",
                          "drand随机数与签名不符（随机数应为签名的SHA-256）")
    if not _bls_valid(c, round_no, signature, previous):
        raise BeaconError(f"粘贴的第{round_no}轮随机数核验未通过：内容被改动，"
                          "或不是约定的公共随机数（drand 信标）服务发布的",
                          f"drand第{round_no}轮的签名未通过链{c.name}公钥的验证"
                          "（签名、轮次或链被改动）")
    out = {"source": DRAND, "chain": c.hash, "round": round_no,
           "signature": signature.hex(), "randomness": randomness}
    if c.scheme == CHAINED:
        out["previous_signature"] = previous.hex()
    return out


def lottery_text(source_id: str, draw_no: str, numbers: Sequence[str]) -> str:
    """The canonical text of a lottery result: three lines, UTF-8::

        <source id>\\n<draw number>\\n<numbers joined by ",", in announced order>
    """
    return f"{source_id}\n{draw_no}\n{','.join(numbers)}"


def parse_numbers(text: str | Sequence[str]) -> list[str]:
    """Announced numbers from ``"03 07 12"``/``"03,07,12"`` or a list; leading zeros kept."""
    parts = re.split(r"[\s,，、]+", text.strip()) if isinstance(text, str) else list(text)
    numbers = [str(p).strip() for p in parts if str(p).strip()]
    if not numbers or not all(re.fullmatch(r"\d{1,3}", n) for n in numbers):
        raise BeaconError("开奖号码应为以空格或逗号分隔的数字")
    return numbers


def lottery_value(source_id: str, draw_no: str, numbers: str | Sequence[str]) -> dict[str, Any]:
    nums = parse_numbers(numbers)
    text = lottery_text(source_id, draw_no, nums)
    return {"source": LOTTERY, "id": source_id, "draw_no": draw_no, "numbers": nums,
            "randomness": hashlib.sha256(text.encode("utf-8")).hexdigest()}


def iso_utc(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).replace(tzinfo=None).isoformat()


def check_value(promise: Mapping[str, Any], value: Mapping[str, Any], frozen_at: str) -> bytes:
    """Check a beacon *value* against what the freeze *promised*; return the
    32 randomness bytes the key is derived from.  ``BeaconError`` otherwise.

    *promise*: ``{"source": "drand", "chain", "round"}`` or
    ``{"source": "lottery", "id", "name", "draw_no", "draw_time"}``;
    *frozen_at*: the freeze's UTC time (ISO, naive).
    """
    source = promise.get("source")
    if value.get("source") != source:
        raise BeaconError(f"随机数来源应为{SOURCE_LABELS.get(source, source)}")
    if source == DRAND:
        c = chain(promise["chain"])
        if value.get("chain") != c.hash:
            raise BeaconError("粘贴的随机数不是约定的公共随机数（drand 信标）服务发布的",
                              f"drand链不符：冻结时约定的是{c.name}（{c.hash[:12]}…）")
        if value.get("round") != promise["round"]:
            raise BeaconError(f"粘贴的是第{value.get('round')}轮，本次抽取约定的是"
                              f"第{promise['round']}轮",
                              f"drand轮次不符：冻结时约定第{promise['round']}轮，"
                              f"提供的是第{value.get('round')}轮")
        if iso_utc(c.round_time(promise["round"])) <= frozen_at:
            raise BeaconError(f"约定的第{promise['round']}轮随机数在冻结前已经公布，"
                              "不能作为本次抽取的随机数",
                              f"drand第{promise['round']}轮在冻结（{frozen_at}）时已经公布，"
                              "不能作为本次抽取的随机数")
        checked = verify_drand(c.hash, value)
        if checked != {k: value[k] for k in checked if k in value} or set(value) - set(checked):
            raise BeaconError("粘贴的随机数内容有多余或不一致的部分",
                              "drand轮次数据与验证结果不一致")
        return bytes.fromhex(checked["randomness"])
    if source == LOTTERY:
        if (value.get("id"), value.get("draw_no")) != (promise["id"], promise["draw_no"]):
            raise BeaconError(f"彩票期号不符：冻结时约定{promise.get('name') or promise['id']}"
                              f"第{promise['draw_no']}期")
        if str(promise.get("draw_time") or "") <= frozen_at:
            raise BeaconError("约定的彩票开奖时间不晚于冻结时间，不能作为本次抽取的随机数")
        expect = lottery_value(promise["id"], promise["draw_no"], value.get("numbers") or [])
        if expect != dict(value):
            raise BeaconError("彩票随机数与开奖号码不符")
        return bytes.fromhex(expect["randomness"])
    if source == LOCAL:
        return _hex(value.get("randomness"), "本地随机数", 32)
    raise BeaconError(f"未知的随机数来源“{source}”")


__all__ = ["CHAINS", "DRAND", "LOCAL", "LOTTERY", "SOURCE_LABELS", "BeaconError", "Chain",
           "chain", "check_value", "iso_utc", "lottery_text", "lottery_value", "parse_numbers",
           "verify_drand"]
