"""Pausing the cyclic garbage collector around bulk allocation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building large numbers of lists, tuples, dicts.

    Hundreds of thousands of new containers trigger full collections that
    walk every live object – in the server, the whole loaded registry – again
    and again, for nothing: the draw creates no reference cycles.  The
    previous state is restored, so nesting and callers that run with the GC
    off are unaffected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
