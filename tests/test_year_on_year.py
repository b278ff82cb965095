"""Year-on-year columns beside a line's figure (Hubei, Jiangsu, Guangxi budgets): 上年预算数 |
本年预算数 | 增减额 | 增长率（%）. BK106 holds the change to 本年 − 上年, BK107 the rate to the change
÷ 上年; the 上年 and 增减 columns add up like any other (BK102, BK103, BK111), the rate does not.
Before, these columns were left unread: an error in them went unseen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity, TableKind

# (code, name, 上年预算数, 本年 合计, 基本支出, 项目支出) in 元; 增减额 and 增长率 are worked out.
LINES = [("220", "自然资源海洋气象等支出", 4_861_200, 5_227_000, 3_272_000, 1_955_000),
         ("22001", "自然资源事务", 4_861_200, 5_227_000, 3_272_000, 1_955_000),
         ("2200101", "行政运行", 2_005_100, 2_156_000, 2_156_000, 0),
         ("2200150", "事业运行", 1_116_000, 1_116_000, 1_116_000, 0),
         ("2200199", "其他自然资源事务支出", 1_740_100, 1_955_000, 0, 1_955_000)]


def _rate(previous: int, this: int) -> float:
    return round((this - previous) / previous * 100, 2)


def spending_table(changed: dict[tuple[str, int], object] | None = None, year_heading: str = "上年预算数",
                   rate_as_fraction: bool = False) -> tuple[list, list]:
    """科目编码 | 科目名称 | 上年预算数 | 本年预算数 {合计 | 基本支出 | 项目支出} | 增减额 | 增长率(%);
    ``changed`` sets (code, column index) to another value."""
    changed = changed or {}
    rows = [["2025年部门支出预算表", None, None, None, None, None, None, None],
            ["部门：某县自然资源局", None, None, None, None, None, None, "单位：元"],
            ["科目编码", "科目名称", year_heading, "本年预算数", None, None, "增减额", "增长率" if rate_as_fraction else "增长率(%)"],
            [None, None, None, "合计", "基本支出", "项目支出", None, None]]
    total = [sum(line[k] for line in LINES if len(line[0]) == 3) for k in range(2, 6)]
    for code, name, previous, this, basic, project in [("", "合计", *total)] + LINES:
        rate = _rate(previous, this)
        row = [code or None, name, previous, this, basic or None, project or None, this - previous,
               rate / 100 if rate_as_fraction else rate]
        for (at, column), value in changed.items():
            if at == code:
                row[column] = value
        rows.append(row)
    return rows, ["A1:H1", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4", "H3:H4"]


def _run(tmp_path, sheet):
    write_workbook(tmp_path / "某县自然资源局2025年部门预算.xlsx", {"支出": sheet})
    return pipeline.run(tmp_path)


def _loud(result) -> list[tuple[str, str, Decimal, Decimal]]:
    return [(f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity != Severity.INFO]


def test_year_on_year_columns_are_read_and_a_consistent_table_is_quiet(tmp_path):
    result = _run(tmp_path, spending_table())
    (table,) = result.tables
    assert table.kind == TableKind.BUDGET_EXPENDITURE
    assert {m: h for m, h in table.columns.items() if m in ("previous", "change", "change_rate")} == {
        "previous": "上年预算数", "change": "增减额", "change_rate": "增长率(%)"}
    line = table.coded()["2200101"]
    assert [(m, line.values[m].ref.cell, line.values[m].value) for m in ("previous", "change", "change_rate")] == [
        ("previous", "C8", Decimal("2005100")), ("change", "G8", Decimal("150900")), ("change_rate", "H8", Decimal("7.53"))]
    assert _loud(result) == []
    ran = {c.rule.code: c.ran for c in result.coverage}
    assert ran["BK106"] and ran["BK107"]


def test_a_wrong_change_is_found_and_the_rate_is_held_to_the_two_years(tmp_path):
    """The rate is right for 本年 − 上年: only the change (and its 款's sum) is wrong."""
    result = _run(tmp_path, spending_table({("2200101", 6): 200_900}))
    assert _loud(result) == [("BK103", "G7", Decimal("365800"), Decimal("415800")),
                             ("BK106", "G8", Decimal("200900"), Decimal("150900"))]


def test_a_wrong_rate_is_found_in_percentage_points(tmp_path):
    result = _run(tmp_path, spending_table({("2200101", 7): 10.53}))
    (finding,) = [f for f in result.findings if f.severity != Severity.INFO]
    assert (finding.rule, finding.ref.cell, finding.stated, finding.expected, finding.unit) == (
        "BK107", "H8", Decimal("10.53"), Decimal("7.5258"), "%")
    assert finding.message == ("2200101 行政运行：“增长率(%)”填报 10.53%，按本年数 2,156,000.00 与上年数 "
                               "2,005,100.00 计算应为 7.53%，相差 +3.00 个百分点。")


def test_a_rate_within_the_rounding_of_its_figures_is_quiet(tmp_path):
    """7.53 against 7.5258: within half of its last digit (0.005) and the 元's rounding. (A guard for
    BK107's tolerance: quiet before, when the column went unread.)"""
    result = _run(tmp_path, spending_table({("2200101", 7): 7.53}))
    assert _loud(result) == []


def test_a_rate_typed_as_a_fraction_is_read_as_one(tmp_path):
    result = _run(tmp_path, spending_table(rate_as_fraction=True))
    assert _loud(result) == []
    result = _run(tmp_path / "wrong", spending_table({("2200101", 7): 0.1053}, rate_as_fraction=True))
    assert [(f.rule, f.ref.cell) for f in result.findings if f.severity != Severity.INFO] == [("BK107", "H8")]


def test_a_wrong_figure_of_last_year_breaks_its_section_and_its_own_change(tmp_path):
    result = _run(tmp_path, spending_table({("2200101", 2): 2_055_100}))
    assert [(rule, cell) for rule, cell, _, _ in _loud(result)] == [
        ("BK103", "C7"), ("BK106", "G8"), ("BK107", "H8")]


def test_last_years_column_named_by_its_year_is_last_years(tmp_path):
    result = _run(tmp_path, spending_table({("2200101", 6): 200_900}, year_heading="2024年预算数"))
    assert ("BK106", "G8") in {(f.rule, f.ref.cell) for f in result.findings}


def test_a_line_new_this_year_has_no_rate_to_check(tmp_path):
    """上年 0 (a new line): the rate is left as printed ('-' or blank or anything), never judged. (A guard.)"""
    sheet = spending_table({("2200150", 2): 0, ("2200150", 6): 1_116_000, ("2200150", 7): "-",
                            ("22001", 2): 3_745_200, ("22001", 6): 1_481_800, ("22001", 7): 39.57,
                            ("220", 2): 3_745_200, ("220", 6): 1_481_800, ("220", 7): 39.57,
                            ("", 2): 3_745_200, ("", 6): 1_481_800, ("", 7): 39.57})
    result = _run(tmp_path, sheet)
    assert _loud(result) == []


def summary_table(income_change: int = 14_000) -> tuple[list, list]:
    """A two-sided 部门收支总表 with the same columns on each side (Hubei)."""
    head = ["项目", "上年预算数", "本年预算数", "增减额", "增长率(%)"]
    rows = [["2025年部门收支预算总表"] + [None] * 9, ["部门：某县自然资源局"] + [None] * 8 + ["单位：元"],
            ["收入", None, None, None, None, "支出", None, None, None, None], head + head,
            ["一、一般公共预算拨款收入", 186_000, 200_000, income_change, 7.53,
             "一、自然资源海洋气象等支出", 186_000, 200_000, 14_000, 7.53],
            ["本年收入合计", 186_000, 200_000, 14_000, 7.53, "本年支出合计", 186_000, 200_000, 14_000, 7.53]]
    return rows, ["A1:J1", "A3:E3", "F3:J3"]


@pytest.mark.parametrize(("income_change", "expected"), [(14_000, []), (4_000, [("BK106", "D5"), ("BK111", "D6")])])
def test_a_two_sided_summary_checks_each_sides_change(tmp_path, income_change, expected):
    write_workbook(tmp_path / "某县自然资源局2025年部门预算.xlsx", {"总表": summary_table(income_change)})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert table.kind == TableKind.BUDGET_SUMMARY
    assert [(f.rule, f.ref.cell) for f in result.findings if f.severity != Severity.INFO] == expected


def test_a_column_of_reasons_for_the_change_is_words_not_a_change(tmp_path):
    """增减变动原因 holds words ('人员增加'): taken for a second change column, it left the real
    增减额 unread."""
    rows, merges = spending_table()
    rows[2].append("增减变动原因")
    rows[3].append(None)
    for row in rows[4:]:
        row.append("人员增加" if row[0] == "2200101" else None)
    merges.append("I3:I4")
    result = _run(tmp_path, (rows, merges))
    (table,) = result.tables
    assert (table.columns["change"], "增减变动原因" in table.columns.values()) == ("增减额", False)
    assert result.findings == []


def test_without_a_column_of_last_years_figures_the_rules_say_they_had_nothing_to_hold(tmp_path):
    """The sample's tables print no 上年数: BK106/BK107 said '已运行, 0' as if they had held something."""
    rows, merges = spending_table()
    plain = [[*row[:2], *row[3:6]] for row in rows]  # 上年预算数, 增减额 and 增长率 left out
    plain[1][-1] = "单位：元"
    result = _run(tmp_path, (plain, ["A1:E1", "A3:A4", "B3:B4", "C3:E3"]))
    assert [f for f in result.findings if f.severity != Severity.INFO] == []
    coverage = {c.rule.code: c for c in result.coverage}
    assert [(coverage[code].ran, coverage[code].reason) for code in ("BK106", "BK107")] == [
        (False, "没有列出上年数的表格（上年数 | 本年数 | 增减额 | 增长率）")] * 2
