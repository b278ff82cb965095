from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

from budgetkit.load import load_file  # noqa: E402
from budgetkit.model import LoadedFile, SourceFile  # noqa: E402

# CI runs the property and mutation tests on a fixed sequence of examples, so a
# submission lands or fails on its own merits; locally they keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
REAL = Path(__file__).parent / "fixtures" / "real"


@pytest.fixture
def load():
    def _load(path: Path) -> LoadedFile:
        return load_file(SourceFile(path, path.name))
    return _load


def mutated(tmp_path: Path, name: str, edits: dict[tuple[str, str], object], saved_as: str | None = None) -> Path:
    """A copy of the real fixture ``name`` in ``tmp_path/in`` with ``edits`` ({(sheet, cell): value})
    applied, saved as ``saved_as`` when given (a file name gives the tables without a year theirs)."""
    import openpyxl

    book = openpyxl.load_workbook(REAL / name)
    for (sheet, cell), new in edits.items():
        book[sheet][cell].value = new
    folder = tmp_path / "in"
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / (saved_as or name))
    return folder
