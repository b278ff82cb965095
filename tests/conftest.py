from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from budgetkit.load import load_file  # noqa: E402
from budgetkit.model import LoadedFile, SourceFile  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REAL = Path(__file__).parent / "fixtures" / "real"


@pytest.fixture
def load():
    def _load(path: Path) -> LoadedFile:
        return load_file(SourceFile(path, path.name))
    return _load
