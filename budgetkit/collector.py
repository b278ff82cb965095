"""Python's cycle collector, held off while a large structure is built.

Building a table makes a million small objects (cells, their addresses, figures) and
reconciling it a million facts, none of which form reference cycles. The collector,
triggered by every 700 allocations, walks all live objects again and again as they
grow: a third of recognising and half of reconciling a 200,000-row table. Paused, it
catches up at the next threshold after the work.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside; reference counting frees memory as usual. Nested or
    overlapping pauses (threads) leave the collector on once the first one ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
