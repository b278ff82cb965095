"""The whole job in one place: discover -> load -> reconcile, giving a ``RunResult``."""

from __future__ import annotations

from pathlib import Path

from budgetkit.config import Config, load_config
from budgetkit.discover import discover
from budgetkit.load import Progress, ReadOptions, load_files
from budgetkit.model import RunResult, SourceFile
from budgetkit.reconcile import reconcile

def per_department(result: RunResult, config: Config) -> list[RunResult]:
    """The batch split into one result per department, each reconciled on its own
    tables so that its rule coverage and counts are that department's."""
    results = []
    for group in result.groups:
        files = [f for f in result.files if any(t in group.tables for t in f.tables)]
        tables = [t for f in files for t in f.tables if t in group.tables]
        done = reconcile(tables, config.tolerance, policy=config.policy, subjects=config.subjects)
        results.append(RunResult(result.folder, files, done.findings, done.coverage, done.accepted, done.groups))
    return results


def run(folder: Path, config: Config | None = None, exclude: tuple[Path, ...] = (),
        on_file: Progress | None = None, sources: list[SourceFile] | None = None,
        read_options: ReadOptions = ReadOptions(), jobs: int = 1) -> RunResult:
    """``config`` defaults to the folder's budgetkit.toml (raising ``ConfigError`` if it is wrong);
    ``jobs`` files are loaded at once."""
    config = config if config is not None else load_config(folder)
    sources = sources if sources is not None else discover(folder, exclude)
    files = load_files(sources, read_options, jobs, on_file)
    reconciliation = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                               subjects=config.subjects)
    return RunResult(folder, files, reconciliation.findings, reconciliation.coverage, reconciliation.accepted,
                     reconciliation.groups)
