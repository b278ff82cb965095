"""Load stage: workbook files in, recognised tables with cell provenance out.

A file that cannot be read becomes a ``LoadedFile`` with a Chinese reason;
nothing raised here reaches the user. The traceback behind a reason is logged
at DEBUG level, which ``budgetkit run --debug`` shows.

Files are loaded in reader worker processes (see isolation.py), ``jobs`` of them
at once; each worker reads a file and recognises its tables, and hands back
only the tables and the compressed table sheets. A worker that checks a whole
department folder (``pipeline.run_departments``) loads its files itself, with
``load_here``.
"""

from __future__ import annotations

import atexit
import logging
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TypeVar

from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.grid import ReadOptions
from budgetkit.load.isolation import IsolatedReader, close_readers
from budgetkit.load.recognise import read_tables, unexpected
from budgetkit.model import FileStatus, LoadedFile, SourceFile

__all__ = ["ReadOptions", "load_file", "load_files", "load_here", "readers", "start_readers", "with_free_reader"]

log = logging.getLogger("budgetkit")

# The worker that serves load_file calls made one at a time.
_reader = IsolatedReader()
atexit.register(_reader.close)

Progress = Callable[[SourceFile, LoadedFile], None]
T = TypeVar("T")


def load_file(source: SourceFile, options: ReadOptions = ReadOptions(),
              reader: IsolatedReader = _reader) -> LoadedFile:
    return _reasoned(source, lambda: reader.load(source, options))


def load_here(source: SourceFile, options: ReadOptions = ReadOptions()) -> LoadedFile:
    """Loaded in this process: for a worker, which is itself the isolation."""
    return _reasoned(source, lambda: read_tables(source, options))


def _reasoned(source: SourceFile, load: Callable[[], LoadedFile]) -> LoadedFile:
    """The loaded file, or a failed one with the Chinese reason."""
    try:
        return load()
    except UnreadableWorkbook as exc:
        log.debug("无法读取 %s：%s", source.relative, exc, exc_info=True)
        return LoadedFile(source, FileStatus.FAILED, str(exc))
    except Exception as exc:  # a reader bug must cost one file, not the run
        log.debug("读取 %s 时出现意外错误", source.relative, exc_info=True)
        return LoadedFile(source, FileStatus.FAILED, unexpected(exc))


def load_files(sources: list[SourceFile], options: ReadOptions = ReadOptions(), jobs: int = 1,
               on_file: Progress | None = None) -> list[LoadedFile]:
    """Every file, in the order given; ``on_file`` is called as each one finishes."""
    if jobs <= 1 or len(sources) <= 1:
        with readers(1) as idle:
            reader = idle.get()
            return [_reported(load_file(source, options, reader), on_file) for source in sources]
    results: list[LoadedFile | None] = [None] * len(sources)
    with readers(min(jobs, len(sources))) as idle, ThreadPoolExecutor(max_workers=idle.qsize()) as pool:
        pending = {pool.submit(with_free_reader, idle, lambda reader, s=source: load_file(s, options, reader)): index
                   for index, source in enumerate(sources)}
        for future in as_completed(pending):
            results[pending[future]] = _reported(future.result(), on_file)
    return results


# Workers started early (``start_readers``), waiting for ``readers`` to take them.
_started: list[IsolatedReader] = []


def start_readers(count: int) -> None:
    """Start ``count`` workers now, so that they import while this process prepares the run."""
    for _ in range(count - len(_started)):
        reader = IsolatedReader()
        reader.start()
        atexit.register(reader.close)  # closed at exit if no run takes it
        _started.append(reader)


@contextmanager
def readers(count: int) -> Iterator[queue.Queue]:
    """``count`` reader workers, each owned by one thread at a time (take one from the queue, put it back);
    those started early first."""
    readers = [_started.pop() if _started else IsolatedReader() for _ in range(count)]
    idle: queue.Queue = queue.Queue()
    for reader in readers:
        idle.put(reader)
    try:
        yield idle
    finally:
        close_readers(readers)


def with_free_reader(idle: queue.Queue, work: Callable[[IsolatedReader], T]) -> T:
    """``work`` done with a reader taken from ``idle``, given back afterwards whatever happens."""
    reader = idle.get()
    try:
        return work(reader)
    finally:
        idle.put(reader)


def _reported(loaded: LoadedFile, on_file: Progress | None) -> LoadedFile:
    if on_file:
        on_file(loaded.source, loaded)
    return loaded
