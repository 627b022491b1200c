"""The canonical snapshot a draw runs on, and its hash.

Everything a draw depends on is normalised here – codes instead of labels,
ISO dates, ratios as exact decimal/fraction strings, every list sorted by its
natural key – so the same facts always give the same bytes, whatever order the
database returned them in.  Floats are refused outright: their text form is
not stable enough to hash.

The enterprise pool is column-major (``columns`` header + one list per
column): a million small row lists cost seconds to parse in Python, a few long
lists cost a fraction of that.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import islice
from operator import lt
from typing import Any

from shared.draw.parse import format_filter, format_fraction, parse_filter, parse_ratio
from shared.enums import DrawType, DutyStatus, Industry, ItemCategory

SNAPSHOT_FORMAT = "suicha-snapshot/2"
# Older snapshots still re-run (their records still verify): /1 has no
# pseudonyms, departments, host departments or specialty map, and the draw reads them so.
SNAPSHOT_FORMATS = ("suicha-snapshot/1", SNAPSHOT_FORMAT)
POOL_COLUMNS = ("uscc", "name", "credit_class", "industry", "street", "needs_expert")
_STR_COLUMNS = POOL_COLUMNS[:-1]

DEFAULT_RULES: dict[str, Any] = {
    # Officers required from the enterprise's street pool (二级库) and from the
    # bureau pool (一级库, officers with no street); the rest from anyone.
    "composition": {"street_pool": 0, "bureau_pool": 0},
    "field_match": True,  # 执法领域 must include the enterprise's industry
    "recuse_own_street": False,  # 所所交叉
    "recuse_previous": False,  # not the officers of the previous inspection
    "expert_specialty_match": True,  # expert 专业 must include the industry
    "yearly_cap": None,  # inspections per enterprise per year
    "exclude_drawn_in_plan": True,
    # 主办科室 by industry (龙岗: it follows the industry); else the 发起科室.
    "host_departments": {},
}


def canonical_json(obj: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: one byte string per value."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def _no_floats(obj: Any, where: str) -> None:
    if isinstance(obj, float):
        raise ValueError(f"{where}中不得使用浮点数（比例请写作“0.2”或“20%”）")
    if isinstance(obj, dict):
        for v in obj.values():
            _no_floats(v, where)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _no_floats(v, where)


def _iso(value: Any, what: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"{what}“{value}”不是有效日期（应为YYYY-MM-DD）") from None


def _int(value: Any, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{what}应为不小于{minimum}的整数")
    return value


def canonical_task(task: Mapping[str, Any]) -> dict[str, Any]:
    _no_floats(dict(task), "抽查任务")
    scope = task.get("scope", task.get("filter"))
    ratio = parse_ratio(task["ratio"])
    out = {
        "task_no": str(task["task_no"]),
        "plan_no": str(task.get("plan_no") or ""),
        "draw_type": DrawType.parse(task.get("draw_type", DrawType.DIRECTED)).value,
        "scope": format_filter(parse_filter(scope)),
        "ratio": {k: format_fraction(v) for k, v in sorted(ratio.items())},
        "window_start": _iso(task["window_start"], "抽查开始日期"),
        "window_end": _iso(task["window_end"], "抽查结束日期"),
        "team_size": _int(task.get("team_size", 2), "每户检查人数", 2),
        "joint_tasks": sorted({str(t) for t in task.get("joint_tasks") or ()}),
        "general_items": _int(task.get("general_items", 3), "一般事项抽取数", 0),
        "experts_required": bool(task.get("experts_required", False)),
        "experts_per_visit": _int(task.get("experts_per_visit", 1), "每户专家人数", 1),
        "department": str(task.get("department") or ""),
        "joint_departments": sorted({str(d) for d in task.get("joint_departments") or ()} - {""}),
    }
    # A 联合 task's teams hold one officer of each department taking part.
    out["departments"] = (sorted({out["department"], *out["joint_departments"]} - {""})
                          if out["joint_departments"] else [])
    if out["window_end"] < out["window_start"]:
        raise ValueError("抽查结束日期早于开始日期")
    return out


def canonical_rules(rules: Mapping[str, Any] | None) -> dict[str, Any]:
    rules = dict(rules or {})
    _no_floats(rules, "抽取规则")
    unknown = set(rules) - set(DEFAULT_RULES)
    if unknown:
        raise ValueError(f"未知的抽取规则：{'、'.join(sorted(unknown))}")
    out = {k: rules.get(k, v) for k, v in DEFAULT_RULES.items()}
    comp = dict(out["composition"] or {})
    bad = set(comp) - {"street_pool", "bureau_pool"}
    if bad:
        raise ValueError(f"未知的组队规则：{'、'.join(sorted(bad))}")
    out["composition"] = {
        "street_pool": _int(comp.get("street_pool", 0), "街道二级库人数", 0),
        "bureau_pool": _int(comp.get("bureau_pool", 0), "局一级库人数", 0),
    }
    for k in ("field_match", "recuse_own_street", "recuse_previous",
              "expert_specialty_match", "exclude_drawn_in_plan"):
        out[k] = bool(out[k])
    if out["yearly_cap"] is not None:
        out["yearly_cap"] = _int(out["yearly_cap"], "每户年度检查上限", 1)
    hosts = out["host_departments"] or {}
    if not isinstance(hosts, Mapping):
        raise ValueError("主办科室规则应为“行业：科室”的对应表")
    out["host_departments"] = {
        _industry_code(k): str(v).strip() for k, v in sorted(hosts.items()) if str(v).strip()}
    return out


def canonical_specialty_map(mapping: Mapping[str, Iterable[Any]] | None) -> dict[str, list[str]]:
    """Written specialty (“煤矿安全”) → the industry codes it covers."""
    out = {}
    for word, industries in sorted((mapping or {}).items()):
        codes = _industries(industries)
        if str(word).strip() and codes:
            out[str(word).strip()] = codes
    return out


def _industry_code(value: Any) -> str:
    try:
        return Industry.parse(value).value
    except ValueError:
        # 执法领域/专业 tags may name more than industries (“综合执法”); kept
        # verbatim, they simply never match an enterprise's industry.
        return str(value).strip()


def _industries(values: Iterable[Any] | None) -> list[str]:
    return sorted({_industry_code(v) for v in values or ()} - {""})


def canonical_inspector(row: Mapping[str, Any]) -> dict[str, Any]:
    expiry = row.get("cert_expiry")
    return {
        "cert_no": str(row.get("cert_no") or ""),
        "name": str(row.get("name") or ""),
        "cert_expiry": _iso(expiry, "证件有效期") if expiry else "",
        "department": str(row.get("department") or ""),
        "street": str(row.get("street") or ""),
        "fields": _industries(row.get("fields")),
        "duty": DutyStatus.parse(row.get("duty") or DutyStatus.ON_DUTY).value,
        "auxiliary": bool(row.get("auxiliary", False)),
        "conflicts": sorted({str(u) for u in row.get("conflicts") or ()}),
    }


def canonical_expert(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": str(row.get("name") or ""),
        "specialties": _industries(row.get("specialties")),
        "org": str(row.get("org") or ""),
        "conflicts": sorted({str(u) for u in row.get("conflicts") or ()}),
    }


def canonical_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "no": str(row["no"]),
        "name": str(row.get("name") or ""),
        "category": ItemCategory.parse(row["category"]).value,
        "industries": _industries(row.get("industries")),
    }


def _unique_sorted(rows: list[dict[str, Any]], key: str, what: str) -> list[dict[str, Any]]:
    rows.sort(key=lambda r: (r[key], canonical_json(r)))
    seen = [r[key] for r in rows if r[key]]
    if len(seen) != len(set(seen)):
        dup = next(k for i, k in enumerate(seen) if k in seen[:i])
        raise ValueError(f"{what}“{dup}”重复")
    return rows


def check_pool(pool: Mapping[str, Any], *, order: bool = True) -> int:
    """Validate the column-major pool's shape; return its size.

    With *order*, USCCs must also be strictly increasing – the canonical order
    and the uniqueness check in one C-speed pass.  Text columns are checked
    for type when hashed (joining refuses non-strings), not here: every extra
    pass over a million entries shows in the draw's time.
    """
    if list(pool["columns"]) != list(POOL_COLUMNS):
        raise ValueError(f"检查对象库的列应为{list(POOL_COLUMNS)}")
    values = pool["values"]
    if len(values) != len(POOL_COLUMNS) or not all(isinstance(c, list) for c in values):
        raise ValueError("检查对象库的列数不符")
    n = len(values[0])
    for name, col in zip(POOL_COLUMNS, values, strict=True):
        if len(col) != n:
            raise ValueError(f"检查对象库“{name}”列长度不符")
    if n and set(map(type, values[-1])) != {bool}:
        raise ValueError("检查对象库“needs_expert”列类型应为bool")
    if order:
        uscc = values[0]
        if n and type(uscc[0]) is not str:
            raise ValueError("检查对象库“uscc”列类型应为str")
        if not all(map(lt, uscc, islice(uscc, 1, None))):
            raise ValueError("检查对象库未按统一社会信用代码严格升序排列（或有重复）")
    return n


def build_snapshot(
    task: Mapping[str, Any],
    rules: Mapping[str, Any] | None,
    eligible: Mapping[str, Any],
    excluded: Iterable[Mapping[str, str]],
    inspectors: Iterable[Mapping[str, Any]],
    experts: Iterable[Mapping[str, Any]],
    items: Iterable[Mapping[str, Any]],
    item_list_version: str,
    specialty_map: Mapping[str, Iterable[Any]] | None = None,
    *,
    pseudonym_secret: bytes | None = None,
) -> dict[str, Any]:
    """Assemble the canonical snapshot from the pool and the other registries.

    *pseudonym_secret* (32 bytes) keys the enterprises' public pseudonyms
    (:mod:`shared.draw.select`); a fresh one from the OS CSPRNG unless given,
    so two snapshots' pseudonyms can never be matched up.
    """
    check_pool(eligible)
    secret = secrets.token_bytes(32) if pseudonym_secret is None else pseudonym_secret
    if len(secret) != 32:
        raise ValueError("化名密钥应为32字节")
    return {
        "specialty_map": canonical_specialty_map(specialty_map),
        "format": SNAPSHOT_FORMAT,
        "privacy": {"pseudonym_secret": secret.hex()},
        "task": canonical_task(task),
        "rules": canonical_rules(rules),
        "enterprises": {
            "columns": list(POOL_COLUMNS),
            # Not copied: a 1M-row pool is large, and build_pool made it fresh.
            "values": eligible["values"],
            "previous_inspectors": {
                str(u): sorted({str(c) for c in certs})
                for u, certs in sorted((eligible.get("previous_inspectors") or {}).items())
            },
        },
        "excluded": sorted(
            ({"uscc": str(e["uscc"]), "name": str(e.get("name") or ""),
              "reason": str(e["reason"])} for e in excluded),
            key=lambda e: (e["uscc"], e["reason"]),
        ),
        "inspectors": _unique_sorted([canonical_inspector(r) for r in inspectors],
                                     "cert_no", "执法证号"),
        "experts": _unique_sorted([canonical_expert(r) for r in experts], "id", "专家编号"),
        "items": {
            "version": str(item_list_version),
            "list": _unique_sorted([canonical_item(r) for r in items], "no", "事项编号"),
        },
    }


def _column_bytes(name: str, col: list[Any]) -> bytes:
    if name in _STR_COLUMNS:
        try:
            text = "\x00".join(col)
        except TypeError:
            raise ValueError(f"检查对象库“{name}”列类型应为str") from None
        # NUL separates values, so a value holding NUL could forge a boundary.
        if col and text.count("\x00") != len(col) - 1:
            raise ValueError(f"检查对象库“{name}”列含有非法字符（NUL）")
        return b"s" + text.encode("utf-8")
    return b"b" + bytes(col)


def encode_pool(pool: Mapping[str, Any]) -> bytes:
    """The pool's columns in the framing the snapshot hash reads.

    ``Σ len8(n) ‖ len8(col) ‖ col`` over :data:`POOL_COLUMNS` (see
    :func:`snapshot_hash`).  The server stores these bytes as they are: the
    pool is encoded once, for the hash and for storage, and
    :func:`decode_pool` gives back the exact column lists.
    """
    n = check_pool(pool)
    parts = []
    for name, col in zip(POOL_COLUMNS, pool["values"], strict=True):
        data = _column_bytes(name, col)
        parts += [n.to_bytes(8, "big"), len(data).to_bytes(8, "big"), data]
    return b"".join(parts)


def decode_pool(blob: bytes) -> list[list[Any]]:
    """The column lists of a pool encoded by :func:`encode_pool`."""
    view, pos, values = memoryview(blob), 0, []
    for name in POOL_COLUMNS:
        n = int.from_bytes(view[pos:pos + 8], "big")
        size = int.from_bytes(view[pos + 8:pos + 16], "big")
        data = view[pos + 16:pos + 16 + size]
        pos += 16 + size
        if len(data) != size or size == 0:
            raise ValueError(f"检查对象库“{name}”列数据不完整")
        kind, body = bytes(data[:1]), data[1:]
        if name in _STR_COLUMNS and kind == b"s":
            col: list[Any] = str(body, "utf-8").split("\x00") if n else []
        elif name not in _STR_COLUMNS and kind == b"b" and set(body) <= {0, 1}:
            col = list(map(bool, body))
        else:
            raise ValueError(f"检查对象库“{name}”列类型标记不符")
        if len(col) != n:
            raise ValueError(f"检查对象库“{name}”列长度不符")
        values.append(col)
    if pos != len(blob):
        raise ValueError("检查对象库数据末尾有多余内容")
    return values


def snapshot_hash(snapshot: Mapping[str, Any], *, pool_bytes: bytes | None = None) -> str:
    """SHA-256 (hex) over a compact canonical encoding of the whole snapshot.

    ``sha256(<format>"\\n" ‖ len8(head) ‖ head ‖ Σ len8(n) ‖ len8(col) ‖ col)``
    where ``head`` is the canonical JSON of the snapshot with the pool's
    ``values`` left out, and each column is ``"s"`` + its UTF-8 strings joined
    by NUL, or ``"b"`` + one byte (0/1) per flag.  Joining long columns is far
    cheaper than JSON-encoding a million entries and keeps the hash streaming.

    *pool_bytes*, when given, must be ``encode_pool`` of this snapshot's pool
    (the server encodes it once for the hash and for storage).
    """
    pool = snapshot["enterprises"]
    if pool_bytes is None:
        pool_bytes = encode_pool(pool)
    head = {k: v for k, v in snapshot.items() if k != "enterprises"}
    head["enterprises"] = {k: v for k, v in pool.items() if k != "values"}
    _no_floats(head, "快照")
    # Each format hashes under its own name, so a /1 record still verifies.
    fmt = snapshot.get("format")
    h = hashlib.sha256((fmt if fmt in SNAPSHOT_FORMATS else SNAPSHOT_FORMAT).encode("ascii")
                       + b"\n")
    raw = canonical_json(head).encode("utf-8")
    h.update(len(raw).to_bytes(8, "big") + raw)
    h.update(pool_bytes)
    return h.hexdigest()
