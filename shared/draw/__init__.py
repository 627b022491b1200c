"""The double-random draw: pure, deterministic, and verifiable from its record.

Typical server flow::

    seed = new_seed(); publish(commitment(seed))          # before the pool closes
    eligible, excluded = build_pool(rows, task, rules, DrawContext(...))
    snap = build_snapshot(task, rules, eligible, excluded, inspectors, experts,
                          items, item_list_version)
    record = draw(snap, seed, meta={"kind": "draw", "actor": ..., ...})
    write_record(record, path)                            # and store it
    verify_record_file(path)  -> VerifyResult(ok, "一致" | "不一致：…")
"""

from shared.draw.beacon import BeaconError, check_value
from shared.draw.engine import run_draw
from shared.draw.errors import DrawError
from shared.draw.feasibility import check_feasible
from shared.draw.joint import merge_joint
from shared.draw.parse import format_filter, parse_filter, parse_ratio
from shared.draw.pool import DrawContext, PoolColumns, PoolRows, build_pool, select_scope
from shared.draw.record import (
    RECORD_FORMAT,
    VerifyResult,
    attach,
    build_record,
    build_record_v2,
    detach,
    draw,
    load_record,
    record_to_json,
    verify,
    verify_record_file,
    write_record,
)
from shared.draw.rng import ALGORITHM_V2, ALGORITHM_VERSION, commitment, derive_key, new_seed
from shared.draw.snapshot import (
    POOL_COLUMNS,
    build_snapshot,
    canonical_json,
    decode_pool,
    encode_pool,
    snapshot_hash,
)

__all__ = [
    "ALGORITHM_V2",
    "ALGORITHM_VERSION",
    "BeaconError",
    "build_record_v2",
    "check_feasible",
    "check_value",
    "derive_key",
    "POOL_COLUMNS",
    "RECORD_FORMAT",
    "DrawContext",
    "DrawError",
    "PoolColumns",
    "PoolRows",
    "VerifyResult",
    "attach",
    "build_pool",
    "build_record",
    "build_snapshot",
    "canonical_json",
    "commitment",
    "decode_pool",
    "detach",
    "draw",
    "encode_pool",
    "format_filter",
    "load_record",
    "merge_joint",
    "new_seed",
    "parse_filter",
    "parse_ratio",
    "record_to_json",
    "run_draw",
    "select_scope",
    "snapshot_hash",
    "verify",
    "verify_record_file",
    "write_record",
]
