"""Issue 5 §3: layouts the first loader did not meet, each on a workbook the test writes.

Each trait is pinned with the minimal sheet that shows it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from standard_tables import expenditure_sheet
from workbook_builder import write_workbook

from budgetkit.model import Side, TableKind, Unit

CODES = ["206", "20601", "2060101", "20607", "2060702", "208", "20805", "2080505", "2080506"]


def by_code(table, measure: str) -> dict[str, Decimal | None]:
    return {row.code: row.values[measure].value for row in table.rows if row.code}


def moved_down(merges: list[str], rows: int) -> list[str]:
    moved = []
    for merge in merges:
        c0, r0, c1, r1 = range_boundaries(merge)
        moved.append(f"{get_column_letter(c0)}{r0 + rows}:{get_column_letter(c1)}{r1 + rows}")
    return moved


def test_two_tables_stacked_on_one_sheet_are_read_each_with_its_own_unit(tmp_path, load):
    upper, upper_merges = expenditure_sheet()
    lower, lower_merges = expenditure_sheet(unit="元", scale=10000)
    sheet = (upper + [[]] + lower, upper_merges + moved_down(lower_merges, len(upper) + 1))
    tables = load(write_workbook(tmp_path / "两表.xlsx", {"s": sheet})).tables
    assert [(t.kind, t.unit) for t in tables] == [(TableKind.EXPENDITURE, Unit.WAN), (TableKind.EXPENDITURE, Unit.YUAN)]
    assert by_code(tables[0], "total")["2080505"] == Decimal("13.43")
    assert by_code(tables[1], "total")["2080505"] == Decimal("134300")


def test_radical_code_points_and_full_width_brackets_in_titles_headings_and_labels(tmp_path, load):
    rows, merges = expenditure_sheet()
    rows = [list(row) for row in rows]
    rows[0][0] = "⽀出决算表"                 # U+2F40, the Kangxi radical that PDF copies give for 支
    rows[2][3], rows[2][4] = "基本⽀出", "项目⽀出（含专项）"
    rows[10][1] = "社会保障和就业⽀出"
    table = load(write_workbook(tmp_path / "部首.xlsx", {"s": (rows, merges)})).tables[0]
    assert table.kind == TableKind.EXPENDITURE and [r.code for r in table.rows if r.code] == CODES
    assert (by_code(table, "basic")["208"], by_code(table, "project")["206"]) == (Decimal("20.15"), Decimal("30"))


@pytest.mark.parametrize("name", ["Z04 支出决算表(财决04表)", "一般公共预算财政拨款基本支出决算明细表(财决08-"])
def test_software_and_truncated_sheet_names_do_not_matter(tmp_path, load, name):
    assert len(name) <= 31
    table = load(write_workbook(tmp_path / "财决.xlsx", {name: expenditure_sheet()})).tables[0]
    assert (table.sheet, table.kind) == (name, TableKind.EXPENDITURE)


def test_negatives_in_parentheses_percent_text_trailing_units_and_four_decimal_wan(tmp_path, load):
    rows, merges = expenditure_sheet()
    rows = [list(row) for row in rows]
    rows[12][2:5] = ["13.4312", "13.4300", "0.0012万元"]
    rows[13][2:5] = ["6.7200万元", "(0.50)", "7.22%"]
    table = load(write_workbook(tmp_path / "数字.xlsx", {"s": (rows, merges)})).tables[0]
    assert [row.values[m].value for row in table.rows if row.code == "2080505" for m in ("total", "basic", "project")] \
        == [Decimal("13.4312"), Decimal("13.4300"), Decimal("0.0012")]
    assert [row.values[m].value for row in table.rows if row.code == "2080506" for m in ("total", "basic", "project")] \
        == [Decimal("6.7200"), Decimal("-0.50"), Decimal("0.0722")]


def test_a_table_continued_after_a_repeated_header_has_only_its_own_lines(tmp_path, load):
    rows, merges = expenditure_sheet()
    header, body = rows[2:4], rows[4:-1]
    continued = rows[:4] + body[:5] + [list(line) for line in header] + body[5:] + rows[-1:]
    table = load(write_workbook(tmp_path / "续表.xlsx", {"s": (continued, merges)})).tables[0]
    assert by_code(table, "total")["2080506"] == Decimal("6.72")
    assert [row.label for row in table.rows if not row.code] == ["合计"]


def test_a_summary_laid_out_top_to_bottom_reads_the_expenditure_block_as_expenditure(tmp_path, load):
    rows = [["收入支出决算总表", None], ["部门：测试局", "单位：万元"],
            ["收入", None], ["项目", "决算数"],
            ["一、一般公共预算财政拨款收入", 145.58], ["本年收入合计", 145.58], ["年初结转和结余", 0.84], ["总计", 146.42],
            ["支出", None], ["项目", "决算数"],
            ["一、科学技术支出", 125.43], ["二、社会保障和就业支出", 20.15],
            ["本年支出合计", 145.58], ["年末结转和结余", 0.84], ["总计", 146.42]]
    table = load(write_workbook(tmp_path / "总表.xlsx", {"s": (rows, ["A1:B1"])})).tables[0]
    assert table.line("income_total", Side.INCOME).values["amount"].value == Decimal("145.58")
    assert table.line("expenditure_total", Side.EXPENDITURE).values["amount"].value == Decimal("145.58")
    assert {r.code for r in table.rows_on(Side.EXPENDITURE) if r.code} == {"206", "208"}


def test_a_title_in_traditional_characters_is_recognised(tmp_path, load):
    rows, merges = expenditure_sheet()
    rows = [["支出決算表"] + list(rows[0][1:])] + rows[1:]
    assert [t.kind for t in load(write_workbook(tmp_path / "繁体.xlsx", {"s": (rows, merges)})).tables] == [
        TableKind.EXPENDITURE]


def test_a_year_written_in_chinese_numerals_is_read(tmp_path, load):
    rows, merges = expenditure_sheet()
    rows = [["二〇二二年度支出决算表"] + list(rows[0][1:])] + rows[1:]
    assert load(write_workbook(tmp_path / "年度.xlsx", {"s": (rows, merges)})).tables[0].year == 2022


def _basic_beside_three_public(three_public_final_total: float = 2.5) -> tuple[list, list]:
    """A 基本支出表 (A:C) and a "三公" table (E:G) side by side on one sheet, an empty column between."""
    rows = [
        ["一般公共预算财政拨款基本支出决算表", None, None, None, "财政拨款“三公”经费支出决算表"],
        ["部门：测试局", None, "单位：万元", None, "单位：万元"],
        ["科目编码", "科目名称", "决算数", None, "项目", "预算数", "决算数"],
        ["301", "工资福利支出", 100.00, None, "合计", 3.00, three_public_final_total],
        ["30101", "基本工资", 60.00, None, "因公出国（境）费", 0, 0],
        ["30102", "津贴补贴", 40.00, None, "公务接待费", 1.00, 0.50],
        ["302", "商品和服务支出", 20.00, None, "公务用车购置及运行费", 2.00, 2.00],
        ["30201", "办公费", 20.00],
        ["人员经费合计", None, 100.00],
        ["公用经费合计", None, 20.00],
    ]
    return rows, ["A1:C1", "E1:G1"]


def test_tables_side_by_side_on_one_sheet_are_each_read_in_their_own_columns(tmp_path, load):
    loaded = load(write_workbook(tmp_path / "并排.xlsx", {"表6-7": _basic_beside_three_public()}))
    basic, three = loaded.tables
    assert (basic.kind, basic.anchor, three.kind, three.anchor) == (
        TableKind.BASIC_EXPENDITURE, "A1", TableKind.THREE_PUBLIC, "E1")
    assert [(r.code or r.label, r.values["amount"].ref.cell, str(r.values["amount"].value)) for r in basic.rows] == [
        ("301", "C4", "100"), ("30101", "C5", "60"), ("30102", "C6", "40"), ("302", "C7", "20"), ("30201", "C8", "20"),
        ("人员经费合计", "C9", "100"), ("公用经费合计", "C10", "20")]
    assert {m: (c.ref.cell, str(c.value)) for m, c in three.rows[0].values.items() if m.endswith(".final")} == {
        "total.final": ("G4", "2.5"), "abroad.final": ("G5", "0"), "reception.final": ("G6", "0.5"),
        "car_total.final": ("G7", "2")}


def test_an_error_in_the_table_on_the_right_is_found_at_its_own_cell(tmp_path):
    from budgetkit.api import check

    write_workbook(tmp_path / "并排.xlsx", {"表6-7": _basic_beside_three_public(three_public_final_total=3.5)})
    findings = check(tmp_path, jobs=1).run.findings
    # Its 合计 against its items (BK141), and now above its 预算数 (BK143); nothing in the table on the left.
    assert [(f.rule, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in findings] == [
        ("BK141", "表6-7", "G4", Decimal("3.5"), Decimal("2.5")), ("BK143", "表6-7", "G4", Decimal("3.5"), Decimal("3"))]


GENERAL_ROWS = [["一般公共预算财政拨款支出决算表", None, None, None, None],
                ["部门：测试局", None, None, None, "单位：万元"],
                ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                ["201", "一般公共服务支出", 150.0, 120.0, 30.0],
                ["20101", "人大事务", 150.0, 120.0, 30.0],
                ["合计", None, 150.0, 120.0, 30.0]]


def _read(tmp_path, rows, merges):
    from budgetkit.api import check

    write_workbook(tmp_path / "表.xlsx", {"s": (rows, merges)})
    run = check(tmp_path, jobs=1).run
    return [(t.kind, t.anchor, list(t.columns)) for t in run.tables], run.findings


def test_a_full_width_table_below_tables_side_by_side_is_read_whole(tmp_path):
    pair, merges = _basic_beside_three_public()
    tables, findings = _read(tmp_path, pair + [[], []] + GENERAL_ROWS, merges + ["A13:E13"])
    assert [(kind, anchor) for kind, anchor, _ in tables] == [
        (TableKind.BASIC_EXPENDITURE, "A1"), (TableKind.THREE_PUBLIC, "E1"), (TableKind.GP_EXPENDITURE, "A13")]
    assert tables[2][2] == ["total", "basic", "project"] and findings == []


def test_a_title_like_note_beside_a_title_leaves_its_table_whole(tmp_path):
    """'（…另见公开09表）' over the table's own columns names a table, but no table stands there."""
    rows = [list(row) for row in GENERAL_ROWS]
    rows[0][4] = "（政府性基金预算财政拨款支出决算表另见公开09表）"
    tables, findings = _read(tmp_path, rows, [])
    assert tables == [(TableKind.GP_EXPENDITURE, "A1", ["total", "basic", "project"])] and findings == []


def test_two_rows_of_tables_side_by_side_are_each_split_by_their_own_columns(tmp_path):
    pair, merges = _basic_beside_three_public()
    three_public = [row[4:] for row in pair[:7]]
    lower = [general + [None] + three for general, three in zip(GENERAL_ROWS + [[None] * 5], three_public)]
    tables, findings = _read(tmp_path, pair + [[], []] + lower, merges + ["A13:E13", "G13:I13"])
    assert [(kind, anchor) for kind, anchor, _ in tables] == [
        (TableKind.BASIC_EXPENDITURE, "A1"), (TableKind.THREE_PUBLIC, "E1"),
        (TableKind.GP_EXPENDITURE, "A13"), (TableKind.THREE_PUBLIC, "G13")]
    assert tables[2][2] == ["total", "basic", "project"] and findings == []
