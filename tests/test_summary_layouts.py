"""收入支出决算总表 layouts of other templates, each read whole, quiet when consistent, and a moved
figure found: the funds listed under 一、财政拨款收入 with only the first marked 其中; 使用专用结余 (or a
line no template names) between 本年收入合计 and 总计; a one-row header 收入 | 决算数 | 支出 | 决算数
with no 项目; 收入项目 | 支出项目; a stacked table whose 收入 heading stands under the header, or whose
headings are numbered 一、收入 / 二、支出. (Before: false BK111/BK114/BK112 errors, or the table, or its
收入 side, left unread with every planted error missed.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from layout_corpus import Traits, render_disclosure
from workbook_builder import write_workbook

from budgetkit.model import Severity, Side, TableKind
from budgetkit.pipeline import run

LOUD = (Severity.ERROR, Severity.WARNING)
SUMMARY = "收入支出决算总表"


def _corpus_summary(**traits) -> tuple[list[list[object]], list[str]]:
    (sheets,) = render_disclosure(Traits(**traits), "决算").files.values()
    rows, merges = sheets[SUMMARY]
    return [list(row) for row in rows], list(merges)


def _checked(folder, rows, merges, moved: tuple[int, int] | None = None) -> tuple[list, list]:
    """The 总表 alone in a workbook; ``moved`` (row, column) is raised by 5.00. Its tables and loud findings."""
    if moved:
        rows[moved[0]][moved[1]] = round(rows[moved[0]][moved[1]] + 5, 2)
    write_workbook(folder / "某区农业农村委员会2024年部门决算.xlsx", {SUMMARY: (rows, merges)})
    result = run(folder, jobs=1)
    return result.tables, [(f.rule, f.ref.cell) for f in result.findings if f.severity in LOUD]


def _fiscal_listed() -> tuple[list[list[object]], list[str]]:
    """一、财政拨款收入 over 其中：一般公共预算财政拨款, then the other funds unmarked, then 二、上级补助收入 …"""
    rows, merges = _corpus_summary()
    left = [("一、财政拨款收入", 4308.26), ("其中：一般公共预算财政拨款", 3488.26), ("政府性基金预算财政拨款", 820.0),
            ("国有资本经营预算财政拨款", None), ("二、上级补助收入", None), ("三、事业收入", 76.08),
            ("四、经营收入", None), ("五、附属单位上缴收入", None), ("六、其他收入", 5.8)]
    for k, (label, figure) in enumerate(left):
        rows[4 + k][:2] = [label, figure]
    return rows, merges


def test_funds_listed_under_the_fiscal_line_after_one_qizhong_are_its_parts(tmp_path):
    tables, loud = _checked(tmp_path, *_fiscal_listed())
    assert loud == []
    (summary,) = tables
    fund = next(r for r in summary.rows if r.key == "gov_fund")
    assert (fund.parent_key, fund.values["amount"].ref.cell) == ("一、财政拨款收入", "B7")


def test_a_fund_moved_under_the_fiscal_line_is_found_against_it(tmp_path):
    _, loud = _checked(tmp_path, *_fiscal_listed(), moved=(6, 1))
    assert loud == [("BK114", "B5")]


def _special_balance(label: str) -> tuple[list[list[object]], list[str]]:
    """使用非财政拨款结余 printed under another name, 10.00 of it, the 年初 10.00 less."""
    rows, merges = _corpus_summary()
    used = next(r for r, row in enumerate(rows) if row[0] == "使用非财政拨款结余")
    rows[used][:2] = [label, 10.0]
    rows[used + 1][1] = round(rows[used + 1][1] - 10, 2)
    return rows, merges


@pytest.mark.parametrize("label", ["使用专用结余", "使用非财政拨款结余和专用结余"])
def test_the_special_balance_used_is_a_part_of_the_grand_total(tmp_path, label):
    _, loud = _checked(tmp_path / "clean", *_special_balance(label))
    assert loud == []
    _, loud = _checked(tmp_path / "moved", *_special_balance(label), moved=(32, 1))
    assert loud == [("BK112", "B34")]


def test_a_line_no_template_names_between_the_years_total_and_the_grand_total_leaves_it_unjudged(tmp_path):
    """'使用其他资金 10.00': a part of 收入总计 that cannot be told apart, so the 收入 side's 总计 is not judged."""
    _, loud = _checked(tmp_path, *_special_balance("使用其他资金"))
    assert loud == []


def test_a_one_row_header_without_xiangmu_reads_both_sides(tmp_path):
    rows, merges = _corpus_summary()
    rows = [rows[0], rows[1], ["收入", "决算数", "支出", "决算数"], *rows[4:]]
    merges = ["A1:D1", "A2:C2", "A34:D34"]
    tables, loud = _checked(tmp_path / "clean", rows, merges)
    assert loud == []
    (summary,) = tables
    assert summary.line("general_budget", Side.INCOME).values["amount"].ref.cell == "B4"
    _, loud = _checked(tmp_path / "moved", rows, merges, moved=(3, 1))
    assert loud == [("BK111", "B30")]


def test_side_words_before_xiangmu_read_both_sides(tmp_path):
    rows, merges = _corpus_summary()
    rows = [rows[0], rows[1], ["收入项目", "决算数", "支出项目", "决算数"], *rows[4:]]
    tables, loud = _checked(tmp_path, rows, ["A1:D1", "A2:C2", "A34:D34"])
    assert [t.kind for t in tables] == [TableKind.SUMMARY] and loud == []


def _stacked(income_heading: str, spending_heading: str) -> tuple[list[list[object]], list[str]]:
    """The corpus's stacked 总表 (the 支出 block under the 收入 block) with its 收入 heading moved under
    the 项目 | 决算数 header and its headings renamed."""
    rows, merges = _corpus_summary(stacked=True)
    assert rows[2] == ["收入", None] and rows[3] == ["项目", "决算数"]
    rows[2], rows[3] = ["项目", "决算数"], [income_heading, None]
    rows[[row[0] for row in rows].index("支出")][0] = spending_heading
    return rows, [m for m in merges if not m.startswith("A3:")] + ["A4:B4"]


@pytest.mark.parametrize(("income_heading", "spending_heading"), [("收入", "支出"), ("一、收入", "二、支出")])
def test_a_stacked_table_with_side_headings_under_its_header_reads_both_sides(tmp_path, income_heading,
                                                                             spending_heading):
    rows, merges = _stacked(income_heading, spending_heading)
    tables, loud = _checked(tmp_path, rows, merges)
    assert loud == []
    (summary,) = tables
    assert {r.side for r in summary.rows if r.key == "grand_total"} == {Side.INCOME, Side.EXPENDITURE}
    assert summary.line("expenditure_total", Side.EXPENDITURE).values["amount"].amount == Decimal("4490.14")
