"""The worker side of ``isolation``: a process that loads one file per request —
reads it and recognises its tables, so the per-cell work runs beside the read.

Requests and replies are pickled frames on the worker's stdin and stdout, each
preceded by its length. Anything a library prints would corrupt the replies, so
the worker keeps the real stdout for frames and points file descriptor 1 at
the null device.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import sys
import traceback
import warnings
from typing import BinaryIO

from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.grid import ReadOptions, read_grids
from budgetkit.load.recognise import tables_of
from budgetkit.model import SourceFile

READY = "ready"
_LENGTH = struct.Struct("<Q")

# (status, payload, details): ("ok", LoadedFile, ""), ("unreadable", reason, traceback)
# or ("bug", exception type name, traceback).
Reply = tuple[str, object, str]


def serve(debug: bool) -> None:
    """Answer requests until the parent closes the pipe; under --debug, log to stderr as the parent does."""
    replies = os.fdopen(os.dup(1), "wb")
    silent = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silent, 1)
    os.close(silent)
    if debug:
        logging.basicConfig(format="%(levelname)s %(name)s（读取进程）: %(message)s")
        logging.getLogger("budgetkit").setLevel(logging.DEBUG)
    else:
        warnings.simplefilter("ignore")  # library warnings would read like budgetkit's own output
    send(replies, READY)
    while True:
        try:
            source, options = receive(sys.stdin.buffer)
        except EOFError:  # the parent closed the pipe: the run is over
            return
        send(replies, _answer(source, options))


def _answer(source: SourceFile, options: ReadOptions) -> Reply:
    try:
        return "ok", tables_of(source, read_grids(source.path, options)), ""
    except UnreadableWorkbook as exc:
        return "unreadable", str(exc), traceback.format_exc()
    except Exception as exc:  # a reader bug must cost one file, not the worker
        return "bug", type(exc).__name__, traceback.format_exc()


def send(stream: BinaryIO, message: object) -> None:
    try:
        data = pickle.dumps(message)
    except Exception:  # a value no pickle can carry is a bug, reported like any other
        data = pickle.dumps(("bug", "PicklingError", traceback.format_exc()))
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> object:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("the other side closed the pipe")
    (size,) = _LENGTH.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe mid-message")
    return pickle.loads(data)
