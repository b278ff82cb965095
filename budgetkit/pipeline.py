"""The whole job in one place: discover -> load -> reconcile, giving a ``RunResult``."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from budgetkit.config import Config, load_config
from budgetkit.discover import discover, discover_texts
from budgetkit.load import Progress, ReadOptions, load_files
from budgetkit.load.narrative import load_narrative
from budgetkit.model import RunResult, SourceFile
from budgetkit.reconcile import reconcile

def per_department(result: RunResult, config: Config) -> list[RunResult]:
    """The batch split into one result per department, each reconciled on its own
    tables so that its rule coverage and counts are that department's."""
    results = []
    for group in result.groups:
        files = [f for f in result.files if any(t in group.tables for t in f.tables)]
        tables = [t for f in files for t in f.tables if t in group.tables]
        folders = {PurePosixPath(t.file).parent for t in tables}
        narratives = tuple(n for n in result.narratives if PurePosixPath(n.file).parent in folders)
        done = reconcile(tables, config.tolerance, policy=config.policy, subjects=config.subjects,
                         narratives=narratives)
        results.append(RunResult(result.folder, files, done.findings, done.coverage, done.accepted, done.groups,
                                 narratives))
    return results


def run(folder: Path, config: Config | None = None, exclude: tuple[Path, ...] = (),
        on_file: Progress | None = None, sources: list[SourceFile] | None = None,
        read_options: ReadOptions = ReadOptions(), jobs: int = 1,
        texts: list[SourceFile] | None = None) -> RunResult:
    """``config`` defaults to the folder's budgetkit.toml (raising ``ConfigError`` if it is wrong);
    ``jobs`` files are loaded at once; ``texts`` (report texts) default to those in the folder."""
    config = config if config is not None else load_config(folder)
    sources = sources if sources is not None else discover(folder, exclude)
    texts = texts if texts is not None else discover_texts(folder, exclude)
    files = load_files(sources, read_options, jobs, on_file)
    narratives = tuple(load_narrative(t) for t in texts)
    reconciliation = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                               subjects=config.subjects, narratives=narratives)
    return RunResult(folder, files, reconciliation.findings, reconciliation.coverage, reconciliation.accepted,
                     reconciliation.groups, narratives)
