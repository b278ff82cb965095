"""A year's 预算 against its 决算: the 执行率 of every fund and 功能科目 (BK243).

The layout corpus renders the 2024 决算 and a 2024 预算 that plans exactly what was
spent; each test changes the plan of one 项 and expects the warning on that 项 only."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl

from budgetkit.pipeline import run
from conftest import REPO
from workbook_builder import write_workbook
from layout_corpus import render_disclosure
from layout_corpus.accounts import Accounts, budget_for_final_year, fen
from test_years_continuity import TRAITS


def _final_and_budget(folder: Path, budget: Accounts):
    final = render_disclosure(TRAITS, "决算")
    final.write(folder)
    render_disclosure(TRAITS, "预算", accounts=budget).write(folder)
    return final


def _replanned(code: str, **changes: int) -> Accounts:
    budget = budget_for_final_year()
    items = tuple(replace(item, **changes) if item.code == code else item for item in budget.items)
    return replace(budget, items=items)


def _execution(result) -> list:
    return [f for f in result.findings if f.rule == "BK243"]


def test_a_budget_spent_as_planned_gives_no_finding_and_says_what_it_compared(tmp_path: Path) -> None:
    _final_and_budget(tmp_path, budget_for_final_year())
    result = run(tmp_path)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    coverage = next(c for c in result.coverage if c.rule.code == "BK243")
    assert coverage.ran
    assert coverage.notes == ("比对 55 个科目或资金的决算数与预算数（执行率区间 90%–100%）",)


def test_a_rate_within_the_band_is_quiet(tmp_path: Path) -> None:
    # 2130108 病虫害控制: 219.74 万元 spent of 230.00 planned (95.54%).
    _final_and_budget(tmp_path, _replanned("2130108", gp_project=fen("2,300,000.00")))
    assert _execution(run(tmp_path)) == []


def test_a_rate_below_the_band_is_a_warning_on_the_deepest_line_only(tmp_path: Path) -> None:
    final = _final_and_budget(tmp_path, _replanned("2130108", gp_project=fen("3,000,000.00")))
    found = _execution(run(tmp_path))
    # The 项 in all funds (支出决算表) and in the 一般公共预算 (its own table); not 21301 or 213 above it.
    assert [(f.ref.sheet, f.item, f.stated, f.expected) for f in found] == [
        ("支出决算表", "2130108 病虫害控制", Decimal("219.74"), Decimal("300.00")),
    ]
    file, sheet, cell = final.addresses[("expenditure", ("2130108", "total"))]
    assert (found[0].ref.file, found[0].ref.cell, found[0].severity.value) == (file, cell, "warning")
    assert found[0].message == ("2130108 病虫害控制：决算数 219.74万元，年初预算数 300.00万元（2024年部门支出预算总表），"
                                "执行率 73.25%，超出 90%–100% 的区间，请在说明中写明原因。")


def test_a_line_spent_without_a_budget_names_the_zero_base(tmp_path: Path) -> None:
    budget = budget_for_final_year()
    _final_and_budget(tmp_path, replace(budget, items=tuple(i for i in budget.items if i.code != "2130109")))
    found = _execution(run(tmp_path))
    assert [(f.item, f.stated, f.expected) for f in found] == [
        ("2130109 农产品质量安全", Decimal("146.89"), Decimal("0.00")),
    ]
    assert "无年初预算（预算数为 0），无法计算执行率" in found[0].message


def test_the_band_is_set_in_budgetkit_toml(tmp_path: Path) -> None:
    _final_and_budget(tmp_path, _replanned("2130108", gp_project=fen("3,000,000.00")))
    (tmp_path / "budgetkit.toml").write_text("[execution]\nlow = 70\nhigh = 110\n", encoding="utf-8")
    result = run(tmp_path)
    assert _execution(result) == []
    coverage = next(c for c in result.coverage if c.rule.code == "BK243")
    assert "执行率区间 70%–110%" in coverage.notes[0]


def test_without_a_budget_of_the_same_year_the_rule_says_why_it_did_not_run(tmp_path: Path) -> None:
    render_disclosure(TRAITS, "决算").write(tmp_path)
    render_disclosure(TRAITS, "预算").write(tmp_path)  # the 2025 budget: another year
    coverage = next(c for c in run(tmp_path).coverage if c.rule.code == "BK243")
    assert (coverage.ran, coverage.reason) == (False, "缺少同一部门同一年度的部门预算和部门决算（或列出预算数的决算表）")


def test_a_self_assessment_form_printing_a_project_budget_is_no_budget_to_execute_against(tmp_path: Path) -> None:
    """The samples: a 决算 and a 项目支出绩效自评表 whose 全年预算数 is one project's, not the department's."""
    for name in ("区科协2022年部门决算.xlsx", "区科协2022年绩效自评表.xlsx"):
        shutil.copy(REPO / "workbooks" / name, tmp_path / name)
    coverage = next(c for c in run(tmp_path).coverage if c.rule.code == "BK243")
    assert (coverage.ran, coverage.reason) == (False, "缺少同一部门同一年度的部门预算和部门决算（或列出预算数的决算表）")


# -- Older 决算 that print the year's budget beside the 决算数 -------------------------------

def _older_final(folder: Path, adjusted: bool = True) -> Path:
    """A ≤2018 一般公共预算财政拨款支出决算表: 年初预算数 | 调整预算数 | 决算数 (合计 | 基本 | 项目)."""
    header = ["科目编码", "科目名称", "年初预算数"] + (["调整预算数"] if adjusted else []) + ["决算数", None, None]
    lines = [("206", "科学技术支出", 100, 110, 105, 80, 25), ("20601", "科学技术管理事务", 100, 110, 105, 80, 25),
             ("2060101", "行政运行", 60, 70, 80, 80, None), ("2060199", "其他科学技术管理事务支出", 40, 40, 25, None, 25),
             (None, "合计", 100, 110, 105, 80, 25)]
    width = len(header)
    rows = [["一般公共预算财政拨款支出决算表"] + [None] * (width - 1),
            ["部门：测试局"] + [None] * (width - 2) + ["单位：万元"], header,
            [None] * (width - 3) + ["合计", "基本支出", "项目支出"]]
    rows += [[code, name, planned] + ([revised] if adjusted else []) + [spent, basic, project]
             for code, name, planned, revised, spent, basic, project in lines]
    spans = ["A3:A4", "B3:B4", "C3:C4"] + (["D3:D4", "E3:G3"] if adjusted else ["D3:F3"])
    return write_workbook(folder / "测试局2016年部门决算.xlsx", {"表5": (rows, spans)})


def test_an_older_final_table_reads_its_budget_columns_as_budgets_not_carry_overs(tmp_path: Path) -> None:
    _older_final(tmp_path)
    (table,) = run(tmp_path).tables
    assert table.columns == {"planned": "年初预算数", "adjusted": "调整预算数", "total": "决算数/合计",
                             "basic": "决算数/基本支出", "project": "决算数/项目支出"}
    assert {m: str(c.value) for m, c in table.coded()["2060101"].values.items()} == {
        "planned": "60", "adjusted": "70", "total": "80", "basic": "80", "project": "None"}


def test_an_older_final_table_is_executed_against_its_own_revised_budget(tmp_path: Path) -> None:
    _older_final(tmp_path)
    found = [(f.ref.cell, f.item, f.stated, f.expected) for f in _execution(run(tmp_path))]
    assert found == [("E7", "2060101 行政运行（一般公共预算财政拨款）", Decimal("80"), Decimal("70.00")),
                     ("E8", "2060199 其他科学技术管理事务支出（一般公共预算财政拨款）", Decimal("25"), Decimal("40.00"))]
    assert "调整预算数 70.00万元（一般公共预算财政拨款支出决算表），执行率 114.29%" in _execution(run(tmp_path))[0].message


def test_without_a_revised_budget_the_printed_initial_budget_is_the_denominator(tmp_path: Path) -> None:
    _older_final(tmp_path, adjusted=False)
    found = [(f.item, f.expected) for f in _execution(run(tmp_path))]
    # 行政运行 80 of 60 (133.33%), 其他 25 of 40 (62.50%).
    assert found == [("2060101 行政运行（一般公共预算财政拨款）", Decimal("60.00")),
                     ("2060199 其他科学技术管理事务支出（一般公共预算财政拨款）", Decimal("40.00"))]
    assert "年初预算数 60.00万元" in _execution(run(tmp_path))[0].message


def test_an_older_final_total_row_stating_only_its_totals_leaves_its_breakdown_unknown(tmp_path: Path) -> None:
    """The 合计 row fills 年初预算数, 调整预算数 and 决算数/合计 but not 基本/项目: the budgets
    beside it are no part of its breakdown, so the blanks stay unknown, not zeros."""
    path = _older_final(tmp_path)
    book = openpyxl.load_workbook(path)
    for cell in ("F9", "G9"):  # the 合计 row's 基本支出 and 项目支出
        book["表5"][cell] = None
    book.save(path)
    (table,) = run(tmp_path).tables
    total = table.total_row()
    assert [total.values[m].unstated for m in ("planned", "adjusted", "total", "basic", "project")] == \
        [False, False, False, True, True]
    assert [f for f in run(tmp_path).findings if f.rule in ("BK101", "BK102")] == []


def test_a_line_spent_without_a_revised_budget_names_the_revised_budget(tmp_path: Path) -> None:
    path = _older_final(tmp_path)
    book = openpyxl.load_workbook(path)
    book["表5"]["D8"] = 0  # 2060199's 调整预算数
    book.save(path)
    found = {f.ref.cell: f.message for f in _execution(run(tmp_path))}
    assert "无调整预算（预算数为 0），无法计算执行率" in found["E8"]
