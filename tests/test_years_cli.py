"""The command line across years, stages and versions: --compare-versions writes the
版本差异 sheet, --detail takes the 预算执行情况 table down to 款, and one department
with two years in its folder still gets its report sheets."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from budgetkit.cli import app
from layout_corpus import render_disclosure
from layout_corpus.accounts import budget_for_final_year
from test_years_continuity import TRAITS
from test_years_report import last_year_that_differs

runner = CliRunner()
STEM = "某区农业农村委员会2024年度部门决算"


def _run(*args: str):
    return runner.invoke(app, ["run", *args, "--quiet"])


def test_compare_versions_writes_the_version_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name, plant in ((f"{STEM}.xlsx", "summary_class_differs_from_expenditure"), (f"{STEM}（修改后）.xlsx", None)):
        (written,) = render_disclosure(TRAITS, "决算", plant=plant).write(tmp_path / name)
        folder.mkdir(exist_ok=True)
        shutil.move(written, folder / name)
    result = _run(str(folder), "--out", str(tmp_path / "s.xlsx"), "--compare-versions")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["版本差异"]
    assert [c.value for c in sheet[2]][1:6] == [f"{STEM}.xlsx", f"{STEM}（修改后）.xlsx", "收入支出决算总表",
                                                "213 农林水支出", "决算数"]
    plain = _run(str(folder), "--out", str(tmp_path / "plain.xlsx"))
    assert plain.exit_code == 0
    assert "版本差异" not in openpyxl.load_workbook(tmp_path / "plain.xlsx").sheetnames


def test_detail_takes_the_execution_table_down_to_kuan(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    render_disclosure(TRAITS, "决算").write(folder)
    render_disclosure(TRAITS, "预算", accounts=budget_for_final_year()).write(folder)
    assert _run(str(folder), "--out", str(tmp_path / "s.xlsx"), "--detail", "款").exit_code == 0
    labels = [c.value for c in openpyxl.load_workbook(tmp_path / "s.xlsx")["报告用表"]["A"]]
    assert "21301 农业农村" in labels
    assert _run(str(folder), "--out", str(tmp_path / "t.xlsx"), "--detail", "目").exit_code == 2


def test_one_department_with_two_years_gets_its_report_sheets(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    render_disclosure(TRAITS, "决算").write(folder)
    render_disclosure(TRAITS, "决算", accounts=last_year_that_differs()).write(folder)
    assert _run(str(folder), "--out", str(tmp_path / "s.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert {"报告用表", "报告文字"} <= set(book.sheetnames)
    captions = [c.value for c in book["报告用表"]["A"] if isinstance(c.value, str)]
    assert "表7 与上年对比情况" in captions
