"""The whole job in one place: discover -> load -> reconcile, giving a ``RunResult``.

``run`` loads files in worker processes and reconciles them here. ``run_departments``,
for a batch of department folders, leaves each folder's whole check to a worker —
load, reconcile, write its annotated copies — and receives only what the batch
summary lists: findings, rule coverage and the tables' names, never their figures.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from budgetkit.collector import paused
from budgetkit.config import Config, load_config
from budgetkit.discover import discover, discover_texts
from budgetkit.grouping import named_apart
from budgetkit.load import Progress, ReadOptions, load_files, load_here, readers, with_free_reader
from budgetkit.load.isolation import IsolatedReader, JobFailed, WorkerCrashed, WorkerSilent
from budgetkit.load.narrative import Narrative, load_narrative
from budgetkit.model import (AcceptedFinding, FileStatus, Finding, LoadedFile, RunResult, SourceFile, Table,
                             TableKind, Unit, VersionChange, folder_of)
from budgetkit.reconcile import Coverage, reconcile
from budgetkit.report.output import DepartmentFiles, DepartmentTargets, OutputLocked, write_department_files
from budgetkit.rules import CATALOG, Group, Rule
from budgetkit.rules.base import merged_notes
from budgetkit.versions import keep_current

log = logging.getLogger("budgetkit")


def per_department(result: RunResult, config: Config) -> list[RunResult]:
    """The batch split into one result per department, each reconciled on its own
    tables so that its rule coverage and counts are that department's."""
    results = []
    for group in result.groups:
        files = [f for f in result.files if any(t in group.tables for t in f.tables)]
        tables = [t for f in files for t in f.tables if t in group.tables]
        # The texts the whole run gave this department: another department's text beside it is not its own.
        narratives = tuple(n for n in result.narratives if result.text_groups.get(n.file) == group.name)
        if len(result.groups) == 1 and narratives == result.narratives:
            done = result  # the whole result is this department's: checking its tables again gives it again
        else:
            done = reconcile(tables, config.tolerance, policy=config.policy, subjects=config.subjects,
                             narratives=narratives)
        results.append(RunResult(result.folder, files, done.findings, done.coverage, done.accepted, done.groups,
                                 narratives, done.text_groups))
    return results


def run(folder: Path, config: Config | None = None, exclude: tuple[Path, ...] = (),
        on_file: Progress | None = None, sources: list[SourceFile] | None = None,
        read_options: ReadOptions = ReadOptions(), jobs: int = 1,
        texts: list[SourceFile] | None = None, compare_versions: bool = False) -> RunResult:
    """``config`` defaults to the folder's budgetkit.toml (raising ``ConfigError`` if it is wrong);
    ``jobs`` files are loaded at once; ``texts`` (report texts) default to those in the folder;
    ``compare_versions`` lists what changed between the versions of a table (版本差异)."""
    config = config if config is not None else load_config(folder)
    sources = sources if sources is not None else discover(folder, exclude)
    texts = texts if texts is not None else discover_texts(folder, exclude)
    files = load_files(sources, read_options, jobs, on_file)
    changes = keep_current(files, compare_versions)
    narratives = tuple(load_narrative(t) for t in texts)
    with paused():
        reconciliation = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                                   subjects=config.subjects, narratives=narratives)
    return RunResult(folder, files, reconciliation.findings, reconciliation.coverage, reconciliation.accepted,
                     reconciliation.groups, narratives, reconciliation.text_groups, changes)


def in_several_folders(sources: list[SourceFile]) -> bool:
    """Whether the workbooks lie in more than one folder: a batch of departments."""
    return len({folder_of(s.relative) for s in sources}) > 1


@dataclass(frozen=True)
class FolderJob:
    """One folder's whole check, done in a worker: departments never span folders."""

    folder: Path  # the checked folder, which the sources' relative paths start from
    sources: tuple[SourceFile, ...]
    texts: tuple[SourceFile, ...]
    config: Config
    read_options: ReadOptions
    targets: DepartmentTargets | None  # None: check only, write nothing
    crashed: tuple[tuple[int, str], ...] = ()  # (source index, reason): files that killed a worker, not read again
    compare_versions: bool = False  # list what changed between the versions of a table (版本差异)


@dataclass
class FolderOutcome:
    """What a worker sends back for a folder: its tables listed (``ListedTable``), not their figures."""

    files: list[LoadedFile]
    groups: tuple[Group, ...]
    findings: list[Finding]
    accepted: list[AcceptedFinding]
    coverage: list[tuple[str, bool, int, tuple[str, ...], str]]  # rule code, ran, findings, notes, why it failed
    narratives: tuple[Narrative, ...]
    text_groups: dict[str, str]
    written: DepartmentFiles = field(default_factory=DepartmentFiles)
    locked: OutputLocked | None = None  # an output that could not be written: the run stops with it
    version_changes: list[VersionChange] | None = None  # when the job asked for them


def check_folder(job: FolderJob, tell: Callable[[object], None]) -> FolderOutcome:
    """The worker's job: load the folder's files, reconcile them, write their departments'
    files. ``tell`` notes ("reading", i) before each file, so that a crash names its file,
    and ("read", i, status, reason) after it, for the progress bar; then ("checking",) and
    ("writing",), so that the watchdog times each phase, not the folder's whole check."""
    crashed = dict(job.crashed)
    files = []
    for index, source in enumerate(job.sources):
        if index in crashed:
            loaded = LoadedFile(source, FileStatus.FAILED, crashed[index])
        else:
            tell(("reading", index))
            loaded = load_here(source, job.read_options)
        tell(("read", index, loaded.status, loaded.reason))
        files.append(loaded)
    config = job.config
    tell(("checking",))  # each phase restarts the watchdog's clock: reading gave notes, checking and writing say so
    changes = keep_current(files, job.compare_versions)  # as run does: a copy or an older version is not checked again
    narratives = tuple(load_narrative(t) for t in job.texts)
    done = reconcile([t for f in files for t in f.tables], config.tolerance, policy=config.policy,
                     subjects=config.subjects, narratives=narratives)
    result = RunResult(job.folder, files, done.findings, done.coverage, done.accepted, done.groups, narratives,
                       done.text_groups)
    listed = {id(t): _listed(t) for f in files for t in f.tables}
    outcome = FolderOutcome(
        [LoadedFile(f.source, f.status, f.reason, [listed[id(t)] for t in f.tables],
                    unrecognised_sheets=f.unrecognised_sheets) for f in files],
        tuple(replace(g, tables=tuple(listed[id(t)] for t in g.tables)) for g in done.groups),
        done.findings, done.accepted, [(c.rule.code, c.ran, c.findings, c.notes, c.reason if c.failed else "") for c in done.coverage],
        narratives, done.text_groups, version_changes=changes)
    if job.targets is None or not result.tables:  # nothing to write: the command says why
        return outcome
    tell(("writing",))
    try:
        departments = per_department(result, config) if job.targets.split else []
        outcome.written = write_department_files(result, departments, job.targets)
    except OutputLocked as exc:
        outcome.locked = exc
    return outcome


class ListedTable(NamedTuple):
    """A table as the batch summary and the JSON list it, in place of the ``Table``: where it
    is, its kind, unit, department and year, in a tenth of the memory and without its rows."""

    kind: TableKind
    file: str
    sheet: str
    unit: Unit
    unit_stated: bool
    department: str | None
    year: int | None
    sheets: tuple[str, ...]  # Table.sheets: its own and any it is continued on


def _listed(table: Table) -> ListedTable:
    return ListedTable(table.kind, table.file, table.sheet, table.unit, table.unit_stated, table.department,
                       table.year, table.sheets)


@dataclass(frozen=True)
class DepartmentsRun:
    """A batch checked folder by folder: the result as the summary reads it (tables listed
    without their figures) and the files the workers wrote."""

    result: RunResult
    files: DepartmentFiles


def run_departments(folder: Path, config: Config, targets: DepartmentTargets | None, exclude: tuple[Path, ...] = (),
                    on_file: Progress | None = None, sources: list[SourceFile] | None = None,
                    read_options: ReadOptions = ReadOptions(), jobs: int = 1,
                    texts: list[SourceFile] | None = None, compare_versions: bool = False) -> DepartmentsRun:
    """``run`` for a batch of department folders, each checked whole in a worker (``jobs``
    at once) which writes its departments' files itself (``targets``; None writes nothing),
    so this process never holds a table's figures. Versions lie in one folder, so each worker
    lists its own changes (``compare_versions``). Raises ``OutputLocked`` when a worker could
    not write."""
    sources = sources if sources is not None else discover(folder, exclude)
    texts = texts if texts is not None else discover_texts(folder, exclude)
    by_folder: dict[str, tuple[list[SourceFile], list[SourceFile]]] = defaultdict(lambda: ([], []))
    for source in sources:
        by_folder[folder_of(source.relative)][0].append(source)
    for text in texts:
        by_folder[folder_of(text.relative)][1].append(text)
    folder_jobs = [FolderJob(folder, tuple(found), tuple(beside), config, read_options, targets,
                             compare_versions=compare_versions)
                   for found, beside in by_folder.values()]
    outcomes = _in_workers(folder_jobs, jobs, _progress(on_file))
    locked = next((o.locked for o in outcomes if o.locked), None)
    if locked:
        raise locked
    return DepartmentsRun(_merged(folder, config, outcomes, sources, texts),
                          DepartmentFiles({k: v for o in outcomes for k, v in o.written.links.items()},
                                          {k: v for o in outcomes for k, v in o.written.notes.items()},
                                          [p for o in outcomes for p in o.written.written]))


Note = Callable[[FolderJob, object], None]


def _progress(on_file: Progress | None) -> Note:
    """The workers' notes as ``on_file`` calls, one per file (a folder checked again after
    a crash does not count its files twice), from one thread at a time."""
    told: set[tuple[int, int]] = set()
    lock = threading.Lock()

    def note(job: FolderJob, said: object) -> None:
        if on_file is None or said[0] != "read":
            return
        _, index, status, reason = said
        with lock:
            if (id(job.sources), index) not in told:
                told.add((id(job.sources), index))
                on_file(job.sources[index], LoadedFile(job.sources[index], status, reason))

    return note


def _in_workers(folder_jobs: list[FolderJob], jobs: int, note: Note) -> list[FolderOutcome]:
    """Each job's outcome, in order; ``jobs`` workers at a time."""
    count = max(1, min(jobs, len(folder_jobs)))
    with readers(count) as idle, ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda job: with_free_reader(idle, lambda reader: _checked(reader, job, note)),
                             folder_jobs))


def _checked(reader: IsolatedReader, job: FolderJob, note: Note) -> FolderOutcome:
    """The folder's outcome; a file that kills the worker costs that file only: the folder
    is checked again (in a fresh worker) with that file set aside, named as damaged."""
    while True:
        reading: list[int] = []

        def heard(said: object, job: FolderJob = job) -> None:
            if said[0] == "reading":
                reading[:] = [said[1]]
            elif said[0] == "read":
                reading.clear()
            note(job, said)

        try:
            return reader.run(check_folder, job, heard)
        except WorkerCrashed as exc:
            if not reading:  # not while reading a file: nothing to set aside, the folder goes unchecked
                return _unchecked(job, FOLDER_SILENT if isinstance(exc, WorkerSilent) else FOLDER_CRASHED)
            job = replace(job, crashed=job.crashed + ((reading[0], str(exc)),))
        except Exception as exc:  # past the per-file and per-rule guards: this folder's check, not the run
            log.debug("检查文件夹时出错：%s", "、".join(s.relative for s in job.sources), exc_info=True)
            return _unchecked(job, FOLDER_FAILED.format(error=exc.error if isinstance(exc, JobFailed)
                                                         else type(exc).__name__))


FOLDER_CRASHED = "读取后核对或写出时处理进程异常退出（可能是内存不足），此文件所在文件夹未能完成核对"
FOLDER_SILENT = "读取后核对或写出长时间没有进展，已停止：此文件所在文件夹未能完成核对"
FOLDER_FAILED = "核对此文件所在文件夹时出现意外错误（{error}），未能完成核对；加 --debug 运行可查看详细信息"


def _unchecked(job: FolderJob, reason: str) -> FolderOutcome:
    """A folder whose check could not be finished: each of its files, named as not checked, with why."""
    return FolderOutcome([LoadedFile(source, FileStatus.FAILED, reason) for source in job.sources], (), [], [], [],
                         (), {})


def _merged(folder: Path, config: Config, outcomes: list[FolderOutcome], sources: list[SourceFile],
            texts: list[SourceFile]) -> RunResult:
    """The folders' outcomes as one result: files and texts in discovery order, findings in
    the order ``reconcile`` gives (each folder's already are; across folders the files differ),
    each rule's coverage summed over the folders."""
    order = {s.relative: i for i, s in enumerate([*sources, *texts])}
    files = sorted((f for o in outcomes for f in o.files), key=lambda f: order[f.source.relative])
    for loaded in files:  # this process's own SourceFile, not a copy of it for every file
        loaded.source = sources[order[loaded.source.relative]]
    narratives = tuple(sorted((n for o in outcomes for n in o.narratives), key=lambda n: order[n.file]))
    by_file = lambda f: (f.severity.rank, f.ref.file)  # noqa: E731
    findings = sorted((f for o in outcomes for f in o.findings), key=by_file)
    accepted = sorted((a for o in outcomes for a in o.accepted), key=lambda a: by_file(a.finding))
    ran: dict[str, list[int]] = defaultdict(list)
    notes: dict[str, list[str]] = defaultdict(list)
    failed: dict[str, list[str]] = defaultdict(list)  # by rule: why it failed, in which departments
    for outcome in outcomes:
        for code, did_run, found, said, failure in outcome.coverage:
            if did_run:
                ran[code].append(found)
                notes[code].extend(said)
            elif failure:
                failed[code].append(f"{'、'.join(g.name for g in outcome.groups)}：{failure}")
    gathered = tuple(g for o in outcomes for g in o.groups)
    groups = named_apart(gathered)
    # A text held against a group that is now named with its folder is said to be that group's.
    renamed = {(g.folder, g.name): apart.name for g, apart in zip(gathered, groups) if g.name != apart.name}
    unrun = _unrun(config, [r for code, r in CATALOG.items() if code not in ran and code not in failed], groups,
                   narratives)
    coverage = [unrun.get(code) or _merged_coverage(config.policy.applied_to(rule), ran.get(code), notes[code],
                                                    failed[code])
                for code, rule in CATALOG.items()]
    changes = [o.version_changes for o in outcomes if o.version_changes is not None]
    return RunResult(folder, files, findings, coverage, accepted, groups, narratives,
                     {text: renamed.get((folder_of(text), name), name) for o in outcomes
                      for text, name in o.text_groups.items()},
                     [change for listed in changes for change in listed] if changes else None)


def _merged_coverage(rule: Rule, found: list[int] | None, notes: list[str], failures: list[str]) -> Coverage:
    """A rule's coverage over the folders it ran or failed in; a failure is named with its departments."""
    if found is None:  # it failed in every folder where it could run
        return Coverage(rule, False, "；".join(failures), 0, failed=True)
    return Coverage(rule, True, "", sum(found), merged_notes([*notes, *failures]))


def _unrun(config: Config, rules: list[Rule], groups: tuple[Group, ...],
           narratives: tuple[Narrative, ...]) -> dict[str, Coverage]:
    """The coverage of rules that ran in no folder, in reconcile's own words. Whether and why a
    rule ran depends only on which kinds of table each group holds, so reconcile is given one
    stand-in group per distinct set of kinds: it finds every rule short of its tables, as it
    would over all the folders at once, and runs none."""
    kinds = dict.fromkeys(tuple(sorted({t.kind for t in g.tables})) for g in groups)
    stand_ins = [Table(kind, f"{index}/{kind.name}", kind.title, kind.title, Unit.YUAN, [], {})
                 for index, kinds_of_group in enumerate(kinds) for kind in kinds_of_group]
    # A rule across years or stages needs what no stand-in has (years, stages of one year):
    # it says, on no tables at all, what it lacks.
    across = [r for r in rules if r.requires is not None]
    done = [reconcile(tables, config.tolerance, rules=chosen, policy=config.policy, subjects=config.subjects,
                      narratives=narratives)
            for tables, chosen in ((stand_ins, [r for r in rules if r.requires is None]), ([], across))]
    return {c.rule.code: c for each in done for c in each.coverage}


