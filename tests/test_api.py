"""budgetkit from Python: check() is `budgetkit run` as DataFrames, read_tables() every printed figure."""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REAL, REPO
from typer.testing import CliRunner

import budgetkit
from budgetkit.cli import app

REAL_WORKBOOKS = ("putuo_social_work_2024_final.xlsx", "putuo_commerce_2025_budget.xlsx",
                  "putuo_office_unit_budget_2025.xlsx")


@pytest.fixture
def samples(tmp_path) -> Path:
    folder = tmp_path / "workbooks"
    shutil.copytree(REPO / "workbooks", folder)
    return folder


def run_cli(*args: str) -> None:
    result = CliRunner().invoke(app, ["run", *args])
    assert result.exit_code in (0, 1), result.output


def _amount(value: int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- check(): the findings of `budgetkit run --json` --------------------------------------

def test_check_gives_the_findings_of_run_json_row_for_row_accepted_ones_last(samples, tmp_path):
    (samples / "budgetkit.toml").write_text('[[accept]]\nrule = "BK303"\nreason = "测算表只作对照"\n', encoding="utf-8")
    run_cli(str(samples), "--out", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "s.json"))
    expected = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["findings"]

    findings = budgetkit.check(samples, jobs=1).findings
    assert len(findings) == len(expected) == 7
    for row, finding in zip(findings.to_dict("records"), expected):
        for field in ("rule", "severity", "file", "sheet", "cell", "item", "unit", "message", "related"):
            assert row[field] == finding[field], field
        for field in ("stated", "expected", "difference"):
            assert row[field] == _amount(finding[field]), field
            assert row[field] is None or isinstance(row[field], Decimal)
        assert ({"reason": row["accepted"]} if row["accepted"] else None) == finding["accepted"]
    assert findings.iloc[-1][["rule", "accepted"]].tolist() == ["BK303", "测算表只作对照"]
    assert set(findings.department) == {"乐山市市中区科学技术协会 2022"}  # the report text's too


def test_result_write_writes_the_summary_and_json_that_run_writes(samples, tmp_path):
    run_cli(str(samples), "--out", str(tmp_path / "run.xlsx"), "--json", str(tmp_path / "run.json"))
    written = budgetkit.check(samples, jobs=1).write(tmp_path / "api.xlsx", json=tmp_path / "api.json")

    assert written == [tmp_path / "api.xlsx", tmp_path / "api.json"]
    assert (tmp_path / "api.json").read_bytes() == (tmp_path / "run.json").read_bytes()
    by_run, by_api = openpyxl.load_workbook(tmp_path / "run.xlsx"), openpyxl.load_workbook(tmp_path / "api.xlsx")
    assert by_api.sheetnames == by_run.sheetnames
    for name in by_run.sheetnames:
        assert [[c.value for c in row] for row in by_api[name].iter_rows()] == \
               [[c.value for c in row] for row in by_run[name].iter_rows()], name


def test_check_of_a_missing_folder_says_so(tmp_path):
    with pytest.raises(NotADirectoryError, match="找不到文件夹"):
        budgetkit.check(tmp_path / "nowhere")


# --- read_tables(): every printed figure, with its cell, exactly -------------------------

@pytest.mark.parametrize("name", REAL_WORKBOOKS)
def test_read_tables_gives_every_printed_figure_of_a_real_disclosure_at_its_cell(name):
    # The fixture prints every amount as a number cell and nothing else as one (codes are text).
    book = openpyxl.load_workbook(REAL / name)
    printed = {(sheet.title, cell.coordinate, Decimal(str(cell.value)))
               for sheet in book for row in sheet.iter_rows() for cell in row
               if isinstance(cell.value, (int, float))}

    tables = budgetkit.read_tables(REAL / name)
    assert set(zip(tables.sheet, tables.cell, tables.value)) == printed
    assert len(tables) == len(printed)


def test_values_are_decimals_in_the_tables_own_unit_and_value_yuan_exact_decimal_yuan():
    tables = budgetkit.read_tables(REAL / "putuo_commerce_2025_budget.xlsx")
    assert tables.value.map(type).eq(Decimal).all() and tables.value_yuan.map(type).eq(Decimal).all()
    three_public = tables[tables.table == "“三公”经费预算表"]
    assert three_public[["unit", "value", "value_yuan", "cell"]].values.tolist()[-1] == \
        ["万元", Decimal("171.01"), Decimal("1710100"), "G6"]


def test_a_figure_carries_the_ledger_key_the_cross_table_rules_compare():
    tables = budgetkit.read_tables(REAL / "putuo_social_work_2024_final.xlsx")
    keyed = tables.set_index(["sheet", "cell"])[["scope", "line", "level", "measure", "value"]]
    assert keyed.loc[("收入支出决算总表", "B5")].tolist() == ["一般公共预算财政拨款", "本年收入", None, "合计",
                                                       Decimal("307.82")]
    assert keyed.loc[("支出决算表", "D6")].tolist() == ["全部资金", "201", "类", "基本支出", Decimal("62.63")]
    assert keyed.loc[("一般公共预算财政拨款基本支出决算表", "F42")].tolist() == \
        ["一般公共预算财政拨款", "本年支出", None, "公用经费", Decimal("10.23")]
    assert keyed.loc[("财政拨款收入支出决算总表", "E5")].tolist() == ["一般公共预算财政拨款", "201", "类", "合计",
                                                         Decimal("264.87")]


@pytest.mark.parametrize("name", REAL_WORKBOOKS)
def test_the_classes_of_the_frame_add_up_to_each_tables_total_row_exactly(name):
    tables = budgetkit.read_tables(REAL / name)
    checked = 0
    for (sheet, column), figures in tables.groupby(["sheet", "column"]):
        totals = figures[figures.code.isna() & figures.name.isin(["合计", "本年支出合计", "支出总计"])]
        classes = figures[figures.level == "类"]
        if len(totals) == 1 and len(classes):
            assert sum(classes.value, Decimal(0)) == totals.value.iloc[0], (sheet, column)
            checked += 1
    assert checked >= 5


def test_the_economic_classes_add_up_to_personnel_and_public_costs_exactly():
    tables = budgetkit.read_tables(REAL / "putuo_social_work_2024_final.xlsx")
    basic = tables[tables.table == "一般公共预算财政拨款基本支出决算表"]
    classes = dict(zip(basic[basic.level == "类"].line, basic[basic.level == "类"].value))
    footers = basic[basic.line == "本年支出"]
    assert dict(zip(footers.measure, footers.value)) == {"人员经费": classes["301"] + classes["303"],
                                                         "公用经费": classes["302"] + classes["310"]}


def test_a_folder_with_a_workbook_and_its_xls_copy_is_read_once():
    tables = budgetkit.read_tables(REAL)
    social_work = tables[tables.department == "中共上海市普陀区委社会工作部 2024"]
    assert social_work.file.nunique() == 1
    assert len(social_work) == len(budgetkit.read_tables(REAL / "putuo_social_work_2024_final.xlsx"))


def test_an_unreadable_file_is_a_warning_and_no_rows(tmp_path):
    (tmp_path / "坏文件.xlsx").write_bytes(b"not a workbook")
    with pytest.warns(UserWarning, match="无法读取 坏文件.xlsx"):
        tables = budgetkit.read_tables(tmp_path)
    assert tables.empty and list(tables.columns) == list(budgetkit.api.TABLE_COLUMNS)


# --- pandas stays out of the command line --------------------------------------------------

def test_importing_budgetkit_loads_no_pandas_until_a_frame_is_asked_for():
    probe = ("import sys, budgetkit; budgetkit.check; budgetkit.read_tables; "
             "print('pandas' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert shown.stdout.strip() == "False"


# --- README: 在 Python 中使用 runs as written -----------------------------------------------

def test_the_readme_python_example_runs_as_written(samples, monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 在 Python 中使用", 1)[1].split("\n## ", 1)[0]
    examples = "\n".join(re.findall(r"```python\n(.*?)```", section, flags=re.S))
    monkeypatch.chdir(samples.parent)
    test = doctest.DocTestParser().get_doctest(examples, {}, "README 在 Python 中使用", "README.md", 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert test.examples and (samples.parent / "out" / "summary.xlsx").is_file()


def test_a_report_text_finding_belongs_to_the_department_whose_tables_it_was_held_against(tmp_path):
    for name in ("甲", "乙"):
        shutil.copytree(REPO / "workbooks", tmp_path / name)
    findings = budgetkit.check(tmp_path).findings
    text = findings[findings.sheet == "报告文字"]
    # The same department in two folders: each folder's is named with it, and each text is its own folder's.
    assert {(f.split("/")[0], d) for f, d in zip(text.file, text.department)} == {
        ("甲", "甲/乐山市市中区科学技术协会 2022"), ("乙", "乙/乐山市市中区科学技术协会 2022")}
