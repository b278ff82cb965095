"""Read workbooks in a worker process, so that a reader crash costs one file, not the run.

python-calamine aborts the whole process on some damaged .xls files: a cell
record that claims row 65535, column 65535 makes it allocate over 100 GB, and a
failed Rust allocation calls abort(), which no ``except`` can catch. In a worker
process the abort breaks only the worker: the file is reported as damaged and
the next file gets a fresh worker.

The worker is started with "spawn" on every platform, as Windows must, so what
the tests exercise on Linux is what users run on Windows; one worker serves the
whole run, so its start-up is paid once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.grid import ReadOptions, WorkbookGrids, read_grids

log = logging.getLogger("budgetkit")

_CRASHED = "读取程序在读取此文件时异常退出：文件很可能已损坏（或单个工作表大到无法放入内存）"


class IsolatedReader:
    """``read_grids`` in a long-lived worker process, restarted after a crash.

    Where no worker can be started at all (a script fed on stdin, which "spawn"
    cannot re-import), files are read in this process: unprotected, but read.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._debug = False
        self._unavailable = False

    def read(self, path: Path, options: ReadOptions) -> WorkbookGrids:
        debug = log.isEnabledFor(logging.DEBUG)
        if self._pool is not None and self._debug != debug:
            self.close()
        if self._pool is None and not self._unavailable:
            self._pool = self._start(debug)
        if self._pool is None:
            return read_grids(path, options)
        try:
            return self._pool.submit(read_grids, path, options).result()
        except BrokenProcessPool as exc:
            self.close()
            raise UnreadableWorkbook(_CRASHED) from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _start(self, debug: bool) -> ProcessPoolExecutor | None:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_quiet_worker, initargs=(debug,))
        try:
            pool.submit(_ready).result()
        except (BrokenProcessPool, OSError):
            log.debug("无法启动读取进程，改为在本进程中读取", exc_info=True)
            pool.shutdown(wait=True)
            self._unavailable = True
            return None
        self._debug = debug
        return pool


def _ready() -> None:
    """Run once in a new worker: returning at all proves the worker can start."""


def _quiet_worker(debug: bool) -> None:
    """Outside --debug the worker writes nothing: library warnings and a crashing
    reader's Rust backtrace would read like a budgetkit traceback."""
    if debug:
        return
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
