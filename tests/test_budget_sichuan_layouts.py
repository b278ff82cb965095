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

SUMMARY, INCOME, SPENDING, FISCAL = "表1", "表1-1", "表1-2", "表2"


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


# --- A 财政拨款收支总表 as 一、本年收入 {（一）…} / 二、上年结转 {（一）…} / 收入总计 ----------------------

def _fiscal_by_headings(general_budget: float = 551.74) -> Sheet:
    """Sichuan 表2: the year's income and the carry-over each a heading with its figure, their
    funds' 预算拨款 lines under them; 一、本年支出 over the 类 lines, 二、结转下年."""
    income = [["一、本年收入", 582.24], ["（一）一般公共预算拨款", general_budget], ["（二）政府性基金预算拨款", 30.50],
              ["（三）国有资本经营预算拨款", None], ["二、上年结转", 10.00], ["（一）一般公共预算拨款", 10.00],
              ["（二）政府性基金预算拨款", None], ["（三）国有资本经营预算拨款", None], ["收入总计", 592.24]]
    spending = [["一、本年支出", 592.24, 561.74, 30.50, None], ["（一）城乡社区支出", 30.50, None, 30.50, None],
                ["（二）农林水支出", 561.74, 561.74, None, None], [None] * 5, [None] * 5, [None] * 5, [None] * 5,
                ["二、结转下年", None, None, None, None], ["支出总计", 592.24, 561.74, 30.50, None]]
    header = [["收入", None, "支出", None, None, None, None],
              ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]]
    return _sheet("财政拨款收支预算总表", header, [left + right for left, right in zip(income, spending)],
                  ("A3:B3", "C3:G3"))


def test_fiscal_summary_with_figured_year_headings_and_carry_over_sub_lines_is_quiet(tmp_path):
    result = _checked(tmp_path, {SUMMARY: _funds_summary(carried=10.00), FISCAL: _fiscal_by_headings()})
    assert _listed(result.findings) == []
    fiscal = next(t for t in result.tables if t.sheet == FISCAL)
    assert [(row.label_ref.cell, row.key) for row in fiscal.rows if row.key] == [
        ("A5", "income_total"), ("A6", "general_budget"), ("A7", "gov_fund"), ("A8", "state_capital"),
        ("A9", "opening_balance"), ("A10", "opening_balance.general_budget"), ("A11", "opening_balance.gov_fund"),
        ("A12", "opening_balance.state_capital"), ("A13", "grand_total"),
        ("C5", "expenditure_total"), ("C12", "closing_balance"), ("C13", "grand_total")]


def test_a_fund_line_under_the_year_heading_that_differs_is_found_in_the_table_and_against_the_summary(tmp_path):
    """（一）一般公共预算拨款 552.74 under 一、本年收入 582.24: its heading no longer adds up (BK114), and the
    部门收支总表 says 551.74 (BK214)."""
    result = _checked(tmp_path, {SUMMARY: _funds_summary(carried=10.00), FISCAL: _fiscal_by_headings(552.74)})
    assert _listed(result.findings) == [
        ("BK114", Severity.ERROR, FISCAL, "B5", Decimal("582.24"), Decimal("583.24")),
        ("BK214", Severity.ERROR, FISCAL, "B6", Decimal("552.74"), Decimal("551.74")),
    ]


def test_a_grand_total_checked_for_want_of_a_year_total_counts_the_carry_over_above_it(tmp_path):
    """A 收支总表 with no 本年收入合计 line: 收入总计 632.24 = the sources 622.24 + 上年结转 10.00."""
    summary = _summary([["一、一般公共预算拨款收入", 551.74], ["二、政府性基金预算拨款收入", 30.50],
                        ["三、事业收入", 40.00], ["四、上年结转", 10.00], ["收入总计", 632.24]],
                       [["一、城乡社区支出", 30.50], ["二、农林水支出", 601.74], [None, None], [None, None],
                        ["支出总计", 632.24]])
    result = _checked(tmp_path, {SUMMARY: summary})
    assert _listed(result.findings) == []
    assert next(c for c in result.coverage if c.rule.code == "BK111").ran


# --- A 支出总表 with 对下级单位补助支出 -----------------------------------------------------------

def _spending_to_subordinates(passed_down: float = 50.00) -> Sheet:
    """部门支出总表 of a 主管部门 passing 50.00 of 213 on to its 下级单位 (central and Sichuan wording)."""
    header = [["科目编码", "科目名称", "合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对下级单位补助支出"]]
    body = [["合计", None, 632.24, 540.00, 42.24, None, None, passed_down],
            ["212", "城乡社区支出", 30.50, None, 30.50, None, None, None],
            ["213", "农林水支出", 601.74, 540.00, 11.74, None, None, passed_down]]
    return _sheet("部门支出总表", header, body)


def test_a_spending_table_with_payments_to_subordinate_units_reads_them_into_its_totals(tmp_path):
    result = _checked(tmp_path, {SPENDING: _spending_to_subordinates()})
    assert _listed(result.findings) == []
    (spending,) = result.tables
    assert (spending.columns["to_subsidiary"], spending.total_row().values["to_subsidiary"].ref.cell) == (
        "对下级单位补助支出", "H4")


def test_a_payment_to_subordinate_units_that_the_total_leaves_out_is_an_error_on_its_row(tmp_path):
    """对下级单位补助支出 60.00 where 合计 counts 50.00, on 213 and on the 合计 row."""
    result = _checked(tmp_path, {SPENDING: _spending_to_subordinates(60.00)})
    assert _listed(result.findings) == [
        ("BK101", Severity.ERROR, SPENDING, "C4", Decimal("632.24"), Decimal("642.24")),
        ("BK101", Severity.ERROR, SPENDING, "C6", Decimal("601.74"), Decimal("611.74")),
    ]


# --- 收入总表 against 支出总表 when money is carried over (BK213) ----------------------------------

def _spending(total: float) -> Sheet:
    """部门支出总表: 212 30.50 and 213 the rest, all 基本支出."""
    header = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    rest = round(total - 30.50, 2)
    return _sheet("部门支出总表", header, [["合计", None, total, total, None], ["212", "城乡社区支出", 30.50, 30.50, None],
                                            ["213", "农林水支出", rest, rest, None]])


def _carried_summary(carried_in: float, carried_out: float) -> Sheet:
    """The funds' 收支总表 with 上年结转 on the 收入 side and 结转下年 on the 支出 side."""
    whole = round(622.24 + carried_in, 2)
    spent = round(whole - carried_out, 2)
    return _summary([["一、一般公共预算拨款收入", 551.74], ["二、政府性基金预算拨款收入", 30.50], ["三、事业收入", 40.00],
                     ["本年收入合计", 622.24], ["上年结转", carried_in], ["收入总计", whole]],
                    [["一、城乡社区支出", 30.50], ["二、农林水支出", round(spent - 30.50, 2)], [None, None],
                     ["本年支出合计", spent], ["结转下年", carried_out], ["支出总计", whole]])


def test_money_carried_to_next_year_leaves_the_two_totals_unequal_and_unchecked(tmp_path):
    # 收入总表 合计 634.24 (its 上年结转 12.00 counted) against 支出总表 合计 629.24: 5.00 goes on to next year.
    result = _checked(tmp_path, {SUMMARY: _carried_summary(12.00, 5.00), INCOME: _income_by_fund(carried=12.00),
                                 SPENDING: _spending(629.24)})
    assert [f.rule for f in result.findings if f.severity != Severity.INFO] == []
    notes = next(c.notes for c in result.coverage if c.rule.code == "BK213")
    assert notes == ("部门收支总表列有结转下年 5.00万元，部门收入总表与部门支出总表的合计不必相等，未核对",)


def test_with_nothing_carried_to_next_year_the_totals_must_agree(tmp_path):
    sheets = {SUMMARY: _carried_summary(12.00, 0), INCOME: _income_by_fund(carried=12.00), SPENDING: _spending(633.24)}
    result = _checked(tmp_path, sheets)
    assert [(f.rule, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in result.findings if f.rule == "BK213"] \
        == [("BK213", INCOME, "C4", Decimal("634.24"), Decimal("633.24"))]
