"""Two versions of one department's disclosure: the newer is checked, the older set aside.

The old version carries a planted error (总表 农林水支出 ≠ 支出决算表 213), the corrected
one is clean; checking both against each other would report crossed findings."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl

from budgetkit.model import FileStatus
from budgetkit.pipeline import run
from budgetkit.versions import set_aside_old_versions
from layout_corpus import render_disclosure
from layout_corpus.accounts import previous_final_accounts
from test_years_continuity import TRAITS

STEM = "某区农业农村委员会2024年度部门决算"
PLANT = "summary_class_differs_from_expenditure"


def _write_as(rendering, folder: Path, name: str, keep_sheets: tuple[str, ...] = ()) -> Path:
    scratch = folder.parent / f"scratch-{name}"
    (written,) = rendering.write(scratch)
    if keep_sheets:
        book = openpyxl.load_workbook(written)
        for sheet in [s for s in book.sheetnames if s not in keep_sheets]:
            del book[sheet]
        book.save(written)
    folder.mkdir(exist_ok=True)
    return Path(shutil.move(written, folder / name))


def _status(result, name: str):
    loaded = next(f for f in result.files if f.source.relative == name)
    return loaded.status, loaded.reason, len(loaded.tables)


def test_a_file_marked_as_corrected_replaces_the_one_it_corrects(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}（修改后）.xlsx")
    result = run(folder)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    assert _status(result, f"{STEM}.xlsx") == (
        FileStatus.SKIPPED, f"旧版本，未核对（以 {STEM}（修改后）.xlsx 为准，文件名标注“修改后”）", 0)
    assert _status(result, f"{STEM}（修改后）.xlsx") == (FileStatus.OK, "", 9)


def test_without_a_marker_the_later_modified_file_is_checked(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    newer = _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}-A.xlsx")
    older = _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}-B.xlsx")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_086_400, 1_700_086_400))
    result = run(folder)
    # The planted error is in the newer file, so it is found there; nothing crosses files.
    questioned = {(f.rule, f.ref.file) for f in result.findings if f.severity.value != "info"}
    assert ("BK202", f"{STEM}-A.xlsx") in questioned
    assert {file for _, file in questioned} == {f"{STEM}-A.xlsx"}
    assert _status(result, f"{STEM}-B.xlsx")[:2] == (
        FileStatus.SKIPPED, f"旧版本，未核对（以 {STEM}-A.xlsx 为准，文件修改时间较晚）")


def test_a_correction_of_one_table_replaces_only_that_table(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}.xlsx")
    # The corrected table restated in 元: the same figures, so it differs from the old one but
    # agrees with the other tables.
    _write_as(render_disclosure(TRAITS.with_(unit="元"), "决算"), folder, "支出决算表（修改后）.xlsx",
              keep_sheets=("支出决算表",))
    result = run(folder)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    assert _status(result, f"{STEM}.xlsx") == (
        FileStatus.OK, "旧版本，未核对：支出决算表（以 支出决算表（修改后）.xlsx 为准，文件名标注“修改后”）", 8)
    checked = {t.kind.title: t.file for t in result.tables}
    assert checked["支出决算表"] == "支出决算表（修改后）.xlsx"
    assert checked["收入支出决算总表"] == f"{STEM}.xlsx"


def test_a_draft_marked_as_submitted_is_older_than_an_unmarked_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}（送审稿）.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}.xlsx")
    result = run(folder)
    assert _status(result, f"{STEM}（送审稿）.xlsx")[:2] == (
        FileStatus.SKIPPED, f"旧版本，未核对（以 {STEM}.xlsx 为准，本文件标注“送审”，为较早的稿）")


def test_version_numbers_and_dates_in_names_order_versions(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    # Each version differs from the others (identical files are copies, set aside as such).
    for name, plant in ((f"{STEM}v2.xlsx", PLANT), (f"{STEM}v3.xlsx", None), (f"{STEM}20250301.xlsx", "totals_unbalanced")):
        _write_as(render_disclosure(TRAITS, "决算", plant=plant), folder, name)
    result = run(folder)
    assert {f.source.relative: f.status for f in result.files} == {
        f"{STEM}v2.xlsx": FileStatus.SKIPPED, f"{STEM}v3.xlsx": FileStatus.OK, f"{STEM}20250301.xlsx": FileStatus.SKIPPED}


def test_the_changes_between_versions_are_listed_by_line_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    old = render_disclosure(TRAITS, "决算", plant=PLANT)
    _write_as(old, folder, f"{STEM}.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}（修改后）.xlsx")
    assert run(folder).version_changes is None  # only when asked for
    changes = run(folder, compare_versions=True).version_changes
    assert [(c.old_file, c.new_file, c.table, c.line, c.measure, c.unit) for c in changes] == [
        (f"{STEM}.xlsx", f"{STEM}（修改后）.xlsx", "收入支出决算总表", "213 农林水支出", "决算数", "万元")]
    (change,) = changes
    # The planted error added 5.00 万元 to the old 总表's 213 line.
    assert (change.old, change.new, change.change) == (Decimal("3155.67"), Decimal("3150.67"), Decimal("-5.00"))


def test_a_table_repeated_unchanged_in_another_file_is_a_copy_not_a_version(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder, "支出决算表（修改后）.xlsx", keep_sheets=("支出决算表",))
    result = run(folder)
    assert _status(result, f"{STEM}.xlsx") == (
        FileStatus.OK, "支出决算表与 支出决算表（修改后）.xlsx 中的表内容相同（副本），未重复核对", 8)
    assert run(folder, compare_versions=True).version_changes == []


def test_two_departments_files_are_never_versions_of_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}.xlsx")
    other = _write_as(render_disclosure(TRAITS, "决算"), folder, "某区水务局2024年度部门决算.xlsx")
    book = openpyxl.load_workbook(other)
    for cell in (c for sheet in book.worksheets for row in sheet.iter_rows() for c in row):
        if isinstance(cell.value, str) and "某区农业农村委员会" in cell.value:
            cell.value = cell.value.replace("某区农业农村委员会", "某区水务局")
    book.save(other)
    result = run(folder)
    assert {f.status for f in result.files} == {FileStatus.OK}
    assert set_aside_old_versions(result.files) == []


def test_the_version_sheet_lists_each_change_and_says_when_there_is_none(tmp_path: Path) -> None:
    from budgetkit.report.workbook import write_summary

    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}（修改后）.xlsx")
    write_summary(run(folder, compare_versions=True), tmp_path / "summary.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "summary.xlsx")["版本差异"]
    assert [c.value for c in sheet[1]] == ["序号", "旧版本文件", "新版本文件", "表", "科目编码/项目", "栏目", "旧版本",
                                           "新版本", "变动", "单位"]
    assert [c.value for c in sheet[2]] == [1, f"{STEM}.xlsx", f"{STEM}（修改后）.xlsx", "收入支出决算总表",
                                           "213 农林水支出", "决算数", 3155.67, 3150.67, -5, "万元"]
    assert sheet.max_row == 2

    alone = tmp_path / "alone"
    _write_as(render_disclosure(TRAITS, "决算"), alone, f"{STEM}.xlsx")
    write_summary(run(alone, compare_versions=True), tmp_path / "alone.xlsx")
    assert openpyxl.load_workbook(tmp_path / "alone.xlsx")["版本差异"]["A2"].value == \
        "未发现同一部门、同一年度、同一表格的两个版本。"
    write_summary(run(alone), tmp_path / "unasked.xlsx")
    assert "版本差异" not in openpyxl.load_workbook(tmp_path / "unasked.xlsx").sheetnames


def test_a_batch_lists_the_changes_between_versions_from_its_workers(tmp_path: Path) -> None:
    """Versions lie in one department's folder, so a batch checked folder by folder in the
    workers lists each folder's changes; the 全区汇总 holds them in its 版本差异 sheet."""
    from typer.testing import CliRunner

    from budgetkit.cli import app

    folder = tmp_path / "区财政局"
    _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder / "农业农村委", f"{STEM}.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder / "农业农村委", f"{STEM}（修改后）.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder / "另一部门", f"{STEM}.xlsx")
    out = tmp_path / "out" / "全区汇总.xlsx"
    assert CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--compare-versions"]).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["概览", "问题清单", "版本差异"]
    assert [[c.value for c in row] for row in book["版本差异"].iter_rows(min_row=2)] == [
        [1, f"农业农村委/{STEM}.xlsx", f"农业农村委/{STEM}（修改后）.xlsx", "收入支出决算总表", "213 农林水支出", "决算数",
         3155.67, 3150.67, -5, "万元"]]
    unasked = tmp_path / "out2" / "全区汇总.xlsx"
    assert CliRunner().invoke(app, ["run", str(folder), "--out", str(unasked)]).exit_code == 0
    assert openpyxl.load_workbook(unasked).sheetnames == ["概览", "问题清单"]


def _without_year(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    for cell in (c for sheet in book.worksheets for row in sheet.iter_rows() for c in row):
        if isinstance(cell.value, str):
            cell.value = re.sub(r"20\d\d年度?", "", cell.value)
    book.save(path)


def test_a_revision_naming_no_year_is_the_version_of_the_year_whose_figures_it_repeats(tmp_path: Path) -> None:
    """Beside the 2023 and the 2024 决算, a corrected workbook naming no year (not in its name,
    not in its titles) revises the 2024 one: it repeats most of 2024's figures and few of 2023's.
    Left yearless, it was checked on its own and the 2024 original's planted error reported."""
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算", accounts=previous_final_accounts()), folder, "某区农业农村委员会2023年度部门决算.xlsx")
    _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}.xlsx")
    revision = _write_as(render_disclosure(TRAITS, "决算"), folder, "某区农业农村委员会部门决算（修改后）.xlsx")
    _without_year(revision)
    result = run(folder)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    assert _status(result, f"{STEM}.xlsx") == (
        FileStatus.SKIPPED, "旧版本，未核对（以 某区农业农村委员会部门决算（修改后）.xlsx 为准，文件名标注“修改后”）", 0)
    assert _status(result, "某区农业农村委员会部门决算（修改后）.xlsx") == (
        FileStatus.OK, "文件名与表题未写年度，其数字多与 2024 年度的表格相同，按 2024 年度核对", 9)
    # Its 年初 are held to 2023's 年末, as the original's would have been.
    assert next(c for c in result.coverage if c.rule.code == "BK241").ran


def test_a_yearless_workbook_like_neither_year_stays_apart(tmp_path: Path) -> None:
    """A workbook naming no year whose figures are neither year's (the department's 预算, its
    year cut from its titles) is given no year: nothing of either 决算 is set aside for it. (A guard: this held before
    the likeness test, which must not change it.)"""
    folder = tmp_path / "in"
    _write_as(render_disclosure(TRAITS, "决算", accounts=previous_final_accounts()), folder, "某区农业农村委员会2023年度部门决算.xlsx")
    _write_as(render_disclosure(TRAITS, "决算"), folder, f"{STEM}.xlsx")
    _without_year(_write_as(render_disclosure(TRAITS, "预算"), folder, "某区农业农村委员会部门预算（修改后）.xlsx"))
    result = run(folder)
    assert {f.source.relative: (f.status, f.reason, len(f.tables)) for f in result.files} == {
        "某区农业农村委员会2023年度部门决算.xlsx": (FileStatus.OK, "", 9), f"{STEM}.xlsx": (FileStatus.OK, "", 9),
        "某区农业农村委员会部门预算（修改后）.xlsx": (FileStatus.OK, "", 9)}
    assert {t.year for t in result.tables if t.file == "某区农业农村委员会部门预算（修改后）.xlsx"} == {None}


def test_a_workbook_named_last_years_is_of_the_year_before_not_a_newer_version(tmp_path: Path) -> None:
    """'…上年部门决算.xlsx' with no year in its titles, saved after this year's 决算: it is last year's
    决算, held to this year's 年初 (BK241), not a newer version of this year's that sets it aside and
    is held to this year's 预算 (audit16: false BK221 warnings, this year's own errors unseen)."""
    folder = tmp_path / "in"
    this_year = _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}.xlsx")
    _write_as(render_disclosure(TRAITS, "预算"), folder, "某区农业农村委员会2024年部门预算.xlsx")
    last_year = _write_as(render_disclosure(TRAITS, "决算", accounts=previous_final_accounts()), folder,
                          "某区农业农村委员会上年部门决算.xlsx")
    _without_year(last_year)
    modified = os.stat(this_year).st_mtime
    os.utime(last_year, (modified + 60, modified + 60))
    result = run(folder)
    assert _status(result, f"{STEM}.xlsx") == (FileStatus.OK, "", 9)
    assert _status(result, "某区农业农村委员会上年部门决算.xlsx") == (
        FileStatus.OK, "文件名写“上年”，表题未写年度，按 2023 年度核对", 9)
    assert {t.year for t in result.tables if t.file == "某区农业农村委员会上年部门决算.xlsx"} == {2023}
    assert next(c for c in result.coverage if c.rule.code == "BK241").ran
    assert {f.ref.file for f in result.findings if f.severity.value != "info"} == {f"{STEM}.xlsx"}


def test_last_year_is_read_from_a_name_only_where_the_name_gives_the_year(tmp_path: Path) -> None:
    """"上年结转结余测算" names a line, not a year."""
    from budgetkit.versions import _LAST_YEAR_NAMED
    assert _LAST_YEAR_NAMED.search("上年结转结余测算") is None
    assert _LAST_YEAR_NAMED.search("上年度结转结余情况") is None and _LAST_YEAR_NAMED.search("本年与上年度同期对比") is None
    assert _LAST_YEAR_NAMED.search("某区农业农村委员会上年部门决算").group() == "上年"
    assert _LAST_YEAR_NAMED.search("区民政局上一年度决算").group() == "上一年度"


def test_of_two_identical_files_the_one_named_a_copy_is_set_aside(tmp_path: Path) -> None:
    """'… - 副本.xlsx' sorts before the original: the original was the one called a copy, and every
    finding and link pointed at the 副本 (audit19)."""
    folder = tmp_path / "in"
    original = _write_as(render_disclosure(TRAITS, "决算", plant=PLANT), folder, f"{STEM}.xlsx")
    shutil.copy(original, folder / f"{STEM} - 副本.xlsx")
    shutil.copy(original, folder / f"{STEM}(1).xlsx")
    result = run(folder)
    assert _status(result, f"{STEM}.xlsx")[0] == FileStatus.OK
    assert [_status(result, name)[0] for name in (f"{STEM} - 副本.xlsx", f"{STEM}(1).xlsx")] == [FileStatus.SKIPPED] * 2
    assert {f.ref.file for f in result.findings} == {f"{STEM}.xlsx"}
