"""The loader finds the core tables by title and header words, in every layout trait
of issue 2 §3, and keeps each figure's source cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REAL, REPO
from standard_tables import expenditure_sheet, summary_sheet
from workbook_builder import write_workbook

from budgetkit.model import FileStatus, Side, TableKind, Unit


def values(table, measure):
    return {row.code or row.label: row.values[measure].value for row in table.rows if measure in row.values}


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_two_sided_summary_is_read_side_by_side_with_labels_matched_per_side(tmp_path, load, suffix):
    path = write_workbook(tmp_path / f"总表{suffix}", {"Sheet1": summary_sheet()})
    table = load(path).tables[0]
    assert table.kind == TableKind.SUMMARY
    assert table.unit == Unit.WAN and table.department == "测试局"
    income_total = table.line("income_total", Side.INCOME)
    assert income_total.values["amount"].value == Decimal("145.58")
    assert income_total.values["amount"].ref.cell == "B12"
    science = next(r for r in table.rows_on(Side.EXPENDITURE) if r.code == "206")
    assert (science.values["amount"].value, science.values["amount"].ref.cell) == (Decimal("125.43"), "D10")
    assert table.line("grand_total", Side.EXPENDITURE).values["amount"].ref.cell == "D15"


def test_line_number_columns_and_the_lanci_row_are_not_figures(tmp_path, load):
    path = write_workbook(tmp_path / "central.xlsx", {"公开01表": summary_sheet(with_line_numbers=True)})
    table = load(path).tables[0]
    assert set(table.columns) == {"收入:amount", "支出:amount"}
    opening = table.line("opening_balance", Side.INCOME).values["amount"]
    assert (opening.value, opening.ref.cell) == (Decimal("0.84"), "C15")
    assert table.line("grand_total", Side.INCOME).values["amount"].value == Decimal("146.42")


@pytest.mark.parametrize("split_codes", [False, True])
@pytest.mark.parametrize("total_at_bottom", [False, True])
def test_codes_in_one_cell_or_split_and_total_at_top_or_bottom_give_the_same_rows(tmp_path, load, split_codes,
                                                                                  total_at_bottom):
    sheet = expenditure_sheet(split_codes=split_codes, total_at_bottom=total_at_bottom)
    table = load(write_workbook(tmp_path / "支出.xlsx", {"表3": sheet})).tables[0]
    assert table.kind == TableKind.EXPENDITURE
    assert set(table.columns) == {"total", "basic", "project"}
    assert [r.code for r in table.rows if r.code] == ["206", "20601", "2060101", "20607", "2060702", "208", "20805",
                                                      "2080505", "2080506"]
    assert values(table, "total")["2080505"] == Decimal("13.43")
    assert table.total_row().values["basic"].value == Decimal("115.58")
    assert table.coded()["2060101"].level.value == "项"


def test_split_code_cells_inherit_blank_class_and_section_from_the_rows_above(tmp_path, load):
    rows = [["支出决算表"], ["单位：元"], ["科目编码", None, None, "科目名称", "合计"], ["类", "款", "项", None, None],
            ["208", None, None, "社会保障和就业支出", 30], [None, "05", None, "行政事业单位养老支出", 30],
            [None, None, "05", "机关事业单位基本养老保险缴费支出", 20], [None, None, "06", "职业年金", 10]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, ["A3:C3"])})).tables[0]
    assert [r.code for r in table.rows] == ["208", "20805", "2080505", "2080506"]
    assert table.unit == Unit.YUAN


def test_code_and_name_in_one_cell_are_split(tmp_path, load):
    rows = [["支出决算表"], ["单位：万元"], ["项目", "本年支出合计", "基本支出", "项目支出"],
            ["合计", 20.15, 20.15, None], ["208 社会保障和就业支出", 20.15, 20.15, None],
            ["2080505机关事业单位基本养老保险缴费支出", 20.15, 20.15, None]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])})).tables[0]
    assert [(r.code, r.label) for r in table.rows if r.code] == [
        ("208", "社会保障和就业支出"), ("2080505", "机关事业单位基本养老保险缴费支出")]


@pytest.mark.parametrize("spelled", ["{code}-{name}", "[{code}]{name}", "【{code}】{name}", "{code}：{name}",
                                     "{code}—{name}"])
def test_code_and_name_joined_as_exports_spell_them_are_split(tmp_path, load, spelled):
    """Finance software exports write the code in brackets or joined by a hyphen: the name is
    the name without them (a name starting '-' differs from the code list's), the code a code."""
    lines = [("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"), ("2080505", "机关事业单位基本养老保险缴费支出")]
    rows = [["支出决算表"], ["单位：万元"], ["项目", "本年支出合计", "基本支出", "项目支出"], ["合计", 20.15, 20.15, None]]
    rows += [[spelled.format(code=code, name=name), 20.15, 20.15, None] for code, name in lines]
    loaded = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])}))
    assert [(r.code, r.label, r.label_ref.cell) for r in loaded.tables[0].rows if r.code] == [
        (code, name, f"A{row}") for (code, name), row in zip(lines, (5, 6, 7))]


def test_numbers_stored_as_text_with_separators_full_width_digits_and_dashes(tmp_path, load):
    rows = [["支出决算表"], ["单位：元"], ["项目", "本年支出合计", "基本支出", "项目支出"],
            ["合计", "1,234,567.89", " 1,234,567.89 ", "—"], ["208 社会保障和就业支出", "１２３.４５", "-", "(1.00)"]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])})).tables[0]
    total, social = table.rows
    assert total.values["total"].value == Decimal("1234567.89")
    assert total.values["basic"].value == Decimal("1234567.89")
    assert total.values["project"].is_blank
    assert social.values["total"].value == Decimal("123.45")
    assert social.values["basic"].is_blank
    assert social.values["project"].value == Decimal("-1.00")


def test_zero_written_as_dash_nought_dash_and_a_negative_marked_with_a_triangle(tmp_path, load):
    """Accounts print a zero as '-0-' and a negative as '△30.09' (or '－0－', '△ 30.09' as typed)."""
    rows = [["支出决算表"], ["单位：万元"], ["项目", "本年支出合计", "基本支出", "项目支出"],
            ["合计", "△30.09", "-0-", "△30.09"], ["208 社会保障和就业支出", "△ 30.09", "－0－", "△30.09"]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])})).tables[0]
    assert [[(c.value, c.decimals, c.known, c.ref.cell) for c in row.values.values()] for row in table.rows] == [
        [(Decimal("-30.09"), 2, True, "B4"), (None, 2, True, "C4"), (Decimal("-30.09"), 2, True, "D4")],
        [(Decimal("-30.09"), 2, True, "B5"), (None, 2, True, "C5"), (Decimal("-30.09"), 2, True, "D5")]]


def test_three_row_merged_header_composes_paths_and_the_header_trap_row_is_absorbed(tmp_path, load):
    rows = [["支出决算表"], ["部门：测试局", None, None, "单位：万元"],
            ["项目", None, "本年支出", None],
            ["功能分类科目编码", "科目名称", None, None],
            ["合计", None, "基本支出", "项目支出"],
            ["206", "科学技术支出", 95.43, 30.0]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, ["A3:B3", "C3:D4", "A5:B5"])})).tables[0]
    assert table.columns == {"basic": "本年支出/基本支出", "project": "本年支出/项目支出"}
    assert table.coded()["206"].values["project"].ref.cell == "D6"


def test_unit_in_a_column_header_is_found(tmp_path, load):
    rows = [["2022年收入构成"], ["项目", "金额（元）", "占比"], ["事业收入", 100, 1.0], ["合计", 100, 1.0]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])})).tables[0]
    assert table.kind == TableKind.SHARES and table.unit == Unit.YUAN and table.year == 2022


def test_notes_below_the_table_are_not_rows(tmp_path, load):
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": expenditure_sheet()})).tables[0]
    assert not any("注" in r.label for r in table.rows)


def test_working_sheet_with_two_stacked_share_tables(load):
    loaded = load(REPO / "workbooks" / "区科协2022年收支构成测算表.xls")
    income, spending = loaded.tables
    assert (income.kind, income.rows[0].side, spending.rows[0].side) == (TableKind.SHARES, Side.INCOME,
                                                                          Side.EXPENDITURE)
    carry = income.rows[0]
    assert (carry.label, carry.values["amount"].value, carry.values["share"].value) == ("上年结转", Decimal("0.84"),
                                                                                        Decimal(0))
    assert carry.values["share"].decimals == 2  # a whole percent, shown as "0%"
    assert spending.rows[0].values["share"].ref.cell == "C13"
    assert spending.total_row().values["amount"].value == Decimal("163.68")


def test_share_column_holding_percent_numbers_is_read_as_fractions(tmp_path, load):
    rows = [["支出构成"], ["项目", "金额", "占比(%)"], ["科学技术支出", 125.43, 76.63], ["合计", 125.43, 100]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])})).tables[0]
    share = table.rows[0].values["share"]
    assert (share.value, share.decimals) == (Decimal("0.7663"), 4)


def test_a_sheet_without_a_budget_table_is_listed_not_an_error(tmp_path, load):
    path = write_workbook(tmp_path / "t.xlsx", {"说明": ([["本文件说明"], ["无表格"]], []),
                                                "支出": expenditure_sheet()})
    loaded = load(path)
    assert loaded.status == FileStatus.OK
    assert loaded.unrecognised_sheets == ["说明"]
    assert [t.sheet for t in loaded.tables] == ["支出"]


@pytest.mark.parametrize("name", ["putuo_social_work_2024_final.xlsx", "putuo_social_work_2024_final.xls"])
def test_real_2024_final_accounts_load_the_same_from_xlsx_and_xls(load, name):
    loaded = load(REAL / name)
    kinds = {t.kind: t for t in loaded.tables}
    assert set(kinds) == {TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE, TableKind.FISCAL_SUMMARY,
                          TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE, TableKind.THREE_PUBLIC,
                          TableKind.GOV_FUND, TableKind.STATE_CAPITAL}
    assert loaded.unrecognised_sheets == []
    summary = kinds[TableKind.SUMMARY]
    assert summary.line("income_total", Side.INCOME).values["amount"].ref.cell == "B31"
    assert summary.line("grand_total", Side.EXPENDITURE).values["amount"].value == Decimal("307.82")
    spending = kinds[TableKind.EXPENDITURE]
    assert spending.total_row().values["basic"].value == Decimal("105.58")
    assert spending.coded()["2013999"].values["project"].value == Decimal("202.24")
    income = kinds[TableKind.INCOME]
    assert income.coded()["2210203"].values["fiscal"].ref.cell == "D22"


def test_a_formula_result_with_binary_noise_is_read_as_the_sheet_shows_it():
    from budgetkit.money import parse_figure
    assert parse_figure(145.57999999999998) == (Decimal("145.58"), 2)
    assert parse_figure(0.1 + 0.2) == (Decimal("0.3"), 1)


def test_a_share_sheet_whose_label_column_has_no_heading_is_still_read(tmp_path, load):
    rows = [["支出构成"], [None, "金额", "占比"], ["科学技术支出", 125.43, 0.8616], ["社会保障和就业支出", 20.15, 0.1384],
            ["合计", 145.58, 1.0]]
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])})).tables[0]
    assert (table.kind, table.rows[0].label, table.rows[0].values["share"].ref.cell) == (
        TableKind.SHARES, "科学技术支出", "C3")


def test_the_income_side_columns_of_a_summary_are_named_by_the_income_header(tmp_path, load):
    table = load(write_workbook(tmp_path / "t.xlsx", {"s": summary_sheet()})).tables[0]
    assert table.columns == {"收入:amount": "收入/决算数", "支出:amount": "支出/决算数"}


@pytest.mark.parametrize(("said", "unit", "scale"), [("元", Unit.YUAN, 10000), ("人民币元", Unit.YUAN, 10000),
                                                    ("人民币万元", Unit.WAN, 1), ("（人民币元）", Unit.YUAN, 10000)])
def test_the_unit_is_read_with_or_without_renminbi_before_it(tmp_path, load, said, unit, scale):
    """'金额单位：人民币元' names 元 as plainly as '金额单位：元': read as 万元, every figure is 10,000 times too large."""
    path = write_workbook(tmp_path / "总表.xlsx", {"Sheet1": summary_sheet(unit=said, scale=scale)})
    table = load(path).tables[0]
    assert (table.unit, table.unit_stated) == (unit, True)
    income_total = table.line("income_total", Side.INCOME).values["amount"]
    assert (income_total.value * unit.yuan, income_total.ref.cell) == (Decimal("1455800"), "B12")


@pytest.mark.parametrize(("other", "measure"), [("上年决算数", "previous"), ("上年数", "previous"),
                                               ("比上年增减", "change"), ("增减%", "change_rate")])
def test_a_column_of_last_years_figures_or_of_the_change_is_not_this_years(tmp_path, load, other, measure):
    """'项目 | 上年决算数 | 决算数 | 项目 | 上年决算数 | 决算数': this year's figures are read whichever
    column comes first; last year's (here all 999.99) and a change column are none of them, but
    their own (BK106, BK107 check them)."""
    rows, merges = summary_sheet()
    widened = [[row[0], None, row[1], row[2], None, row[3]] for row in rows]
    widened[3] = ["项目", other, "决算数", "项目", other, "决算数"]
    for row in widened[4:]:
        row[1] = 999.99 if row[0] else None
        row[4] = 999.99 if row[3] else None
    widened[2] = ["收入", None, None, "支出", None, None]
    plain = load(write_workbook(tmp_path / "plain.xlsx", {"Sheet1": (rows, merges)})).tables[0]
    prior = load(write_workbook(tmp_path / "prior.xlsx", {"Sheet1": (widened, ["A1:F1", "A3:C3", "D3:F3"])})).tables[0]
    assert [(r.label, r.side, {m.split(":")[0]: (c.value, c.ref.cell[1:]) for m, c in r.values.items() if m != measure})
            for r in prior.rows] == \
        [(r.label, r.side, {m.split(":")[0]: (c.value, c.ref.cell[1:]) for m, c in r.values.items()})
         for r in plain.rows]
    assert {c.ref.cell[0] for r in prior.rows for m, c in r.values.items() if m != measure} == {"C", "F"}
    assert {side: prior.columns[f"{side}:{measure}"] for side in ("收入", "支出")} == {
        "收入": f"收入/{other}", "支出": f"支出/{other}"}
