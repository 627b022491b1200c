"""The public artefacts of a ``suicha-draw/2`` draw, built from its full record.

Three files are published for a draw (canonical JSON, ``docs/draw-spec.md`` §9):

* the **public pool** (``suicha-public-pool/1``), at freeze: per stratum its
  label, ratio, size and sorted pseudonyms – no name, no USCC;
* the **public draw** (``suicha-public-draw/1``), after the draw: seed,
  commitment, snapshot hash, beacon randomness, the SHA-256 of the public pool
  file, per stratum the selected pseudonyms, and the drawn enterprises *by
  name as a set* (sorted by USCC) with their teams and items, and the visit
  order (a function of key and USCC only);
* per enterprise a **receipt** (``suicha-draw-receipt/1``), private, printed
  with its notice: its USCC and salt, so it alone can find its pseudonym.

Everything here is derived from the full record, so an auditor re-derives the
published bytes and compares them (:mod:`shared.draw.audit`).
"""

from __future__ import annotations

import hashlib
import secrets
from binascii import hexlify
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

import orjson

from shared.draw import select as sel
from shared.draw.engine import visit_positions
from shared.draw.parse import WHOLE_POOL
from shared.draw.snapshot import canonical_json
from shared.draw.targets import strata

PUBLIC_POOL_FORMAT = "suicha-public-pool/1"
# /2 writes its times with "Z" (a reader never guesses the zone); /1 files,
# published before, wrote the same UTC times without it and still check.
PUBLIC_DRAW_FORMAT = "suicha-public-draw/2"
PUBLIC_DRAW_FORMATS = ("suicha-public-draw/1", PUBLIC_DRAW_FORMAT)
RECEIPT_FORMAT = "suicha-draw-receipt/1"


def to_bytes(doc: Mapping[str, Any]) -> bytes:
    """The published bytes of an artefact: canonical JSON, UTF-8."""
    return canonical_json(doc).encode("utf-8")


def json_bytes(doc: Mapping[str, Any]) -> bytes:
    """:func:`to_bytes`, byte for byte, written by orjson (a county's public
    files hold hundreds of thousands of strings).  For text, ints, lists and
    dicts (keys sorted) orjson's bytes are the standard encoder's (a test
    compares every code point but the surrogates); floats it writes
    otherwise, but a snapshot refuses them and no public file holds one.
    Anything else – ints past 64 bits, subclasses, dates – goes the standard
    way, which writes or refuses it as before."""
    try:
        return orjson.dumps(doc, option=_ORJSON)
    except orjson.JSONEncodeError:  # (a TypeError)
        return to_bytes(doc)


_ORJSON = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_SUBCLASS
           | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)


def public_pool_bytes(snapshot: Mapping[str, Any], snapshot_hash: str,
                      commitment: str) -> bytes:
    """``to_bytes(public_pool(…))`` without a hex string per pseudonym: each
    stratum's pseudonyms are sorted as bytes (hex keeps byte order) and
    written in one C-level pass, separators included, into the rest of the
    file (encoded with a placeholder per list and cut there)."""
    names = sel.pseudonyms(snapshot)
    doc = public_pool_head(snapshot, snapshot_hash, commitment)
    token = f"@@{secrets.token_hex(16)}@@"
    for i, s in enumerate(doc["strata"]):
        s["pseudonyms"] = f"{token}{i}"
    rest, pieces = to_bytes(doc), []
    for i, members in enumerate(strata(snapshot).values()):
        before, rest = rest.split(f'"{token}{i}"'.encode("ascii"), 1)
        mine = _sorted_digests(list(map(names.__getitem__, members)))
        # Pseudonyms are SHA-256 digests (32 bytes each): hexlify with a
        # separator after every 32 bytes, then each separator widened to '","'.
        body = hexlify(b"".join(mine), b",", 32).replace(b",", b'","')
        pieces += (before, b'["', body, b'"]') if mine else (before, b"[]")
    pieces.append(rest)
    return b"".join(pieces)


def _sorted_digests(items: list[bytes]) -> list[bytes]:
    """*items* sorted; for a long list of hash outputs (uniform bytes) by
    their first byte into 256 lists first, each then sorted: the same order
    with a third fewer comparisons (a county stratum holds 300,000)."""
    if len(items) < 4096:
        return sorted(items)
    buckets: list[list[bytes]] = [[] for _ in range(256)]
    put = [b.append for b in buckets]
    for p in items:
        put[p[0]](p)  # (an empty digest has no first byte: none is empty)
    out: list[bytes] = []
    for b in buckets:
        b.sort()
        out += b
    return out


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_z(text: str) -> str:
    """A record's UTC time (spec §1, no offset) as the public files write it."""
    return text if not text or text.endswith("Z") else text + "Z"


def record_time(text: str) -> str:
    """A public file's time back in the record's form (for the beacon check)."""
    return text[:-1] if isinstance(text, str) and text.endswith("Z") else text


def _freeze_times(freeze: Mapping[str, Any], change) -> dict[str, Any]:
    """The freeze's time and a lottery promise's draw time, each through *change*."""
    out = dict(freeze)
    if "frozen_at" in out:
        out["frozen_at"] = change(out["frozen_at"])
    beacon = out.get("beacon")
    if isinstance(beacon, Mapping) and beacon.get("draw_time"):
        out["beacon"] = {**beacon, "draw_time": change(beacon["draw_time"])}
    return out


def public_freeze(freeze: Mapping[str, Any], fmt: str = PUBLIC_DRAW_FORMAT) -> dict[str, Any]:
    return dict(freeze) if fmt == PUBLIC_DRAW_FORMATS[0] else _freeze_times(freeze, utc_z)


def record_freeze(freeze: Mapping[str, Any]) -> dict[str, Any]:
    return _freeze_times(freeze, record_time)


def public_pool_head(snapshot: Mapping[str, Any], snapshot_hash: str, commitment: str
                     ) -> dict[str, Any]:
    """The public pool file with each stratum's pseudonyms left empty."""
    ratio = snapshot["task"]["ratio"]
    return {"format": PUBLIC_POOL_FORMAT, "algorithm": sel.VERSION,
            "task_no": snapshot["task"]["task_no"], "snapshot_hash": snapshot_hash,
            "commitment": commitment,
            "strata": [{"stratum": cls, "ratio": ratio[cls], "size": len(members),
                        "pseudonyms": []} for cls, members in strata(snapshot).items()]}


def public_pool(snapshot: Mapping[str, Any], snapshot_hash: str, commitment: str
                ) -> dict[str, Any]:
    """The public pool file, from the snapshot frozen for the draw."""
    names = sel.pseudonyms(snapshot)
    doc = public_pool_head(snapshot, snapshot_hash, commitment)
    for s, members in zip(doc["strata"], strata(snapshot).values(), strict=True):
        s["pseudonyms"] = sorted(map(bytes.hex, map(names.__getitem__, members)))
    return doc


def public_draw(record: Mapping[str, Any], pool_bytes: bytes | None = None, *,
                pool_sha256: str | None = None, fmt: str = PUBLIC_DRAW_FORMAT
                ) -> dict[str, Any]:
    """The public draw file, from the full record and the published pool file
    (its bytes, or their SHA-256 when the caller has it from the log); *fmt*
    /1 re-derives a file published before times carried "Z"."""
    doc, rows, officers = _public_draw_parts(record, pool_bytes, pool_sha256, fmt)
    doc["drawn"] = [{
        "uscc": v["uscc"], "name": name,
        "inspectors": [{"cert_no": c, "name": officers.get(c, "")} for c in v["inspectors"]],
        "leader": v["leader"],
        # Experts by registry id only: their names are not published.
        "experts": list(v["experts"]),
        "items": list(v["items"]),
    } for name, v in rows]
    return doc


def public_draw_bytes(record: Mapping[str, Any], pool_bytes: bytes | None = None, *,
                      pool_sha256: str | None = None, fmt: str = PUBLIC_DRAW_FORMAT) -> bytes:
    """``to_bytes(public_draw(…))``, byte for byte, a third of the time: the
    drawn list (tens of thousands of visits) reuses the record's lists and
    one object per officer, and :func:`json_bytes` writes the file."""
    doc, rows, officers = _public_draw_parts(record, pool_bytes, pool_sha256, fmt)
    people: dict[str, dict[str, Any]] = {}
    drawn = doc["drawn"] = []
    for name, v in rows:
        team = []
        for c in v["inspectors"]:
            one = people.get(c)
            if one is None:
                one = people[c] = {"cert_no": c, "name": officers.get(c, "")}
            team.append(one)
        drawn.append({"uscc": v["uscc"], "name": name, "inspectors": team,
                      "leader": v["leader"], "experts": v["experts"], "items": v["items"]})
    return json_bytes(doc)


def _public_draw_parts(record: Mapping[str, Any], pool_bytes: bytes | None,
                       pool_sha256: str | None, fmt: str
                       ) -> tuple[dict[str, Any], list[tuple[str, Mapping[str, Any]]],
                                  dict[str, str]]:
    """The public draw file but its ``drawn`` list; the drawn enterprises'
    names and visits sorted by USCC; the officers' names by 执法证号."""
    if pool_sha256 is None:
        pool_sha256 = sha256_hex(pool_bytes)
    snapshot, result = record["snapshot"], record["result"]
    names = sel.pseudonyms(snapshot)
    column = snapshot["enterprises"]["values"][0]
    officers = {o["cert_no"]: o["name"] for o in snapshot["inspectors"]}
    ent_name = snapshot["enterprises"]["values"][1]
    visits = result["visits"]
    # The positions the draw just found, if this is its result, else by
    # bisection (the pool is in USCC order); either way checked.
    hint = visit_positions(visits)
    n = len(column)
    by_uscc = ({v["uscc"]: i for v, i in zip(visits, hint, strict=True)}
               if hint is not None else {})
    if not by_uscc or any(i >= n or column[i] != u for u, i in by_uscc.items()):
        by_uscc = {v["uscc"]: bisect_left(column, v["uscc"]) for v in visits}
        if any(column[i] != u for u, i in by_uscc.items()):
            raise ValueError("抽中的检查对象不在对象池中")
    groups = strata(snapshot)
    # Each drawn position's stratum is its credit class (or the one "*"):
    # the drawn few are grouped without a pass over every stratum.
    chosen: dict[str, list[bytes]] = {cls: [] for cls in groups}
    credit, whole = snapshot["enterprises"]["values"][2], WHOLE_POOL in groups
    for i in by_uscc.values():
        chosen[WHOLE_POOL if whole else credit[i]].append(names[i])
    out_strata = [{"stratum": cls, "size": len(members), "drawn": result["strata"][cls]["drawn"],
                   "selected": sorted(map(bytes.hex, chosen[cls]))}
                  for cls, members in groups.items()]
    rows = [(ent_name[by_uscc[v["uscc"]]], v) for v in sorted(visits, key=_uscc)]
    return {
        "format": fmt, "algorithm": record["algorithm"],
        "task_no": snapshot["task"]["task_no"],
        "seed": record["seed"], "commitment": record["commitment"],
        "snapshot_hash": record["pool_hash"],
        # What the freeze promised and the public value the key used.
        "freeze": public_freeze(record["freeze"], fmt), "beacon": record["beacon"],
        "public_pool_sha256": pool_sha256,
        "strata": out_strata,
        "visit_order": [v["uscc"] for v in visits],
    }, rows, officers


def _uscc(visit: Mapping[str, Any]) -> str:
    return visit["uscc"]


RECEIPT_GROUP = 8


def receipt_code(salt_hex: str) -> str:
    """The 回执码 as printed and shown (spec §12.2): the salt's 64 lowercase hex
    digits in eight groups of eight, one space between groups – short enough
    to read aloud and copy by eye; a reader ignores the spaces."""
    text = salt_hex.lower()
    return " ".join(text[i:i + RECEIPT_GROUP] for i in range(0, len(text), RECEIPT_GROUP))


def parse_receipt_code(text: str) -> str:
    """The salt hex of a 回执码 typed in any grouping (whitespace and case ignored)."""
    raw = "".join(text.split()).lower()
    if len(raw) != 64 or any(c not in "0123456789abcdef" for c in raw):
        raise ValueError("回执码应为64位十六进制数字（可按每8位分组）")
    return raw


def receipt(secret: bytes, task_no: str, snapshot_hash: str, uscc: str,
            name: str = "") -> dict[str, Any]:
    """One enterprise's private receipt (spec §12.2)."""
    return {"format": RECEIPT_FORMAT, "task_no": task_no, "snapshot_hash": snapshot_hash,
            "uscc": uscc, "name": name, "salt": sel.salt(secret, uscc).hex()}


def receipts(snapshot: Mapping[str, Any], snapshot_hash: str) -> list[dict[str, Any]]:
    """One receipt per pool enterprise, in pool order."""
    secret = sel.pseudonym_secret(snapshot)
    uscc, name = snapshot["enterprises"]["values"][:2]
    task_no = snapshot["task"]["task_no"]
    return [receipt(secret, task_no, snapshot_hash, u, n) for u, n in zip(uscc, name, strict=True)]
