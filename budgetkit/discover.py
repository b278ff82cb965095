"""Discover stage: the workbook files under a folder, each listed once."""

from __future__ import annotations

import zipfile
from pathlib import Path

from budgetkit.model import SourceFile

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
OUTPUT_MARKER = b"budgetkit-summary"  # custom document property of every summary we write


def discover(folder: Path, exclude: tuple[Path, ...] = ()) -> list[SourceFile]:
    excluded = {p.resolve() for p in exclude}
    found = []
    for path in sorted(folder.rglob("*")):
        if (path.suffix.lower() in WORKBOOK_SUFFIXES and path.is_file() and not path.name.startswith("~$")
                and path.resolve() not in excluded and not is_budgetkit_output(path)):
            found.append(SourceFile(path, path.relative_to(folder).as_posix()))
    return found


def is_budgetkit_output(path: Path) -> bool:
    """Our own summaries carry a marker in docProps/custom.xml; reading it opens
    only the zip directory and one small part."""
    try:
        with zipfile.ZipFile(path) as archive:
            return OUTPUT_MARKER in archive.read("docProps/custom.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
