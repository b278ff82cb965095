"""The "三公" 经费 table however it is printed and titled: across (an item and stage per
column, one body row) or vertically (an item per row, a stage per column), under each
province's title wording. Every rendering becomes the same table of "item.stage" values,
its first row the department's, so the "三公" rules read it unchanged; a table printed by
单位 adds a row for each 单位."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.load.kinds import match_title
from budgetkit.text import normalize
from budgetkit.model import Severity, TableKind

ITEMS = ("total", "abroad", "car_total", "car_purchase", "car_operation", "reception")
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


def final_down(figures: dict[str, tuple], counts: bool = True) -> tuple[list, list]:
    """The vertical 决算 layout: 项目 | 预算数 | 决算数, the count lines (团组数, 保有量 …) among the items."""
    f = figures
    rows = [["财政拨款“三公”经费支出决算表", None, None], ["部门：测试局", None, "单位：万元"],
            ["项目", "预算数", "决算数"],
            ["合计", *f["total"]],
            ["一、因公出国（境）费", *f["abroad"]]]
    if counts:
        rows += [["    其中：因公出国（境）团组数（个）", None, 2], ["          因公出国（境）人次数（人）", None, 9]]
    rows += [["二、公务用车购置及运行维护费", *f["car_total"]],
             ["    其中：公务用车购置费", *f["car_purchase"]],
             ["          公务用车运行维护费", *f["car_operation"]]]
    if counts:
        rows += [["    其中：公务用车保有量（辆）", None, 6]]
    rows += [["三、公务接待费", *f["reception"]],
             ["注：本表反映部门本年度“三公”经费支出预决算情况。", None, None]]
    return rows, ["A1:C1", "A2:B2", f"A{len(rows)}:C{len(rows)}"]


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


def budget_down(figures: dict[str, float]) -> tuple[list, list]:
    """The vertical budget layout (贵州, 四川): 项目 | 上年预算数 | 预算数, 机关运行经费 on its own row."""
    f = figures
    rows = [["2025年一般公共预算“三公”经费支出表", None, None], ["编制部门：测试局", None, "单位：万元"],
            ["项目", "上年预算数", "预算数"],
            ["合计", 16.0, f["total"]],
            ["1.因公出国（境）费", None, f["abroad"]],
            ["2.公务用车购置及运行费", 13.0, f["car_total"]],
            ["  其中：公务用车购置费", None, f["car_purchase"]],
            ["        公务用车运行费", 13.0, f["car_operation"]],
            ["3.公务接待费", 3.0, f["reception"]],
            ["机关运行经费", 170.0, f["operating_costs"]]]
    return rows, ["A1:C1"]


def only_table(folder):
    result = pipeline.run(folder)
    (table,) = result.tables
    return table, result.findings


def values(table) -> dict[str, tuple]:
    (row,) = table.rows
    return {m: (c.value, c.unstated) for m, c in row.values.items()}


def across_and_down(folder: Path, name: str, across_sheet, down_sheet, kind: TableKind):
    """The same figures printed across and down, each checked: the down table, after asserting
    it is the across one's kind and values, with both runs' findings."""
    write_workbook(folder / "across" / name, {"三公": across_sheet})
    write_workbook(folder / "down" / name, {"三公": down_sheet})
    across, across_findings = only_table(folder / "across")
    down, down_findings = only_table(folder / "down")
    assert down.kind == across.kind == kind
    assert values(down) == values(across)
    return down, down_findings, across_findings


def test_vertical_final_three_public_is_the_same_table_as_printed_across(tmp_path):
    down, down_findings, across_findings = across_and_down(tmp_path, "决算.xlsx", final_across(FINAL),
                                                           final_down(FINAL), TableKind.THREE_PUBLIC)
    assert values(down)["total.final"] == (Decimal("12.96"), False)
    assert values(down)["abroad.final"] == (None, False)  # blank beside stated items: zero, not unknown
    cells = {m: c.ref.cell for m, c in down.rows[0].values.items()}
    assert cells == {"total.budget": "B4", "total.final": "C4", "abroad.budget": "B5", "abroad.final": "C5",
                     "car_total.budget": "B8", "car_total.final": "C8", "car_purchase.budget": "B9",
                     "car_purchase.final": "C9", "car_operation.budget": "B10", "car_operation.final": "C10",
                     "reception.budget": "B12", "reception.final": "C12"}
    assert down_findings == across_findings == []


def test_vertical_budget_three_public_is_the_same_table_as_printed_across(tmp_path):
    down, down_findings, across_findings = across_and_down(tmp_path, "预算.xlsx", budget_across(BUDGET),
                                                           budget_down(BUDGET), TableKind.BUDGET_THREE_PUBLIC)
    assert values(down)["operating_costs.budget"] == (Decimal("175.65"), False)
    # 上年预算数 is last year's budget, not this table's figure.
    assert [c.ref.cell for c in down.rows[0].values.values()] == ["C4", "C5", "C6", "C7", "C8", "C9", "C10"]
    assert down_findings == across_findings == []


def test_vertical_three_public_total_that_differs_from_its_items_is_found_at_its_cell(tmp_path):
    write_workbook(tmp_path / "决算.xlsx", {"三公": final_down({**FINAL, "total": (15.0, 13.96)})})
    _, findings = only_table(tmp_path)
    assert [(f.rule, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in findings] == [
        ("BK141", "三公", "C4", Decimal("13.96"), Decimal("12.96"))]


def test_vertical_budget_three_public_total_that_differs_is_found_at_its_cell(tmp_path):
    write_workbook(tmp_path / "预算.xlsx", {"三公": budget_down({**BUDGET, "total": 16.3})})
    _, findings = only_table(tmp_path)
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in findings] == [
        ("BK141", "C4", Decimal("16.3"), Decimal("15.3"))]


def test_vertical_three_public_car_subtotal_that_differs_is_found_at_its_cell(tmp_path):
    figures = {**FINAL, "total": (15.0, 13.96), "car_total": (12.0, 11.83)}
    write_workbook(tmp_path / "决算.xlsx", {"三公": final_down(figures)})
    _, findings = only_table(tmp_path)
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in findings] == [
        ("BK142", "C8", Decimal("11.83"), Decimal("10.83"))]


def test_vertical_three_public_with_only_its_total_stated_leaves_the_items_unknown(tmp_path):
    blank = {item: (None, None) for item in ITEMS}
    write_workbook(tmp_path / "决算.xlsx", {"三公": final_down({**blank, "total": (1.0, 0.8)}, counts=False)})
    table, findings = only_table(tmp_path)
    assert values(table)["total.final"] == (Decimal("0.8"), False)
    assert all(values(table)[f"{item}.final"] == (None, True) for item in ("abroad", "car_total", "reception"))
    assert [f.rule for f in findings if f.rule in ("BK141", "BK142")] == []


# A 政府性基金预算“三公”经费支出表 is a second, narrower table (Sichuan 4-1), not the department's
# "三公" budget: test_accuracy_traits has it unrecognised.
BUDGET_TITLES = ("2025年一般公共预算“三公”经费支出表", "2025年财政拨款‘三公’经费预算表", '2025年一般公共预算"三公"经费支出预算表',
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
                                   "2024年度财政拨款「三公」经费决算表", "一般公共预算财政拨款“三公”经费情况表"))
def test_final_three_public_titles_with_any_quotes_are_recognised(tmp_path, title):
    rows, merges = final_across(FINAL)
    rows[0][0] = title
    write_workbook(tmp_path / "决算.xlsx", {"表": (rows, merges)})
    table, _ = only_table(tmp_path)
    assert table.kind == TableKind.THREE_PUBLIC


def test_a_three_public_title_naming_no_stage_is_the_budgets_where_it_prints_no_final_figure(tmp_path):
    """'一般公共预算“三公”经费支出情况表' titles the 2016 财政部 sample budget's table as much as a 决算's. Read as the
    决算 kind, a budget set held a 决算 table (BK219 unrun, the 决算 of its year held to it)."""
    title = "2025年一般公共预算“三公”经费支出情况表"
    write_workbook(tmp_path / "budget" / "预算.xlsx", {"表": budget_across(BUDGET, title)})
    table, findings = only_table(tmp_path / "budget")
    assert table.kind == TableKind.BUDGET_THREE_PUBLIC
    assert values(table)["total.budget"] == (Decimal("15.3"), False)
    rows, merges = final_across(FINAL)
    rows[0][0] = title
    write_workbook(tmp_path / "final" / "决算.xlsx", {"表": (rows, merges)})
    assert only_table(tmp_path / "final")[0].kind == TableKind.THREE_PUBLIC
    # in a file named a 决算, a table whose columns name no 决算数 stays the 决算's (its 实际 column unread as such)
    write_workbook(tmp_path / "named" / "2024年部门决算.xlsx", {"表": budget_across(BUDGET, title)})
    assert only_table(tmp_path / "named")[0].kind == TableKind.THREE_PUBLIC
    # the file's own name decides, not the folder it is read through
    write_workbook(tmp_path / "in" / "2024年部门决算" / "公开表.xlsx", {"表": budget_across(BUDGET, title)})
    assert only_table(tmp_path / "in")[0].kind == only_table(tmp_path / "in" / "2024年部门决算")[0].kind


def test_a_title_that_says_final_names_no_budget_table(tmp_path):
    rows, merges = budget_across(BUDGET, "2024年度部门决算“三公”经费支出表")
    write_workbook(tmp_path / "决算.xlsx", {"表": (rows, merges)})
    assert all(t.kind != TableKind.BUDGET_THREE_PUBLIC for t in pipeline.run(tmp_path).tables)


@pytest.mark.parametrize(("title", "kind"), [("2023年部门收支预算总表（含2022年决算数）", TableKind.BUDGET_SUMMARY),
                                           ("2023年一般公共预算支出表（与2022年决算对比）", TableKind.BUDGET_GP_EXPENDITURE),
                                           ("2024年度部门决算“三公”经费支出表", None)])
def test_a_budget_title_that_mentions_a_final_figure_still_names_its_table(title, kind):
    """Only a budget alias that names no stage ('三公经费支出表') is no budget table's in a title saying 决算."""
    spec = match_title(normalize(title))
    assert (spec.kind if spec else None) == kind


# Sichuan's budget "三公" table by 单位 (表3-3): a row per 单位 and the 合计 row, the department's.
UNITS = (("101001", "测试局（本级）", (7.35, None, 5.15, None, 5.15, 2.2)),
         ("101002", "测试局信息中心", (3.45, None, 2.3, None, 2.3, 1.15)))
UNITS_TOTAL = (10.8, None, 7.45, None, 7.45, 3.35)


def budget_by_units(units=UNITS, total_first: bool = False, with_total: bool = True) -> tuple[list, list]:
    """单位编码 | 单位名称 | 合计 | 因公出国（境）费 | 公务用车购置及运行费 {小计 | 购置费 | 运行费} | 公务接待费."""
    total = [[None, "合计", *UNITS_TOTAL]] if with_total else []
    body = [[code, name, *figures] for code, name, figures in units]
    body = [*total, *body] if total_first else [*body, *total]
    rows = [["2025年一般公共预算“三公”经费支出表"] + [None] * 7, ["部门：测试局"] + [None] * 6 + ["单位：万元"],
            ["单位编码", "单位名称", "合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"],
            [None] * 4 + ["小计", "公务用车购置费", "公务用车运行费", None], *body]
    merges = ["A1:H1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:G3", "H3:H4"]
    return rows, merges


BY_UNITS_TEXT = ("测试局2025年部门预算说明\n“三公”经费预算情况说明：2025年“三公”经费预算数为10.80万元，其中：因公出国（境）费0万元，"
                 "公务用车购置及运行费7.45万元，公务接待费3.35万元。\n")


@pytest.mark.parametrize(("total_first", "total_row"), [(False, 7), (True, 5)])
def test_three_public_by_units_reads_its_total_row_as_the_departments_figures(tmp_path, total_first, total_row):
    write_workbook(tmp_path / "测试局2025年部门预算.xlsx", {"三公": budget_by_units(total_first=total_first)})
    (tmp_path / "测试局2025年部门预算说明.txt").write_text(BY_UNITS_TEXT, encoding="utf-8")
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    department, *units = table.rows
    assert {m: (c.value, c.ref.cell) for m, c in department.values.items() if not c.is_blank} == {
        "total.budget": (Decimal("10.8"), f"C{total_row}"), "car_total.budget": (Decimal("7.45"), f"E{total_row}"),
        "car_operation.budget": (Decimal("7.45"), f"G{total_row}"),
        "reception.budget": (Decimal("3.35"), f"H{total_row}")}
    assert [(row.label, row.values["total.budget"].value) for row in units] == [
        ("101001 测试局（本级）", Decimal("7.35")), ("101002 测试局信息中心", Decimal("3.45"))]
    assert result.findings == []


def test_a_units_row_whose_total_differs_from_its_items_is_found_at_its_cell(tmp_path):
    wrong = (UNITS[0], ("101002", "测试局信息中心", (3.45, None, 2.3, None, 2.3, 2.15)))
    write_workbook(tmp_path / "预算.xlsx", {"三公": budget_by_units(wrong)})
    _, findings = only_table(tmp_path)
    # Its 公务接待费 (2.15, not 1.15) breaks its own row and the 合计 row's sum of the 单位 (BK144).
    assert [(f.rule, f.ref.cell, f.item, f.stated, f.expected) for f in findings] == [
        ("BK141", "C6", "101002 测试局信息中心 合计", Decimal("3.45"), Decimal("4.45")),
        ("BK144", "H7", "合计", Decimal("3.35"), Decimal("4.35"))]


def test_three_public_by_units_without_a_total_row_leaves_the_departments_figures_unstated(tmp_path):
    """No 合计 row: the department's figures are not printed (before, the first 单位's were taken
    for them, and a later 单位's error went unread). Each 单位 row is still checked on its own."""
    write_workbook(tmp_path / "测试局2025年部门预算.xlsx", {"三公": budget_by_units(with_total=False)})
    (tmp_path / "测试局2025年部门预算说明.txt").write_text(BY_UNITS_TEXT, encoding="utf-8")
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    department, *units = table.rows
    assert all(c.unstated and not c.known for c in department.values.values())
    assert [(row.label, row.values["total.budget"].value, row.values["total.budget"].ref.cell) for row in units] == [
        ("101001 测试局（本级）", Decimal("7.35"), "C5"), ("101002 测试局信息中心", Decimal("3.45"), "C6")]
    assert [f for f in result.findings if f.severity != Severity.INFO] == []


def test_without_a_total_row_a_later_units_row_that_differs_from_its_items_is_found(tmp_path):
    wrong = (UNITS[0], ("101002", "测试局信息中心", (3.45, None, 2.3, None, 2.3, 2.15)))
    write_workbook(tmp_path / "预算.xlsx", {"三公": budget_by_units(wrong, with_total=False)})
    _, findings = only_table(tmp_path)
    # No 合计 row: the department's figures are unknown, and no sum of the 单位 is held to them (BK144).
    assert [(f.rule, f.ref.cell, f.item, f.stated, f.expected) for f in findings] == [
        ("BK141", "C6", "101002 测试局信息中心 合计", Decimal("3.45"), Decimal("4.45"))]


def test_car_headings_without_fei_name_the_purchase_and_the_running_costs(tmp_path):
    """公务用车购置及运行费 {小计 | 购置 | 运行维护}: 购置 is the purchase (it was taken for the 小计, and the
    real 小计 overwritten: false BK141 and BK142)."""
    rows, merges = budget_across(BUDGET)
    rows[4] = [None, None, None, "小计", "购置", "运行维护", None]
    write_workbook(tmp_path / "预算.xlsx", {"三公": (rows, merges)})
    table, findings = only_table(tmp_path)
    assert {m: v for m, (v, _) in values(table).items()} == {
        "total.budget": Decimal("15.3"), "abroad.budget": None, "reception.budget": Decimal("2.8"),
        "car_total.budget": Decimal("12.5"), "car_purchase.budget": None, "car_operation.budget": Decimal("12.5"),
        "operating_costs.budget": Decimal("175.65")}
    assert findings == []


def test_vertical_car_lines_without_fei_are_read_and_checked(tmp_path):
    """其中：（1）公务用车购置 / （2）公务用车运行维护: money lines, not counts; the car 小计 is checked against them."""
    rows, merges = final_down({**FINAL, "car_operation": (12.0, 15.83)})
    for row in rows:
        if isinstance(row[0], str) and "公务用车购置费" in row[0]:
            row[0] = "    其中：（1）公务用车购置"
        elif isinstance(row[0], str) and "公务用车运行维护费" in row[0]:
            row[0] = "          （2）公务用车运行维护"
    write_workbook(tmp_path / "决算.xlsx", {"三公": (rows, merges)})
    table, findings = only_table(tmp_path)
    assert values(table)["car_operation.final"][0] == Decimal("15.83")
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in findings if f.severity != Severity.INFO] == [
        ("BK142", "C8", Decimal("10.83"), Decimal("15.83")),
        ("BK143", "C10", Decimal("15.83"), Decimal("12")),  # and 15.83 spent of a 12.00 budget: a warning
    ]


EMPTY_NOTE = "注：本部门2025年无一般公共预算安排的“三公”经费，故本表为空表。"


def empty_fund_by_units(note: str | None) -> tuple[list, list]:
    """An empty table in the 单位 layout (as Sichuan's 3-3 and 4-1 print it): the header, a 合计
    row with its label only, the note under it. (4-1, the 政府性基金 one, is a narrower table
    than the department's "三公" and not read as it.)"""
    rows, merges = budget_by_units(units=())
    rows[0][0] = "2025年一般公共预算“三公”经费支出表"
    rows[-1] = [None, "合计"] + [None] * 6
    if note:
        rows.append([note] + [None] * 7)
        merges = [*merges, "A6:H6"]
    return rows, merges


def test_an_empty_three_public_table_by_units_reads_its_total_row_as_body_and_its_note(tmp_path):
    write_workbook(tmp_path / "预算.xlsx", {"表4-1": empty_fund_by_units(EMPTY_NOTE)})
    table, findings = only_table(tmp_path)
    assert table.notes == (normalize(EMPTY_NOTE),)
    assert table.is_empty
    assert (table.rows[0].values["total.budget"].ref.cell, table.rows[0].values["reception.budget"].ref.cell) == (
        "C5", "H5")
    assert findings == []


def test_an_empty_three_public_table_by_units_without_a_note_is_flagged(tmp_path):
    write_workbook(tmp_path / "预算.xlsx", {"表4-1": empty_fund_by_units(None)})
    _, findings = only_table(tmp_path)
    assert [(f.rule, f.ref.cell) for f in findings] == [("BK151", "A1")]


def budget_across_years(groups: tuple[str, ...], title: str = "部门“三公”经费预算表") -> tuple[list, list]:
    """Items across, one group of columns per heading in ``groups`` (2025年预算数 | 2024年预算数,
    本年预算数 | 上年预算数 | 增减): 合计 | 因公出国（境）费 | 公务用车 (小计 | 购置费 | 运行费) | 公务接待费.
    This year's figures are BUDGET's; last year's 1.00 less on every item, the change 1.00."""
    items = ["合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"]
    year = [BUDGET[k] for k in ("total", "abroad", "car_total", "car_purchase", "car_operation", "reception")]
    last = [15.3 - 4, None, 12.5 - 2, None, 12.5 - 2, 2.8 - 1]
    change = [4.0, None, 2.0, None, 2.0, 1.0]
    figures = {"2025年预算数": year, "本年预算数": year, "2024年预算数": last, "上年预算数": last, "增减": change}
    width = 6 * len(groups)
    rows = [[title] + [None] * (width - 1), ["编制部门：测试局"] + [None] * (width - 2) + ["单位：万元"],
            [h for g in groups for h in (g, None, None, None, None, None)],
            items * len(groups), [None, None, "小计", "购置费", "运行费", None] * len(groups),
            [v for g in groups for v in figures[g]]]
    merges = []
    for g in range(len(groups)):
        a, b, c, d, e, f = (get_column_letter(6 * g + k) for k in range(1, 7))
        merges += [f"{a}3:{f}3", f"{a}4:{a}5", f"{b}4:{b}5", f"{c}4:{e}4", f"{f}4:{f}5"]
    return rows, merges


@pytest.mark.parametrize("groups", [("2025年预算数", "2024年预算数"), ("本年预算数", "上年预算数", "增减"),
                                    ("上年预算数", "本年预算数", "增减")])
def test_three_public_across_year_groups_reads_this_years_group(tmp_path, groups):
    """Before, a later group's column overwrote this year's item by item: the 2024 or 增减 figures
    were taken for the 2025 budget (false BK613 against a right 说明), and this year's were unchecked."""
    write_workbook(tmp_path / "测试局2025年部门预算.xlsx", {"三公": budget_across_years(groups)})
    table, findings = only_table(tmp_path)
    this_year = groups.index("2025年预算数" if "2025年预算数" in groups else "本年预算数")
    assert {m: (c.value, c.ref.cell) for m, c in table.rows[0].values.items() if not c.is_blank} == {
        "total.budget": (Decimal("15.3"), f"{'AGM'[this_year]}6"), "car_total.budget": (Decimal("12.5"), f"{'CIO'[this_year]}6"),
        "car_operation.budget": (Decimal("12.5"), f"{'EKQ'[this_year]}6"), "reception.budget": (Decimal("2.8"), f"{'FLR'[this_year]}6")}
    assert findings == []


def test_three_public_across_year_groups_finds_an_error_in_this_years_group_wherever_it_stands(tmp_path):
    rows, merges = budget_across_years(("本年预算数", "上年预算数", "增减"))
    rows[5][0] = 16.3
    write_workbook(tmp_path / "测试局2025年部门预算.xlsx", {"三公": (rows, merges)})
    _, findings = only_table(tmp_path)
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in findings] == [
        ("BK141", "A6", Decimal("16.3"), Decimal("15.3"))]


@pytest.mark.parametrize(("units", "expected"), [
    (UNITS, []),
    ((UNITS[0], ("101002", "测试局信息中心", (4.45, None, 3.3, None, 3.3, 1.15))),
     [("BK144", "C7", Decimal("10.8"), Decimal("11.80")), ("BK144", "E7", Decimal("7.45"), Decimal("8.45")),
      ("BK144", "G7", Decimal("7.45"), Decimal("8.45"))]),
])
def test_the_total_row_of_a_table_by_units_is_the_sum_of_its_units(tmp_path, units, expected):
    """A 单位 row right in itself (4.45 = 3.30 + 1.15) but 1.00 more than the 合计 row allows: before, no
    rule held the 合计 row to its 单位 rows, and the error went unseen."""
    write_workbook(tmp_path / "预算.xlsx", {"三公": budget_by_units(units)})
    _, findings = only_table(tmp_path)
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in findings] == expected


def test_a_units_department_line_over_its_own_units_is_summed_once(tmp_path):
    """单位编码 by level: 101 the department, 101001 and 101002 under it. Only the first level adds up
    to the 合计 row; summing all three would count every figure twice."""
    department = ("101", "测试局", UNITS_TOTAL)
    write_workbook(tmp_path / "预算.xlsx", {"三公": budget_by_units((department, *UNITS))})
    _, findings = only_table(tmp_path)
    assert findings == []


def test_a_budget_in_wan_against_a_final_in_yuan_keeps_the_budgets_rounding(tmp_path):
    """The 决算 prints 公务接待费's budget 30,040.00 元, the 部门预算 3.00 万元 (30,040 元 rounded): they agree.
    The budget was turned into 元 as 30,000.00 with the 决算's ±0.005 元, a false BK221 (+40.00 元)."""
    figures = {**FINAL, "total": (150_040.0, 129_600.0), "reception": (30_040.0, 21_300.0),
               "car_total": (120_000.0, 108_300.0), "car_operation": (120_000.0, 108_300.0)}
    final_rows, final_merges = final_across(figures)
    final_rows[1][-1] = "单位：元"
    budget = {**BUDGET, "total": 15.0, "reception": 3.0, "car_total": 12.0, "car_operation": 12.0}
    write_workbook(tmp_path / "测试局2025年度部门决算.xlsx", {"三公": (final_rows, final_merges)})
    write_workbook(tmp_path / "测试局2025年部门预算.xlsx", {"三公": budget_across(budget)})
    result = pipeline.run(tmp_path)
    # within the two printed figures' rounding (±50 元 and ±0.5 元): the 尾差 of two units, info only
    assert {(f.rule, f.ref.cell, f.severity) for f in result.findings if f.rule == "BK221"} == {
        ("BK221", "A6", Severity.INFO), ("BK221", "K6", Severity.INFO)}
