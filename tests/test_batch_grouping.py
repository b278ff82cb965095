"""A reviewer's folder of many departments: which files are one department's year, and which text
is whose. Each case is a false comparison that used to be made: a year read from the folder a
file was sent in, a revision's date taken for its year, a department's file joined to its
subordinate unit's, another department's 说明 checked under --split, two districts' same-named
departments counted as one."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO
from layout_corpus import Traits, render_disclosure
from layout_corpus.accounts import budget_for_final_year, final_accounts, previous_final_accounts

from budgetkit import pipeline
from budgetkit.config import load_config
from budgetkit.names import department_in_name
from budgetkit.model import FileStatus, Severity
from budgetkit.report.workbook import write_summary
from budgetkit.text import year_in_name

CORPUS_DEPARTMENT = "某区农业农村委员会"
LOUD = (Severity.ERROR, Severity.WARNING)


def _disclosure(folder: Path, name: str, accounts, stage: str, department: str | None, plant: str | None = None) -> Path:
    """A consistent corpus workbook (or one with ``plant``) saved as ``name``, its 部门 lines naming
    ``department`` (None: no line)."""
    rendering = render_disclosure(Traits(), stage, plant, accounts=accounts)
    scratch = folder.parent / f".{name}"
    (written,) = rendering.write(scratch)
    book = openpyxl.load_workbook(written)
    for sheet in book.worksheets:
        for cell in (c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)):
            if CORPUS_DEPARTMENT in cell.value:
                cell.value = cell.value.replace(CORPUS_DEPARTMENT, department) if department else None
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / name)
    shutil.rmtree(scratch)
    return folder / name


def _coverage(result, code: str):
    return next(c for c in result.coverage if c.rule.code == code)


def test_the_year_of_a_file_is_its_names_before_its_folders():
    assert year_in_name("2025年报送/区民政局/区民政局2023年度部门决算.xlsx") == 2023
    assert year_in_name("2024决算/区民政局部门决算.xlsx") == 2024
    assert year_in_name("区民政局部门决算（2025年3月修订）.xlsx") is None  # a date, not the accounts' year
    assert year_in_name("putuo_social_work_2024_final.xlsx") == 2024


def test_the_accounts_year_in_a_name_comes_before_the_year_they_were_published_in():
    """'2025年公开2024年度部门决算' names the 2024 accounts, published in 2025: it was read as 2025, and the
    cross-year and budget rules had no 2024 决算 to compare."""
    assert year_in_name("某区农业农村委员会2025年公开2024年度部门决算.xlsx") == 2024
    assert year_in_name("某区农业农村委员会2025年公开2024年部门决算.xlsx") == 2024
    assert year_in_name("测试局2025年部门预算.xlsx") == 2025


def test_a_year_in_the_folder_name_does_not_make_two_years_one(tmp_path):
    """'2025年报送/区民政局/' with the 2023 and 2024 决算 (titles without a year): before, both were 2025,
    the older set aside as an old version, and BK241 had no two years to compare."""
    folder = tmp_path / "2025年报送" / "区民政局"
    _disclosure(folder, "区民政局2023年度部门决算.xlsx", previous_final_accounts(), "决算", "区民政局")
    _disclosure(folder, "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "区民政局")
    result = pipeline.run(tmp_path, jobs=1)
    assert [f.status for f in result.files] == [FileStatus.OK, FileStatus.OK]
    assert sorted(g.year for g in result.groups) == [2023, 2024]
    assert _coverage(result, "BK241").ran
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_a_departments_file_named_by_its_file_name_never_joins_its_subordinate_units(tmp_path):
    """区民政局2024年部门预算 (no 部门 line) beside 区民政局社会福利院's 决算: 区民政局 lies inside the unit's
    line but is not the unit; before, the 预算 was compared with the unit's 决算 (false BK243, BK221)."""
    _disclosure(tmp_path, "区民政局社会福利院2024年度单位决算.xlsx", final_accounts(), "决算", "区民政局社会福利院")
    _disclosure(tmp_path, "区民政局2024年部门预算.xlsx", budget_for_final_year(), "预算", None)
    result = pipeline.run(tmp_path, jobs=1)
    assert sorted(g.name for g in result.groups) == ["区民政局 2024", "区民政局社会福利院 2024"]
    assert not _coverage(result, "BK243").ran
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_a_file_name_ending_a_departments_line_is_that_department(tmp_path):
    _disclosure(tmp_path, "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "上海市某区民政局")
    _disclosure(tmp_path, "区民政局2024年部门预算.xlsx", budget_for_final_year(), "预算", None)
    result = pipeline.run(tmp_path, jobs=1)
    assert [g.name for g in result.groups] == ["上海市某区民政局 2024"]
    assert _coverage(result, "BK243").ran


def test_under_split_a_text_is_checked_only_with_the_department_it_was_held_against(tmp_path):
    """The sample 区科协 (2022, with its 说明) beside another department's 2024 决算 in one folder: the
    text's findings are 区科协's, and none of them is in the other department's split result."""
    for sample in REPO.joinpath("workbooks").iterdir():
        shutil.copy(sample, tmp_path)
    _disclosure(tmp_path, "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "区民政局")
    result = pipeline.run(tmp_path, jobs=1)
    split = {r.groups[0].name: r for r in pipeline.per_department(result, load_config(tmp_path))}
    texts = {name: [f.rule for f in r.findings if f.rule.startswith("BK6")] for name, r in split.items()}
    assert texts["区民政局 2024"] == []
    assert texts["乐山市市中区科学技术协会 2022"] == [f.rule for f in result.findings if f.rule.startswith("BK6")] != []


def test_same_named_departments_in_two_folders_are_named_with_their_folders(tmp_path):
    for district in ("甲区", "乙区"):
        _disclosure(tmp_path / district / "区农业农村局", "区农业农村局2024年度部门决算.xlsx", final_accounts(), "决算",
                    "区农业农村局")
    batch = pipeline.run_departments(tmp_path, load_config(tmp_path), None, jobs=1).result
    assert sorted(g.name for g in batch.groups) == ["乙区/区农业农村局/区农业农村局 2024",
                                                    "甲区/区农业农村局/区农业农村局 2024"]


def test_a_text_beside_two_departments_of_its_year_goes_to_the_one_it_names(tmp_path):
    """Two departments' 2024 files flat in one folder: the 说明 whose name says 区民政局 is held against
    区民政局's tables (before, it was held against none: its BK611 went unreported)."""
    _disclosure(tmp_path, "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "上海市某区民政局")
    _disclosure(tmp_path, "区司法局2024年部门预算.xlsx", budget_for_final_year(), "预算", "上海市某区司法局")
    text = tmp_path / "区民政局2024年度部门决算说明.txt"
    text.write_text("一、收入支出决算总体情况\n2024年度收入总计4,700.00万元。\n", encoding="utf-8")
    result = pipeline.run(tmp_path, jobs=1)
    assert result.text_groups == {text.name: "上海市某区民政局 2024"}
    assert [(f.rule, f.stated, f.expected) for f in result.findings if f.ref.file == text.name] == [
        ("BK611", Decimal("4700.00"), Decimal("4687.65"))]


@pytest.mark.parametrize("name", ["区民政局2024年部门决算（修订）.xlsx", "区民政局2024年部门决算_v2.xlsx",
                                  "区民政局2024年部门决算（第二稿）.xlsx", "区民政局2024年部门决算（调整后）.xlsx",
                                  "附件2：区民政局2024年部门预算.xlsx", "《区民政局2024年部门预算》.xlsx",
                                  "区民政局2024年部门预算（含三公经费）.xlsx"])
def test_a_file_names_version_words_notes_and_punctuation_are_not_its_department(name):
    assert department_in_name(name) == "区民政局"


def test_a_second_draft_numbered_in_chinese_replaces_the_first_whatever_its_date(tmp_path):
    """区民政局…（第二稿） is version 2 of the same 决算: it is checked and the first set aside, though the first
    file was saved later (before, 第二稿 counted for nothing and the later-saved first draft was checked)."""
    revision = _disclosure(tmp_path, "区民政局2024年度部门决算（第二稿）.xlsx", final_accounts(), "决算", "区民政局")
    original = _disclosure(tmp_path, "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "区民政局")
    book = openpyxl.load_workbook(original)  # the first draft's 一般公共预算 line 5.00 off
    book["收入支出决算总表"]["B5"] = book["收入支出决算总表"]["B5"].value + 5
    book.save(original)
    os.utime(revision, (1_700_000_000, 1_700_000_000))
    result = pipeline.run(tmp_path, jobs=1)
    status = {f.source.relative: f.status for f in result.files}
    assert status == {revision.name: FileStatus.OK, original.name: FileStatus.SKIPPED}
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_findings_of_a_text_no_department_holds_are_named_so_and_counted_in_a_row_of_their_own(tmp_path):
    """The sample 区科协 text beside two departments of 2022, naming neither by its 部门 line: its findings
    say （未归属部门） in the 部门 column and have their own 各部门 row (before, the column was empty and the
    rows did not add up to the 问题清单)."""
    for sample in REPO.joinpath("workbooks").iterdir():
        shutil.copy(sample, tmp_path)
    _disclosure(tmp_path, "区民政局2022年度部门决算.xlsx", final_accounts(), "决算", "区民政局")
    result = pipeline.run(tmp_path, jobs=1)
    texts = [f for f in result.findings if f.ref.sheet == "报告文字"]
    assert texts and {result.department_of(f.ref) for f in texts} == {"（未归属部门）"}
    write_summary(result, tmp_path / "汇总.xlsx", with_report=False)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(tmp_path / "汇总.xlsx")["概览"].iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == "各部门") + 2
    departments = [row[:5] for row in rows[start:] if row[0]][:3]
    assert ["（未归属部门）", 0, sum(f.severity is Severity.ERROR for f in texts),
            sum(f.severity is Severity.WARNING for f in texts), sum(f.severity is Severity.INFO for f in texts)] \
        in departments
    assert sum(row[2] for row in departments) == sum(f.severity is Severity.ERROR for f in result.findings)



# --- audit19: how reviewers' batches are laid out ---------------------------------------------------

def test_a_final_naming_no_year_beside_only_next_years_budget_stays_apart(tmp_path):
    """决算.xlsx (no year anywhere) beside 区民政局2025年部门预算.xlsx: the 决算 took the only year there
    was, 2025, and its figures were held to the 2025 budget (false BK221/BK243 warnings)."""
    folder = tmp_path / "区民政局"
    _disclosure(folder, "决算.xlsx", final_accounts(), "决算", "区民政局")
    budget = _disclosure(folder, "区民政局2025年部门预算.xlsx", budget_for_final_year(), "预算", "区民政局")
    book = openpyxl.load_workbook(budget)
    for cell in (c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)):
        cell.value = cell.value.replace("2024年", "2025年")
    book.save(budget)
    result = pipeline.run(tmp_path, jobs=1)
    assert sorted((g.year or 0, sorted({t.kind.stage.value for t in g.tables})) for g in result.groups) == [
        (0, ["决算"]), (2025, ["预算"])]
    assert not _coverage(result, "BK243").ran
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_a_folder_named_for_sending_or_publishing_gives_no_year():
    assert year_in_name("2025年报送/区民政局/区民政局部门决算.xlsx") is None
    assert year_in_name("2025年预决算公开/区民政局/决算.xlsx") is None
    assert year_in_name("区民政局/2024决算/决算.xlsx") == 2024
    # a folder that names the accounts' year as well still gives it
    assert year_in_name("2024年部门决算公开/区民政局/决算.xlsx") == 2024


def test_a_correction_saved_beside_an_unzipped_folder_replaces_the_original(tmp_path):
    """区财政局/区财政局/…决算.xlsx (as unzipped) and its correction 区财政局/…（修改后）.xlsx: the inner
    folder was a department of its own, so the original's errors were reported beside the correction."""
    _disclosure(tmp_path / "区财政局" / "区财政局", "区财政局2024年度部门决算.xlsx", final_accounts(), "决算", "区财政局",
                plant="totals_unbalanced")
    _disclosure(tmp_path / "区财政局", "区财政局2024年度部门决算（修改后）.xlsx", final_accounts(), "决算", "区财政局")
    result = pipeline.run(tmp_path, jobs=1)
    assert {f.source.relative: f.status for f in result.files} == {
        "区财政局/区财政局/区财政局2024年度部门决算.xlsx": FileStatus.SKIPPED,
        "区财政局/区财政局2024年度部门决算（修改后）.xlsx": FileStatus.OK}
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_stage_and_year_subfolders_are_their_departments(tmp_path):
    """区民政局/2024决算/ and 区民政局/2024预算/: one department's 2024, its budget executed (BK243) and its
    "三公" budget compared (BK221); before, two departments that never met."""
    _disclosure(tmp_path / "区民政局" / "2024决算", "决算.xlsx", final_accounts(), "决算", "区民政局")
    _disclosure(tmp_path / "区民政局" / "2024预算", "预算.xlsx", budget_for_final_year(), "预算", "区民政局")
    result = pipeline.run(tmp_path, jobs=1)
    assert [(g.year, len(g.tables)) for g in result.groups] == [(2024, 18)]
    assert _coverage(result, "BK243").ran and _coverage(result, "BK221").ran
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_a_table_printed_in_the_wrong_unit_is_not_held_to_its_budget(tmp_path):
    """The 支出决算表 in 元 under a 万元 heading: one BK401, and not 13 BK243 at 999,990% executed."""
    _disclosure(tmp_path / "区审计局", "区审计局2024年度部门决算.xlsx", final_accounts(), "决算", "区审计局",
                plant="expenditure_in_the_wrong_unit")
    _disclosure(tmp_path / "区审计局", "区审计局2024年部门预算.xlsx", budget_for_final_year(), "预算", "区审计局")
    result = pipeline.run(tmp_path, jobs=1)
    assert [(f.rule, f.ref.sheet) for f in result.findings if f.severity in LOUD] == [("BK401", "支出决算表")]


def test_department_lines_written_with_and_without_the_city_are_one_department(tmp_path):
    """The 决算 prints 上海市普陀区人力资源和社会保障局, the 预算 区人力资源和社会保障局: two departments before,
    so the budget rules never ran (audit19)."""
    folder = tmp_path / "人社"
    _disclosure(folder, "2024年度部门决算.xlsx", final_accounts(), "决算", "上海市普陀区人力资源和社会保障局")
    _disclosure(folder, "2024年部门预算.xlsx", budget_for_final_year(), "预算", "区人力资源和社会保障局")
    result = pipeline.run(tmp_path, jobs=1)
    assert [(g.department, g.year) for g in result.groups] == [("上海市普陀区人力资源和社会保障局", 2024)]
    assert _coverage(result, "BK243").ran
    assert [f for f in result.findings if f.severity in LOUD] == []


@pytest.mark.parametrize(("line", "other"), [("上海市普陀区城市管理局", "上海市普陀区城市管理局信息中心"),
                                             ("上海市普陀区总工会", "普陀区总工会（本级）"),
                                             ("上海市普陀区民政局", "上海市静安区民政局"),
                                             ("区文化活动中心", "某街道社区文化活动中心"),
                                             ("文化活动中心", "某街道社区文化活动中心"),
                                             ("市场监督管理所", "区市场监督管理局甲镇市场监督管理所")])
def test_department_lines_of_a_unit_a_level_or_another_district_stay_apart(line, other):
    # A guard on same_department, new with the test above: what must never be one department.
    from budgetkit.grouping import same_department
    assert not same_department(line, other)


def test_files_naming_other_accounts_in_brackets_are_not_versions_of_each_other(tmp_path):
    """…决算（汇总）.xlsx and …决算（本级）.xlsx, no 部门 lines: the brackets were stripped as a note, so the one
    saved first was set aside as an old version of the other (audit19)."""
    folder = tmp_path / "区民政局"
    _disclosure(folder, "区民政局2024年度部门决算（汇总）.xlsx", final_accounts(), "决算", None)
    _disclosure(folder, "区民政局2024年度部门决算（本级）.xlsx", previous_final_accounts(), "决算", None)
    result = pipeline.run(tmp_path, jobs=1)
    assert {f.status for f in result.files} == {FileStatus.OK}
    assert sorted(g.department for g in result.groups) == ["区民政局", "区民政局本级"]


def test_a_units_file_named_in_brackets_is_not_its_departments_version(tmp_path):
    """A unit's …决算（信息中心）.xlsx (no 部门 line) beside the department's own: the department's was set aside
    as the older version and the unit's figures checked as the department's (audit19)."""
    folder = tmp_path / "区民政局"
    _disclosure(folder, "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "上海市普陀区民政局")
    _disclosure(folder, "区民政局2024年度部门决算（信息中心）.xlsx", previous_final_accounts(), "决算", None)
    result = pipeline.run(tmp_path, jobs=1)
    assert {f.status for f in result.files} == {FileStatus.OK}
    assert sorted(g.department for g in result.groups) == ["上海市普陀区民政局", "区民政局信息中心"]


def test_the_json_names_each_findings_department_as_the_problem_list_does(tmp_path):
    """The JSON findings had no 部门: a batch's JSON could not be read department by department (audit19)."""
    from budgetkit.report.json_report import to_json

    _disclosure(tmp_path / "区民政局", "区民政局2024年度部门决算.xlsx", final_accounts(), "决算", "上海市普陀区民政局",
                plant="totals_unbalanced")
    _disclosure(tmp_path / "区司法局", "区司法局2024年度部门决算.xlsx", final_accounts(), "决算", "上海市普陀区司法局")
    result = pipeline.run(tmp_path, jobs=1)
    departments = {(f["file"], f["department"]) for f in to_json(result)["findings"] if f["severity"] == "error"}
    assert departments == {("区民政局/区民政局2024年度部门决算.xlsx", "上海市普陀区民政局 2024")}


def test_a_note_on_what_was_done_with_a_file_is_no_other_accounts(tmp_path):
    """（报财政局） ends in 局 like a unit's name, but says where the file went: it and its （修改后） are two
    versions of one department's 决算, the older set aside (review of audit19's fix)."""
    folder = tmp_path / "区民政局"
    _disclosure(folder, "区民政局2024年度部门决算（报财政局）.xlsx", previous_final_accounts(), "决算", None)
    _disclosure(folder, "区民政局2024年度部门决算（修改后）.xlsx", final_accounts(), "决算", None)
    result = pipeline.run(tmp_path, jobs=1)
    assert {f.source.relative: f.status for f in result.files} == {
        "区民政局/区民政局2024年度部门决算（报财政局）.xlsx": FileStatus.SKIPPED,
        "区民政局/区民政局2024年度部门决算（修改后）.xlsx": FileStatus.OK}
