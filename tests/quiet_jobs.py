"""Jobs for the reader worker that take their time, for the watchdog tests: the worker
imports them by name, so they live in a module of their own on its path."""

from __future__ import annotations

import time
from collections.abc import Callable


def silent_for(seconds: float, tell: Callable[[object], None]) -> str:
    time.sleep(seconds)
    return "done"


def talking_every(spacing: tuple[float, int], tell: Callable[[object], None]) -> str:
    """``count`` notes ``seconds`` apart: a long job that keeps saying where it is."""
    seconds, count = spacing
    for index in range(count):
        time.sleep(seconds)
        tell(("working", index))
    return "done"
