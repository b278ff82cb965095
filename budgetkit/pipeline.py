"""The whole job in one place: discover -> load -> reconcile, giving a ``RunResult``."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from budgetkit.config import Config, load_config
from budgetkit.discover import discover, discover_texts
from budgetkit.load import Progress, ReadOptions, load_files
from budgetkit.load.narrative import load_narrative
from budgetkit.model import FileStatus, LoadedFile, RunResult, SourceFile, Table
from budgetkit.reconcile import reconcile


def set_aside_copies(files: list[LoadedFile]) -> list[LoadedFile]:
    """A workbook whose tables repeat another's figure for figure (the .xls and the .xlsx
    of one disclosure, a copy made before editing) is read but not checked again:
    otherwise every cross-table identity would be compared across the two copies."""
    seen: dict[tuple, str] = {}
    for loaded in files:
        if not loaded.tables:
            continue
        # Copies in different folders are different departments' files: never compared anyway.
        content = (str(PurePosixPath(loaded.source.relative).parent), *sorted(_content(t) for t in loaded.tables))
        if content in seen:
            loaded.status = FileStatus.SKIPPED
            loaded.reason = f"与 {seen[content]} 的表格内容完全相同（同一份表格的副本），未重复核对"
            loaded.tables, loaded.grids = [], {}
        else:
            seen[content] = loaded.source.relative
    return files


def _content(table: Table) -> tuple:
    return (table.kind.value, table.unit.label, table.department or "", table.year or 0,
            tuple((row.label, row.code or "", tuple(sorted((m, str(c.value)) for m, c in row.values.items())))
                  for row in table.rows))


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
                                 narratives, done.text_groups))
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
    files = set_aside_copies(load_files(sources, read_options, jobs, on_file))
    narratives = tuple(load_narrative(t) for t in texts)
    reconciliation = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                               subjects=config.subjects, narratives=narratives)
    return RunResult(folder, files, reconciliation.findings, reconciliation.coverage, reconciliation.accepted,
                     reconciliation.groups, narratives, reconciliation.text_groups)
