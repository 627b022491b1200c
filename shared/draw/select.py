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
from math import isqrt
from typing import Any, NamedTuple

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


class _Pool(NamedTuple):
    """The last pool's pseudonyms, kept by :func:`pseudonyms`."""
    secret: bytes
    column: list[str]  # a copy of its USCC column
    names: list[bytes]
    distinct: list[bool]  # [whether the names are distinct], once asked


# One reference, replaced whole: a reader takes it once, so another thread's
# pool can never be mixed into its answer.
_memo: list[_Pool | None] = [None]


def pseudonyms(snapshot: Mapping[str, Any]) -> list[bytes]:
    """One pseudonym per pool position.

    The last answer is kept: the freeze (public pool file), the draw and the
    public draw file all need them, and a million cost seconds.  The memo
    holds a copy of the USCC column and answers only a column equal to it
    element by element – a C-level pass of a few milliseconds, and exact: a
    column changed in place differs from the copy, so it is never answered
    from the memo.  The copy shares the column's strings (no text copied).
    """
    secret, column = pseudonym_secret(snapshot), snapshot["enterprises"]["values"][0]
    pool = _memo[0]
    if pool is not None and pool.secret == secret and pool.column == column:
        return pool.names
    names = _pseudonyms(secret, column)
    _memo[0] = _Pool(secret, list(column), names, [])
    return names


def distinct_pseudonyms(snapshot: Mapping[str, Any]) -> list[bytes]:
    """:func:`pseudonyms`, refused when two are equal (only with a SHA-256
    collision; checked once per memoized pool)."""
    names = pseudonyms(snapshot)
    pool = _memo[0]
    known = pool.distinct if pool is not None and pool.names is names else []
    if not known:
        known.append(len(set(names)) == len(names))
    if not known[0]:
        raise ValueError("化名重复")
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


def _bound(k: int, n: int) -> bytes | None:
    """A ticket prefix below which comfortably more than *k* of *n* tickets
    fall (tickets are uniform: about k plus six standard deviations), or None
    when that is nearly all of them.  Only a shortcut: :func:`ranked` counts
    and falls back to every entry when fewer than *k* fall below it."""
    spare = 6 * isqrt(k) + 16
    if 2 * (k + spare) >= n:
        return None
    return (((k + spare) << 64) // n).to_bytes(8, "big")


def ranked(key: bytes, members: Sequence[bytes], k: int) -> list[int]:
    """Positions in *members* of the *k* smallest ``ticket(p) ‖ p``, in that order.

    One keyed hash per member is unavoidable; sorting them all is not.  Every
    ticket starting below :func:`_bound` is smaller than every other ticket,
    so when at least *k* do, the *k* smallest are among those few (a C-level
    filter of the list) and only they are sorted – the same answer as
    sorting all, in a fraction of the time.
    """
    if not 0 <= k <= len(members):
        raise ValueError(f"cannot take {k} of {len(members)}")
    if k == 0:
        return []
    copy = hashlib.sha256(TICKET_TAG + key).copy  # the key's part hashed once
    tickets: list[bytes] = []
    append = tickets.append
    for p in members:
        h = copy()
        h.update(p)
        append(h.digest())
    n = len(members)
    cands: Sequence[int] = range(n)
    bound = _bound(k, n) if k < n else None
    if bound is not None:
        below = list(compress(cands, map(bound.__gt__, tickets)))
        if len(below) >= k:
            cands = below
    # Tickets are 32 bytes, so ticket ‖ pseudonym sorts as (ticket, pseudonym).
    return sorted(cands, key=lambda j: tickets[j] + members[j])[:k]


def select(key: bytes, members: Sequence[bytes], k: int) -> list[bytes]:
    """The *k* pseudonyms with the smallest tickets (ties: smaller pseudonym)."""
    return [members[j] for j in ranked(key, members, k)]


def visit_order(key: bytes, usccs: Sequence[str]) -> list[str]:
    """The drawn USCCs in staffing order: by their order tag, then USCC."""
    copy = hashlib.sha256(ORDER_TAG + key).copy

    def tagged(u: str) -> bytes:
        raw = u.encode("utf-8")
        h = copy()
        h.update(raw)
        # Tags are 32 bytes and UTF-8 keeps code point order: tag ‖ UTF-8(u)
        # sorts as (order_tag(key, u), u).
        return h.digest() + raw

    return sorted(usccs, key=tagged)


def draw_targets(snapshot: Mapping[str, Any], key: bytes
                 ) -> tuple[dict[str, dict[str, Any]], list[int], list[bytes]]:
    """Per-stratum counts, the drawn pool positions in visit order, and every
    pool position's pseudonym (the public pool file is built from them)."""
    ratio = parse_ratio(snapshot["task"]["ratio"])
    uscc = snapshot["enterprises"]["values"][0]
    names = distinct_pseudonyms(snapshot)
    info: dict[str, dict[str, Any]] = {}
    drawn: list[int] = []
    for cls, members in strata(snapshot).items():
        k = ceil_ratio(ratio[cls], len(members))
        # The order within drawn does not matter: visits are ordered by
        # visit_order below.  A stratum drawn whole needs no ticket.
        if k == len(members):
            drawn += members
        else:
            drawn += map(members.__getitem__,
                         ranked(key, list(map(names.__getitem__, members)), k))
        info[cls] = {"eligible": len(members), "ratio": format_fraction(ratio[cls]), "drawn": k}
    by_uscc = {uscc[i]: i for i in drawn}
    order = [by_uscc[u] for u in visit_order(key, list(by_uscc))]
    return info, order, names
