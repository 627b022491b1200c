"""Photos of earlier hazards for a 复查: downloaded after a pull, kept under
``refs/`` by their SHA-256, shown beside the hazard they show. Best effort: a
photo that does not arrive now comes with the next pull."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from mobile.core.store import Store
from mobile.core.transport import ApiError, TransientError, Transport


def path_for(store: Store, sha256: str) -> Path:
    return store.reference_path(sha256)


def wanted(store: Store) -> list[str]:
    """Photo hashes of open hazards in the packages on the tablet, not here yet."""
    out: dict[str, None] = {}
    for pkg in store.packages():
        for h in (pkg.get("history") or {}).get("open_hazards") or []:
            for sha in h.get("photos") or []:
                if not path_for(store, sha).exists():
                    out[sha] = None
    return list(out)


def fetch(store: Store, transport: Transport) -> int:
    """Download what :func:`wanted` lists; returns how many arrived. Stops at the
    first network trouble (the sync already reported the link)."""
    folder = store.reference_path("x").parent
    folder.mkdir(mode=0o700, exist_ok=True)
    got = 0
    for sha in wanted(store):
        try:
            data = transport.get_blob(sha)
        except TransientError:
            break
        except ApiError:  # not (or no longer) ours to see: skip it
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            continue  # a damaged download is not kept; the next pull tries again
        tmp = folder / f".tmp-{uuid.uuid4().hex}"
        tmp.write_bytes(data)
        os.replace(tmp, path_for(store, sha))
        got += 1
    return got
