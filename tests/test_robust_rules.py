"""A rule that trips over data it did not foresee costs that rule, not the run: its coverage
says it failed and why, every other rule's findings stand, and in a batch the other
departments' folders still run it. A folder's check that fails past those guards (an error,
or a worker dying after it read every file) costs that folder: its files are named as not
checked, with why, and the other folders' results stand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from districts import two_departments

from budgetkit import pipeline
from budgetkit.config import load_config
from budgetkit.discover import discover
from budgetkit.load import ReadOptions
from budgetkit.load.isolation import IsolatedReader, WorkerCrashed, WorkerSilent
from budgetkit.model import FileStatus, Severity, TableKind
from budgetkit.reconcile import RULE_FAILED
from budgetkit.rules import CATALOG
from budgetkit.rules.base import Context, Discrepancy, Rule

FAILED = RULE_FAILED.format(error="KeyError")


def _failing_for(department: str) -> Rule:
    """A rule over 支出决算表 that raises on one department's tables and finds nothing elsewhere."""

    def check(ctx: Context) -> Iterator[Discrepancy]:
        for group in ctx.groups:
            if department in group.name:
                raise KeyError("没有预料到的一行")
        return iter(())

    return Rule("BK998", "test.failing", "会出错的规则", Severity.ERROR, (TableKind.EXPENDITURE,), "{item}", check)


def _findings(result) -> list[tuple[str, str, str]]:
    return [(f.rule, f.ref.file, f.ref.cell) for f in result.findings]


def _coverage(result, code: str) -> tuple[bool, str, bool, tuple[str, ...]]:
    found = next(c for c in result.coverage if c.rule.code == code)
    return found.ran, found.reason, found.failed, found.notes


def test_a_rule_that_raises_is_reported_as_failed_and_the_other_rules_findings_stand(tmp_path, monkeypatch):
    folder = two_departments(tmp_path)
    clean = pipeline.run(folder)
    monkeypatch.setitem(CATALOG, "BK998", _failing_for("甲部门"))
    failing = pipeline.run(folder)
    assert _coverage(failing, "BK998") == (False, FAILED, True, ())
    assert _findings(failing) == _findings(clean)
    assert ("BK103", "甲部门/2022年决算.xlsx", "D12") in _findings(failing)
    assert [c for c in failing.coverage if c.rule.code != "BK998"] == clean.coverage


@pytest.fixture
def workers_in_this_process(monkeypatch):
    """The batch's folder jobs run here, where the test's rule is registered (no worker can be started)."""
    monkeypatch.setattr(IsolatedReader, "_spawn", lambda self, debug: None)


def _batch(folder: Path):
    return pipeline.run_departments(folder, load_config(folder), None).result


def test_in_a_batch_the_failure_is_named_with_its_department_and_the_other_folders_run_the_rule(
        tmp_path, monkeypatch, workers_in_this_process):
    folder = two_departments(tmp_path)
    clean = _batch(folder)
    monkeypatch.setitem(CATALOG, "BK998", _failing_for("甲部门"))
    failing = _batch(folder)
    assert _coverage(failing, "BK998") == (True, "", False, (f"甲部门 2022：{FAILED}",))
    assert _findings(failing) == _findings(clean)


def test_a_rule_that_failed_in_every_folder_did_not_run(tmp_path, monkeypatch, workers_in_this_process):
    folder = two_departments(tmp_path)
    monkeypatch.setitem(CATALOG, "BK998", _failing_for(""))
    assert _coverage(_batch(folder), "BK998") == (
        False, f"乐山市市中区科学技术协会 2022：{FAILED}；甲部门 2022：{FAILED}", True, ())


# -- A folder's check that fails past the per-file and per-rule guards costs that folder ----------

def test_an_unexpected_error_in_one_folders_check_leaves_its_files_named_and_the_other_folders_checked(
        tmp_path, monkeypatch, workers_in_this_process):
    folder = two_departments(tmp_path)
    keeping = pipeline.keep_current

    def failing_in_jia(files, compare_versions=False):
        if any(f.source.relative.startswith("甲部门/") for f in files):
            raise ValueError("没有预料到的版本")
        return keeping(files, compare_versions)

    monkeypatch.setattr(pipeline, "keep_current", failing_in_jia)
    result = _batch(folder)
    assert [(f.source.relative, f.status.value, f.reason) for f in result.files if f.source.relative.startswith("甲")] \
        == [("甲部门/2022年决算.xlsx", "failed", pipeline.FOLDER_FAILED.format(error="ValueError"))]
    assert {f.ref.file.split("/")[0] for f in result.findings} == {"区科协"}
    assert [g.name for g in result.groups] == ["乐山市市中区科学技术协会 2022"]


class _DiesAfterReading:
    """A reader whose worker reads every file of the folder, then dies (out of memory while
    writing), or is stopped by the watchdog (``exit`` WorkerSilent)."""

    def __init__(self, exit: type[WorkerCrashed] = WorkerCrashed) -> None:
        self.exit = exit

    def run(self, job, folder_job, on_note):
        for index, _ in enumerate(folder_job.sources):
            on_note(("reading", index))
            on_note(("read", index, FileStatus.OK, ""))
        on_note(("checking",))
        raise self.exit("读取程序异常退出")


def test_a_worker_that_dies_after_reading_every_file_leaves_the_folder_unchecked_not_the_run(tmp_path):
    folder = two_departments(tmp_path)
    sources = tuple(s for s in discover(folder) if s.relative.startswith("甲部门/"))
    job = pipeline.FolderJob(folder, sources, (), load_config(folder), ReadOptions(), None)
    outcome = pipeline._checked(_DiesAfterReading(), job, lambda job, said: None)
    assert [(f.source.relative, f.status, f.reason) for f in outcome.files] == [
        ("甲部门/2022年决算.xlsx", FileStatus.FAILED, pipeline.FOLDER_CRASHED)]
    assert (outcome.findings, outcome.groups) == ([], ())


def test_a_worker_stopped_after_reading_for_saying_nothing_is_named_as_such_not_as_out_of_memory(tmp_path):
    folder = two_departments(tmp_path)
    sources = tuple(s for s in discover(folder) if s.relative.startswith("甲部门/"))
    job = pipeline.FolderJob(folder, sources, (), load_config(folder), ReadOptions(), None)
    outcome = pipeline._checked(_DiesAfterReading(WorkerSilent), job, lambda job, said: None)
    assert [(f.source.relative, f.status, f.reason) for f in outcome.files] == [
        ("甲部门/2022年决算.xlsx", FileStatus.FAILED, pipeline.FOLDER_SILENT)]
