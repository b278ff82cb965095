"""Loader variants of the non-core standard tables, beyond the Shanghai layouts of
the real fixtures: central "三公" column order, split economic codes, the
Yunnan 收入支出 variant of the 一般公共预算 table, and the budget side."""

from __future__ import annotations

from decimal import Decimal

from conftest import REAL
from layout_corpus import Traits, render_disclosure
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Side, Stage, TableKind, Unit


def central_three_public(figures: list[float]) -> tuple[list, list]:
    """The central template's "三公" table: all 预算数 columns, then all 决算数 columns."""
    items = ["合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"]
    sub = [None, None, "小计", "公务用车购置费", "公务用车运行费", None]
    rows = [["财政拨款“三公”经费支出决算表"] + [None] * 11, ["编制单位：测试局"] + [None] * 10 + ["金额单位：万元"],
            ["预算数"] + [None] * 5 + ["决算数"] + [None] * 5, items + items, sub + sub, figures]
    merges = ["A1:L1", "A3:F3", "G3:L3", "A4:A5", "B4:B5", "C4:E4", "F4:F5", "G4:G5", "H4:H5", "I4:K4", "L4:L5"]
    return rows, merges


def test_central_three_public_layout_groups_budget_then_final_columns(tmp_path, load):
    sheet = central_three_public([21.0, 0.0, 20.5, 0.0, 20.5, 0.5, 16.95, 0.0, 16.95, 0.0, 16.95, 0.0])
    table = load(write_workbook(tmp_path / "三公.xlsx", {"表7": sheet})).tables[0]
    assert table.kind == TableKind.THREE_PUBLIC
    values = {m: c.value for m, c in table.rows[0].values.items()}
    assert values["car_total.budget"] == Decimal("20.5") and values["car_total.final"] == Decimal("16.95")
    assert values["reception.budget"] == Decimal("0.5") and values["reception.final"] == Decimal(0)
    assert table.rows[0].values["car_operation.final"].ref.cell == "K6"
    assert pipeline.run(tmp_path).findings == []


def test_basic_expenditure_with_split_class_and_section_codes(tmp_path, load):
    rows = [["一般公共预算财政拨款基本支出决算明细表"], ["单位：万元"],
            ["人员经费", None, None, None, "公用经费", None, None, None],
            ["科目编码", None, "科目名称", "决算数", "科目编码", None, "科目名称", "决算数"],
            ["类", "款", None, None, "类", "款", None, None],
            ["301", None, "工资福利支出", 30.0, "302", None, "商品和服务支出", 5.0],
            [None, "01", "基本工资", 20.0, None, "01", "办公费", 5.0],
            [None, "13", "住房公积金", 10.0, None, None, None, None],
            ["人员经费合计", None, None, 30.0, "公用经费合计", None, None, 5.0]]
    merges = ["A3:D3", "E3:H3", "A4:B4", "E4:F4", "C4:C5", "D4:D5", "G4:G5", "H4:H5"]
    table = load(write_workbook(tmp_path / "基本.xlsx", {"s": (rows, merges)})).tables[0]
    assert table.kind == TableKind.BASIC_EXPENDITURE
    assert [r.code for r in table.rows if r.code] == ["301", "30101", "30113", "302", "30201"]
    assert table.line("public_total").values["amount"].ref.cell == "H9"
    assert pipeline.run(tmp_path).findings == []


def test_general_budget_income_and_expenditure_variant_rolls_forward(tmp_path, load):
    rows = [["一般公共预算财政拨款收入支出决算表"], ["单位：万元"],
            ["项目", None, "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"],
            ["科目编码", "科目名称", None, None, "小计", "基本支出", "项目支出", None],
            ["合计", None, 2.0, 100.0, 95.0, 60.0, 35.0, 7.0],
            ["208", "社会保障和就业支出", 2.0, 100.0, 95.0, 60.0, 35.0, 7.0]]
    merges = ["A3:B3", "C3:C4", "D3:D4", "E3:G3", "H3:H4", "A5:B5"]
    table = load(write_workbook(tmp_path / "一般.xlsx", {"s": (rows, merges)})).tables[0]
    assert table.kind == TableKind.GP_EXPENDITURE
    assert table.columns == {"opening": "年初结转和结余", "income": "本年收入", "total": "本年支出/小计",
                             "basic": "本年支出/基本支出", "project": "本年支出/项目支出", "closing": "年末结转和结余"}
    assert pipeline.run(tmp_path).findings == []

    rows[5][7] = 8.0  # 2 + 100 − 95 = 7
    write_workbook(tmp_path / "一般.xlsx", {"s": (rows, merges)})
    findings = pipeline.run(tmp_path).findings
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in findings if f.rule == "BK104"] == [
        ("BK104", "H6", Decimal("8"), Decimal("7"))]


def test_budget_tables_are_budget_stage_with_year_unit_and_sub_lines(load):
    loaded = load(REAL / "putuo_commerce_2025_budget.xlsx")
    kinds = {t.kind: t for t in loaded.tables}
    assert len(kinds) == 9 and all(t.kind.stage == Stage.BUDGET for t in loaded.tables)
    assert all(t.year == 2025 for t in loaded.tables)
    assert kinds[TableKind.BUDGET_THREE_PUBLIC].unit == Unit.WAN
    assert kinds[TableKind.BUDGET_SUMMARY].unit == Unit.YUAN
    summary = kinds[TableKind.BUDGET_SUMMARY]
    general = summary.line("general_budget", Side.INCOME)
    assert (general.parent_key, general.values["amount"].value) == ("一、财政拨款收入", Decimal("371514655"))
    basic = kinds[TableKind.BUDGET_BASIC]
    assert basic.coded()["30113"].values["total"].value == Decimal("1361034")
    assert basic.total_row().values["public"].ref.cell == "F36"


def test_fiscal_summary_carryover_sub_lines_are_keyed_by_fund(load):
    loaded = load(REAL / "putuo_social_work_2024_final.xls")
    fiscal = next(t for t in loaded.tables if t.kind == TableKind.FISCAL_SUMMARY)
    sub = fiscal.line("opening_balance.gov_fund", Side.INCOME)
    assert (sub.parent_key, sub.values["amount"].ref.cell) == ("年初财政拨款结转和结余", "B34")
    assert fiscal.line("gov_fund", Side.INCOME).values["amount"].ref.cell == "B6"
    assert fiscal.line("expenditure_total", Side.EXPENDITURE).values["general_budget"].ref.cell == "E31"


def test_a_merged_range_claiming_rows_beyond_the_sheet_is_cut_at_its_end(tmp_path, load):
    """A damaged .xls can declare a header merge down to row 260 of a 23-row sheet."""
    from budgetkit.load.recognise import tables_of
    from budgetkit.load.grid import WorkbookGrids
    from budgetkit.model import SheetGrid, SourceFile
    rows = [["支出决算表", None, None], ["单位：万元", None, None], ["项目", "本年支出合计", "基本支出"],
            ["合计", 20.15, 20.15], ["208 社会保障和就业支出", 20.15, 20.15]]
    grid = SheetGrid("s", rows, [(2, 1, 259, 1)])
    loaded = tables_of(SourceFile(tmp_path / "x.xls", "x.xls"), WorkbookGrids([grid]))
    assert loaded.unrecognised_sheets == [] and [t.kind for t in loaded.tables] == [TableKind.EXPENDITURE]


def test_over_budget_three_public_item_is_named_by_item_in_the_central_layout(tmp_path):
    write_workbook(tmp_path / "三公.xlsx",
                   {"表7": central_three_public([0.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.8, 0.0, 0.0, 0.0, 0.0, 0.8])})
    over = [f for f in pipeline.run(tmp_path).findings if f.rule == "BK143"]
    assert [(f.ref.cell, f.item) for f in over] == [("G6", "“三公”经费合计"), ("L6", "公务接待费")]
    assert over[1].message == "公务接待费：决算数 0.80 超过预算数 0.50（超出 0.30万元），请在决算说明中解释原因。"


BASIC = "一般公共预算财政拨款基本支出决算表"


def _three_blocks(folder, footer_from: str = "D", edits: dict[str, float] | None = None):
    """The corpus 决算 with its 基本支出决算表 in the central template's three blocks, each
    科目编码 | 科目名称 | 决算数: 人员经费 (A:C) | 公用经费 (D:F) | 公用经费 continued (G:I). The
    footer '公用经费合计' is merged from ``footer_from`` to H, its value in I."""
    rendering = render_disclosure(Traits(), "决算")
    (file,) = rendering.files
    rows, _ = rendering.files[file][BASIC]
    body = [row for row in rows[4:] if row[0] != "人员经费合计" and not str(row[0]).startswith("注")]
    personnel, public = [r[0:3] for r in body if r[0]], [r[3:6] for r in body if r[3]]
    blocks = [personnel, public[:8], public[8:]]
    depth = max(map(len, blocks))
    grid = [[BASIC] + [None] * 8, ["部门：某区农业农村委员会"] + [None] * 7 + ["单位：万元"],
            ["人员经费", None, None, "公用经费"] + [None] * 5, ["科目编码", "科目名称", "决算数"] * 3]
    grid += [sum((b[i] if i < len(b) else [None] * 3 for b in blocks), []) for i in range(depth)]
    footer = ["人员经费合计", None, 1882.31] + [None] * 6
    footer[ord(footer_from) - ord("A")], footer[8] = "公用经费合计", 172.18
    grid += [footer, ["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"] + [None] * 8]
    for cell, value in (edits or {}).items():
        grid[int(cell[1:]) - 1][ord(cell[0]) - ord("A")] = value
    n = len(grid)
    merges = ["A1:I1", "A2:H2", "A3:C3", "D3:I3", f"A{n - 1}:B{n - 1}", f"{footer_from}{n - 1}:H{n - 1}", f"A{n}:I{n}"]
    rendering.files[file][BASIC] = (grid, merges)
    rendering.write(folder)


def _footers(table) -> dict[str, tuple[str, str, str]]:
    return {row.key: (row.label_ref.cell, row.values["amount"].ref.cell, str(row.values["amount"].value))
            for row in table.rows if row.key}


def _quiet_basic_table(folder, footer_from: str):
    """The three-block table, checked: no error or warning anywhere; the 基本支出决算表 as read."""
    _three_blocks(folder, footer_from=footer_from)
    result = pipeline.run(folder)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    (table,) = [t for t in result.tables if t.kind == TableKind.BASIC_EXPENDITURE]
    return table


def test_a_footer_merged_across_blocks_belongs_with_the_value_at_the_end_of_its_span(tmp_path):
    table = _quiet_basic_table(tmp_path, footer_from="D")
    assert _footers(table) == {"personnel_total": ("A18", "C18", "1882.31"), "public_total": ("D18", "I18", "172.18")}
    coded = table.coded()
    assert [(code, coded[code].values["amount"].ref.cell, str(coded[code].values["amount"].value))
            for code in ("301", "302", "30211", "30226", "310", "31002")] == [
        ("301", "C5", "1872.68"), ("302", "F5", "164.2"), ("30211", "F10", "17.35"),
        ("30226", "I7", "21.56"), ("310", "I13", "7.99"), ("31002", "I14", "7.99")]


def test_a_footer_merged_within_the_last_block_reads_the_same(tmp_path):
    table = _quiet_basic_table(tmp_path, footer_from="G")
    assert _footers(table) == {"personnel_total": ("A18", "C18", "1882.31"), "public_total": ("G18", "I18", "172.18")}


def test_a_wrong_footer_merged_across_blocks_is_found_at_its_value_cell(tmp_path):
    _three_blocks(tmp_path, footer_from="D", edits={"I18": 182.18})
    result = pipeline.run(tmp_path)
    errors = sorted((f.rule, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in result.findings
                    if f.severity.value == "error")
    # 172.18 typed as 182.18: 302 + 310 is 172.19 (a published 0.01 tail), and 人员 + 公用 no
    # longer makes the 基本支出 of the 一般公共预算财政拨款支出决算表.
    assert errors == [("BK131", BASIC, "I18", Decimal("182.18"), Decimal("172.19")),
                      ("BK206", "一般公共预算财政拨款支出决算表", "D5", Decimal("2054.5"), Decimal("2064.49"))]
    bk206 = next(f for f in result.findings if f.rule == "BK206")
    assert [r.cell for r in bk206.related] == ["C18", "I18"]


def test_blocks_with_codes_split_into_class_section_item_read_each_code_and_its_amount(tmp_path, load):
    """Two 类|款|项|科目名称|金额 blocks side by side: the 项 column is a code column in the
    choice of the blocks reader and in the reader alike, never an amount."""
    rows = [["一般公共预算支出表"] + [None] * 9, ["单位：万元"] + [None] * 9,
            ["类", "款", "项", "科目名称", "金额"] * 2,
            ["201", None, None, "一般公共服务支出", 100.0, "208", None, None, "社会保障和就业支出", 50.0],
            [None, "01", None, "人大事务", 100.0, None, "05", None, "行政事业单位养老支出", 50.0],
            [None, None, "01", "行政运行", 100.0, None, None, "05", "机关事业单位基本养老保险缴费支出", 50.0]]
    (table,) = load(write_workbook(tmp_path / "预算.xlsx", {"s": (rows, [])})).tables
    assert [(r.code, r.values["amount"].ref.cell, r.values["amount"].value) for r in table.rows] == [
        ("201", "E4", 100), ("20101", "E5", 100), ("2010101", "E6", 100),
        ("208", "J4", 50), ("20805", "J5", 50), ("2080505", "J6", 50)]
