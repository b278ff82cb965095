"""The whole job in one place: discover -> load -> reconcile, giving a ``RunResult``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from budgetkit.discover import discover
from budgetkit.load import load_file
from budgetkit.model import LoadedFile, RunResult, SourceFile
from budgetkit.reconcile import reconcile
from budgetkit.tolerance import Tolerance

Progress = Callable[[SourceFile, LoadedFile], None]


def run(folder: Path, tolerance: Tolerance = Tolerance(), exclude: tuple[Path, ...] = (),
        on_file: Progress | None = None, sources: list[SourceFile] | None = None) -> RunResult:
    files = []
    for source in sources if sources is not None else discover(folder, exclude):
        loaded = load_file(source)
        files.append(loaded)
        if on_file:
            on_file(source, loaded)
    reconciliation = reconcile([t for f in files for t in f.tables], tolerance)
    return RunResult(folder, files, reconciliation.findings, reconciliation.coverage)
