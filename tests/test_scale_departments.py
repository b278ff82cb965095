"""A batch of department folders is checked folder by folder in the workers: each worker
loads, reconciles and writes its departments' annotated copies, and the main process
receives the findings and the tables' names only. The outputs are those of a run that
reconciles everything in one process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bad_files
import openpyxl
from conftest import REPO
from districts import SAMPLES, two_departments
from typer.testing import CliRunner

from budgetkit import pipeline
from budgetkit.cli import app
from budgetkit.config import load_config
from budgetkit.model import FileStatus
from budgetkit.report.figures import ReportOptions
from budgetkit.report.output import DepartmentTargets

CRASHED = "读取程序在读取此文件时异常退出：文件很可能已损坏（或单个工作表大到无法放入内存）"


def run(folder: Path, out: Path, *options: str) -> int:
    return CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--json", str(out.with_suffix(".json")),
                                    *options]).exit_code


def cells(path: Path, sheet: str) -> list[list]:
    """A sheet's values, without the 概览 line that carries the time of the run."""
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path)[sheet].iter_rows()]
    return [row for row in rows if not str(row[0]).startswith("检查文件夹")]


def test_a_batch_checked_in_the_workers_writes_what_one_process_writes(tmp_path):
    folder = two_departments(tmp_path)
    by_folder, in_one = tmp_path / "分部门" / "汇总.xlsx", tmp_path / "一处" / "汇总.xlsx"
    assert run(folder, by_folder) == 1
    assert run(folder, in_one, "--report") == 1  # the report sheets need every department's figures at once
    assert json.loads(by_folder.with_suffix(".json").read_text(encoding="utf-8")) == \
        json.loads(in_one.with_suffix(".json").read_text(encoding="utf-8"))
    assert openpyxl.load_workbook(by_folder).sheetnames == ["概览", "问题清单"]
    for sheet in ("概览", "问题清单"):
        assert cells(by_folder, sheet) == cells(in_one, sheet)
    copies = sorted(p.relative_to(by_folder.parent / "标注").as_posix() for p in (by_folder.parent / "标注").rglob("*.xlsx"))
    assert copies == sorted(p.relative_to(in_one.parent / "标注").as_posix()
                            for p in (in_one.parent / "标注").rglob("*.xlsx")) == \
        ["区科协/乐山市市中区科学技术协会 2022.xlsx", "甲部门/甲部门 2022.xlsx"]
    for name in copies:
        ours, theirs = (openpyxl.load_workbook(p / "标注" / name) for p in (by_folder.parent, in_one.parent))
        assert ours.sheetnames == theirs.sheetnames
        for sheet in ours.sheetnames:
            assert [[(c.value, c.comment.text if c.comment else None) for c in row] for row in ours[sheet].iter_rows()] \
                == [[(c.value, c.comment.text if c.comment else None) for c in row] for row in theirs[sheet].iter_rows()]


def test_the_main_process_receives_the_tables_names_and_no_figures(tmp_path):
    folder = two_departments(tmp_path)
    batch = pipeline.run_departments(folder, load_config(folder),
                                     DepartmentTargets(tmp_path / "out" / "汇总.xlsx", ReportOptions()), jobs=2)
    tables = batch.result.tables
    assert [(t.file, t.sheet, t.kind.title) for t in tables] == [
        ("区科协/区科协2022年收支构成测算表.xls", "收支构成", "金额占比表"),
        ("区科协/区科协2022年收支构成测算表.xls", "收支构成", "金额占比表"),
        ("区科协/区科协2022年部门决算.xlsx", "收入支出决算总表", "收入支出决算总表"),
        ("区科协/区科协2022年部门决算.xlsx", "收入决算表", "收入决算表"),
        ("区科协/区科协2022年部门决算.xlsx", "支出决算表", "支出决算表"),
        ("甲部门/2022年决算.xlsx", "支出决算表", "支出决算表")]
    assert all(isinstance(t, pipeline.ListedTable) and not hasattr(t, "rows") for t in tables)
    assert all(f.grids == {} for f in batch.result.files)
    assert [g.name for g in batch.result.groups] == ["乐山市市中区科学技术协会 2022", "甲部门 2022"]
    assert [(f.rule, f.ref.cell) for f in batch.result.findings if f.ref.file == "甲部门/2022年决算.xlsx"] == [
        ("BK103", "D12"), ("BK101", "C13")]
    assert set(batch.files.links) == {("甲部门/2022年决算.xlsx", "支出决算表"),
                                      ("区科协/区科协2022年收支构成测算表.xls", "收支构成"),
                                      ("区科协/区科协2022年部门决算.xlsx", "支出决算表")}


def test_a_file_that_kills_the_worker_costs_that_file_only(tmp_path):
    folder = two_departments(tmp_path)
    bad_files.crashing_xls(folder / "甲部门" / "崩溃.xls")
    out = tmp_path / "out" / "汇总.xlsx"
    read = []
    batch = pipeline.run_departments(folder, load_config(folder), DepartmentTargets(out, ReportOptions()), jobs=2,
                                     on_file=lambda source, loaded: read.append((source.relative, loaded.status)))
    files = {f.source.relative: f for f in batch.result.files}
    assert (files["甲部门/崩溃.xls"].status, files["甲部门/崩溃.xls"].reason) == (FileStatus.FAILED, CRASHED)
    assert files["甲部门/2022年决算.xlsx"].status == FileStatus.OK
    assert [f.rule for f in batch.result.findings if f.ref.file == "甲部门/2022年决算.xlsx"] == ["BK103", "BK101"]
    # Every file is counted once by the progress bar, the crashed one too.
    assert sorted(read) == sorted((relative, f.status) for relative, f in files.items())
    assert (out.parent / "标注" / "甲部门" / "甲部门 2022.xlsx").is_file()


def test_split_summaries_are_written_by_the_workers_as_one_process_writes_them(tmp_path):
    folder = two_departments(tmp_path)
    by_folder, in_one = tmp_path / "分部门" / "汇总.xlsx", tmp_path / "一处" / "汇总.xlsx"
    assert run(folder, by_folder, "--split") == run(folder, in_one, "--split", "--report") == 1
    for name in ("甲部门/汇总-甲部门 2022.xlsx", "区科协/汇总-乐山市市中区科学技术协会 2022.xlsx"):
        ours, theirs = by_folder.parent / name, in_one.parent / name
        assert openpyxl.load_workbook(ours).sheetnames == openpyxl.load_workbook(theirs).sheetnames
        assert "报告用表" in openpyxl.load_workbook(ours).sheetnames
        for sheet in ("问题清单", "报告用表"):
            assert cells(ours, sheet) == cells(theirs, sheet)


def test_explained_findings_and_a_folder_holding_only_a_report_text_come_out_as_in_one_process(tmp_path):
    folder = two_departments(tmp_path)
    (folder / "只有说明").mkdir()
    shutil.copy(REPO / "workbooks" / SAMPLES[2], folder / "只有说明" / "说明.txt")
    (folder / "budgetkit.toml").write_text('[[accept]]\nrule = "BK103"\nfile = "甲部门/2022年决算.xlsx"\n'
                                           'reason = "已在说明中解释"\n', encoding="utf-8")
    by_folder, in_one = tmp_path / "分部门" / "汇总.xlsx", tmp_path / "一处" / "汇总.xlsx"
    assert run(folder, by_folder) == run(folder, in_one, "--report") == 1
    ours, theirs = (json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in (by_folder, in_one))
    assert ours == theirs
    assert [(f["rule"], f["file"], f["accepted"]) for f in ours["findings"] if f["accepted"]] == [
        ("BK103", "甲部门/2022年决算.xlsx", {"reason": "已在说明中解释"})]
    assert [t["path"] for t in ours["texts"]] == ["区科协/区科协2022年整体绩效自评报告.txt", "只有说明/说明.txt"]
    assert openpyxl.load_workbook(by_folder).sheetnames == ["概览", "问题清单", "已说明"]
    assert cells(by_folder, "已说明") == cells(in_one, "已说明")


def _renamed(path: Path, department: str) -> None:
    book = openpyxl.load_workbook(path)
    for cell in (c for sheet in book.worksheets for row in sheet.iter_rows() for c in row):
        if isinstance(cell.value, str) and "某区农业农村委员会" in cell.value:
            cell.value = cell.value.replace("某区农业农村委员会", department)
    book.save(path)


def test_a_batchs_coverage_notes_are_those_of_one_run_over_every_folder(tmp_path):
    """Each folder's worker sums up its own run ("比对 55 个…", the figures compared, the codes
    the list lacks); merged, the batch's notes are word for word what one run over all says."""
    from layout_corpus import render_disclosure
    from layout_corpus.accounts import budget_for_final_year
    from test_years_continuity import TRAITS

    folder = tmp_path / "区财政局"
    for name in ("农业农村委", "水务局"):
        for stage, accounts in (("决算", None), ("预算", budget_for_final_year())):
            (written,) = render_disclosure(TRAITS, stage, accounts=accounts).write(folder / name)
            if name == "水务局":
                _renamed(written, "某区水务局")
    config = load_config(folder)
    batch = pipeline.run_departments(folder, config, None, jobs=2).result
    whole = pipeline.run(folder, config, jobs=2)
    notes = {c.rule.code: c.notes for c in whole.coverage}
    assert {c.rule.code: c.notes for c in batch.coverage} == notes
    assert notes["BK243"] == ("比对 110 个科目或资金的决算数与预算数（执行率区间 90%–100%）",)
    assert any(note.startswith("比对 ") and "个同一数字：" in note for note in notes["BK201"])


def test_a_rule_that_ran_in_no_folder_keeps_the_folders_severity_and_reason(tmp_path):
    """BK241 (years) runs in no folder of this district: the batch's coverage names it with the
    severity budgetkit.toml gives it and the reason one run gives, as for every other rule."""
    folder = two_departments(tmp_path)
    (folder / "budgetkit.toml").write_text('[rules]\nseverity = { BK241 = "warning" }\ndisable = ["BK242"]\n',
                                          encoding="utf-8")
    config = load_config(folder)
    batch = {c.rule.code: c for c in pipeline.run_departments(folder, config, None, jobs=2).result.coverage}
    whole = {c.rule.code: c for c in pipeline.run(folder, config, jobs=2).coverage}
    for code in ("BK241", "BK242"):
        assert (batch[code].rule.severity, batch[code].ran, batch[code].reason) == \
            (whole[code].rule.severity, whole[code].ran, whole[code].reason)
    assert batch["BK241"].rule.severity.value == "warning" and not batch["BK241"].ran


def test_a_finding_on_a_continuation_sheet_has_its_annotated_copy_and_its_department(tmp_path):
    """A 支出决算表 continued on a second sheet (no header): the wrong line there is the
    department's, and its annotated copy is made like the first sheet's."""
    from test_accuracy_traits import expenditure_over_two_sheets
    from workbook_builder import write_workbook

    folder = tmp_path / "区财政局"
    for name in ("甲局", "乙局"):
        sheets = expenditure_over_two_sheets(None, header_repeated=False)
        if name == "甲局":
            rows, merges = sheets["支出2"]
            sheets["支出2"] = ([[rows[0][0], rows[0][1], 99.0, *rows[0][3:]], *rows[1:]], merges)
        write_workbook(folder / name / "决算.xlsx", sheets)
    out = tmp_path / "out" / "汇总.xlsx"
    assert run(folder, out) == 1
    issues = openpyxl.load_workbook(out)["问题清单"]
    on_second = [[c.value for c in row] for row in issues.iter_rows(min_row=2) if row[4].value == "支出2"]
    # Both folders' department is called 测试局: the 部门 column names it with its folder.
    assert [(row[2], row[5], row[12]) for row in on_second] == [("BK101", "C1", "甲局/测试局"),
                                                                ("BK103", "C1", "甲局/测试局")]
    copies = openpyxl.load_workbook(out.parent / "标注" / "甲局" / "测试局.xlsx").sheetnames
    assert any("支出2" in name for name in copies)


def test_a_folder_of_one_department_is_that_department_s_result_without_checking_it_again(tmp_path):
    """--split gives each department its own result; for a folder holding just one, that is the
    folder's own result (same findings, coverage and texts), not a second check of the same tables."""
    folder = tmp_path / "区科协"
    shutil.copytree(REPO / "workbooks", folder)
    config = load_config(folder)
    result = pipeline.run(folder, config)
    (department,) = pipeline.per_department(result, config)
    assert department.findings is result.findings and len(department.findings) == 7  # taken over, not made again
    assert department.coverage is result.coverage and department.narratives == result.narratives
    assert [f.source.relative for f in department.files] == [f.source.relative for f in result.files if f.tables]
