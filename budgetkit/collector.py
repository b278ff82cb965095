"""Python's cycle collector, held off while a large structure is built.

Building a table makes a million small objects (cells, their addresses, figures) and
reconciling it a million facts, none of which form reference cycles. The collector,
triggered by every 700 allocations, walks all live objects again and again as they
grow: a third of recognising and half of reconciling a 200,000-row table. Paused, it
catches up at the next threshold after the work.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0  # pauses in force, in any thread
_was_on = False  # whether the collector ran before the first of them


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside; reference counting frees memory as usual. Pauses may
    nest or overlap (threads unpickling replies side by side): the collector comes back
    when the last one ends, and only if it was on before the first."""
    global _holders, _was_on
    with _lock:
        if _holders == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_on:
                gc.enable()
