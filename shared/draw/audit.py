"""What an auditor (监督) checks: the full record, and that the published
files are exactly what the record implies.

The full record holds the credit classes, conflicts and the pseudonym secret,
so only staff and auditors get it.  :func:`audit` re-runs the draw from it
(:func:`shared.draw.record.verify`), then re-derives the public pool and
public draw files and compares them byte for byte with the published ones – so
a published file that was built from anything but this record is caught.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shared.draw.check import CheckResult, check_public
from shared.draw.public import (
    PUBLIC_DRAW_FORMAT,
    PUBLIC_DRAW_FORMATS,
    public_draw,
    public_pool,
    to_bytes,
)
from shared.draw.record import verify


def expected_public(record: Mapping[str, Any], fmt: str = PUBLIC_DRAW_FORMAT
                    ) -> tuple[bytes, bytes]:
    """The public pool and public draw bytes this record implies (*fmt*: the
    draw file's format version)."""
    pool = to_bytes(public_pool(record["snapshot"], record["pool_hash"], record["commitment"]))
    return pool, to_bytes(public_draw(record, pool, fmt=fmt))


def _format_of(draw_bytes: bytes | None) -> str:
    """The version the published draw file claims (re-derived in that version)."""
    try:
        fmt = json.loads(draw_bytes)["format"] if draw_bytes is not None else None
    except (ValueError, TypeError, KeyError):
        fmt = None
    return fmt if fmt in PUBLIC_DRAW_FORMATS else PUBLIC_DRAW_FORMAT


def audit(record: Mapping[str, Any], pool_bytes: bytes | None = None,
          draw_bytes: bytes | None = None) -> CheckResult:
    ok, diff = verify(record)
    if not ok:
        return CheckResult(False, f"不一致：完整记录复算不符：{diff}")
    done = ["完整记录复算一致（种子承诺值、快照哈希、公共随机数、分层抽取、"
            "检查组、组长、专家、检查事项）"]
    if record["algorithm"] != "suicha-draw/2":
        return CheckResult(True, "一致", tuple(done))  # published no pseudonyms
    pool, draw = expected_public(record, _format_of(draw_bytes))
    for what, published, expected in (("公开对象池文件", pool_bytes, pool),
                                      ("公开抽取结果文件", draw_bytes, draw)):
        if published is None:
            continue
        if published != expected:
            return CheckResult(False, f"不一致：{what}与完整记录推出的内容不同")
        done.append(f"{what}与完整记录推出的内容逐字节相同")
    public = check_public(pool, draw)
    if not public.ok:
        return CheckResult(False, f"不一致：{public.message}")
    return CheckResult(True, "一致", tuple(done + list(public.details)))
