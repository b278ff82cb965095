"""BK619: an equation the report text writes out in figures must hold.

"收入总计=本年收入…万元+年初结转和结余…万元=…万元" and "年末结转和结余=年初结转和结余+本年收入-本年支出=
0.84+163.68-163.68=0.84万元" are how 决算说明 show their arithmetic; the seed report's own error
(0.84 + 163.68 = 163.68) is the kind of slip such a line hides. Only equations read with certainty
are judged: sums and differences of named figures in one money unit, with one side a single figure."""

from __future__ import annotations

from decimal import Decimal

import docx
import pytest
from test_narrative import check

from budgetkit import pipeline
from budgetkit.model import Severity

INCOME = "收入总计=本年收入4,390.14万元+年初结转和结余297.51万元=4,687.65万元。"
CARRIED = "年末结转和结余=年初结转和结余+本年收入-本年支出=0.84+163.68-163.68=0.84万元。"


def test_an_equation_whose_result_is_not_the_sum_of_its_terms_is_an_error():
    assert check("BK619", "标题", INCOME.replace("=4,687.65万元", "=4,678.65万元")) == [
        (Severity.ERROR, "第2段", "收入总计", Decimal("4678.65"), Decimal("4687.65"))]


def test_the_seed_reports_slip_written_as_an_equation_is_an_error():
    # 0.84 + 163.68 is 164.52, not 163.68; the terms printed without a unit are in the equation's 万元
    assert check("BK619", "收入合计=上年结转0.84+一般公共预算拨款收入163.68=163.68万元。") == [
        (Severity.ERROR, "第1段", "收入合计", Decimal("163.68"), Decimal("164.52"))]


def test_an_equation_with_differences_is_worked_out_with_its_signs():
    assert check("BK619", CARRIED) == []
    assert check("BK619", CARRIED.replace("=0.84万元", "=1.84万元")) == [
        (Severity.ERROR, "第1段", "年末结转和结余", Decimal("1.84"), Decimal("0.84"))]


def test_the_result_may_open_the_equation():
    stated_first = "收入总计4,678.65万元=本年收入4,390.14万元+年初结转和结余297.51万元。"
    assert check("BK619", stated_first) == [
        (Severity.ERROR, "第1段", "收入总计", Decimal("4678.65"), Decimal("4687.65"))]


def test_an_equation_that_holds_is_quiet_and_one_within_the_rounding_of_its_figures_is_info():
    assert check("BK619", INCOME) == []
    # 4,390.14 + 297.51 = 4,687.65; 4,687.66 is off by a cent, within the three figures' half cents
    assert check("BK619", INCOME.replace("=4,687.65万元", "=4,687.66万元")) == [
        (Severity.INFO, "第1段", "收入总计", Decimal("4687.66"), Decimal("4687.65"))]


@pytest.mark.parametrize("sentence", [
    "执行率=决算数3,529.43万元÷预算数3,600.00万元=98.04%。",           # a rate: other arithmetic
    "合计=5,000.00元+0.50万元=1.00万元。",                               # two units: not read with certainty
    "支出=A-(B+C)=100.00万元-(20.00万元+30.00万元)=10.00万元。",          # a bracket changes the signs within it
    "2023-2025年规划总投资=3,000.00万元=1,000.00万元。",                  # no side works a sum out
    "注：1万元=10000元。",                                                 # a conversion, no sum
    "人员=10人+5人=16人。",                                                # no money
])
def test_what_is_not_a_sum_of_named_figures_in_one_money_unit_is_not_judged(sentence):
    assert check("BK619", sentence) == []


def test_a_wrong_equation_in_a_docx_report_is_found_at_its_paragraph_with_a_correction(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、收入支出情况")
    document.add_paragraph("2024年度收入总计4,687.65万元。" + INCOME.replace("=4,687.65万元", "=4,678.65万元"))
    document.save(tmp_path / "部门决算说明.docx")
    found = [f for f in pipeline.run(tmp_path).findings if f.rule == "BK619"]
    assert [(f.ref.file, f.ref.sheet, f.ref.cell, f.stated, f.expected, f.difference) for f in found] == [
        ("部门决算说明.docx", "报告文字", "第2段", Decimal("4678.65"), Decimal("4687.65"), Decimal("-9.00"))]
    assert found[0].message.endswith(
        "应改为：“收入总计=本年收入4,390.14万元+年初结转和结余297.51万元=4,687.65万元。”")
