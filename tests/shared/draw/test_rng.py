"""The random stream: matches its documented construction, unbiased, stable."""

from __future__ import annotations

import hashlib
import struct

import pytest

from shared.draw.rng import Stream, commitment, partial_shuffle, stream_key

KEY = hashlib.sha256(b"test key").digest()


def spec_words(key: bytes, label: str, count: int) -> list[int]:
    """The stream re-derived from the rng module's docstring, independently."""
    raw = label.encode()
    prefix = b"suicha-draw/1\x00stream\x00" + key + len(raw).to_bytes(4, "big") + raw
    out: list[int] = []
    counter = 0
    while len(out) < count:
        out += struct.unpack(">4Q", hashlib.sha256(prefix + counter.to_bytes(8, "big")).digest())
        counter += 1
    return out[:count]


def test_stream_follows_documented_construction():
    s = Stream(KEY, "stratum:A")
    n = 1 << 63  # limit = 2^64, nothing rejected: randbelow(n) = word mod n
    assert [s.randbelow(1 << 64) for _ in range(9)] == spec_words(KEY, "stratum:A", 9)
    s = Stream(KEY, "team:91140431000000001X")
    assert [s.randbelow(n) for _ in range(5)] == [
        w % n for w in spec_words(KEY, "team:91140431000000001X", 5)]


def test_rejection_sampling_skips_words_at_or_above_limit():
    n = 3 * (1 << 62)  # limit = 3·2^62: words ≥ it are rejected
    words = spec_words(KEY, "x", 40)
    expected = [w % n for w in words if w < n][:10]
    s = Stream(KEY, "x")
    assert [s.randbelow(n) for _ in range(10)] == expected


def test_labels_and_keys_give_independent_streams():
    a = [Stream(KEY, "a").randbelow(1000) for _ in range(1)]
    assert [Stream(KEY, "a").randbelow(10**9) for _ in range(3)] != [
        Stream(KEY, "b").randbelow(10**9) for _ in range(3)]
    assert a == [Stream(KEY, "a").randbelow(1000)]
    other = hashlib.sha256(b"other").digest()
    assert Stream(KEY, "a").randbelow(10**12) != Stream(other, "a").randbelow(10**12)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 1000, 2**40 + 3])
def test_randbelow_in_range(n):
    s = Stream(KEY, f"range:{n}")
    assert all(0 <= s.randbelow(n) < n for _ in range(200))


def test_randbelow_rejects_nonpositive():
    with pytest.raises(ValueError):
        Stream(KEY, "x").randbelow(0)


def test_partial_shuffle_is_a_prefix_of_a_permutation():
    items = list(range(50))
    for k in (0, 1, 10, 50):
        out = partial_shuffle(items, k, Stream(KEY, f"k{k}"))
        assert len(out) == k and len(set(out)) == k and set(out) <= set(items)
    assert items == list(range(50))  # input untouched
    with pytest.raises(ValueError):
        partial_shuffle(items, 51, Stream(KEY, "x"))


def test_stream_key_binds_seed_and_pool():
    seed = bytes(32)
    k1 = stream_key(seed, "00" * 32)
    assert k1 != stream_key(seed, "01" + "00" * 31)
    assert k1 != stream_key(bytes([1]) + bytes(31), "00" * 32)
    assert commitment(seed) == hashlib.sha256(seed).hexdigest()
    with pytest.raises(ValueError):
        stream_key(bytes(31), "00" * 32)
