"""Figures stated twice, compared once (issue 9, classes 3, 4, 6 and the unit-slip half of 12):
the fact ledger pairs every quantity two tables state, the envelope counts every printed
figure's half unit, and one cause gives one finding."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REAL, mutated
from standard_tables import expenditure_sheet, summary_sheet
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity

FINAL = "putuo_social_work_2024_final.xlsx"
UNIT_BUDGET = "putuo_office_unit_budget_2025.xlsx"


def listed(folder: Path, *severities: Severity) -> list[tuple]:
    return [(f.rule, f.severity, f.ref.sheet, f.ref.cell, f.stated, f.expected)
            for f in pipeline.run(folder).findings if f.severity in severities]


# --- 6. A 收支总表 that splits 支出 into 人员经费 / 公用经费 / 项目支出 -------------------------------

def test_a_split_between_personnel_and_public_costs_is_compared_with_the_economic_table(tmp_path):
    # 101,200 元 moved from 人员经费 to 公用经费 in the 财务收支预算总表, on 201 and on 支出总计: the
    # table still adds up in every direction, but the 经济分类 table states the other split.
    summary = "财务收支预算总表"
    folder = mutated(tmp_path, UNIT_BUDGET, {(summary, "E7"): 13718199.88, (summary, "F7"): 1968597.54,
                                             (summary, "E15"): 22372797.81, (summary, "F15"): 2233977.54})
    assert listed(folder, Severity.ERROR, Severity.WARNING) == [
        ("BK220", Severity.ERROR, summary, "E15", Decimal("22372797.81"), Decimal("22473997.81")),
        ("BK220", Severity.ERROR, summary, "F15", Decimal("2233977.54"), Decimal("2132777.54")),
    ]


def test_the_real_unit_budget_with_its_split_summary_gives_no_finding_and_says_what_it_compared(tmp_path):
    result = pipeline.run(mutated(tmp_path, UNIT_BUDGET, {}))
    assert result.findings == []
    notes = next(c.notes for c in result.coverage if c.rule.code == "BK220")
    assert "支出总计（人员经费）" in notes[0] and "支出总计（公用经费）" in notes[0]


# --- 3 and 4. Every printed figure carries half a unit; one unit apart is a 尾差 ------------------

@pytest.mark.parametrize("printed, severity", [("10.83", Severity.INFO), ("10.84", Severity.ERROR)])
def test_two_tables_one_unit_of_the_last_digit_apart_is_a_tail_difference_two_is_an_error(
        tmp_path, printed, severity):
    # 208 in the 总表 against the same 类 in the 支出决算表, 财政拨款总表 and 一般公共预算表 (10.82).
    folder = mutated(tmp_path, FINAL, {("收入支出决算总表", "D12"): float(printed)})
    [finding] = [f for f in pipeline.run(folder).findings if f.rule == "BK202"]
    assert (finding.severity, finding.ref.cell, finding.stated, finding.expected) == (
        severity, "D12", Decimal(printed), Decimal("10.82"))
    if severity == Severity.INFO:
        assert "尾差" in finding.message


@pytest.mark.parametrize("yuan, severity", [("20.1549", Severity.INFO), ("20.1551", Severity.ERROR)])
def test_a_wan_table_against_a_yuan_table_counts_the_half_unit_of_both(tmp_path, yuan, severity):
    # The 总表 prints 20.15 万元: anything from 201,450 to 201,550 元 rounds to it.
    spending = expenditure_sheet(unit="元", scale=10000, overrides={("208", "total"): yuan, ("208", "basic"): yuan})
    write_workbook(tmp_path / "决算.xlsx", {"总表": summary_sheet(), "支出": spending})
    [finding] = [f for f in pipeline.run(tmp_path).findings if f.rule == "BK202" and f.item.startswith("208")]
    assert (finding.severity, finding.stated) == (severity, Decimal("20.15"))


# --- 12. A unit slip is one finding, whatever compares the slipped table ----------------------

def test_a_table_in_the_wrong_unit_is_one_finding_and_no_part_of_whole_list(tmp_path):
    # The 一般公共预算财政拨款支出决算表 printed in 元 under a 万元 label: every one of its lines is
    # 10000 times the same line of the 支出决算表, which BK209 would otherwise list line by line.
    book = openpyxl.load_workbook(REAL / FINAL)
    sheet = book["一般公共预算财政拨款支出决算表"]
    for row in sheet.iter_rows(min_row=5, min_col=3, max_col=5):
        for cell in row:
            if isinstance(cell.value, (int, float)):
                cell.value = round(cell.value * 10000, 2)
    book.save(tmp_path / FINAL)
    errors = [(f.rule, f.ref.sheet, f.ref.cell) for f in pipeline.run(tmp_path).findings
              if f.severity == Severity.ERROR]
    assert errors == [("BK401", "一般公共预算财政拨款支出决算表", "C22")]
