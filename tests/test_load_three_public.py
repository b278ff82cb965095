"""The "三公" 经费 table under each province's title wording: a fund prefix before
“三公”, any quote marks, a budget title that names no stage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import TableKind

# 预算数, 决算数 per item (万元); a blank is printed as an empty cell.
FINAL = {"total": (15.0, 12.96), "abroad": (None, None), "car_total": (12.0, 10.83),
         "car_purchase": (None, None), "car_operation": (12.0, 10.83), "reception": (3.0, 2.13)}
BUDGET = {"total": 15.3, "abroad": None, "car_total": 12.5, "car_purchase": None, "car_operation": 12.5,
          "reception": 2.8, "operating_costs": 175.65}


def final_across(figures: dict[str, tuple]) -> tuple[list, list]:
    """Shanghai's 决算 layout: each item's 预算数 | 决算数 side by side, one body row."""
    heads = ["合计", None, "因公出国（境）费", None, "公务用车购置及运行维护费"] + [None] * 5 + ["公务接待费", None]
    subs = [None] * 4 + ["小计", None, "公务用车购置费", None, "公务用车运行维护费", None, None, None]
    order = ("total", "abroad", "car_total", "car_purchase", "car_operation", "reception")
    rows = [["财政拨款“三公”经费支出决算表"] + [None] * 11, ["部门：测试局"] + [None] * 10 + ["单位：万元"],
            heads, subs, ["预算数", "决算数"] * 6, [v for item in order for v in figures[item]]]
    merges = ["A1:L1", "A3:B4", "C3:D4", "E3:J3", "E4:F4", "G4:H4", "I4:J4", "K3:L4"]
    return rows, merges


def budget_across(figures: dict[str, float], title: str = "2025年部门“三公”经费和机关运行经费预算表") -> tuple:
    """Shanghai's budget layout: 合计 | 因公出国(境)费 | 公务接待费 | 公务用车 (小计 | 购置费 | 运行费) | 机关运行经费预算数."""
    order = ("total", "abroad", "reception", "car_total", "car_purchase", "car_operation", "operating_costs")
    rows = [[title] + [None] * 6, ["编制部门：测试局"] + [None] * 5 + ["单位:万元"],
            ["“三公”经费预算数"] + [None] * 5 + ["机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", None, None, None],
            [None, None, None, "小计", "购置费", "运行费", None],
            [figures[item] for item in order]]
    merges = ["A1:G1", "A3:F3", "G3:G5", "A4:A5", "B4:B5", "C4:C5", "D4:F4"]
    return rows, merges


def only_table(folder):
    result = pipeline.run(folder)
    (table,) = result.tables
    return table, result.findings


def values(table) -> dict[str, tuple]:
    (row,) = table.rows
    return {m: (c.value, c.unstated) for m, c in row.values.items()}


BUDGET_TITLES = ("2025年一般公共预算“三公”经费支出表", "2025年政府性基金预算“三公”经费支出表",
                 "2025年财政拨款‘三公’经费预算表", '2025年一般公共预算"三公"经费支出预算表',
                 "2025年部门「三公」经费支出预算表", "2025年部门三公经费预算表",
                 "2025年“三公”经费和机关运行经费预算表")


@pytest.mark.parametrize("title", BUDGET_TITLES)
def test_budget_three_public_titles_with_a_fund_prefix_or_any_quotes_are_recognised(tmp_path, title):
    write_workbook(tmp_path / "预算.xlsx", {"表": budget_across(BUDGET, title)})
    table, findings = only_table(tmp_path)
    assert table.kind == TableKind.BUDGET_THREE_PUBLIC
    assert values(table)["total.budget"] == (Decimal("15.3"), False)
    assert findings == []


@pytest.mark.parametrize("title", ("2024年度一般公共预算财政拨款‘三公’经费支出决算表", "财政拨款三公经费支出决算表",
                                   "2024年度财政拨款「三公」经费决算表"))
def test_final_three_public_titles_with_any_quotes_are_recognised(tmp_path, title):
    rows, merges = final_across(FINAL)
    rows[0][0] = title
    write_workbook(tmp_path / "决算.xlsx", {"表": (rows, merges)})
    table, _ = only_table(tmp_path)
    assert table.kind == TableKind.THREE_PUBLIC


def test_a_title_that_says_final_names_no_budget_table(tmp_path):
    rows, merges = budget_across(BUDGET, "2024年度部门决算“三公”经费支出表")
    write_workbook(tmp_path / "决算.xlsx", {"表": (rows, merges)})
    assert all(t.kind != TableKind.BUDGET_THREE_PUBLIC for t in pipeline.run(tmp_path).tables)
