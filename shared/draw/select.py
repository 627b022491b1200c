"""Which enterprises are drawn, and in what order – without leaking a class.

Algorithm ``suicha-draw/2`` (normative text: ``docs/draw-spec.md`` §6–§7).

The credit class of an enterprise is never published, yet the public must be
able to re-run a credit-stratified selection.  So the selection runs over
pseudonyms, not names:

* every enterprise gets a salt ``SHA-256("suicha-draw/2\\0salt\\0" ‖ pseudonym_secret ‖ uscc)``
  – the secret is fresh per snapshot and kept in it (auditors have it, the
  public never does); the enterprise gets its own salt on its receipt;
* its pseudonym is ``SHA-256("suicha-draw/2\\0pseudonym\\0" ‖ salt ‖ uscc)``;
  without the salt nobody can tell whose pseudonym it is, and pseudonyms of
  two snapshots (two tasks, two plans, a redraw) cannot be matched up;
* the public pool file lists, per stratum, its size and its pseudonyms sorted
  (so position says nothing);
* each pseudonym's ticket is ``SHA-256("suicha-draw/2\\0ticket\\0" ‖ key ‖ pseudonym)``
  (Rivest's consistent sampling / RFC 3797 style: one keyed hash per entry),
  and a stratum of ``n`` draws the ``ceil(ratio × n)`` smallest tickets.

The drawn enterprises are published by name as a set, sorted by USCC.  The
visits are staffed in the order of ``SHA-256("suicha-draw/2\\0order\\0" ‖ key ‖ uscc)``
– a function of the key and the USCC alone, so the order, like the set's
sort, is the same whatever the classes are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from itertools import compress
from typing import Any

from shared.draw.parse import ceil_ratio, format_fraction, parse_ratio
from shared.draw.targets import strata

VERSION = "suicha-draw/2"
_D = VERSION.encode("ascii") + b"\x00"
SALT_TAG = _D + b"salt\x00"
PSEUDONYM_TAG = _D + b"pseudonym\x00"
TICKET_TAG = _D + b"ticket\x00"
ORDER_TAG = _D + b"order\x00"


def salt(secret: bytes, uscc: str) -> bytes:
    """The enterprise's private salt (printed on its receipt).

    A keyed prefix hash rather than HMAC: the secret has a fixed length and
    is followed only by a USCC, so length extension would only "forge" salts
    of strings that are no USCC; one hash per enterprise keeps a
    million-enterprise pool fast.
    """
    if len(secret) != 32:
        raise ValueError("化名密钥应为32字节")
    return hashlib.sha256(SALT_TAG + secret + uscc.encode("utf-8")).digest()


def pseudonym(salt_: bytes, uscc: str) -> bytes:
    return hashlib.sha256(PSEUDONYM_TAG + salt_ + uscc.encode("utf-8")).digest()


def ticket(key: bytes, pseudonym_: bytes) -> bytes:
    return hashlib.sha256(TICKET_TAG + key + pseudonym_).digest()


def order_tag(key: bytes, uscc: str) -> bytes:
    return hashlib.sha256(ORDER_TAG + key + uscc.encode("utf-8")).digest()


def pseudonym_secret(snapshot: Mapping[str, Any]) -> bytes:
    raw = bytes.fromhex(snapshot["privacy"]["pseudonym_secret"])
    if len(raw) != 32:
        raise ValueError("化名密钥应为32字节")
    return raw


_memo: list[Any] = [None, None]  # (secret and a digest of the USCC column, pseudonyms)


def pseudonyms(snapshot: Mapping[str, Any]) -> list[bytes]:
    """One pseudonym per pool position.

    The last answer is kept: the draw, the public pool file and the public
    draw file all need them, and a million cost seconds, against a few
    milliseconds to digest the column (so a column changed in place is never
    answered from the memo).
    """
    secret, column = pseudonym_secret(snapshot), snapshot["enterprises"]["values"][0]
    tag = secret + hashlib.sha256("\x00".join(column).encode("utf-8")).digest()
    if _memo[0] == tag:
        return _memo[1]
    names = _pseudonyms(secret, column)
    _memo[:] = [tag, names]
    return names


def _pseudonyms(secret: bytes, column: Sequence[str]) -> list[bytes]:
    head = hashlib.sha256(SALT_TAG + secret)
    sha, out = hashlib.sha256, []
    append = out.append
    for u in column:
        raw = u.encode("utf-8")
        h = head.copy()
        h.update(raw)
        append(sha(PSEUDONYM_TAG + h.digest() + raw).digest())
    return out


def select(key: bytes, members: Sequence[bytes], k: int) -> list[bytes]:
    """The *k* pseudonyms with the smallest tickets (ties: smaller pseudonym)."""
    if not 0 <= k <= len(members):
        raise ValueError(f"cannot take {k} of {len(members)}")
    if k == 0:
        return []
    base = hashlib.sha256(TICKET_TAG + key)  # the key's part hashed once

    def keyed(p: bytes) -> bytes:
        h = base.copy()
        h.update(p)
        # ticket ‖ pseudonym: tickets are 32 bytes, so byte order is (ticket, pseudonym) order.
        return h.digest() + p

    if k == len(members):
        return sorted(members, key=keyed)
    ranked = sorted(map(keyed, members))
    return [r[32:] for r in ranked[:k]]


def visit_order(key: bytes, usccs: Sequence[str]) -> list[str]:
    """The drawn USCCs in staffing order: by their order tag, then USCC."""
    return sorted(usccs, key=lambda u: (order_tag(key, u), u))


def draw_targets(snapshot: Mapping[str, Any], key: bytes
                 ) -> tuple[dict[str, dict[str, Any]], list[int], list[bytes]]:
    """Per-stratum counts, the drawn pool positions in visit order, and every
    pool position's pseudonym (the public pool file is built from them)."""
    ratio = parse_ratio(snapshot["task"]["ratio"])
    uscc = snapshot["enterprises"]["values"][0]
    names = pseudonyms(snapshot)
    if len(set(names)) != len(names):
        raise ValueError("化名重复")  # only with a SHA-256 collision
    info: dict[str, dict[str, Any]] = {}
    drawn: list[int] = []
    for cls, members in strata(snapshot).items():
        k = ceil_ratio(ratio[cls], len(members))
        mine = list(map(names.__getitem__, members))
        chosen = set(select(key, mine, k))
        # Back to pool positions by one membership pass (pseudonyms are unique);
        # the order does not matter: visits are ordered by visit_order below.
        drawn += compress(members, map(chosen.__contains__, mine))
        info[cls] = {"eligible": len(members), "ratio": format_fraction(ratio[cls]), "drawn": k}
    by_uscc = {uscc[i]: i for i in drawn}
    order = [by_uscc[u] for u in visit_order(key, list(by_uscc))]
    return info, order, names
