"""Layout traits of real disclosures that used to give false findings or hide real ones
(issue 9): each test builds a workbook with the trait and asserts exact cells and severities."""

from __future__ import annotations

from decimal import Decimal

import pytest
import openpyxl
from report_crafted import FINAL as FINAL_NAME
from report_crafted import (S_FISCAL, S_SPENDING, S_SUMMARY, S_THREE, crafted_folder, fiscal_sheet, heading, questioned,
                            summary_sheet, three_public_sheet)
from report_crafted import spending_sheet as crafted_spending_sheet
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity, Side, TableKind


def findings_of(folder):
    return [(f.rule, f.severity, f.ref.sheet, f.ref.cell) for f in pipeline.run(folder).findings
            if f.severity != Severity.INFO]


def notes_of(result, code):
    return next(c.notes for c in result.coverage if c.rule.code == code)


# --- 1. Bare column-number rows --------------------------------------------------------------

THREE_PUBLIC_VALUES = [21.00, 16.95, 0, 0, 20.50, 16.95, 0, 0, 20.50, 16.95, 0.50, 0.00]


def three_public_with(numbers_row: list[object]) -> tuple[list, list]:
    rows = heading("财政拨款“三公”经费支出决算表", 12, unit="万元") + [
        ["合计", None, "因公出国（境）费", None, "公务用车购置及运行维护费", None, None, None, None, None, "公务接待费", None],
        [None] * 4 + ["小计", None, "公务用车购置费", None, "公务用车运行维护费", None, None, None],
        ["预算数", "决算数"] * 6,
        numbers_row,
        THREE_PUBLIC_VALUES,
    ]
    return rows, ["A1:L1", "A2:K2", "A3:B4", "C3:D4", "E3:J3", "K3:L4", "E4:F4", "G4:H4", "I4:J4"]


@pytest.mark.parametrize("numbers_row", [
    list(range(1, 13)),                          # numbers
    [str(n) for n in range(1, 13)],              # numbers typed as text
    ["1=3+5+11", "2=4+6+12"] + [str(n) for n in range(3, 13)],  # column formulas
], ids=["numbers", "text", "formulas"])
@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_bare_column_number_row_under_the_header_is_not_the_body(tmp_path, numbers_row, suffix):
    write_workbook(tmp_path / f"三公{suffix}", {"三公": three_public_with(numbers_row)})
    result = pipeline.run(tmp_path)
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    (table,) = result.tables
    row = table.rows[0].values
    assert (row["total.final"].ref.cell, row["total.final"].value) == ("B7", Decimal("16.95"))
    assert (row["reception.budget"].ref.cell, row["reception.budget"].value) == ("K7", Decimal("0.5"))


def test_a_wrong_three_public_total_under_a_bare_number_row_is_found(tmp_path):
    rows, merges = three_public_with(list(range(1, 13)))
    rows[-1] = [21.00, 19.95, *THREE_PUBLIC_VALUES[2:]]
    write_workbook(tmp_path / "三公.xlsx", {"三公": (rows, merges)})
    assert findings_of(tmp_path) == [("BK141", Severity.ERROR, "三公", "B7")]


def test_a_numbered_column_row_in_a_classified_table_is_not_a_line(tmp_path):
    rows = heading("支出决算表", 5) + [["项目", None, "本年支出合计", "基本支出", "项目支出"],
                                       ["功能分类科目编码", "科目名称", None, None, None],
                                       [None, None, "1=2+3", "2", "3"],
                                       ["合计", None, 30.00, 20.00, 10.00],
                                       ["213", "农林水支出", 30.00, 20.00, 10.00]]
    write_workbook(tmp_path / "支出.xlsx", {"支出": (rows, ["A1:E1", "A3:B3", "C3:C4", "D3:D4", "E3:E4"])})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert [(r.label, r.values["total"].ref.cell) for r in table.rows] == [("合计", "C6"), ("农林水支出", "C7")]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []




# --- 2. A total stated without its breakdown --------------------------------------------------

def test_a_total_row_that_fills_only_its_total_column_states_no_breakdown(tmp_path):
    # 财政拨款总表 总计 row: 合计 2,150,000 stated, the per-fund columns left blank (E14 was 2,150,000).
    folder = crafted_folder(tmp_path, {(S_FISCAL, "E14"): None})
    result = pipeline.run(folder)
    assert questioned(result) == []
    assert any("总计（财政拨款收入支出决算总表!D14）涉及未填列或无法识别的数字，未核对" == note
               for note in notes_of(result, "BK115"))


def test_a_stated_zero_in_the_breakdown_is_still_a_zero(tmp_path):
    folder = crafted_folder(tmp_path, {(S_FISCAL, "E14"): 0})
    assert ("BK115", Severity.ERROR, S_FISCAL, "D14") in findings_of(folder)


def test_a_blank_beside_a_stated_part_is_still_a_zero(tmp_path):
    # 206 row of the 支出决算表: 合计 1,000,000 = 基本 400,000 + 项目 600,000; blank the 项目.
    folder = crafted_folder(tmp_path, {(S_SPENDING, "E6"): None})
    assert ("BK101", Severity.ERROR, S_SPENDING, "C6") in findings_of(folder)


def test_a_three_public_table_with_only_its_totals_states_no_items(tmp_path):
    folder = crafted_folder(tmp_path, {(S_THREE, cell): None for cell in ("C7", "D7", "E7", "F7", "G7", "H7", "I7",
                                                                          "J7", "K7", "L7")})
    result = pipeline.run(folder)
    assert [f for f in result.findings if f.rule in ("BK141", "BK142")] == []
    assert notes_of(result, "BK141")


# --- 7. Split codes that lost their leading zero ----------------------------------------------

def test_split_codes_stored_as_numbers_are_zero_padded(tmp_path):
    rows = [["一般公共预算基本支出部门预算经济分类预算表", None, None, None, None, None],
            ["编制部门：测试局", None, None, None, None, "单位：元"],
            ["部门预算经济分类科目编码", None, "部门预算经济分类科目名称", "合计", "人员经费", "公用经费"],
            ["类", "款", None, None, None, None],
            [301, None, "工资福利支出", 300.00, 300.00, None],
            [301, 1, "基本工资", 100.00, 100.00, None],
            [301, 2, "津贴补贴", 120.00, 120.00, None],
            [301, 7, "绩效工资", 80.00, 80.00, None],
            ["合计", None, None, 300.00, 300.00, None]]
    merges = ["A1:F1", "A3:B3", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "A9:C9"]
    write_workbook(tmp_path / "预算.xlsx", {"经济分类": (rows, merges)})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert [r.code for r in table.rows if r.code] == ["301", "30101", "30102", "30107"]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def split_heading_full_codes(item_figure: float = 60.00) -> tuple[list, list]:
    """A 类 | 款 | 项 header whose columns each hold the whole code of their level (208 | 20805 |
    2080505), as locally re-typed tables keep the template's header."""
    rows = [["一般公共预算财政拨款支出决算表", None, None, None, None, None, None],
            ["部门：测试局", None, None, None, None, None, "单位：元"],
            ["科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", None, None, None, None],
            ["合计", None, None, None, 100.00, 100.00, None],
            ["208", None, None, "社会保障和就业支出", 100.00, 100.00, None],
            [None, "20805", None, "行政事业单位养老支出", 100.00, 100.00, None],
            [None, None, "2080501", "行政单位离退休", 40.00, 40.00, None],
            [None, None, "2080505", "机关事业单位基本养老保险缴费支出", item_figure, item_figure, None]]
    return rows, ["A1:G1", "A3:C3", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "A5:D5"]


def test_whole_codes_under_a_split_code_heading_are_read_as_the_codes_they_are(tmp_path):
    """Before, 208 + 20805 ran together into 20820805 (a false BK511 on every 款) and each 项 lost
    its code (a wrong 项 went unseen)."""
    write_workbook(tmp_path / "决算.xlsx", {"一般公共预算": split_heading_full_codes()})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert [r.code for r in table.rows if r.code] == ["208", "20805", "2080501", "2080505"]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_wrong_item_under_a_split_code_heading_holding_whole_codes_is_found(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {"一般公共预算": split_heading_full_codes(item_figure=65.00)})
    assert findings_of(tmp_path) == [("BK103", Severity.ERROR, "一般公共预算", "E7"),
                                     ("BK103", Severity.ERROR, "一般公共预算", "F7")]


def test_a_table_listed_by_unit_code_reads_no_subject_codes(tmp_path):
    """Hunan's 部门收入总表 by 单位: 单位编码 | 单位名称 | 合计 …, the department (402) and its 单位
    (402001, 402002) as lines. Their codes were read as 科目编码: 'class 402 is in no
    classification' and '402001 has 6 digits' (false BK511)."""
    rows = [["部门收入总表", None, None, None, None],
            ["部门名称：某县自然资源局", None, None, None, "单位：万元"],
            ["单位编码", None, "合计", "一般公共预算拨款收入", "事业收入"],
            ["合计", None, 1082.70, 1052.70, 30.00],
            ["402", "某县自然资源局", 1082.70, 1052.70, 30.00],
            ["402001", "某县自然资源局（本级）", 971.10, 941.10, 30.00],
            ["402002", "某县不动产登记中心", 111.60, 111.60, None]]
    write_workbook(tmp_path / "某县自然资源局2025年部门预算.xlsx", {"表1-1": (rows, ["A1:E1", "A3:B3"])})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert table.kind == TableKind.BUDGET_INCOME
    assert [(r.code, r.is_total) for r in table.rows] == [(None, True), (None, False), (None, False), (None, False)]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


# --- 9. A percent typed as text among percentage numbers --------------------------------------

def test_a_share_typed_with_its_own_percent_sign_is_not_scaled_again(tmp_path):
    rows = [["支出构成"], ["单位：万元"], ["项目", "金额", "占比"], ["科学技术支出", 12.5, 12.5], ["社会保障和就业支出", 50, 50],
            ["卫生健康支出", 37.5, "37.5%"], ["合计", 100, 100]]
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    share = table.rows[2].values["share"]
    assert (share.ref.cell, share.value, share.decimals) == ("C6", Decimal("0.375"), 3)
    assert result.findings == []



def share_sheet(shares: list[object], total_share: object) -> tuple[list, list]:
    """Six lines of 12.35 万元 and their shares as fractions, as a 0.00% number format keeps them."""
    lines = [[f"支出{index + 1}", 12.35, share] for index, share in enumerate(shares)]
    return [["支出构成"], ["单位：万元"], ["项目", "金额", "占比"], *lines, ["合计", 74.1, total_share]], []


def test_fraction_shares_rounded_to_add_up_to_a_little_over_one_are_read_as_fractions(tmp_path):
    # Six shares of ROUND(12.35 / 74.10, 4) = 16.67% each; their 合计 row, a SUM, shows 100.02%.
    write_workbook(tmp_path / "测算.xlsx", {"s": share_sheet([0.1667] * 6, 1.0002)})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert [r.values["share"].value for r in table.rows] == [Decimal("0.1667")] * 6 + [Decimal("1.0002")]
    assert [(f.rule, f.severity, f.ref.cell) for f in result.findings] == [
        ("BK301", Severity.INFO, "C10"), ("BK302", Severity.INFO, "C10")]


def test_a_total_share_that_is_no_sum_of_the_lines_shares_is_still_an_error(tmp_path):
    write_workbook(tmp_path / "测算.xlsx", {"s": share_sheet([0.1667] * 6, 0.9)})
    assert findings_of(tmp_path) == [("BK301", Severity.ERROR, "s", "C10")]


def test_one_share_typed_as_a_percentage_number_among_fractions_is_the_one_error(tmp_path):
    # 2 for 20% among fractions: the column stays fractions, so the other five stay right.
    write_workbook(tmp_path / "测算.xlsx", {"s": share_sheet([0.1667] * 5 + [2], 1.0)})
    result = pipeline.run(tmp_path)
    assert [(f.rule, f.ref.cell, f.stated) for f in result.findings if f.severity == Severity.ERROR] == [
        ("BK301", "C9", Decimal(200)), ("BK302", "C10", Decimal("283.35"))]


# 上年结转 12.24 + 一般公共预算拨款收入 550.00 + 政府性基金预算拨款收入 30.50 + 事业收入 40.00 = 632.74 万元
INCOME_SOURCES = [("上年结转", 12.24, 10.00, 0.0193), ("一般公共预算拨款收入", 550.00, 500.00, 0.8692),
                  ("政府性基金预算拨款收入", 30.50, 20.00, 0.0482), ("事业收入", 40.00, 40.00, 0.0632)]


def errors_and_warnings(result):
    return [(f.rule, f.ref.cell, f.stated) for f in result.findings if f.severity != Severity.INFO]


def test_a_share_sheet_printing_last_years_amounts_and_their_change_reads_this_years(tmp_path):
    rows = [["2024年收入构成测算表"], ["单位：万元"],
            ["项目", "上年金额", "本年金额", "增减额", "增减率（%）", "占比（%）"]]
    rows += [[name, last, amount, round(amount - last, 2), round((amount - last) / last * 100, 2), share * 100]
             for name, amount, last, share in INCOME_SOURCES]
    rows.append(["合计", 570.00, 632.74, 62.74, 11.01, 100])
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    # last year's amounts, the change and its rate are read beside them, for BK106/BK107
    assert table.columns == {"amount": "本年金额", "share": "占比(%)", "previous": "上年金额", "change": "增减额",
                             "change_rate": "增减率(%)"}
    assert [r.values["amount"].ref.cell for r in table.rows] == ["C4", "C5", "C6", "C7", "C8"]
    assert errors_and_warnings(result) == []


def test_a_share_sheet_numbering_its_lines_is_read_by_their_names(tmp_path):
    rows = [["2024年收入构成测算表"], ["单位：万元"], ["序号", "项目", "金额", "占比"]]
    rows += [[index + 1, name, amount, share] for index, (name, amount, _, share) in enumerate(INCOME_SOURCES)]
    rows.append([None, "合计", 632.84, 1])  # 632.74 typed as 632.84
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    result = pipeline.run(tmp_path)
    assert [r.label for r in result.tables[0].rows][:2] == ["上年结转", "一般公共预算拨款收入"]
    # The wrong whole also moves the largest share's computed value off its printed 86.92%.
    assert errors_and_warnings(result) == [("BK301", "D5", Decimal("86.92")), ("BK303", "C8", Decimal("632.84"))]


def test_lines_detailing_a_line_are_counted_once_in_the_whole(tmp_path):
    rows = [["2024年收入构成测算表"], ["单位：万元"], ["项目", "金额", "占比"],
            ["一、上年结转", 12.24, 0.0193], ["二、财政拨款收入", 580.50, 0.9174],
            ["其中：一般公共预算拨款收入", 550.00, 0.8692], ["政府性基金预算拨款收入", 30.50, 0.0582],  # 4.82%
            ["三、事业收入", 40.00, 0.0632], ["合计", 632.74, 1]]
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    result = pipeline.run(tmp_path)
    assert [r.parent_key for r in result.tables[0].rows] == [
        None, None, "二、财政拨款收入", "二、财政拨款收入", None, None]
    assert errors_and_warnings(result) == [("BK301", "C7", Decimal("5.82"))]


def income_and_spending_side_by_side(project_share: float) -> tuple[list, list]:
    """收入构成 | 支出构成 under one title and one header row, an empty column between."""
    income = [[name, amount, share] for name, amount, _, share in INCOME_SOURCES] + [["合计", 632.74, 1]]
    spending = [["基本支出", 501.29, 0.7923], ["项目支出", 131.45, project_share], ["合计", 632.74, 1]]
    rows = [["2024年收入支出构成测算表"], ["单位：万元"],
            ["收入项目", "金额", "占比", None, "支出项目", "金额", "占比"]]
    rows += [left + [None] + (spending[index] if index < len(spending) else [None] * 3)
             for index, left in enumerate(income)]
    return rows, []


def test_two_share_tables_side_by_side_are_each_read_on_their_own_columns(tmp_path):
    write_workbook(tmp_path / "测算.xlsx", {"s": income_and_spending_side_by_side(0.2077)})
    result = pipeline.run(tmp_path)
    income, spending = result.tables
    assert [(t.rows[0].side, t.rows[0].values["share"].ref.cell, t.total_row().values["amount"].ref.cell)
            for t in (income, spending)] == [(Side.INCOME, "C4", "B8"), (Side.EXPENDITURE, "G4", "F6")]
    assert errors_and_warnings(result) == []


def test_an_error_in_the_right_hand_share_table_is_found_at_its_cell(tmp_path):
    write_workbook(tmp_path / "测算.xlsx", {"s": income_and_spending_side_by_side(0.3077)})
    assert errors_and_warnings(pipeline.run(tmp_path)) == [("BK301", "G5", Decimal("30.77")),
                                                          ("BK302", "G6", Decimal("110.00"))]


def spending_page(rows: list[list[object]], notes: bool) -> tuple[list, list]:
    """A page of the 支出决算表 as Excel prints it with print titles: the title, 部门 line and header on every page."""
    header = heading("支出决算表", 5, unit="万元") + [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]]
    return header + rows + ([["注：本表反映部门本年度各项支出情况。"]] if notes else []), ["A1:E1"]


FIRST_PAGE = [["合计", None, 30.00, 10.00, 20.00], ["201", "一般公共服务支出", 10.00, 10.00, None],
              ["20103", "政府办公厅（室）及相关机构事务", 10.00, 10.00, None], ["2010301", "行政运行", 10.00, 10.00, None]]
SECOND_PAGE = [["213", "农林水支出", 20.00, None, 20.00], ["21301", "农业农村", 20.00, None, 20.00],
               ["2130106", "科技转化与推广服务", 20.00, None, 20.00]]


def test_a_table_printed_again_under_its_own_title_on_the_next_sheet_is_one_table(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {"支出决算表": spending_page(FIRST_PAGE, notes=False),
                                            "支出决算表(2)": spending_page(SECOND_PAGE, notes=True)})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert (len(table.rows), table.sheets) == (7, ("支出决算表", "支出决算表(2)"))
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_two_tables_under_one_title_listing_the_same_lines_stay_two(tmp_path):
    # Two units' tables, one after the other: both list 201, so neither continues the other.
    write_workbook(tmp_path / "决算.xlsx", {"支出决算表": spending_page(FIRST_PAGE, notes=False),
                                            "支出决算表(2)": spending_page(FIRST_PAGE, notes=False)})
    assert [len(t.rows) for t in pipeline.run(tmp_path).tables] == [4, 4]

# --- 12. Unreadable figures and minus signs pasted from PDFs ----------------------------------

def test_an_unreadable_figure_is_one_finding_at_its_cell_not_a_zero_in_every_sum(tmp_path):
    folder = crafted_folder(tmp_path, {(S_SPENDING, "D6"): "4OO,OOO.00"})
    result = pipeline.run(folder)
    errors = [(f.rule, f.ref.sheet, f.ref.cell) for f in questioned(result)]
    assert errors == [("BK105", S_SPENDING, "D6")]
    finding = result.findings[0]
    assert finding.message == "206 科学技术支出：“基本支出”一栏的“4OO,OOO.00”不是可识别的数字，涉及它的核对均未进行；请改为数字。"


def test_a_unicode_minus_is_a_minus_sign(tmp_path):
    rows = heading("支出决算表", 5) + [["项目", None, "本年支出合计", "基本支出", "项目支出"],
                                       ["功能分类科目编码", "科目名称", None, None, None],
                                       ["合计", None, "25.00", "30.00", "\u22125.00"],
                                       ["213", "农林水支出", "25.00", "30.00", "\u22125.00"]]
    write_workbook(tmp_path / "支出.xlsx", {"支出": (rows, ["A1:E1", "A3:B3", "C3:C4", "D3:D4", "E3:E4"])})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert table.kind == TableKind.EXPENDITURE
    assert table.rows[0].values["project"].value == Decimal("-5.00")
    assert result.findings == []


# --- 11. Two departments in one folder without a 部门 line ------------------------------------

def without_department_line(sheet: tuple[list, list]) -> tuple[list, list]:
    rows, merges = sheet
    return [rows[0], [None] * (len(rows[1]) - 1) + [rows[1][-1]], *rows[2:]], merges


def two_departments(folder, *extra: str):
    from standard_tables import expenditure_sheet, summary_sheet
    write_workbook(folder / "区民政局2024年部门决算.xlsx",
                   {"总表": without_department_line(summary_sheet()),
                    "支出": without_department_line(expenditure_sheet())})
    write_workbook(folder / "区司法局2024年部门决算.xlsx",
                   {"总表": without_department_line(summary_sheet(unit="元", scale=10000)),
                    "支出": without_department_line(expenditure_sheet(unit="元", scale=10000))})
    for name in extra:
        write_workbook(folder / name, {"支出": without_department_line(expenditure_sheet())})


def test_files_that_name_different_departments_are_never_compared(tmp_path):
    two_departments(tmp_path)
    result = pipeline.run(tmp_path)
    assert sorted(g.name for g in result.groups) == ["区司法局 2024", "区民政局 2024"]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_file_whose_department_cannot_be_told_is_kept_apart_with_one_warning(tmp_path):
    two_departments(tmp_path, "2024年决算.xlsx")
    result = pipeline.run(tmp_path)
    assert [(f.rule, f.severity, f.ref.file, f.ref.cell) for f in result.findings if f.severity != Severity.INFO] == [
        ("BK230", Severity.WARNING, "2024年决算.xlsx", "A1")]


def test_a_workbook_names_its_department_in_the_file_name_or_a_header_line_alike(tmp_path):
    from budgetkit.grouping import group_tables
    from standard_tables import expenditure_sheet, summary_sheet
    write_workbook(tmp_path / "区民政局2024年部门决算.xlsx", {"总表": without_department_line(summary_sheet())})
    rows, merges = expenditure_sheet()
    rows[1] = ["部门：上海市普陀区民政局", None, None, None, "单位：万元"]
    write_workbook(tmp_path / "2024年支出决算表.xlsx", {"支出": (rows, merges)})
    groups = group_tables(pipeline.run(tmp_path).tables)
    assert [len(g.tables) for g in groups] == [2]


# --- 10. A table continued on another sheet ---------------------------------------------------

def expenditure_over_two_sheets(second_title: str | None, header_repeated: bool = True) -> dict:
    from standard_tables import expenditure_sheet, summary_sheet
    rows, merges = expenditure_sheet()
    header, body = rows[:5], rows[5:]   # title, 部门 line, two header rows; 合计 first, then the lines
    first = (header + body[:5], merges)
    rest = ([[second_title] + [None] * 4] if second_title else []) + (header[2:] if header_repeated else []) + body[5:]
    return {"总表": summary_sheet(), "支出": first, "支出2": (rest, [])}


@pytest.mark.parametrize(("second_title", "header_repeated"),
                         [("支出决算表（续）", True), ("支出决算表(续表)", True), (None, True), (None, False),
                          ("续表", False)],
                         ids=["titled 续", "titled 续表", "untitled, header repeated", "bare lines, as a PDF's next page",
                              "marked 续表, no header"])
def test_a_table_continued_on_the_next_sheet_is_one_table(tmp_path, second_title, header_repeated):
    write_workbook(tmp_path / "决算.xlsx", expenditure_over_two_sheets(second_title, header_repeated))
    result = pipeline.run(tmp_path)
    spending = [t for t in result.tables if t.kind == TableKind.EXPENDITURE]
    assert len(spending) == 1
    assert [r.code for r in spending[0].rows if r.code][-1] == "2080506"
    assert {r.label_ref.sheet for r in spending[0].rows} == {"支出", "支出2"}
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_wrong_line_on_a_bare_continuation_sheet_is_found_at_its_cell(tmp_path):
    sheets = expenditure_over_two_sheets(None, header_repeated=False)
    rows, merges = sheets["支出2"]
    rows[0] = [rows[0][0], rows[0][1], 99.0] + list(rows[0][3:])   # the first continued line's 本年支出合计
    write_workbook(tmp_path / "决算.xlsx", {**sheets, "支出2": (rows, merges)})
    result = pipeline.run(tmp_path)
    assert ("BK101", "支出2", "C1") in {(f.rule, f.ref.sheet, f.ref.cell) for f in result.findings}


@pytest.mark.parametrize("case", ["table ends with its notes", "a figure outside the table's columns",
                                  "text above the lines"])
def test_bare_lines_after_a_whole_table_are_no_continuation(tmp_path, case):
    """Only a table cut off at the end of its sheet goes on with bare lines on the next one."""
    from standard_tables import expenditure_sheet
    rows, merges = expenditure_sheet()
    whole = (rows, merges)
    lines = [list(r) for r in rows[5:8]]
    if case == "table ends with its notes":
        sheets = {"支出": whole, "测算": (lines, [])}
    else:
        cut = (rows[:-1], merges)   # no 注 line: the table reaches the end of its sheet
        if case == "a figure outside the table's columns":
            lines[0] += [None, None, None, 7.0]
        else:
            lines.insert(0, ["自行测算"])
        sheets = {"支出": cut, "测算": (lines, [])}
    write_workbook(tmp_path / "决算.xlsx", sheets)
    loaded = pipeline.run(tmp_path)
    assert [(t.sheet, len(t.rows)) for t in loaded.tables] == [("支出", 10)]
    assert loaded.files[0].unrecognised_sheets == ["测算"]


@pytest.mark.parametrize("name, year", [("putuo_social_work_2024_final.xlsx", 2024), ("决算-2024.xls", 2024),
                                        ("区科协2022年部门决算.xlsx", 2022), ("表20241.xlsx", None),
                                        ("2025年8月公开-区科协2024年度部门决算.xlsx", 2024)])
def test_a_table_without_a_year_in_its_title_takes_the_year_of_its_file_name(tmp_path, name, year):
    from standard_tables import expenditure_sheet
    write_workbook(tmp_path / name, {"支出": expenditure_sheet()})
    (table,) = pipeline.run(tmp_path).tables
    assert table.year == year


@pytest.mark.parametrize("line", ["部门：测试局    编制日期：2025年3月15日", "编制单位：测试局 填报人：张三 单位：万元",
                                  "部门：测试局  日期：2025年3月"])
def test_a_date_or_another_field_on_the_department_line_is_neither_the_name_nor_the_year(tmp_path, line):
    from standard_tables import expenditure_sheet
    rows, merges = expenditure_sheet()
    rows = [list(r) for r in rows]
    rows[1] = [line] + [None] * (len(rows[1]) - 1)
    write_workbook(tmp_path / "决算.xlsx", {"支出": (rows, merges)})
    (table,) = pipeline.run(tmp_path).tables
    assert (table.department, table.year) == ("测试局", None)


def test_a_code_with_a_digit_missing_is_named_once_not_summed_as_a_missing_line(tmp_path):
    # 2080506 typed as 208056: one BK511 warning at the code; 20805 and 208 are not judged without it.
    folder = crafted_folder(tmp_path)
    book = openpyxl.load_workbook(folder / FINAL_NAME)
    rows = book[S_SPENDING]
    rows.insert_rows(10)
    for column, value in zip("ABCDE", ("2080505", "机关事业单位基本养老保险缴费支出", 300_000, 300_000, None)):
        rows[f"{column}10"].value = value
    rows.insert_rows(11)
    for column, value in zip("ABCDE", ("208056", "机关事业单位职业年金缴费支出", 166_700, 166_700, None)):
        rows[f"{column}11"].value = value
    book.save(folder / FINAL_NAME)
    result = pipeline.run(folder)
    assert [(f.rule, f.severity, f.ref.cell) for f in questioned(result)] == [
        ("BK511", Severity.WARNING, "A11")]
    assert any("20805" in note for note in notes_of(result, "BK103"))


def test_a_department_and_its_subordinate_unit_in_one_folder_are_two_departments(tmp_path):
    from budgetkit.grouping import group_tables
    from standard_tables import expenditure_sheet, summary_sheet
    for name, department, unit, scale in (("福田区城市管理局2024年部门决算.xlsx", "福田区城市管理局", "万元", 1),
                                          ("福田区城市管理局信息中心2024年单位决算.xlsx", "福田区城市管理局信息中心", "元", 10000)):
        sheets = {"总表": summary_sheet(unit=unit, scale=scale), "支出": expenditure_sheet(unit=unit, scale=scale)}
        for rows, _ in sheets.values():
            rows[1][0] = f"部门：{department}"
        write_workbook(tmp_path / name, sheets)
    result = pipeline.run(tmp_path)
    assert sorted(g.name for g in group_tables(result.tables)) == ["福田区城市管理局 2024", "福田区城市管理局信息中心 2024"]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


# --- 13. Titles of narrower tables that end in a standard table's title ------------------------

@pytest.mark.parametrize(("title", "kind"), [
    ("财政拨款支出决算明细表", None),  # Sichuan 表5: 财政拨款 money only, often by 经济分类
    ("表2-1财政拨款支出决算明细表", None),
    ("一般公共预算财政拨款项目支出决算表", None),  # Yunnan 表七
    ("政府性基金预算财政拨款“三公”经费支出决算表", None),
    ("政府性基金预算“三公”经费支出预算表", None),  # Sichuan 4-1
    ("测试县科技馆2023年度支出决算表", TableKind.EXPENDITURE),
    ("一般公共预算财政拨款“三公”经费支出决算表", TableKind.THREE_PUBLIC),
    ("财政拨款“三公”经费支出决算表", TableKind.THREE_PUBLIC),
    ("一般公共预算财政拨款“三公”经费情况表", TableKind.THREE_PUBLIC),
    ("一般公共预算财政拨款基本支出决算明细表", TableKind.BASIC_EXPENDITURE),
    ("一般公共预算“三公”经费支出预算表", TableKind.BUDGET_THREE_PUBLIC),
    ("政府性基金预算财政拨款收入支出决算表", TableKind.GOV_FUND),
    ("一般公共预算财政拨款收入支出决算表", TableKind.GP_EXPENDITURE),
    ("2025年一般公共预算财政拨款基本支出预算表", TableKind.BUDGET_BASIC),  # 财政拨款: all a fund's money is
    ("政府性基金预算财政拨款收入支出决算表", TableKind.GOV_FUND),
    ("2022年度财政拨款项目支出绩效自评表", TableKind.PROJECT_SELF_EVAL),  # a form's title names its project
    ("2025年项目支出总表", None),  # the bare budget titles (支出总表, 收支总表) name no narrower table
    ("2025年基本支出总表", None),
    ("2025年财政拨款收支总表", TableKind.BUDGET_FISCAL_SUMMARY),
    ("2024年度收入支出决算总表", TableKind.SUMMARY),
    # the 2016 财政部 sample budget tables' "…（总体）情况表" (audit20), and other budget wordings
    ("2025年部门收支总体情况表", TableKind.BUDGET_SUMMARY),
    ("2025年部门收入总体情况表", TableKind.BUDGET_INCOME),
    ("2025年部门支出总体情况表", TableKind.BUDGET_EXPENDITURE),
    ("2025年财政拨款收支总体情况表", TableKind.BUDGET_FISCAL_SUMMARY),
    ("2025年一般公共预算支出情况表", TableKind.BUDGET_GP_EXPENDITURE),
    ("2025年一般公共预算基本支出情况表", TableKind.BUDGET_BASIC),
    ("2025年政府性基金预算支出情况表", TableKind.BUDGET_GOV_FUND),
    ("2025年国有资本经营预算支出情况表", TableKind.BUDGET_STATE_CAPITAL),
    ("2025年“三公”经费及机关运行经费预算表", TableKind.BUDGET_THREE_PUBLIC),
    ("2025年一般公共预算基本支出经济分类表", TableKind.BUDGET_BASIC),
    ("2017年度部门收入决算总表", TableKind.INCOME),  # Chongqing's (audit17 b2)
    ("2017年度部门支出决算总表", TableKind.EXPENDITURE),
    ("2017年度部门收支决算总表", TableKind.SUMMARY),
    ("政府性基金预算财政拨款收支决算表", TableKind.GOV_FUND),
    ("2024年度收入支出决算总体情况表", None),  # a 决算 title: no budget table, whatever its other words
])
def test_a_title_naming_a_fund_or_part_its_kind_never_prints_is_not_that_kind(title, kind):
    from budgetkit.load.kinds import match_title
    from budgetkit.text import normalize

    spec = match_title(normalize(title))
    assert (spec.kind if spec else None) == kind


def fiscal_detail_by_economic_class() -> tuple[list, list]:
    """Sichuan's 财政拨款支出决算明细表: 财政拨款 spending by 经济分类, beside the all-funds 支出决算表."""
    rows = heading("财政拨款支出决算明细表", 6) + [
        ["科目编码", "科目名称", "合计", "人员经费", "公用经费", "项目支出"],
        ["301", "工资福利支出", 1_100_000, 1_100_000, None, None],
        ["30101", "基本工资", 1_100_000, 1_100_000, None, None],
        ["302", "商品和服务支出", 800_000, None, 300_000, 500_000],
        ["30201", "办公费", 800_000, None, 300_000, 500_000]]
    return rows, ["A1:F1", "A2:E2"]


def fund_three_public_left_empty() -> tuple[list, list]:
    rows, merges = three_public_sheet()
    rows[0][0] = "政府性基金预算财政拨款“三公”经费支出决算表"
    rows[-1] = [0] * 12
    return rows, merges


def test_narrower_tables_printed_beside_the_standard_set_are_not_read_as_standard_tables(tmp_path):
    folder = crafted_folder(tmp_path)
    write_workbook(folder / "测试县科技馆2023年部门决算附表.xlsx",
                   {"表5": fiscal_detail_by_economic_class(), "表4-1": fund_three_public_left_empty()})
    result = pipeline.run(folder)
    extra = next(f for f in result.files if "附表" in f.source.relative)
    assert (extra.tables, extra.unrecognised_sheets) == ([], ["表5", "表4-1"])
    assert [t.sheet for t in result.tables if t.kind == TableKind.THREE_PUBLIC] == [S_THREE]
    assert questioned(result) == []



def test_a_narrower_table_ends_the_table_above_it_and_is_no_continuation_of_it(tmp_path):
    # The 支出决算表 with the 明细表 right under it (no 注 line between), then a sheet holding only
    # the empty 政府性基金 "三公" table after the "三公" sheet, its header the same as that table's.
    spending, _ = crafted_spending_sheet()
    detail, _ = fiscal_detail_by_economic_class()
    three_public, three_merges = three_public_sheet()
    fund_three_public, fund_merges = fund_three_public_left_empty()
    fund_three_public[-1] = [None] * 12
    write_workbook(tmp_path / "决算.xlsx", {S_SPENDING: (spending + detail, []), S_THREE: (three_public, three_merges),
                                            "表4-1": (fund_three_public, fund_merges)})
    result = pipeline.run(tmp_path)
    assert [(t.kind, t.sheet, len(t.rows)) for t in result.tables] == [
        (TableKind.EXPENDITURE, S_SPENDING, 9), (TableKind.THREE_PUBLIC, S_THREE, 1)]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_narrower_table_beside_a_standard_one_keeps_its_columns_to_itself(tmp_path):
    spending, _ = crafted_spending_sheet()
    detail, _ = fiscal_detail_by_economic_class()
    rows = [left + [None] + (detail[index] if index < len(detail) else []) for index, left in
            enumerate(row + [None] * (5 - len(row)) for row in spending)]
    write_workbook(tmp_path / "决算.xlsx", {S_SPENDING: (rows, [])})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert (table.kind, len(table.rows), sorted(table.columns)) == (TableKind.EXPENDITURE, 9,
                                                                   ["basic", "project", "total"])
    assert [f for f in result.findings if f.severity != Severity.INFO] == []

# --- 14. Number formats that show other digits than the values hold ----------------------------

def whole_three_public(unit: str, spent: int) -> tuple[list, list]:
    """A "三公" table of whole figures: 合计 19 | 16 = 出国 0 | 0 + 车 12 | 10 + 接待 7 | 6, its 合计 决算数 (B7) as ``spent``."""
    rows, merges = three_public_sheet()
    rows[1][-1] = f"单位：{unit}"
    rows[-1] = [19, spent, 0, 0, 12, 10, 0, 0, 12, 10, 7, 6]
    return rows, merges


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_whole_figure_formatted_with_two_decimals_is_printed_to_the_cent(tmp_path, suffix):
    # 17 under #,##0.00 is printed 17.00: 1.00 off 16.00 is an error, not a rounding gap of whole numbers.
    write_workbook(tmp_path / f"三公{suffix}", {"三公": whole_three_public("万元", 17)}, number_format="#,##0.00")
    result = pipeline.run(tmp_path)
    assert [(f.rule, f.severity, f.ref.cell, f.stated, f.expected) for f in result.findings] == [
        ("BK141", Severity.ERROR, "B7", Decimal(17), Decimal(16))]
    assert result.tables[0].rows[0].values["total.final"].decimals == 2


@pytest.mark.parametrize("number_format", [None, "#,##0"])
def test_whole_figures_printed_whole_may_be_a_unit_apart_by_rounding(tmp_path, number_format):
    # General or #,##0: each whole figure may hide half a unit either way, so 17 against 0 + 10 + 6 is rounding.
    write_workbook(tmp_path / "三公.xlsx", {"三公": whole_three_public("元", 17)}, number_format=number_format)
    assert [(f.rule, f.severity, f.ref.cell) for f in pipeline.run(tmp_path).findings] == [
        ("BK141", Severity.INFO, "B7")]


def test_formula_results_are_checked_to_the_digits_their_format_shows(tmp_path):
    # 元 figures divided by 10,000 keep six decimals but show two; the 合计 was typed from what they show.
    amounts = [12.345678, 8.123456, 5.444912, 7.777777, 3.333333]
    shown_total = 37.03  # 12.35 + 8.12 + 5.44 + 7.78 + 3.33; the stored figures add up to 37.025156
    rows = [["支出构成"], ["单位：万元"], ["项目", "金额", "占比"],
            *[[f"支出{index + 1}", amount, round(amount / shown_total, 4)] for index, amount in enumerate(amounts)],
            ["合计", shown_total, 1]]
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])}, number_format="0.00")
    result = pipeline.run(tmp_path)
    assert [c.decimals for c in (result.tables[0].rows[0].values["amount"], result.tables[0].rows[-1].values["amount"])] \
        == [2, 2]
    assert [(f.rule, f.severity, f.ref.cell) for f in result.findings if f.rule == "BK303"] == [
        ("BK303", Severity.INFO, "B9")]


@pytest.mark.parametrize(("code", "decimals"), [
    ("General", None), ("@", None), ("0", 0), ("#,##0", 0), ("0.00", 2), ("#,##0.00_ ", 2), ("#,##0.00;[Red]-#,##0.00", 2),
    ("0.0000", 4), ("0%", 2), ("0.00%", 4), ('#,##0.00"万元"', 2), ("0.00E+00", None), ("yyyy-mm-dd", None),
    ("_-* #,##0.00_-;-* #,##0.00_-", 2)])
def test_the_decimals_a_number_format_shows(code, decimals):
    from budgetkit.load.number_formats import format_decimals

    assert format_decimals(code) == decimals


def test_a_custom_number_format_of_an_xlsx_is_read_by_its_code(tmp_path):
    from budgetkit.load.number_formats import NumberFormats
    from budgetkit.load.sniff import Format

    path = write_workbook(tmp_path / "t.xlsx", {"s": ([["x", 19, "text", 3.5]], [])}, number_format="0.0000_ ")
    assert NumberFormats(Format.OOXML, path).of("s") == {"B1": 4, "D1": 4}


# --- 15. A 总表's carry-over itemised under it, "其中：" on the first line only ---------------------

def summary_with_carry_over_items(closing_project: int) -> tuple[list, list]:
    """The crafted 收入支出决算总表 with 年初 200,000 = 基本 50,000 + 项目 150,000 and 年末 333,333 =
    基本 83,333 + 项目 ``closing_project`` under them, "其中：" on each first line only."""
    rows, merges = summary_sheet()
    at = next(i for i, row in enumerate(rows) if row[0] == "年初结转和结余") + 1
    rows[at:at] = [["其中：基本支出结转", 50_000, "其中：基本支出结转", 83_333],
                   ["项目支出结转和结余", 150_000, "项目支出结转和结余", closing_project],
                   ["经营结余", None, "经营结余", None]]
    return rows, merges


def test_lines_after_a_qizhong_line_are_its_list_not_lines_of_their_own(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {S_SUMMARY: summary_with_carry_over_items(250_000)})
    result = pipeline.run(tmp_path)
    items = [r for r in result.tables[0].rows if r.label in ("项目支出结转和结余", "经营结余")]
    assert {r.parent_key for r in items} == {"年初结转和结余", "年末结转和结余"}
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_an_item_of_the_carry_over_that_does_not_add_up_is_found_at_the_carry_over(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {S_SUMMARY: summary_with_carry_over_items(260_000)})
    assert findings_of(tmp_path) == [("BK114", Severity.ERROR, S_SUMMARY, "D15")]


def fiscal_with_closing_funds(closing_general: int) -> tuple[list, list]:
    """The crafted 财政拨款总表 with its 年末 250,000 itemised by fund on the 支出 side as well, unnumbered."""
    rows, merges = fiscal_sheet()
    at = next(i for i, row in enumerate(rows) if row[0] == "一、一般公共预算财政拨款" and row[2] is None)
    rows[at][2:5] = ["一般公共预算财政拨款", closing_general, closing_general]
    rows[at + 1][2] = "政府性基金预算财政拨款"
    rows[at + 2][2] = "国有资本经营预算财政拨款"
    return rows, merges


def test_the_funds_of_the_closing_carry_over_are_its_items_on_the_spending_side(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {S_FISCAL: fiscal_with_closing_funds(250_000)})
    assert findings_of(tmp_path) == []
    write_workbook(tmp_path / "决算.xlsx", {S_FISCAL: fiscal_with_closing_funds(240_000)})
    assert findings_of(tmp_path) == [("BK114", Severity.ERROR, S_FISCAL, "D10"), ("BK114", Severity.ERROR, S_FISCAL, "E10")]


# --- 16. A budget 基本支出表 listing 人员经费 and 公用经费 as subtotal lines over their groups -----------

def basic_budget_in_groups(personnel: float) -> tuple[list, list]:
    rows = [["一般公共预算基本支出表"], ["部门：测试县科技馆", None, "单位：元"], ["科目编码", "科目名称", "合计"],
            [None, "合计", 1_500_000.00],
            [None, "人员经费", personnel], ["301", "工资福利支出", 1_100_000.00], ["30101", "基本工资", 1_100_000.00],
            ["303", "对个人和家庭的补助", 100_000.00], ["30305", "生活补助", 100_000.00],
            [None, "公用经费", 300_000.00], ["302", "商品和服务支出", 300_000.00], ["30201", "办公费", 300_000.00]]
    return rows, []


def test_subtotal_lines_heading_each_group_are_the_personnel_and_public_totals(tmp_path):
    write_workbook(tmp_path / "预算.xlsx", {"表6": basic_budget_in_groups(1_200_000.00)})
    result = pipeline.run(tmp_path)
    assert [(r.label, r.key) for r in result.tables[0].rows if r.key] == [("人员经费", "personnel_total"),
                                                                          ("公用经费", "public_total")]
    assert next(c for c in result.coverage if c.rule.code == "BK131").ran
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_personnel_subtotal_that_is_no_sum_of_its_group_is_an_error(tmp_path):
    write_workbook(tmp_path / "预算.xlsx", {"表6": basic_budget_in_groups(1_201_000.00)})
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in pipeline.run(tmp_path).findings
            if f.rule == "BK131"] == [("BK131", "C5", Decimal("1201000.00"), Decimal("1200000"))]



# --- 17. What a 其中 list, a group heading or a ratio heading must not take in -----------------------

def test_a_one_line_qizhong_ends_at_the_next_class_line(tmp_path):
    spending = [["社会保障和就业支出", 255.36], ["其中：行政事业单位养老支出", 255.36], ["卫生健康支出", 93.66],
                ["城乡社区支出", 900.00], ["支出总计", 1249.02]]
    rows = heading("部门收支总表", 4, unit="万元") + [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]]
    income = [["一般公共预算拨款收入", 1249.02], [None, None], [None, None], [None, None], ["收入总计", 1249.02]]
    rows += [left + right for left, right in zip(income, spending)]
    write_workbook(tmp_path / "预算.xlsx", {"表1": (rows, [])})
    assert [f for f in pipeline.run(tmp_path).findings if f.severity != Severity.INFO] == []


def test_an_unnumbered_line_after_a_list_that_makes_up_its_line_is_a_line_of_its_own(tmp_path):
    spending = [["基本支出", 2101.89], ["其中：人员经费", 1926.24], ["公用经费", 175.65], ["项目支出", 2496.00],
                ["支出总计", 4597.89]]
    rows = heading("部门收支总表", 4, unit="万元") + [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]]
    income = [["一般公共预算拨款收入", 4597.89], [None, None], [None, None], [None, None], ["收入总计", 4597.89]]
    rows += [left + right for left, right in zip(income, spending)]
    write_workbook(tmp_path / "预算.xlsx", {"表1": (rows, [])})
    result = pipeline.run(tmp_path)
    assert [(r.label, r.parent_key) for r in result.tables[0].rows if r.side == Side.EXPENDITURE][:4] == [
        ("基本支出", None), ("其中：人员经费", "基本支出"), ("公用经费", "基本支出"), ("项目支出", None)]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_group_heading_printing_no_figure_is_no_subtotal(tmp_path):
    rows = [["一般公共预算基本支出表"], ["部门：测试县科技馆", None, None, None, "单位：元"],
            ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            [None, "合计", 1_500_000.00, 1_200_000.00, 300_000.00],
            [None, "一、人员经费", None, None, None], ["301", "工资福利支出", 1_200_000.00, 1_200_000.00, None],
            [None, "二、公用经费", None, None, None], ["302", "商品和服务支出", 300_000.00, None, 300_000.00]]
    write_workbook(tmp_path / "预算.xlsx", {"表6": (rows, [])})
    result = pipeline.run(tmp_path)
    assert [r.key for r in result.tables[0].rows if r.key] == []
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_a_share_column_headed_as_a_ratio_is_read(tmp_path):
    rows = [["收入构成"], ["单位：万元"], ["收入项目", "金额", "比率（%）"], ["财政拨款收入", 150.00, 75],
            ["事业收入", 50.00, 35], ["合计", 200.00, 100]]
    write_workbook(tmp_path / "测算.xlsx", {"s": (rows, [])})
    assert errors_and_warnings(pipeline.run(tmp_path)) == [("BK301", "C5", Decimal(35)), ("BK302", "C6", Decimal(110))]


@pytest.mark.parametrize(("figures", "decimals"), [(10, 2), (100_001, 0)])
def test_number_formats_are_read_for_a_table_of_up_to_100000_figures(tmp_path, figures, decimals):
    # A longer table keeps the digits its values show: its formats would cost 120 MB and seconds to read.
    from budgetkit.load.number_formats import NumberFormats
    from budgetkit.load.regions import SheetView
    from budgetkit.load.sniff import Format
    from budgetkit.load.tables import _Figures
    from budgetkit.model import SheetGrid

    path = write_workbook(tmp_path / "t.xlsx", {"s": ([[19.0]], [])}, number_format="#,##0.00")
    view = SheetView(SheetGrid("s", [[19.0]], []), formats=NumberFormats(Format.OOXML, path))
    figures_read = _Figures("t.xlsx", view)
    for _ in range(figures):
        figures_read.add("amount", 19.0, "A1")
    assert {cell.decimals for cell in figures_read.cells()} == {decimals}


# Other provinces' 预算 titles for the corpus's nine tables, in its sheet order.
BUDGET_TITLE_FAMILIES = {
    "shaanxi": ("部门综合预算收支总表", "部门综合预算收入总表", "部门综合预算支出总表", "部门综合预算财政拨款收支总表",
                "部门综合预算一般公共预算支出明细表（按支出功能分类科目）", "部门综合预算政府性基金收支表",
                "部门综合预算国有资本经营预算收支表", "部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）",
                "部门综合预算一般公共预算“三公”经费支出表"),
    "guizhou": ("某区农业农村委员会2025年收支总表", "2025年收入总表", "2025年支出总表", "2025年财政拨款收支总表",
                "2025年一般公共预算支出表", "2025年政府性基金预算支出表", "2025年国有资本经营预算支出表",
                "2025年一般公共预算基本支出明细表（按经济分类）", "2025年一般公共预算“三公”经费支出表"),
    # the 2016 财政部 sample budget (audit20): its "三公" title names no stage
    "mof2016": ("2025年部门收支总体情况表", "2025年部门收入总体情况表", "2025年部门支出总体情况表", "2025年财政拨款收支总体情况表",
                "2025年一般公共预算支出情况表", "2025年政府性基金预算支出情况表", "2025年国有资本经营预算支出情况表",
                "2025年一般公共预算基本支出情况表", "2025年一般公共预算“三公”经费支出情况表"),
    "misc": ("2025年部门收入支出预算总表", "2025年部门收入预算总表", "2025年部门支出预算总表", "2025年部门财政拨款收支预算总表",
             "一般公共预算财政拨款支出表", "2025年部门政府性基金预算支出功能分类预算表",
             "2025年部门国有资本经营预算支出功能分类预算表", "一般公共预算财政拨款基本支出表", "财政拨款“三公”经费支出预算表"),
}


def _retitled(folder, rendering, titles: tuple[str, ...]) -> None:
    """The corpus's one workbook written to ``folder``, each sheet's title (A1) replaced by ``titles`` in order."""
    (name, sheets), = rendering.files.items()
    write_workbook(folder / name, sheets)
    book = openpyxl.load_workbook(folder / name)
    for sheet, title in zip(book.worksheets, titles):
        sheet["A1"] = title
    book.save(folder / name)


@pytest.mark.parametrize("family", sorted(BUDGET_TITLE_FAMILIES))
def test_budget_tables_under_other_provinces_titles_are_each_recognised_and_quiet(tmp_path, family):
    """Shaanxi's 部门综合预算… titles, Guizhou's bare 收支总表 / 收入总表 / 支出总表 and …明细表（按经济分类）,
    and 部门收入支出预算总表 (read as the 支出 table by its longest alias, 支出预算总表, then called
    empty: a false BK151). Unread, every error in them went unseen."""
    from layout_corpus import Traits, render_disclosure
    _retitled(tmp_path, render_disclosure(Traits(), "预算"), BUDGET_TITLE_FAMILIES[family])
    result = pipeline.run(tmp_path)
    assert [t.kind for t in result.tables] == [
        TableKind.BUDGET_SUMMARY, TableKind.BUDGET_INCOME, TableKind.BUDGET_EXPENDITURE, TableKind.BUDGET_FISCAL_SUMMARY,
        TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_GOV_FUND, TableKind.BUDGET_STATE_CAPITAL,
        TableKind.BUDGET_BASIC, TableKind.BUDGET_THREE_PUBLIC]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


# Chongqing's 2016–2017 决算 titles (audit17 b2): 部门…决算总表 for the income and spending tables, 收支 for 收入支出.
FINAL_TITLE_FAMILIES = {
    "chongqing": ("部门收支决算总表", "部门收入决算总表", "部门支出决算总表", "财政拨款收支决算总表",
                  "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表", "部门“三公”经费支出决算表",
                  "政府性基金预算财政拨款收支决算表", "国有资本经营预算财政拨款收支决算表"),
}


@pytest.mark.parametrize("family", sorted(FINAL_TITLE_FAMILIES))
@pytest.mark.parametrize("plant", [None, "summary_class_differs_from_expenditure", "fund_rollforward_broken"])
def test_final_tables_under_other_provinces_titles_are_each_recognised(tmp_path, family, plant):
    """部门收入决算总表 and 部门支出决算总表 named no table (收入决算表 is not in them), nor did the funds' 收支决算表:
    three of the nine tables went unread, and every error in them unseen."""
    from layout_corpus import Traits, render_disclosure
    rendering = render_disclosure(Traits(), "决算", plant=plant)
    _retitled(tmp_path, rendering, FINAL_TITLE_FAMILIES[family])
    result = pipeline.run(tmp_path)
    assert [t.kind for t in result.tables] == [
        TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE, TableKind.FISCAL_SUMMARY, TableKind.GP_EXPENDITURE,
        TableKind.BASIC_EXPENDITURE, TableKind.THREE_PUBLIC, TableKind.GOV_FUND, TableKind.STATE_CAPITAL]
    loud = {(f.rule, f.ref.sheet, f.ref.cell) for f in result.findings if f.severity != Severity.INFO}
    if plant is None:
        assert loud == set()
    else:
        assert (rendering.planted.rule, rendering.planted.sheet, rendering.planted.cell) in loud


# --- Labels ending in a colon; unrounded 万元 lines beside typed totals ---------------------------

COLONED = ("总计", "本年支出合计", "年初财政拨款结转和结余", "年初结转和结余")


def _with_colons(folder) -> None:
    """Every 总表 line named in COLONED printed with a trailing '：', as lines introducing their sub-lines are."""
    for path in folder.iterdir():
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for cell in (c for row in sheet.iter_rows() for c in row):
                if isinstance(cell.value, str) and cell.value.strip() in COLONED:
                    cell.value = cell.value.strip() + "："
        book.save(path)


@pytest.mark.parametrize("plant", [None, "totals_unbalanced", "fiscal_carryover_broken"])
def test_summary_lines_ending_in_a_colon_are_the_lines_they_name(tmp_path, plant):
    """'总计：' was no 总计 (a planted 总计 error unseen), '本年支出合计：' an item summed into the 总计 (a false
    BK111), '年初财政拨款结转和结余：' no carry-over, its fund lines taken for the year's income (false BK203, BK116)."""
    from layout_corpus import Traits, render_disclosure
    rendering = render_disclosure(Traits(), "决算", plant=plant)
    rendering.write(tmp_path)
    _with_colons(tmp_path)
    result = pipeline.run(tmp_path)
    loud = {(f.rule, f.ref.sheet, f.ref.cell) for f in result.findings if f.severity != Severity.INFO}
    if plant is None:
        assert loud == set()
    else:
        expected = rendering.planted
        assert (expected.rule, expected.sheet, expected.cell) in loud


def unrounded_general_sheet(item: float = 376.5471) -> tuple[list, list]:
    """万元 lines worked out as 元 ÷ 10000 and left unrounded (123.456789), the 款, 类 and 合计 typed to the 分;
    every cell General, as a hand-made sheet keeps them."""
    rows = [["一般公共预算财政拨款支出决算表", None, None], ["部门：测试局", None, "单位：万元"],
            ["科目编码", "科目名称", "决算数"],
            ["合计", None, 1000.00], ["208", "社会保障和就业支出", 1000.00], ["20805", "行政事业单位养老支出", 1000.00],
            ["2080501", "行政单位离退休", 123.456789], ["2080505", "机关事业单位基本养老保险缴费支出", item],
            ["2080506", "机关事业单位职业年金缴费支出", 500.0]]
    return rows, ["A1:C1"]


@pytest.mark.parametrize(("item", "expected"), [(376.5471, []), (381.5471, [("BK103", "C6")])])
def test_unrounded_lines_beside_typed_totals_keep_the_printed_tables_rounding(tmp_path, item, expected):
    """1000.00 against lines adding up to 1000.003889: the 0.0039 is the rounding of the unrounded lines,
    not a gap of the 万元 table's fourth decimal (the 376.5471 was taken to say the table prints four: a
    false BK103). A line 5.00 off is still found."""
    write_workbook(tmp_path / "决算.xlsx", {"一般公共预算": unrounded_general_sheet(item)})
    assert [(rule, cell) for rule, _, _, cell in findings_of(tmp_path)] == expected


@pytest.mark.parametrize("hidden", [True, False])
def test_a_working_line_naming_a_total_among_the_lines_is_no_second_total(tmp_path, hidden):
    """'测算合计' inside the 支出决算表's lines, repeating one class's figures (hidden, as working lines
    often are: calamine reads hidden rows): it was taken for a second 合计 and held to the 总表's 本年支出合计
    (a false BK202)."""
    from layout_corpus import Traits, render_disclosure
    rendering = render_disclosure(Traits(), "决算")
    (path,) = rendering.write(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["支出决算表"]
    middle = next(r for r in range(sheet.max_row, 0, -1) if str(sheet.cell(r, 1).value or "").startswith("213"))
    sheet.insert_rows(middle)
    sheet.cell(middle, 2, "测算合计")
    for column in range(3, sheet.max_column + 1):
        sheet.cell(middle, column, sheet.cell(middle + 1, column).value)
    sheet.row_dimensions[middle].hidden = hidden
    book.save(path)
    assert findings_of(tmp_path) == []


# --- A lone 其中 line on a 总表 (2016 templates) ---------------------------------------------------

def _summary_with_of_which(of_which: list[list[object]], fiscal: float = 1018.50, opening: str = "年初结转和结余",
                           opening_figure: float = 43.39) -> tuple[list, list]:
    rows = [["收入支出决算总表", None, None, None], ["部门：某市档案局", None, None, "单位：万元"],
            ["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"],
            ["一、财政拨款收入", fiscal, "一、一般公共服务支出", 829.57], *of_which,
            ["二、事业收入", 48.21, "二、社会保障和就业支出", 98.72], ["三、其他收入", 11.41, "三、城乡社区支出", 77.05],
            [None, None, "四、住房保障支出", 78.73 + fiscal - 1018.50],
            ["本年收入合计", fiscal + 59.62, "本年支出合计", 1084.07 + fiscal - 1018.50],
            [opening, opening_figure, "年末结转和结余", 37.44], ["总计", fiscal + 103.01, "总计", fiscal + 103.01]]
    return rows, ["A1:D1", "A3:B3", "C3:D3"]


def test_a_lone_of_which_line_names_a_part_and_is_not_held_to_its_line(tmp_path):
    # "一、财政拨款收入 1,018.50 / 其中：政府性基金预算财政拨款 71.27": of which, not made of.
    write_workbook(tmp_path / "决算.xlsx", {"收入支出决算总表": _summary_with_of_which(
        [["其中：政府性基金预算财政拨款", 71.27, None, None]])})
    assert findings_of(tmp_path) == []


def test_of_which_lines_that_list_the_whole_line_are_still_held_to_it(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {"收入支出决算总表": _summary_with_of_which(
        [["其中：一般公共预算财政拨款", 947.23, None, None], ["政府性基金预算财政拨款", 71.37, None, None]])})
    assert findings_of(tmp_path) == [("BK114", Severity.ERROR, "收入支出决算总表", "B5")]


@pytest.mark.parametrize("opening", ["年初结转结余", "年初结余", "上年结余"])
def test_older_names_of_the_opening_balance_are_that_line(tmp_path, opening):
    # Unknown, the line was read as nothing: the 总计 went unchecked and 使用非财政拨款结余 was held to a 年初 of 0.
    write_workbook(tmp_path / "决算.xlsx", {"收入支出决算总表": _summary_with_of_which([], opening=opening)})
    assert findings_of(tmp_path) == []
    write_workbook(tmp_path / "决算.xlsx", {"收入支出决算总表": _summary_with_of_which([], opening=opening,
                                                                                   opening_figure=44.39)})
    # the 总计 (B11) no longer adds up: 本年收入合计 + 44.39 is 1,121.51 + 1.00
    assert findings_of(tmp_path) == [("BK112", Severity.ERROR, "收入支出决算总表", "B11")]


# --- Yunnan's vertical "三公" table with 机关运行经费 ---------------------------------------------

def _yunnan_three_public(total_final: float = 6.97) -> tuple[list, list]:
    rows = [["财政拨款“三公”经费、行政参公单位机关运行经费情况表", None, None], ["部门：某县林业和草原局", None, "单位：万元"],
            ["项目", "预算数", "决算数"], ["一、“三公”经费支出", 10, total_final], ["（一）因公出国（境）费", None, None],
            ["（二）公务用车购置及运行维护费", 8, 5.95], ["1．公务用车购置费", None, None], ["2．公务用车运行维护费", 8, 5.95],
            ["（三）公务接待费", 2, 1.02], ["二、相关统计数", None, None], ["（一）公务用车保有量（辆）", None, 3],
            ["（二）国内公务接待批次（个）", None, 41], ["三、机关运行经费支出", None, 56.47]]
    return rows, ["A1:C1"]


def test_yunnans_three_public_table_is_read_with_its_total_and_operating_costs(tmp_path):
    # Before: the title named no table, and in any title "一、“三公”经费支出" was no total, so a wrong one went unseen.
    write_workbook(tmp_path / "决算.xlsx", {"三公": _yunnan_three_public()})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    values = table.rows[0].values
    assert table.kind == TableKind.THREE_PUBLIC
    assert (values["total.final"].ref.cell, values["total.final"].value) == ("C4", Decimal("6.97"))
    assert (values["operating_costs.final"].ref.cell, values["operating_costs.final"].value) == ("C13", Decimal("56.47"))
    # 机关运行经费 has no budget in this table: it is not over a budget of nothing (BK143)
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    write_workbook(tmp_path / "决算.xlsx", {"三公": _yunnan_three_public(total_final=7.97)})
    assert findings_of(tmp_path) == [("BK141", Severity.ERROR, "三公", "C4")]


# --- A table budgetkit does not read, printed under a standard one on the same sheet --------------

def _spending_with_procurement_below(procurement_title: str = "政府采购情况表") -> tuple[list, list]:
    rows = [["支出决算表", None, None, None, None], ["部门：某市自然资源和规划局", None, None, None, "单位：万元"],
            ["项目", None, "本年支出合计", "基本支出", "项目支出"], ["功能分类科目编码", "科目名称", None, None, None],
            ["合计", None, 909.16, 751.25, 157.91], ["201", "一般公共服务支出", 803.91, 646, 157.91],
            ["20103", "政府办公厅（室）及相关机构事务", 803.91, 646, 157.91], ["2010301", "行政运行", 803.91, 646, 157.91],
            ["208", "社会保障和就业支出", 105.25, 105.25, None], ["20805", "行政事业单位养老支出", 105.25, 105.25, None],
            ["2080505", "机关事业单位基本养老保险缴费支出", 105.25, 105.25, None], [None] * 5,
            [procurement_title, None, None, None, None], ["部门：某市自然资源和规划局", None, None, None, "单位：万元"],
            ["序号", "单位名称", "政府采购预算", "政府采购合同金额", "授予中小企业合同金额"],
            ["合计", None, 120, 113, 80], ["1", "某市自然资源和规划局", 120, 113, 80]]
    return rows, ["A1:E1", "A3:B3", "A5:B5", "A13:E13"]


def test_an_unread_table_under_a_read_one_is_not_read_as_its_lines(tmp_path):
    # Before: the 政府采购情况表's 合计 and unit rows were lines of the 支出决算表 (false BK101 at C16 and C17).
    write_workbook(tmp_path / "决算.xlsx", {"表1": _spending_with_procurement_below()})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert [row.label_ref.cell for row in table.rows][-1] == "A11"
    assert findings_of(tmp_path) == []


def test_a_continued_title_over_its_unit_line_goes_on_with_the_table(tmp_path):
    # A guard: "支出决算表（续）" over a 单位 line is this table going on, not another one.
    rows, merges = _spending_with_procurement_below("支出决算表（续）")
    rows[4] = ["合计", None, 961.91, 804.00, 157.91]
    rows[14:] = [["功能分类科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                 ["221", "住房保障支出", 52.75, 52.75, None], ["22102", "住房改革支出", 52.75, 52.75, None],
                 ["2210201", "住房公积金", 52.75, 52.75, None]]
    write_workbook(tmp_path / "决算.xlsx", {"表1": (rows, merges)})
    result = pipeline.run(tmp_path)
    assert [row.code for table in result.tables for row in table.rows][-3:] == ["221", "22102", "2210201"]
    assert findings_of(tmp_path) == []


def test_a_unit_printed_on_the_line_over_the_title_is_the_tables(tmp_path):
    # Some templates print "公开03表 … 单位：元" as the top line, the title under it (audit17 a4: false BK402).
    rows, merges = _spending_with_procurement_below()
    rows = [["公开03表", None, None, None, "单位：元"], rows[0], ["填报单位：某市自然资源和规划局", None, None, None, None],
            *rows[2:11]]
    write_workbook(tmp_path / "决算.xlsx", {"表1": (rows, ["A2:E2", "A4:B4", "A6:B6"])})
    result = pipeline.run(tmp_path)
    assert [t.unit.label for t in result.tables] == ["元"]
    assert findings_of(tmp_path) == []


@pytest.mark.parametrize("title", ["机关运行经费支出决算表", "会议费、培训费支出决算表"])
def test_a_table_of_one_item_of_spending_is_no_expenditure_table(tmp_path, title):
    # Titled "…费支出决算表", it was read as a second 支出决算表 and its 合计 held to the 本年支出合计.
    rows = [[title, None], ["部门：某部某直属局", "单位：万元"], ["项目", "决算数"], ["合计", 54.94], ["其中：办公费", 10.30]]
    write_workbook(tmp_path / "决算.xlsx", {"表": (rows, [])})
    result = pipeline.run(tmp_path)
    assert [t.kind for t in result.tables] == []
    assert result.files[0].unrecognised_sheets == ["表"]


def test_a_three_public_item_spent_with_its_budget_left_blank_is_over_a_budget_of_nothing(tmp_path):
    # A printed blank is a zero: 因公出国（境）费 spent 2.00 with no budget (the bench corpus's plant was found so).
    rows, merges = _yunnan_three_public(total_final=8.97)
    rows[4] = ["（一）因公出国（境）费", None, 2.00]
    write_workbook(tmp_path / "决算.xlsx", {"三公": (rows, merges)})
    assert ("BK143", Severity.WARNING, "三公", "C5") in findings_of(tmp_path)
