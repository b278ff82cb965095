"""The worker side of ``isolation``: a process that runs one job per request — loads
a file (reads it and recognises its tables, so the per-cell work runs beside the
read), or checks a whole department folder.

Requests and replies are pickled frames on the worker's stdin and stdout, each
preceded by its length. A request is a job (a module-level function, pickled by
name) and its argument; the job may send notes (progress) before its reply.
Anything a library prints would corrupt the frames, so the worker keeps the real
stdout for frames and points file descriptor 1 at the null device.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import BinaryIO

from budgetkit.collector import paused
from budgetkit.load.errors import UnreadableWorkbook

READY = "ready"
NOTE = "note"
_LENGTH = struct.Struct("<Q")

# (status, payload, details): ("ok", the job's result, ""), ("unreadable", reason, traceback),
# ("bug", exception type name, traceback), or, before any of these, (NOTE, a job's note, "").
Reply = tuple[str, object, str]
# A job takes its argument and a function to send notes with.
Job = Callable[[object, Callable[[object], None]], object]


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
            job, argument = receive(sys.stdin.buffer)
        except EOFError:  # the parent closed the pipe: the run is over
            replies.close()
            logging.shutdown()
            os._exit(0)  # nothing left to finalise: tearing down every module and object is what the parent would wait for
        with paused():
            reply = _answer(job, argument, lambda note: send(replies, (NOTE, note, "")))
        send(replies, reply)


def _answer(job: Job, argument: object, tell: Callable[[object], None]) -> Reply:
    try:
        return "ok", job(argument, tell), ""
    except UnreadableWorkbook as exc:
        return "unreadable", str(exc), traceback.format_exc()
    except Exception as exc:  # a reader bug must cost one file, not the worker
        return "bug", type(exc).__name__, traceback.format_exc()


def send(stream: BinaryIO, message: object) -> None:
    try:
        data = pickle.dumps(message)
    except Exception:  # a value no pickle can carry is a bug, reported like any other
        data = pickle.dumps(("bug", "PicklingError", traceback.format_exc()))
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)  # not joined to its header: a long table's reply is tens of MB, copied once more
    stream.flush()


def receive(stream: BinaryIO) -> object:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("the other side closed the pipe")
    (size,) = _LENGTH.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe mid-message")
    with paused():  # a reply may be a long table: a million objects at once
        return pickle.loads(data)
