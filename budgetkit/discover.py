"""Discover stage: the workbook files under a folder, each listed once.

Left out: Excel/WPS lock files (``~$…``), budgetkit's own summaries (by a marker
inside them, so a renamed or moved summary is still recognised) and the
temporary files a summary is written through, which an interrupted run can leave.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from budgetkit.model import SourceFile

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
OUTPUT_MARKER = b"budgetkit-summary"  # custom document property of every summary we write
TEMPORARY_PREFIX = ".budgetkit-"      # name prefix of the file a summary is written to before the rename
_MARKER_PART = "docProps/custom.xml"
_MARKER_PART_MAX = 1 << 16            # our custom.xml is a few hundred bytes; never inflate a big one


def discover(folder: Path, exclude: tuple[Path, ...] = ()) -> list[SourceFile]:
    excluded = {p.resolve() for p in exclude}
    return [SourceFile(path, path.relative_to(folder).as_posix())
            for path in sorted(folder.rglob("*")) if _is_input(path, excluded)]


def _is_input(path: Path, excluded: set[Path]) -> bool:
    if path.suffix.lower() not in WORKBOOK_SUFFIXES or path.name.startswith(("~$", TEMPORARY_PREFIX)):
        return False
    try:
        if not path.is_file() or path.resolve() in excluded:
            return False
    except OSError:  # unreadable metadata: keep the file, so the load stage names it with a reason
        return True
    return not is_budgetkit_output(path)


def is_budgetkit_output(path: Path) -> bool:
    """Our own summaries carry a marker in docProps/custom.xml; reading it opens
    only the zip directory and one small part."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_MARKER_PART)
            if info.file_size > _MARKER_PART_MAX:
                return False
            with archive.open(info) as part:
                return OUTPUT_MARKER in part.read(_MARKER_PART_MAX)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError):
        # not a ZIP, no marker part, unreadable, or damaged: in every case not ours
        return False
