"""Write an output file so that an interrupted run never leaves half a file.

The content goes to a temporary file in the target's folder (same file system,
so the final rename is atomic) and replaces the target only when complete. When
the target cannot be replaced, it is left exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from budgetkit.discover import TEMPORARY_PREFIX


class OutputLocked(Exception):
    """The target cannot be written: open in Excel/WPS (which locks it on Windows),
    no permission, a folder in its place, or no space. The message is for the user."""


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    if path.is_dir():
        raise OutputLocked(f"无法写入 {path}：这个位置已有一个同名文件夹，请换一个文件名（--out/--json）")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise OutputLocked(_cannot_write(path, exc)) from exc
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputLocked(_cannot_write(path, exc)) from exc
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _cannot_write(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"无法写入 {path}：文件可能正在被 Excel/WPS 打开，或没有写入权限；请关闭后重试，原文件未改动"
    return f"无法写入 {path}（{exc.strerror or exc}）；原文件未改动"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
