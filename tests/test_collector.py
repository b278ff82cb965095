"""The cycle collector stays off while any pause lasts, in any thread, and comes back
only if it was on before."""

from __future__ import annotations

import gc
import threading

from budgetkit.collector import paused


def test_overlapping_pauses_keep_the_collector_off_until_the_last_one_ends():
    first_in, second_out = threading.Event(), threading.Event()
    seen = []

    def first() -> None:
        with paused():
            first_in.set()
            second_out.wait(10)
            seen.append(gc.isenabled())

    assert gc.isenabled()
    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(10)
    with paused():
        assert not gc.isenabled()
    second_out.set()
    worker.join(10)
    assert seen == [False]  # the second pause ended first: the first still holds the collector off
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
