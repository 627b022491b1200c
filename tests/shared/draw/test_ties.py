"""The cached least-loaded picks are exactly the plain ones (records must re-run for years)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.draw.balance import Ties, least_loaded
from shared.draw.rng import Stream


@settings(max_examples=1000, deadline=None)
@given(n=st.integers(1, 12), steps=st.lists(st.tuples(st.integers(1, 3), st.lists(
    st.integers(0, 11), max_size=3), st.lists(st.integers(0, 11), max_size=2)), max_size=40),
       key=st.binary(min_size=32, max_size=32))
def test_cached_ties_pick_asleast_loaded_does(n, steps, key):
    cands = list(range(0, n * 2, 2))  # a candidate list (officers 0, 2, 4 …)
    load_a, load_b = [0] * (n * 2), [0] * (n * 2)
    ties = Ties(cands)
    stream_a, stream_b = Stream(key, "a"), Stream(key, "a")
    for count, taken, elsewhere in steps:
        taken = [c for c in dict.fromkeys(x * 2 % (n * 2) for x in taken)]
        count = min(count, len(cands) - len(taken))
        if count <= 0:
            continue
        plain = least_loaded(cands, count, list(taken), load_a, stream_a)
        cached = ties.pick(count, set(taken), load_b, stream_b)
        assert plain == cached
        for o in elsewhere:  # other lists' picks raise loads behind the cache's back
            load_a[o % (n * 2)] += 1
            load_b[o % (n * 2)] += 1
        assert load_a == load_b
