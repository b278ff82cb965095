"""The whole job in one place: discover -> load -> reconcile, giving a ``RunResult``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from budgetkit.config import Config, load_config
from budgetkit.discover import discover
from budgetkit.load import ReadOptions, load_file
from budgetkit.model import LoadedFile, RunResult, SourceFile
from budgetkit.reconcile import reconcile

Progress = Callable[[SourceFile, LoadedFile], None]


def run(folder: Path, config: Config | None = None, exclude: tuple[Path, ...] = (),
        on_file: Progress | None = None, sources: list[SourceFile] | None = None,
        read_options: ReadOptions = ReadOptions()) -> RunResult:
    """``config`` defaults to the folder's budgetkit.toml (raising ``ConfigError`` if it is wrong)."""
    config = config if config is not None else load_config(folder)
    files = []
    for source in sources if sources is not None else discover(folder, exclude):
        loaded = load_file(source, read_options)
        files.append(loaded)
        if on_file:
            on_file(source, loaded)
    reconciliation = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                               subjects=config.subjects)
    return RunResult(folder, files, reconciliation.findings, reconciliation.coverage, reconciliation.accepted)
