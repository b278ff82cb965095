"""Read workbooks in a worker process, so that a reader crash costs one file, not the run.

python-calamine aborts the whole process on some damaged .xls files: a cell
record that claims row 65535, column 65535 makes it allocate over 100 GB, and a
failed Rust allocation calls abort(), which no ``except`` can catch. In a worker
process the abort kills only the worker: the file is reported as damaged and
the next file gets a fresh worker.

The worker is a plain ``python -c`` subprocess rather than a multiprocessing
child, because "spawn" (the only start method on Windows) re-runs the caller's
main script in the child, and a script without an ``if __name__ == "__main__"``
guard would then run its whole job again inside the worker.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import budgetkit
from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.grid import ReadOptions
from budgetkit.load.recognise import read_tables
from budgetkit.load.worker import NOTE, READY, Job, receive, send
from budgetkit.model import LoadedFile, SourceFile, pack

log = logging.getLogger("budgetkit")

_PACKAGE_ROOT = str(Path(budgetkit.__file__).resolve().parent.parent)
# `python -c` puts the working directory first on sys.path: a folder there named budgetkit
# (another checkout, a user's folder) must not be what the worker runs.
_ENTRY = "import sys; sys.path.insert(0, {root!r}); from budgetkit.load.worker import serve; serve({debug})"
_CRASHED = "读取程序在读取此文件时异常退出：文件很可能已损坏（或单个工作表大到无法放入内存）"
SILENCE_LIMIT = 300  # seconds a job may go without a word (a note or its reply); the longest table we know takes 20


def _silent(limit: float) -> str:
    return f"读取此文件超过 {limit:g} 秒仍未完成，已停止读取：文件很可能已损坏，或大到无法在合理时间内读完"


def close_readers(readers: list[IsolatedReader]) -> None:
    """Every reader's worker told to exit first, then each waited for: they exit side by side."""
    for worker in [w for w in (reader._let_go() for reader in readers) if w is not None]:
        try:
            worker.wait(timeout=5)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


class _Watchdog:
    """Stops a worker that has said nothing — no note, no reply — for ``limit`` seconds: a file
    that hangs a reader must cost that file, not the whole run.

    A note only stamps the time: the watching thread sleeps until the limit could have passed,
    not woken by each of the thousands of notes a batch sends (each wake-up took the CPU from
    the workers)."""

    def __init__(self, worker: subprocess.Popen, limit: float) -> None:
        self.fired = False
        self._worker, self._limit = worker, limit
        self._last_word = time.monotonic()
        self._stopped = threading.Event()
        self._deciding = threading.Lock()  # a stop and a kill never cross
        threading.Thread(target=self._watch, daemon=True).start()

    def heard(self) -> None:
        self._last_word = time.monotonic()

    def stop(self) -> bool:
        """Stops watching; whether the worker was stopped, which it may have been just as its reply came in."""
        with self._deciding:
            self._stopped.set()
            return self.fired

    def _watch(self) -> None:
        while not self._stopped.wait(max(0.0, self._last_word + self._limit - time.monotonic())):
            with self._deciding:
                if self._stopped.is_set():
                    return
                if time.monotonic() - self._last_word >= self._limit:
                    self.fired = True
                    self._worker.kill()
                    return


class WorkerTraceback(Exception):
    """What went wrong inside the worker, as its traceback text; shown by --debug."""


class WorkerCrashed(UnreadableWorkbook):
    """The worker died during a job (an abort in a reader): the job's last note says where."""


class WorkerSilent(WorkerCrashed):
    """The worker was stopped by the watchdog: it said nothing for the silence limit."""


class JobFailed(UnreadableWorkbook):
    """The job raised an unexpected error in the worker; ``error`` is its type's name."""

    def __init__(self, error: str) -> None:
        super().__init__(f"读取时出现意外错误（{error}）；加 --debug 运行可查看详细信息")
        self.error = error


def load_source(request: tuple[SourceFile, ReadOptions], tell: Callable[[object], None]) -> LoadedFile:
    """The loading job: read one file and recognise its tables; its sheets go back compressed,
    since the process that asked keeps every file's until the report is written."""
    source, options = request
    loaded = read_tables(source, options)
    loaded.grids = pack(list(loaded.grids.values()))
    return loaded


class IsolatedReader:
    """Jobs — loading (``read_tables``), or a department's whole check —
    in a long-lived worker process, restarted after a crash.

    Where no worker can be started at all, jobs run in this process:
    unprotected, but done.
    """

    def __init__(self, silence_limit: float = SILENCE_LIMIT) -> None:
        self.silence_limit = silence_limit
        self._worker: subprocess.Popen | None = None
        self._debug = False
        self._ready = False  # the worker has said it is ready
        self._unavailable = False

    def load(self, source: SourceFile, options: ReadOptions) -> LoadedFile:
        return self.run(load_source, (source, options))

    def run(self, job: Job, argument: object, on_note: Callable[[object], None] = lambda note: None) -> object:
        """``job(argument, tell)`` in the worker; its notes go to ``on_note`` as they come.
        Raises ``WorkerCrashed`` when the worker dies, or is stopped after saying nothing for
        ``silence_limit`` seconds, and ``UnreadableWorkbook`` when the job fails."""
        worker = self._running(log.isEnabledFor(logging.DEBUG))
        if worker is None:
            return job(argument, on_note)
        watchdog = _Watchdog(worker, self.silence_limit)
        try:
            send(worker.stdin, (job, argument))
            status, payload, details = receive(worker.stdout)
            while status == NOTE:
                watchdog.heard()
                on_note(payload)
                status, payload, details = receive(worker.stdout)
        except (EOFError, OSError) as exc:  # the worker died during the job
            self.close()
            if watchdog.stop():
                raise WorkerSilent(_silent(self.silence_limit)) from exc
            raise WorkerCrashed(_CRASHED) from exc
        finally:
            stopped = watchdog.stop()
        if stopped:
            self.close()  # stopped just as its reply came in: the reply stands, the next job gets a fresh worker
        if status == "ok":
            return payload
        if status == "unreadable":
            raise UnreadableWorkbook(payload) from WorkerTraceback(details)
        raise JobFailed(payload) from WorkerTraceback(details)

    def close(self) -> None:
        close_readers([self])

    def _let_go(self) -> subprocess.Popen | None:
        """The worker, its pipes closed: it reads the end of its requests and exits."""
        worker, self._worker = self._worker, None
        if worker is not None:
            for stream in (worker.stdin, worker.stdout):
                with contextlib.suppress(OSError):  # a dead worker's pipe: what was buffered for it goes nowhere
                    stream.close()
        return worker

    def start(self) -> None:
        """Start the worker now without waiting for it, so that it imports while this process goes on."""
        if self._worker is None and not self._unavailable:
            self._worker = self._spawn(log.isEnabledFor(logging.DEBUG))

    def _running(self, debug: bool) -> subprocess.Popen | None:
        """The worker, started if needed; a new one when --debug was switched, since
        only a worker started under --debug keeps its error output."""
        if self._worker is not None and (self._debug != debug or self._worker.poll() is not None):
            self.close()
        if self._worker is None and not self._unavailable:
            self._worker = self._spawn(debug)
        if self._worker is not None and not self._ready:
            self._worker = self._handshake(self._worker)
        return self._worker

    def _spawn(self, debug: bool) -> subprocess.Popen | None:
        try:
            worker = subprocess.Popen([sys.executable, "-c", _ENTRY.format(root=_PACKAGE_ROOT, debug=debug)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=None if debug else subprocess.DEVNULL)
        except OSError:
            log.debug("无法启动读取进程，改为在本进程中读取", exc_info=True)
            self._unavailable = True
            return None
        self._debug, self._ready = debug, False
        return worker

    def _handshake(self, worker: subprocess.Popen) -> subprocess.Popen | None:
        try:
            if receive(worker.stdout) != READY:
                raise EOFError("the worker did not say it was ready")
        except (EOFError, OSError, ValueError):
            log.debug("读取进程没有正常启动，改为在本进程中读取", exc_info=True)
            worker.kill()
            worker.wait()
            self._unavailable = True
            return None
        self._ready = True
        return worker
