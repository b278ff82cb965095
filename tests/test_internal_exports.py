"""The internal 部门决算报表 as the reporting software exports it (财决01 … 财决10, audit23): sheets named
"Z08_1 …(财决08-", a 行次 column in each block of the two-block 基本支出明细表, a bare 基本支出决算明细表
(财决05-1) holding all funds' 基本支出, and empty fund tables whose 合计 stands under 科目名称. Each test
builds the sheet and runs the real pipeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity, TableKind


def _basic_blocks(title: str, basic_salary: float = 200.00) -> tuple[list, list]:
    """人员经费 | 公用经费 blocks, each 科目编码 | 科目名称 | 行次 | 决算数, as 财决08-1 prints them."""
    rows = [[title] + [None] * 7,
            [None] * 7 + ["财决08-1表"],
            ["编制单位：某区民政局", None, None, None, None, None, None, "金额单位：元"],
            ["人员经费", None, None, None, "公用经费", None, None, None],
            ["科目编码", "科目名称", "行次", "决算数", "科目编码", "科目名称", "行次", "决算数"],
            ["301", "工资福利支出", 1, 300.00, "302", "商品和服务支出", 11, 50.00],
            ["30101", "基本工资", 2, basic_salary, "30201", "办公费", 12, 30.00],
            ["30102", "津贴补贴", 3, 100.00, "30207", "邮电费", 13, 20.00],
            ["303", "对个人和家庭的补助", 4, 10.00, None, None, None, None],
            ["30302", "退休费", 5, 10.00, None, None, None, None],
            ["人员经费合计", None, 6, 310.00, "公用经费合计", None, 14, 50.00]]
    return rows, ["A1:H1", "A4:D4", "E4:H4"]


def _loud(result) -> list[tuple[str, str, Decimal | None, Decimal | None]]:
    return [(f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity != Severity.INFO]


@pytest.mark.parametrize("salary, expected", [(200.00, []), (210.00, [("BK103", "D6", Decimal(300), Decimal(310))])])
def test_the_line_numbers_in_each_block_of_a_basic_table_are_no_figures(tmp_path, salary, expected):
    """A 行次 column in each block was read as the block's figures (audit23: 301 工资福利支出 "填报 1.00，其下各款之和为
    54.00", false BK103/BK131 on every line and BK206 beside it); the block's 决算数 are its figures."""
    title = "一般公共预算财政拨款基本支出决算明细表"
    write_workbook(tmp_path / "部门决算.xlsx", {"Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-": _basic_blocks(title, salary)})
    result = pipeline.run(tmp_path)
    table, = result.tables
    assert table.kind == TableKind.BASIC_EXPENDITURE
    assert {r.code: r.figure.value for r in table.rows if r.code} == {
        "301": 300, "30101": Decimal(str(salary)), "30102": 100, "303": 10, "30302": 10, "302": 50, "30201": 30,
        "30207": 20}
    assert _loud(result) == expected


@pytest.mark.parametrize(("title", "kind"), [
    ("一般公共预算财政拨款基本支出决算明细表", TableKind.BASIC_EXPENDITURE),
    ("财政拨款基本支出决算表", TableKind.BASIC_EXPENDITURE),
    ("基本支出决算明细表", None),  # 财决05-1: every fund's 基本支出, 事业收入's too
    ("基本支出决算表", None),
])
def test_a_basic_table_naming_no_fund_is_not_the_general_budgets(tmp_path, title, kind):
    """财决05-1 基本支出决算明细表 was read as the 一般公共预算 table: a department paying 基本支出 from 事业收入 got a false
    BK206 against 财决07, and its 报告文字 stated the all-funds figure as 一般公共预算财政拨款基本支出 (audit23)."""
    write_workbook(tmp_path / "部门决算.xlsx", {"表": _basic_blocks(title)})
    assert [t.kind for t in pipeline.run(tmp_path).tables] == ([kind] if kind else [])


def _empty_fund_table(statement: str | None) -> tuple[list, list]:
    """An empty 财决10 with its code in one column and the 合计 line's word under 科目名称."""
    rows = [["国有资本经营预算财政拨款收入支出决算表"] + [None] * 7,
            [None] * 7 + ["财决10表"],
            ["编制单位：某区民政局", None, None, None, None, None, None, "金额单位：元"],
            ["项目", None, "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"],
            ["支出功能分类科目编码", "科目名称", None, None, "小计", "基本支出", "项目支出", None],
            [None, "合计", None, None, None, None, None, None]]
    if statement:
        rows.append([statement] + [None] * 7)
    return rows, ["A1:H1", "A4:B4", "C4:C5", "D4:D5", "E4:G4", "H4:H5"]


@pytest.mark.parametrize("statement, expected", [
    ("说明：某区民政局本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。", []),
    (None, [("BK151", "A1", None, None)]),
])
def test_an_empty_fund_table_with_its_total_under_the_subject_name_is_read(tmp_path, statement, expected):
    """Its blank 合计 row was taken for a third header row and the table went unread: a file of it alone "没有任何文件可以
    读取", and its 空表说明 was never asked for (audit23)."""
    write_workbook(tmp_path / "部门决算.xlsx", {"Z10": _empty_fund_table(statement)})
    result = pipeline.run(tmp_path)
    assert [t.kind for t in result.tables] == [TableKind.STATE_CAPITAL]
    assert _loud(result) == expected
