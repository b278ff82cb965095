"""Staff working sheets (金额占比表) as finance staff lay them out (audit18): subtotals among the lines,
blank rows between groups, a 其中 line's share of its parent, details marked only by indentation,
a completion ratio beside the amounts, shares rounded to add up to 100.00%, and shares computed by
formula. Each test builds the sheet and runs the real pipeline; a clean sheet gives no error or
warning, and an error planted in it is found at its cell."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity, TableKind


def _sheet(title: str, lines: list[list[object]], header: tuple[str, ...] = ("项目", "金额", "占比")) -> dict:
    return {"测算": ([[title], ["单位：万元"], list(header), *lines], [])}


def _findings(folder) -> list[tuple]:
    return [(f.rule, f.severity, f.ref.cell, f.stated, f.expected) for f in pipeline.run(folder).findings]


def _errors(folder) -> list[tuple]:
    return [(rule, cell, stated, expected) for rule, severity, cell, stated, expected in _findings(folder)
            if severity != Severity.INFO]


SUBTOTALS = [["一般公共预算财政拨款收入", 70, 0.7], ["政府性基金预算财政拨款收入", 10, 0.1], ["财政拨款小计", 80, 0.8],
             ["事业收入", 15, 0.15], ["其他收入", 5, 0.05], ["非财政拨款小计", 20, 0.2], ["合计", 100, 1]]


def test_subtotal_rows_are_not_lines_of_the_whole(tmp_path):
    # Before: the 小计 rows were added in as lines, giving 合计 200 and shares of 200%.
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入结构表", SUBTOTALS))
    assert _findings(tmp_path) == []


def test_a_subtotal_that_is_not_the_sum_of_its_lines_is_an_error_at_its_cell(tmp_path):
    lines = [list(line) for line in SUBTOTALS]
    lines[2][1] = 82  # 财政拨款小计 82 over 70 + 10; the 合计 still adds the two subtotals up to 102
    lines[6][1] = 102
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入结构表", lines))
    assert [(rule, cell, stated, expected) for rule, cell, stated, expected in _errors(tmp_path)
            if rule == "BK303"] == [("BK303", "B6", Decimal(82), Decimal(80))]


def test_a_subtotal_named_as_a_total_is_no_second_whole(tmp_path):
    # 本年收入合计 above 年初结转和结余 and 收入总计, the 总表's order: shares are of 收入总计.
    lines = [["一般公共预算财政拨款收入", 1722.00, 0.8829], ["事业收入", 180.00, 0.0923], ["其他收入", 12.56, 0.0064],
             ["本年收入合计", 1914.56, 0.9816], ["年初结转和结余", 35.81, 0.0184], ["收入总计", 1950.37, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入情况", lines))
    assert _findings(tmp_path) == []
    lines[1][2] = 0.0823
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入情况", lines))
    assert _errors(tmp_path) == [("BK301", "C5", Decimal("8.23"), Decimal("9.2290"))]


def test_a_blank_row_between_groups_does_not_end_the_table(tmp_path):
    lines = [["基本支出", 60, 0.6], [None, None, None], ["项目支出", 40, 0.4], ["合计", 100, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert _findings(tmp_path) == []
    lines[2][2] = 0.3  # a wrong share below the blank row is found
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert _errors(tmp_path) == [("BK301", "C6", Decimal(30), Decimal(40)), ("BK302", "C7", Decimal(90), Decimal(100))]


def test_words_under_a_blank_row_are_a_note_not_a_line(tmp_path):
    # A guard: the table used to end at its first blank row; it goes on past one now, but not into a note.
    lines = [["基本支出", 60, 0.6], ["项目支出", 40, 0.4], ["合计", 100, 1], [None, None, None], ["制表人：张三", None, None]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    result = pipeline.run(tmp_path)
    assert [row.label for row in result.tables[0].rows] == ["基本支出", "项目支出", "合计"]
    assert result.findings == []


def test_a_detail_lines_share_of_its_parent_is_no_error(tmp_path):
    lines = [["一、基本支出", 60, 0.6], ["其中：人员经费（占基本支出比重）", 45, 0.75], ["二、项目支出", 40, 0.4], ["合计", 100, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert _findings(tmp_path) == []
    lines[1][2] = 0.7  # of neither 基本支出 (75%) nor the whole (45%)
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert _errors(tmp_path) == [("BK301", "C5", Decimal(70), Decimal(45))]


def test_unnumbered_lines_under_a_numbered_one_are_its_details_where_only_that_adds_up(tmp_path):
    # 人员经费 and 公用经费 are indented under 一、基本支出 in the sheet; calamine reads no indent.
    lines = [["一、基本支出", 60, 0.6], ["人员经费", 45, 0.45], ["公用经费", 15, 0.15], ["二、项目支出", 40, 0.4], ["合计", 100, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert _findings(tmp_path) == []


def test_unnumbered_lines_after_numbered_ones_stay_lines_where_they_add_up_as_lines(tmp_path):
    # A guard: "一、财政拨款收入" then "事业收入", "其他收入" unnumbered are three lines of the whole.
    lines = [["一、财政拨款收入", 80, 0.8], ["事业收入", 15, 0.15], ["其他收入", 5, 0.05], ["合计", 100, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入构成表", lines))
    assert _findings(tmp_path) == []
    lines[3][1] = 90
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入构成表", lines))
    assert [e[:2] for e in _errors(tmp_path) if e[0] == "BK303"] == [("BK303", "B7")]


def test_a_completion_ratio_is_no_share(tmp_path):
    lines = [["公务用车运行维护费", 10, 9.5, 0.95], ["公务接待费", 2, 1.56, 0.78], ["合计", 12, 11.06, 0.9217]]
    write_workbook(tmp_path / "三公对比.xlsx", _sheet("2024年“三公”经费预决算对比表", lines,
                                                     ("项目", "预算数", "决算数", "完成预算比例")))
    write_workbook(tmp_path / "构成.xlsx", _sheet("2024年支出构成表", [["基本支出", 60, 0.6], ["项目支出", 40, 0.4],
                                                                     ["合计", 100, 1]]))
    result = pipeline.run(tmp_path)
    assert [(t.file, t.kind) for t in result.tables] == [("三公对比.xlsx", TableKind.EXECUTION_RATES),
                                                         ("构成.xlsx", TableKind.SHARES)]
    assert result.findings == []


# --- BK305: a staff sheet of budget execution ------------------------------------------------------

EXECUTION = [["社会保障和就业支出", 1800.00, 1762.13, 0.9790], ["卫生健康支出", 64.00, 62.35, 0.9742],
             ["住房保障支出", 84.53, 84.53, 1], ["合计", 1948.53, 1909.01, 0.9797]]


def test_bk305_execution_rates_that_are_actual_over_budget_are_quiet(tmp_path):
    write_workbook(tmp_path / "执行.xlsx", _sheet("2024年预算执行情况", EXECUTION, ("项目", "年初预算数", "决算数", "执行率")),
                   number_format="0.00")
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert (table.kind, [r.values["rate"].value for r in table.rows]) == (
        TableKind.EXECUTION_RATES, [Decimal("0.9790"), Decimal("0.9742"), Decimal(1), Decimal("0.9797")])
    assert result.findings == []


def test_bk305_a_wrong_execution_rate_is_an_error_at_its_cell(tmp_path):
    lines = [list(line) for line in EXECUTION]
    lines[1][3] = 0.9942
    write_workbook(tmp_path / "执行.xlsx", _sheet("2024年预算执行情况", lines, ("项目", "年初预算数", "决算数", "执行率")))
    assert _errors(tmp_path) == [("BK305", "D5", Decimal("99.42"), Decimal("97.4219"))]


def test_bk305_execution_rates_typed_as_percentage_numbers_are_read_as_such(tmp_path):
    lines = [[label, budget, actual, round(rate * 100, 2)] for label, budget, actual, rate in EXECUTION]
    lines[0][3] = 97.0
    write_workbook(tmp_path / "执行.xlsx", _sheet("2024年预算执行情况", lines,
                                                 ("项目", "预算数", "执行数", "预算执行率（%）")))
    assert _errors(tmp_path) == [("BK305", "D4", Decimal(97), Decimal("97.8961"))]


def test_shares_rounded_to_add_up_to_100_percent_are_each_within_rounding(tmp_path):
    # 1,762.13 / 1,909.01 is 92.3056%: the largest-remainder way prints 92.30% so that the three add up to 100.00%.
    lines = [["社会保障和就业支出", 1762.13, 0.923], ["卫生健康支出", 62.35, 0.0327], ["住房保障支出", 84.53, 0.0443],
             ["合计", 1909.01, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert [(rule, severity, cell) for rule, severity, cell, _, _ in _findings(tmp_path)] == [
        ("BK301", Severity.INFO, "C4")]
    lines[0][2], lines[1][2] = 0.9229, 0.0328  # each more than a unit off, and still adding up to 100.00%
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines))
    assert [(rule, cell) for rule, cell, _, _ in _errors(tmp_path)] == [("BK301", "C4"), ("BK301", "C5")]


def test_shares_a_formula_leaves_with_float_residue_give_no_finding_of_nothing(tmp_path):
    # =B4/$B$7 saved as 0.3333333333333333 three times: they add up to 0.9999999999999999, which no
    # number format shows; a "相差 -0.00 个百分点" 提示 (and an annotated copy) said nothing.
    third = 1 / 3
    lines = [["科学技术支出", 30, third], ["卫生健康支出", 30, third], ["住房保障支出", 30, third], ["合计", 90, 1]]
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年支出构成表", lines), number_format="0.00%")
    assert sum([Decimal(repr(third))] * 3) == Decimal("0.9999999999999999")
    assert _findings(tmp_path) == []


def test_a_staff_sheets_total_stands_for_the_total_its_lines_make(tmp_path):
    """A 项目明细's 合计 is 项目支出, not the 本年支出合计; income sources without the 年初结转和结余 add up to
    the 本年收入合计, not the 收入总计. Before, each was named in the report's 取数说明 as a 总计 not used."""
    from layout_corpus import render_disclosure
    from test_years_continuity import TRAITS

    from budgetkit.model import Side
    from budgetkit.report.figures import ReportOptions, build_report

    render_disclosure(TRAITS, "决算").write(tmp_path)
    summary = next(t for t in pipeline.run(tmp_path).tables if t.kind == TableKind.SUMMARY)
    sources = [row for row in summary.rows if row.side == Side.INCOME and row.key in ("general_budget", "gov_fund",
                                                                                       "business", "other")]
    income = summary.line("income_total", Side.INCOME).values["amount"].amount
    assert sum(row.values["amount"].amount for row in sources) == income == Decimal("4390.14")
    write_workbook(tmp_path / "项目明细.xlsx", _sheet("2024年项目支出明细表", [
        ["科普活动经费", 60, 0.6], ["学会补助经费", 40, 0.4], ["合计", 100, 1]]))
    write_workbook(tmp_path / "收入构成.xlsx", _sheet("2024年收入构成表", [
        *([row.label, float(row.values["amount"].amount), float(row.values["amount"].amount / income)]
          for row in sources), ["合计", float(income), 1]]))
    result = pipeline.run(tmp_path)
    # named by what they hold, not by a department: they are the 决算's department's sheets
    (group,) = result.groups
    assert {t.file for t in group.tables if t.kind == TableKind.SHARES} == {"项目明细.xlsx", "收入构成.xlsx"}
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    (department,) = build_report(result, ReportOptions()).departments
    assert [(figure.item, witness.ref.file) for figure in department.set_aside for witness in figure.set_aside
            if witness.ref.file in ("项目明细.xlsx", "收入构成.xlsx")] == []


# --- BK304: a staff sheet's figures against the 决算 tables ------------------------------------------

def _final_and_its_figures(folder):
    from layout_corpus import render_disclosure
    from test_years_continuity import TRAITS

    from budgetkit.model import Side

    render_disclosure(TRAITS, "决算").write(folder)
    summary = next(t for t in pipeline.run(folder).tables if t.kind == TableKind.SUMMARY)
    spending = [(row.label, row.values["amount"].amount) for row in summary.rows
                if row.side == Side.EXPENDITURE and row.code and not row.values["amount"].is_blank]
    return spending, summary.line("expenditure_total", Side.EXPENDITURE).values["amount"].amount


def _by_class(spending, total, changed: dict[int, float] | None = None, title: str = "2024年支出构成表",
              header: tuple[str, ...] = ("项目", "金额", "占比")) -> dict:
    amounts = [float(amount) for _, amount in spending]
    for index, value in (changed or {}).items():
        amounts[index] = value
    lines = [[label, amount, amount / float(total)] for (label, _), amount in zip(spending, amounts)]
    return _sheet(title, [*lines, ["合计", sum(amounts), 1]], header)


def test_bk304_a_staff_sheet_agreeing_with_the_tables_is_quiet(tmp_path):
    spending, total = _final_and_its_figures(tmp_path)
    write_workbook(tmp_path / "测算.xlsx", _by_class(spending, total))
    result = pipeline.run(tmp_path)
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    assert next(c for c in result.coverage if c.rule.code == "BK304").ran


def test_bk304_a_class_the_staff_sheet_states_otherwise_than_the_tables_is_an_error_at_its_cell(tmp_path):
    # The sheet adds up (its 合计 and shares recomputed): only the tables show the 1.00 that is off.
    spending, total = _final_and_its_figures(tmp_path)
    label, amount = spending[1]
    write_workbook(tmp_path / "测算.xlsx", _by_class(spending, total, {1: float(amount) + 1}))
    found = [(f.rule, f.ref.cell, f.stated, f.expected) for f in pipeline.run(tmp_path).findings
             if f.severity != Severity.INFO]
    assert found == [("BK304", "B5", amount + 1, amount)]


def test_bk304_a_budget_column_is_not_held_to_the_final_tables(tmp_path):
    spending, total = _final_and_its_figures(tmp_path)
    write_workbook(tmp_path / "测算.xlsx", _by_class(spending, total, {1: float(spending[1][1]) + 1},
                                                    header=("项目", "预算数", "占比")))
    result = pipeline.run(tmp_path)
    assert [f for f in result.findings if f.rule == "BK304"] == []


def test_bk305_rates_are_held_to_the_budget_they_are_worked_out_against(tmp_path):
    # 年初预算数 | 调整预算数 | 决算数 | 执行率 with the rates of the 调整预算数: the first 预算 column was taken (review).
    lines = [["社会保障和就业支出", 1700.00, 1800.00, 1762.13, 0.9790], ["卫生健康支出", 60.00, 64.00, 62.35, 0.9742],
             ["合计", 1760.00, 1864.00, 1824.48, 0.9788]]
    write_workbook(tmp_path / "执行.xlsx", _sheet("2024年预算执行情况", lines, ("项目", "年初预算数", "调整预算数", "决算数", "执行率")))
    result = pipeline.run(tmp_path)
    assert (result.tables[0].columns["budget"], result.findings) == ("调整预算数", [])


@pytest.mark.parametrize("lines", [
    [["合计", 100, 1], ["一般公共预算", 60, 0.6], ["政府性基金", 10, 0.1], ["财政拨款合计", 70, 0.7], ["事业收入", 30, 0.3]],
    [["财政拨款小计", 70, 0.7], ["一般公共预算", 60, 0.6], ["政府性基金", 10, 0.1], ["事业收入", 30, 0.3], ["合计", 100, 1]],
])
def test_a_total_heading_the_table_and_a_subtotal_over_its_lines_are_read_so(tmp_path, lines):
    # The 合计 over every line is the whole; 财政拨款小计 printed over its lines sums them (review: false BK303/BK301).
    write_workbook(tmp_path / "测算.xlsx", _sheet("2024年收入结构表", lines))
    assert _findings(tmp_path) == []


def _year_groups(change: float = 2.23, shares: tuple = (92.31, 3.27, 4.43), last: tuple = (92.13, 3.35, 4.52)) -> dict:
    """与上年对比: a group per year (金额 | 占比) under its year, then 增减额 and 增减率; shares as percentage
    numbers, the rate as a fraction."""
    rows = [["2024年支出结构与上年对比"], ["编制单位：某区民政局", None, None, None, None, None, "单位：万元"],
            ["项目", "2024年决算", None, "2023年决算", None, "增减额", "增减率"],
            [None, "金额", "占比", "金额", "占比", None, None],
            ["社会保障和就业支出", 1762.13, shares[0], 1654.32, last[0], 107.81, 0.0652],
            ["卫生健康支出", 62.35, shares[1], 60.12, last[1], change, 0.0371],
            ["住房保障支出", 84.53, shares[2], 81.23, last[2], 3.30, 0.0406],
            ["合计", 1909.01, 100, 1795.67, 100, 113.34, 0.0631]]
    return {"与上年对比": (rows, ["B3:C3", "D3:E3", "F3:F4", "G3:G4", "A3:A4"])}


def test_a_sheet_comparing_with_last_year_under_a_group_per_year_is_read_for_this_years_shares_and_the_change(
        tmp_path):
    """The row over 金额 | 占比 naming each group's year was not read: both groups' columns were '金额' and '占比',
    last year's figures went unread, and a wrong 增减额 or last year's share went unseen (audit18 P24, P26)."""
    write_workbook(tmp_path / "测算.xlsx", _year_groups())
    result = pipeline.run(tmp_path)
    table, = result.tables
    assert table.columns == {"amount": "2024年决算/金额", "share": "2024年决算/占比", "previous": "2023年决算/金额",
                             "previous_share": "2023年决算/占比", "change": "增减额", "change_rate": "增减率"}
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    write_workbook(tmp_path / "测算.xlsx", _year_groups(change=3.23))
    assert _errors(tmp_path) == [("BK106", "F6", Decimal("3.23"), Decimal("2.23"))]
    assert "“增减额”填报 3.23" in next(f.message for f in pipeline.run(tmp_path).findings if f.rule == "BK106")
    write_workbook(tmp_path / "测算.xlsx", _year_groups(shares=(92.31, 4.27, 4.43)))
    assert [e for e in _errors(tmp_path) if e[0] == "BK301"] == [("BK301", "C6", Decimal("4.27"), Decimal("3.2661"))]
    write_workbook(tmp_path / "测算.xlsx", _year_groups(last=(92.13, 3.35, 5.63)))
    assert [e[:3] for e in _errors(tmp_path)] == [("BK301", "E7", Decimal("5.63")), ("BK302", "E8", Decimal("101.11"))]
    assert next(f.message for f in pipeline.run(tmp_path).findings if f.rule == "BK301").startswith(
        "221 住房保障支出（2023年决算/占比）：占比填报 5.63%")


def test_a_change_in_percentage_points_beside_last_years_amounts_is_no_growth_rate(tmp_path):
    """本年 | 上年 amounts with their shares and 增减（百分点）, the change of the shares: no 增长率 to hold to the amounts."""
    rows = [["2024年支出结构对比"], ["单位：万元"], ["项目", "本年金额", "本年占比", "上年金额", "上年占比", "增减（百分点）"],
            ["基本支出", 1164.58, 0.61, 1100.00, 0.6, 1.0], ["项目支出", 744.43, 0.39, 733.33, 0.4, -1.0],
            ["合计", 1909.01, 1, 1833.33, 1, 0]]
    write_workbook(tmp_path / "测算.xlsx", {"对比": (rows, [])})
    result = pipeline.run(tmp_path)
    assert "change_rate" not in result.tables[0].columns
    assert [f for f in result.findings if f.severity != Severity.INFO] == []



_LAST_YEAR_FIRST = [["社会保障和就业支出", 1654.32, 92.13, 1762.13, 92.31, 107.81, 0.0652],
                    ["卫生健康支出", 60.12, 3.35, 62.35, 3.27, 2.23, 0.0371],
                    ["住房保障支出", 81.23, 4.52, 84.53, 4.43, 3.30, 0.0406],
                    ["合计", 1795.67, 100, 1909.01, 100, 113.34, 0.0631]]
_GROUPS = ["B3:C3", "D3:E3", "F3:F4", "G3:G4", "A3:A4"]


@pytest.mark.parametrize(("name", "rows", "merges", "amount", "share", "previous"), [
    pytest.param("测算.xlsx", [["2024年支出结构与上年对比"], ["单位：万元"],
                               ["项目", "2023年决算数", "占比", "2024年决算数", "占比", "增减额", "增减率"],
                               *_LAST_YEAR_FIRST], [],
                 "2024年决算数", "占比", "2023年决算数", id="one header row, last year first"),
    pytest.param("测算.xlsx", [["2024年支出决算分析"], ["单位：万元"],
                               ["项目", "2023年决算数", "2024年预算数", "2024年决算数", "占比", "增减额", "增长率"],
                               ["基本支出", 1100.00, 1200.00, 1164.58, 61.0, 64.58, 0.0587],
                               ["项目支出", 733.33, 760.00, 744.43, 39.0, 11.10, 0.0151],
                               ["合计", 1833.33, 1960.00, 1909.01, 100, 75.68, 0.0413]], [],
                 "2024年决算数", "占比", "2023年决算数", id="this year's budget beside its final"),
    pytest.param("2025年预算编制测算.xlsx", [["支出结构与上年对比"], ["编制单位：某区民政局", None, None, None, None, None, "单位：万元"],
                                      ["项目", "2023年决算", None, "2024年决算", None, "增减额", "增减率"],
                                      [None, "金额", "占比", "金额", "占比", None, None], *_LAST_YEAR_FIRST], _GROUPS,
                 "2024年决算/金额", "2024年决算/占比", "2023年决算/金额", id="years in the headings, not the file's"),
])
def test_this_years_amount_is_the_one_its_share_is_of(tmp_path, name, rows, merges, amount, share, previous):
    """Review of this sitting: the amount and the 占比 were chosen apart, so this year's amount met last year's share
    (false BK301), this year's budget stood for its 决算 (false BK106/BK107), and a file named for the next year's
    budget made last year's group this year's (BK106/BK107 with the sign turned). An amount is paired with the
    share printed after it, of its own year."""
    write_workbook(tmp_path / name, {"与上年对比": (rows, merges)})
    result = pipeline.run(tmp_path)
    table, = result.tables
    assert (table.columns["amount"], table.columns["share"], table.columns["previous"]) == (amount, share, previous)
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_last_years_shares_keep_the_digits_they_show(tmp_path):
    """Last year's shares to a tenth of a point (92.1) beside this year's to a hundredth were held to a hundredth:
    false BK301 and BK302 errors."""
    sheets = _year_groups(last=(92.1, 3.3, 4.5))
    rows, merges = sheets["与上年对比"]
    rows[-1][4] = 99.9
    write_workbook(tmp_path / "测算.xlsx", {"与上年对比": (rows, merges)})
    result = pipeline.run(tmp_path)
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    # 99.9% is rounding, within half a tenth of a point for each of three shares: info
    assert ("BK302", "E8", Severity.INFO) in {(f.rule, f.ref.cell, f.severity) for f in result.findings}


def test_a_note_beside_the_title_over_one_column_heads_no_group(tmp_path):
    """Only a heading over two or more amount or share columns (2024年决算 over 金额 | 占比) heads a group of them;
    a date beside the title, over the share column alone, is no part of the share's heading."""
    rows = [["2024年收入结构", None, "填报日期：2025年3月"], ["项目", "金额", "占比"], ["财政拨款收入", 150.00, 0.75],
            ["事业收入", 50.00, 0.25], ["合计", 200.00, 1]]
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    table, = pipeline.run(tmp_path).tables
    assert (table.columns["amount"], table.columns["share"]) == ("金额", "占比")


def test_a_share_printed_before_its_amount_is_of_that_amount(tmp_path):
    rows = [["2024年收入结构"], ["单位：万元"], ["项目", "占比", "金额"], ["财政拨款收入", 0.75, 150.00],
            ["事业收入", 0.35, 50.00], ["合计", 1, 200.00]]
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    assert _errors(tmp_path) == [("BK301", "B5", Decimal(35), Decimal(25)), ("BK302", "B6", Decimal(110), Decimal(100))]
