"""Deterministic random streams for the draw (algorithm ``suicha-draw/1``).

Python's ``random`` is not used: its methods (``sample``, ``shuffle``,
``randrange``) have changed output across versions, and a draw record must
re-run identically for years.  Instead every use of randomness reads its own
SHA-256 counter-mode stream, so the whole algorithm can be re-implemented from
this docstring in any language:

* ``commitment = sha256(seed)`` (hex) is published before the pool closes;
* ``key = sha256(b"suicha-draw/1\\x00key\\x00" + seed + pool_hash_bytes)`` – so
  neither the seed nor the pool can be chosen after seeing the other;
* a stream for ``label`` (UTF-8) is the sequence of 64-bit big-endian words of
  ``sha256(prefix + counter_be8)`` for counter = 0, 1, 2 …, four words per
  block, where ``prefix = b"suicha-draw/1\\x00stream\\x00" + key + len_be4(label) + label``;
* ``randbelow(n)`` takes the next word ``v`` and returns ``v mod n`` unless
  ``v ≥ n·⌊2^64/n⌋`` (then it takes the next word: rejection sampling keeps
  it unbiased); ``randbelow(1)`` returns 0 without reading a word.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
from collections.abc import Callable, MutableSequence, Sequence
from typing import TypeVar

ALGORITHM_VERSION = "suicha-draw/1"
# suicha-draw/2 changes only the key: it also takes public randomness (a drand
# round, or a lottery result) that did not exist when the draw was frozen.
# The streams below are unchanged (their prefix still reads "suicha-draw/1").
ALGORITHM_V2 = "suicha-draw/2"

_DOMAIN = ALGORITHM_VERSION.encode("ascii") + b"\x00"
_WORDS = struct.Struct(">4Q")
_TWO64 = 1 << 64
_COUNTERS = [n.to_bytes(8, "big") for n in range(16)]
_SMALL = 4096  # rejection limits of the small n the draw asks for most, precomputed
_LIMITS = [0, 0, *(_TWO64 - _TWO64 % n for n in range(2, _SMALL))]

T = TypeVar("T")


def new_seed() -> bytes:
    """A fresh 32-byte seed from the operating system's CSPRNG."""
    return secrets.token_bytes(32)


def commitment(seed: bytes) -> str:
    """The public commitment to *seed*: its SHA-256, lowercase hex."""
    return hashlib.sha256(seed).hexdigest()


def stream_key(seed: bytes, pool_hash: str) -> bytes:
    """The key all streams of one draw derive from (seed bound to the pool)."""
    if len(seed) != 32:
        raise ValueError(f"随机种子应为32字节，实际{len(seed)}字节")
    return hashlib.sha256(_DOMAIN + b"key\x00" + seed + bytes.fromhex(pool_hash)).digest()


def derive_key(seed: bytes, beacon_randomness: bytes, snapshot_hash: str) -> bytes:
    """The key of algorithm ``suicha-draw/2`` (the public contract)::

        key = SHA-256( UTF-8 "suicha-draw/2\\0key\\0" ‖ seed (32 bytes)
                       ‖ beacon randomness (32 bytes) ‖ snapshot hash (32 bytes) )

    *beacon_randomness* is a drand round's ``randomness`` (SHA-256 of its
    signature) or, for a lottery source, SHA-256 of the canonical text of the
    result (:func:`shared.draw.beacon.lottery_randomness`).  The bureau's seed
    was committed at the freeze, the snapshot hash fixed then too, and the
    beacon value did not exist yet: no one can choose the key.
    """
    raw = bytes.fromhex(snapshot_hash) if isinstance(snapshot_hash, str) else snapshot_hash
    for what, value in (("随机种子", seed), ("公共随机数", beacon_randomness), ("快照哈希", raw)):
        if len(value) != 32:
            raise ValueError(f"{what}应为32字节，实际{len(value)}字节")
    return hashlib.sha256(b"suicha-draw/2\x00key\x00" + seed + beacon_randomness + raw).digest()


def draw_key(seed: bytes, beacon_randomness: bytes | None, snapshot_hash: str) -> bytes:
    """:func:`derive_key`; a draw made without a beacon (before freezes
    existed) keeps the ``suicha-draw/1`` key, :func:`stream_key`."""
    if beacon_randomness is None:
        return stream_key(seed, snapshot_hash)
    return derive_key(seed, beacon_randomness, snapshot_hash)


class Stream:
    """One labelled SHA-256 counter-mode stream of unbiased integers."""

    __slots__ = ("_base", "_counter", "_words")

    def __init__(self, key: bytes, label: str) -> None:
        raw = label.encode("utf-8")
        self._base = hashlib.sha256(
            _DOMAIN + b"stream\x00" + key + len(raw).to_bytes(4, "big") + raw
        )
        self._counter = 0
        self._words: list[int] = []

    @classmethod
    def maker(cls, key: bytes) -> Callable[[str], Stream]:
        """``maker(key)(label)`` is ``Stream(key, label)``, with the key's part
        of the prefix hashed once (a draw opens one stream per visit)."""
        head = hashlib.sha256(_DOMAIN + b"stream\x00" + key)

        def make(label: str) -> Stream:
            raw = label.encode("utf-8")
            stream = cls.__new__(cls)
            base = head.copy()
            base.update(len(raw).to_bytes(4, "big") + raw)
            stream._base, stream._counter, stream._words = base, 0, []
            return stream

        return make

    def _refill(self) -> list[int]:
        block = self._base.copy()
        n = self._counter
        block.update(_COUNTERS[n] if n < len(_COUNTERS) else n.to_bytes(8, "big"))
        self._counter = n + 1
        # Reversed so that pop() yields the words in block order.
        a, b, c, d = _WORDS.unpack(block.digest())
        self._words = words = [d, c, b, a]
        return words

    def randbelow(self, n: int) -> int:
        """Uniform integer in ``[0, n)``."""
        if n <= 1:
            if n == 1:
                return 0
            raise ValueError("randbelow: n must be positive")
        limit = _LIMITS[n] if n < _SMALL else _TWO64 - _TWO64 % n
        words = self._words
        while True:
            # Inlined word fetch: this is the draw's innermost loop.
            v = (words or self._refill()).pop()
            words = self._words
            if v < limit:
                return v % n

    def choice(self, items: Sequence[T]) -> T:
        return items[self.randbelow(len(items))]


def partial_shuffle(items: Sequence[T], k: int, stream: Stream) -> list[T]:
    """The first *k* elements of a Fisher–Yates shuffle of *items*.

    O(n) to copy the list (a C-level copy), O(k) random draws.  Position i is
    swapped with ``i + randbelow(n - i)`` for i = 0 … k-1.
    """
    n = len(items)
    if not 0 <= k <= n:
        raise ValueError(f"cannot take {k} of {n}")
    work: MutableSequence[T] = list(items)
    rb = stream.randbelow
    for i in range(k):
        j = i + rb(n - i)
        work[i], work[j] = work[j], work[i]
    return list(work[:k])
