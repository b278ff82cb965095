"""Budget tables in the Sichuan and central layouts, consistent and planted: a 收支总表 listing
the funds' 拨款收入 with no 财政拨款收入 line beside a 收入总表 splitting 财政拨款 by fund (the
two sums are compared sum against sum), a 收入总表 with a 上年结转 column, a 财政拨款收支总表
structured 一、本年收入 {（一）…} / 二、上年结转 {（一）…}, and a 支出总表 with 对下级单位补助支出.
The accounts (万元): 213 农林水支出 551.74 一般公共预算 + 40.00 事业收入, 212 城乡社区支出 30.50
政府性基金; 本年收入 622.24."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl.utils import get_column_letter
from workbook_builder import Sheet, write_workbook

from budgetkit.model import Finding, RunResult, Severity
from budgetkit.pipeline import run

SUMMARY, INCOME = "表1", "表1-1"


def _sheet(title: str, header: list[list[object]], body: list[list[object]], header_merges: tuple[str, ...] = ()
           ) -> Sheet:
    """A table as the disclosures print it: title, 部门 and 单位 line, header rows, body rows."""
    width = max(len(row) for row in header + body)
    top = [[title] + [None] * (width - 1), ["部门：某县农业农村局"] + [None] * (width - 2) + ["单位：万元"]]
    return top + header + body, [f"A1:{get_column_letter(width)}1", *header_merges]


def _summary(income: list[list[object]], spending: list[list[object]]) -> Sheet:
    """部门收支总表: the 收入 lines beside the 支出 lines, row by row."""
    height = max(len(income), len(spending))
    body = [(income[k] if k < len(income) else [None, None]) + (spending[k] if k < len(spending) else [None, None])
            for k in range(height)]
    return _sheet("部门收支总表", [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]], body,
                  ("A3:B3", "C3:D3"))


def _funds_summary(general_budget: float = 551.74, carried: float | None = None) -> Sheet:
    """Each fund's 拨款收入 on a line of its own, no 财政拨款收入 line over them; a 上年结转 line
    when ``carried``, spent on 213."""
    income = round(general_budget + 70.50, 2)
    spent = round(income + (carried or 0), 2)
    below = [["上年结转", carried], ["收入总计", spent]] if carried else [["收入总计", spent]]
    return _summary([["一、一般公共预算拨款收入", general_budget], ["二、政府性基金预算拨款收入", 30.50],
                     ["三、事业收入", 40.00], ["本年收入合计", income], *below],
                    [["一、城乡社区支出", 30.50], ["二、农林水支出", round(spent - 30.50, 2)], [None, None],
                     ["本年支出合计", spent], *([[None, None]] if carried else []), ["支出总计", spent]])


def _income_by_fund(general_budget: float = 551.74, carried: float | None = None) -> Sheet:
    """部门收入总表 splitting 财政拨款 into its funds, with no 财政拨款 column of its own; a 上年结转
    column before the sources when ``carried`` (Sichuan 表1-1), counted in the 合计."""
    carry = [["上年结转"], [carried], [None], [carried]] if carried is not None else [[], [], [], []]
    header = [["科目编码", "科目名称", "合计", *carry[0], "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入"]]
    income = round(general_budget + 70.50, 2)
    body = [["合计", None, round(income + (carried or 0), 2), *carry[1], general_budget, 30.50, 40.00],
            ["212", "城乡社区支出", 30.50, *carry[2], None, 30.50, None],
            ["213", "农林水支出", round(general_budget + 40.00 + (carried or 0), 2), *carry[3], general_budget, None,
             40.00]]
    return _sheet("部门收入总表", header, body)


def _checked(folder: Path, sheets: dict[str, Sheet]) -> RunResult:
    write_workbook(folder / "某县农业农村局2024年部门预算.xlsx", sheets)
    return run(folder, jobs=1)


def _listed(findings: Iterable[Finding]) -> list[tuple[str, Severity, str, str, Decimal | None, Decimal | None]]:
    return [(f.rule, f.severity, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in findings]


# --- The 收支总表's funds against the 收入总表's funds: sum against sum ---------------------------

def test_fund_lines_summed_against_fund_columns_summed_agree_and_give_no_finding(tmp_path):
    result = _checked(tmp_path, {SUMMARY: _funds_summary(), INCOME: _income_by_fund()})
    assert _listed(result.findings) == []


def test_a_fund_that_differs_is_found_and_the_two_fund_sums_are_compared_whole(tmp_path):
    """一般公共预算 551.74 in the 收支总表, 561.74 in the 收入总表 (its 合计 and 213 row with it): the
    line differs, 本年收入合计 with it, and so does 财政拨款收入, 582.24 against 592.24, not the first
    line against the sum."""
    result = _checked(tmp_path, {SUMMARY: _funds_summary(), INCOME: _income_by_fund(561.74)})
    assert _listed(f for f in result.findings if f.rule == "BK211") == [
        ("BK211", Severity.ERROR, SUMMARY, "B5", Decimal("551.74"), Decimal("561.74")),
        ("BK211", Severity.ERROR, SUMMARY, "B5", Decimal("582.24"), Decimal("592.24")),
        ("BK211", Severity.ERROR, SUMMARY, "B8", Decimal("622.24"), Decimal("632.24")),
    ]


def test_fund_sums_apart_by_their_rounding_are_info_with_every_printed_figure_counted(tmp_path):
    """551.75 against 551.74: each sum is two printed figures, so 0.01 is within the four halves (0.02)."""
    result = _checked(tmp_path, {SUMMARY: _funds_summary(551.75), INCOME: _income_by_fund()})
    fiscal = [f for f in result.findings if f.rule == "BK211" and f.item == "财政拨款收入"]
    assert _listed(fiscal) == [("BK211", Severity.INFO, SUMMARY, "B5", Decimal("582.25"), Decimal("582.24"))]
    assert [(r.sheet, r.cell) for r in fiscal[0].related] == [(SUMMARY, "B6"), (INCOME, "D4"), (INCOME, "E4")]


# --- A 收入总表 with a 上年结转 column: its 合计 is the 收入总计 --------------------------------------

def test_income_table_whose_total_counts_its_carry_over_column_agrees_with_the_summarys_grand_total(tmp_path):
    result = _checked(tmp_path, {SUMMARY: _funds_summary(carried=10.00), INCOME: _income_by_fund(carried=10.00)})
    assert _listed(result.findings) == []


def test_a_carry_over_column_that_differs_from_the_summarys_carry_over_line_is_found_with_the_grand_total(tmp_path):
    """上年结转 20.00 in the 收入总表 (its 合计 642.24 with it), 10.00 in the 收支总表 (收入总计 632.24)."""
    result = _checked(tmp_path, {SUMMARY: _funds_summary(carried=10.00), INCOME: _income_by_fund(carried=20.00)})
    assert _listed(f for f in result.findings if f.severity == Severity.ERROR) == [
        ("BK211", Severity.ERROR, SUMMARY, "B9", Decimal("10.00"), Decimal("20.00")),
        ("BK211", Severity.ERROR, SUMMARY, "B10", Decimal("632.24"), Decimal("642.24")),
    ]
