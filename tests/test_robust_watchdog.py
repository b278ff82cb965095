"""A file that hangs the reader costs that file, not the run: a worker that says nothing —
no note, no reply — for the silence limit is stopped, and the job is reported as unreadable
with the reason; a worker that keeps saying where it is may take as long as it needs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from budgetkit.load import isolation
from budgetkit.load.isolation import IsolatedReader, WorkerCrashed
from quiet_jobs import silent_for, talking_every

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def reader(monkeypatch):
    """A worker that can import the test jobs, stopped after one second of silence."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p))
    reader = IsolatedReader(silence_limit=1)
    yield reader
    reader.close()


def test_a_silent_worker_is_stopped_and_the_job_named_unreadable_with_the_reason(reader):
    started = time.monotonic()
    with pytest.raises(WorkerCrashed) as stopped:
        reader.run(silent_for, 60)
    assert time.monotonic() - started < 30
    assert str(stopped.value) == "读取此文件超过 1 秒仍未完成，已停止读取：文件很可能已损坏，或大到无法在合理时间内读完"
    assert reader.run(silent_for, 0) == "done"  # the next job gets a fresh worker


def test_a_worker_that_keeps_saying_where_it_is_may_take_longer_than_the_limit(reader):
    heard = []
    assert reader.run(talking_every, (0.4, 6), heard.append) == "done"  # 2.4 s, never silent for 1
    assert heard == [("working", index) for index in range(6)]


def test_a_worker_stopped_just_as_its_reply_came_in_keeps_the_reply_and_costs_the_next_job_nothing(
        reader, monkeypatch):
    """The limit may pass while a large reply is being taken in: the reply stands, and the next
    job gets a fresh worker rather than the stopped one (which would have named it crashed)."""
    taken_in = isolation.receive

    def slow_to_take_in(stream):
        message = taken_in(stream)
        if message[0] == "ok" and message[1] == "done":
            time.sleep(2)  # past the one-second limit, with the reply already in hand
        return message

    monkeypatch.setattr(isolation, "receive", slow_to_take_in)
    assert reader.run(silent_for, 0) == "done"
    monkeypatch.setattr(isolation, "receive", taken_in)
    if reader._worker is not None:  # a worker kept: let its death go unseen, as when the next job comes at once
        reader._worker.poll = lambda: None
    assert reader.run(silent_for, 0) == "done"


def test_a_request_to_a_worker_that_died_unseen_names_the_crash_in_chinese(reader):
    """A worker gone before its death is noticed: the request cannot be sent, and closing its
    pipe cannot flush what was buffered for it; both end as the crash, not a BrokenPipeError."""
    assert reader.run(silent_for, 0) == "done"
    worker = reader._worker
    worker.kill()
    worker.wait()
    worker.poll = lambda: None  # as if not yet reaped when the next job asks
    with pytest.raises(WorkerCrashed) as crashed:
        reader.run(silent_for, 0)
    assert str(crashed.value) == "读取程序在读取此文件时异常退出：文件很可能已损坏（或单个工作表大到无法放入内存）"
    assert reader.run(silent_for, 0) == "done"
