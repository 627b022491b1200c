"""``run_draw``: the whole pure draw, from a canonical snapshot and a seed.

Algorithms ``suicha-draw/1`` and ``/2`` (streams as in :mod:`shared.draw.rng`):

1. ``key`` from the seed and the snapshot hash (/1), or from the seed, the
   public beacon randomness and the snapshot hash (/2, ``rng.derive_key``);
2. per stratum (credit class, or ``*``), in class order: ``ceil(ratio × n)``
   enterprises by partial Fisher–Yates over the stratum's USCC order, stream
   ``stratum:<class>``;
3. the drawn enterprises (strata concatenated in class order) fully
   shuffled with stream ``order`` – the order visits are staffed in;
4. per visit, stream ``visit:<uscc>`` read in this sequence: one tie-break per
   team slot (for a 联合 task first one slot per department, then street
   slots, bureau slots, the rest; see :mod:`.teams`), the
   leader's position in the team sorted by 执法证号, the positions of the
   sampled 一般 items, one tie-break per expert.

Result::

    {"pool_size": n, "excluded": [{"uscc", "reason"}],
     "strata": {"A": {"eligible", "ratio", "drawn"}, …},
     "visits": [{"uscc", "inspectors": [执法证号…], "leader", "experts": [id…],
                 "items": [事项编号…], "host_department" (snapshot/2)}, …]}  # staffing order
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.draw.errors import DrawError
from shared.draw.gcpause import gc_paused
from shared.draw.items import ItemPicker
from shared.draw.rng import Stream, draw_key, stream_key
from shared.draw.select import draw_targets as select_targets
from shared.draw.snapshot import SNAPSHOT_FORMAT, SNAPSHOT_FORMATS, check_pool, snapshot_hash
from shared.draw.targets import draw_targets
from shared.draw.teams import TeamBuilder


def seed_bytes(seed: bytes | str) -> bytes:
    """Accept the raw 32 bytes or their lowercase hex (as stored in records)."""
    if isinstance(seed, bytes):
        raw = seed
    else:
        # Only one spelling is accepted, so a record's seed text cannot be
        # altered (e.g. upper-cased) without verify noticing.
        if len(seed) != 64 or seed != seed.lower():
            raise ValueError("随机种子应为64位小写十六进制")
        raw = bytes.fromhex(seed)
    if len(raw) != 32:
        raise ValueError(f"随机种子应为32字节，实际{len(raw)}字节")
    return raw


def run_draw(snapshot: Mapping[str, Any], seed: bytes | str, *,
             pool_hash: str | None = None,
             beacon_randomness: bytes | None = None) -> dict[str, Any]:
    """Draw the visits for *snapshot* with *seed*; deterministic and pure.

    Raises :class:`DrawError` (Chinese message naming enterprise and rule)
    when a rule cannot be met.  *pool_hash* may be passed when the caller has
    just computed it, to avoid hashing a large pool twice.  With
    *beacon_randomness* (32 bytes) the key is ``suicha-draw/2``'s
    (:func:`shared.draw.rng.derive_key`), else ``suicha-draw/1``'s.
    """
    return run_draw_indexed(snapshot, seed, pool_hash=pool_hash,
                            beacon_randomness=beacon_randomness)[0]


def run_draw_indexed(snapshot: Mapping[str, Any], seed: bytes | str, *,
                     pool_hash: str | None = None,
                     beacon_randomness: bytes | None = None) -> tuple[dict[str, Any], list[int]]:
    """:func:`run_draw`, and the pool position of each visit (in visit order) –
    so a server can map the visits to its own rows without looking them up.

    *beacon_randomness* is the public randomness (32 bytes) the key includes; ``None``
    only for draws made before freezes and beacons existed."""
    with gc_paused():
        result, order = _run(snapshot, seed, pool_hash, beacon_randomness)
    _last[0] = (result["visits"], order)
    return result, order


# The last draw's visit list and its pool positions: the public draw file is
# made from the same result moments later (shared.draw.public) and need not
# look each visit up in the pool again.  Held by identity, one reference
# replaced whole; the reader checks every position against the pool, so a
# list changed since only costs the lookup.
_last: list[tuple[list[Any], list[int]] | None] = [None]


def visit_positions(visits: list[Mapping[str, Any]]) -> list[int] | None:
    """The pool positions of *visits* if it is the last draw's visit list
    itself (the same object), else None.  Unchecked: see :data:`_last`."""
    last = _last[0]
    if last is None or visits is not last[0] or len(visits) != len(last[1]):
        return None
    return last[1]


def _run(snapshot: Mapping[str, Any], seed: bytes | str, pool_hash: str | None,
         beacon_randomness: bytes | None) -> tuple[dict[str, Any], list[int]]:
    if snapshot.get("format") not in SNAPSHOT_FORMATS:
        raise DrawError(f"不支持的快照格式：{snapshot.get('format')}")
    raw = seed_bytes(seed)
    if pool_hash is None:
        pool_hash = snapshot_hash(snapshot)  # also checks the pool's order and types
    else:
        check_pool(snapshot["enterprises"], order=False)  # the hash checked the order
    if snapshot["format"] != "suicha-snapshot/1":
        # suicha-draw/2: selection over pseudonyms, order by USCC tag (select.py).
        key = draw_key(raw, beacon_randomness, pool_hash)
        strata, order, _ = select_targets(snapshot, key)
    else:
        # suicha-draw/1 records (before pseudonyms) still re-run as they were drawn.
        key = stream_key(raw, pool_hash)
        strata, order = draw_targets(snapshot, key)

    uscc, name, _, industry, street, needs_expert = snapshot["enterprises"]["values"]
    task = snapshot["task"]
    experts_each = task["experts_per_visit"]
    always_experts = task["experts_required"]
    make_stream = Stream.maker(key)
    staff = TeamBuilder(snapshot)
    pick = ItemPicker(snapshot).pick
    draw_experts = staff.draw_experts
    # snapshot/2 names each visit's 主办科室: by industry, else the 发起科室.
    v2 = snapshot["format"] == SNAPSHOT_FORMAT
    host_by_industry = snapshot["rules"]["host_departments"] if v2 else {}
    visits = []
    append = visits.append
    for i in order:
        u, nm, ind = uscc[i], name[i], industry[i]
        # One stream per visit, read in a fixed sequence: team slots, leader,
        # items, experts.  Its label holds the USCC, so a visit's draws do not
        # depend on how many random numbers earlier visits consumed.
        stream = make_stream("visit:" + u)
        inspectors, leader = staff.staff(u, nm, ind, street[i], stream)
        items = pick(u, nm, ind, stream)
        experts: list[str] = []
        if always_experts or needs_expert[i]:
            experts = draw_experts(u, nm, ind, experts_each, stream)
        visit = {"uscc": u, "inspectors": inspectors, "leader": leader,
                 "experts": experts, "items": items}
        if v2:
            visit["host_department"] = host_by_industry.get(ind) or task["department"]
        append(visit)
    return {
        "pool_size": len(uscc),
        "excluded": [{"uscc": e["uscc"], "reason": e["reason"]} for e in snapshot["excluded"]],
        "strata": strata,
        "visits": visits,
    }, order


__all__ = ["DrawError", "run_draw", "run_draw_indexed", "seed_bytes"]
