"""The report across years: the 与上年对比 table and sentences (this year's 决算 against
the same department's 决算 of the year before), and the 预算执行情况 table down to 款
or 项 (``ReportOptions.detail``).

Every disclosure is rendered by the layout corpus from exact accounts and read by the
real pipeline. Last year's accounts carry out exactly what this year's carry in (no
continuity finding), and differ where a change is to be shown: a 政府性基金 project that
only this year has (a zero base), two 农林水 projects that grew and shrank, "三公" items
that moved both ways."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from layout_corpus import render_disclosure, verify
from layout_corpus.accounts import (FINAL_YEAR, Accounts, Carry, ThreePublic, budget_accounts, fen, final_accounts,
                                    previous_final_accounts)
from test_years_continuity import TRAITS

from budgetkit.model import Level, RunResult
from budgetkit.pipeline import run
from budgetkit.report.docx_report import write_docx
from budgetkit.report.figures import ZERO_BASE, DepartmentReport, ReportOptions, Section, build_report
from budgetkit.report.narrative import paragraphs
from budgetkit.report.workbook import write_summary


def _with_spending(accounts: Accounts, changes: dict[str, dict]) -> Accounts:
    """``accounts`` with the named 项 paying other amounts (carry-overs kept)."""
    items = tuple(replace(item, **changes.get(item.code, {})) for item in accounts.items)
    return replace(accounts, items=items)


def last_year_that_differs() -> Accounts:
    """The 2023 决算: no 政府性基金 project yet (its 1,200,000.00 元 was received and
    carried out unspent), 病虫害控制 smaller and 农产品质量安全 larger than in 2024, and
    other "三公" figures."""
    accounts = _with_spending(previous_final_accounts(), {
        "2120804": {"fund_project": 0}, "2130108": {"gp_project": fen("2,000,000.00")},
        "2130109": {"gp_project": fen("1,600,000.00")}})
    three = ThreePublic(car_operation=(fen("100,000.00"), fen("99,000.00")),
                        reception=(fen("30,000.00"), fen("23,500.00")))
    return replace(accounts, three_public=three)


def this_year_without_the_fund_project() -> Accounts:
    """The 2024 决算 with the 政府性基金 project not carried out: the money carried in
    is carried out again, so 政府性基金 brings no income and 城乡社区支出 is nil."""
    carried = final_accounts().items[[item.code for item in final_accounts().items].index("2120804")].fund_carry
    return _with_spending(final_accounts(), {"2120804": {"fund_project": 0,
                                                         "fund_carry": Carry(carried.opening, carried.opening)}})


def _run(folder: Path, *accounts: Accounts | None, stage: str = "决算") -> RunResult:
    for each in accounts:
        if each is not None:
            verify(each)
        render_disclosure(TRAITS, stage, accounts=each).write(folder)
    return run(folder)


def _report(result: RunResult, year: int, options: ReportOptions = ReportOptions()) -> DepartmentReport:
    return next(d for d in build_report(result, options).departments if d.year == year)


def rows(report: DepartmentReport, section: Section) -> list[tuple]:
    """A table as (label, value, …) tuples, values as printed strings (None for blank)."""
    return [(row.label, *(None if v is None else f"{v}" for v in row.values)) for row in report.table(section).rows]


def paragraph(report: DepartmentReport, topic: str) -> str:
    return next(p for p in paragraphs(report) if p[3:].startswith(topic))


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> RunResult:
    return _run(tmp_path_factory.mktemp("two_years"), None, last_year_that_differs())


@pytest.fixture(scope="module")
def this_year(two_years) -> DepartmentReport:
    return _report(two_years, FINAL_YEAR)


# -- the 与上年对比 table ------------------------------------------------------------------

def test_the_years_carry_over_exactly_so_the_run_finds_nothing_to_report(two_years):
    assert [f for f in two_years.findings if f.severity.value != "info"] == []


def test_year_on_year_table_compares_income_spending_and_three_public_with_last_year(this_year):
    table = this_year.table(Section.YEAR_ON_YEAR)
    assert table.title == "表7 与上年对比情况"
    assert table.header == ("项目", "本年", "上年", "增减额", "增减率")
    assert rows(this_year, Section.YEAR_ON_YEAR) == [
        ("一、收入", None, None, None, None),
        ("一般公共预算财政拨款收入", "3488.26", "3676.67", "-188.41", "-0.0512"),
        ("政府性基金预算财政拨款收入", "820.00", "120.00", "700.00", "5.8333"),
        ("事业收入", "76.08", "103.56", "-27.48", "-0.2654"),
        ("其他收入", "5.80", "5.80", "0.00", "0.0000"),
        ("本年收入合计", "4390.14", "3906.03", "484.11", "0.1239"),
        ("二、支出（按支出功能分类）", None, None, None, None),
        ("社会保障和就业支出", "248.81", "248.81", "0.00", "0.0000"),
        ("卫生健康支出", "91.26", "91.26", "0.00", "0.0000"),
        # Nothing last year: the change is named, never divided by zero.
        ("城乡社区支出", "875.00", "0.00", "875.00", ZERO_BASE),
        # 197,350.45 − 131,097.70 = 66,252.75 元 more, of 31,440,400.xx 元.
        ("农林水支出", "3150.67", "3144.04", "6.63", "0.0021"),
        ("住房保障支出", "124.40", "124.40", "0.00", "0.0000"),
        # Last year's 类 lines, each rounded, add up to 3,608.51; its tables print 3,608.52, and so does
        # the report (a reviewer holds it against last year's 总表), with the 尾差 noted.
        ("本年支出合计", "4490.14", "3608.52", "881.62", "0.2443"),
        ("三、支出（按支出性质）", None, None, None, None),
        ("基本支出", "2095.73", "2095.73", "0.00", "0.0000"),
        ("项目支出", "2394.41", "1512.78", "881.63", "0.5828"),
        ("四、“三公”经费", None, None, None, None),
        ("公务用车购置及运行维护费", "10.83", "9.90", "0.93", "0.0939"),
        # 购置费 is nil both years and left out; the 其中 moves to the row that stays.
        ("其中：公务用车运行维护费", "10.83", "9.90", "0.93", "0.0939"),
        ("公务接待费", "2.13", "2.35", "-0.22", "-0.0936"),
        ("“三公”经费合计", "12.96", "12.25", "0.71", "0.0580"),
    ]
    assert [row.label for row in table.rows if row.is_total] == ["本年收入合计", "本年支出合计", "“三公”经费合计"]
    assert table.notes == ("注：增减额 = 本年 − 上年；增减率 = 增减额 ÷ 上年，按未取整的金额计算；上年为0的不计算增减率。",
                           "注：上年支出（按支出功能分类）各项之和为 3,608.51，与合计 3,608.52 相差 -0.01，"
                           "系各项分别四舍五入所致（尾差）。")


def test_year_on_year_rates_come_from_the_exact_amounts_not_the_printed_ones(tmp_path):
    # Tables in 元 state 公务接待费 exactly: 21,346.00 against 23,500.00 is −9.17 %; the
    # 万元 figures the report prints (2.13 and 2.35) would give −9.36 %.
    yuan = replace(TRAITS, unit="元")
    for accounts in (None, last_year_that_differs()):
        render_disclosure(yuan, "决算", accounts=accounts).write(tmp_path)
    report = _report(run(tmp_path), FINAL_YEAR)
    compared = {row[0]: row[1:] for row in rows(report, Section.YEAR_ON_YEAR)}
    assert compared["公务接待费"] == ("2.13", "2.35", "-0.22", "-0.0917")
    assert "公务接待费2.13万元，比上年减少0.22万元，下降9.17%。" in paragraph(report, "与上年对比情况")


def test_year_on_year_sentences_say_the_direction_the_change_has(this_year):
    assert paragraph(this_year, "与上年对比情况") == (
        "（五）与上年对比情况。"
        "本年收入合计4,390.14万元，比上年增加484.11万元，增长12.39%。其中：一般公共预算财政拨款收入3,488.26万元，"
        "比上年减少188.41万元，下降5.12%；政府性基金预算财政拨款收入820.00万元，比上年增加700.00万元，增长583.33%；"
        "事业收入76.08万元，比上年减少27.48万元，下降26.54%；其他收入5.80万元，与上年持平。"
        "本年支出合计4,490.14万元，比上年增加881.62万元，增长24.43%。按支出功能分类，社会保障和就业支出248.81万元，"
        "与上年持平；卫生健康支出91.26万元，与上年持平；城乡社区支出875.00万元，上年无此项支出；农林水支出3,150.67万元，"
        "比上年增加6.63万元，增长0.21%；住房保障支出124.40万元，与上年持平。"
        "按支出性质，基本支出2,095.73万元，与上年持平；项目支出2,394.41万元，比上年增加881.63万元，增长58.28%。"
        "“三公”经费合计12.96万元，比上年增加0.71万元，增长5.80%。其中：公务用车购置及运行维护费10.83万元，"
        "比上年增加0.93万元，增长9.39%；公务接待费2.13万元，比上年减少0.22万元，下降9.36%。")


def test_with_keep_zero_lines_nil_both_years_are_listed_without_a_rate_and_not_written_about(two_years, this_year):
    report = _report(two_years, FINAL_YEAR, ReportOptions(keep_zero=True))
    compared = {row[0]: row[1:] for row in rows(report, Section.YEAR_ON_YEAR)}
    assert compared["一般公共服务支出"] == ("0.00", "0.00", "0.00", None)
    assert compared["因公出国（境）费"] == ("0.00", "0.00", "0.00", None)
    assert paragraph(report, "与上年对比情况") == paragraph(this_year, "与上年对比情况")


def test_a_line_that_is_nil_this_year_is_said_to_be_absent_this_year(tmp_path):
    report = _report(_run(tmp_path, this_year_without_the_fund_project(), previous_final_accounts()), FINAL_YEAR)
    compared = {row[0]: row[1:] for row in rows(report, Section.YEAR_ON_YEAR)}
    # 2023: 8,750,000.00 spent and 1,200,000.00 carried out, nothing carried in.
    assert compared["政府性基金预算财政拨款收入"] == ("0.00", "995.00", "-995.00", "-1.0000")
    assert compared["城乡社区支出"] == ("0.00", "875.00", "-875.00", "-1.0000")
    text = paragraph(report, "与上年对比情况")
    assert "政府性基金预算财政拨款收入上年995.00万元，本年无此项收入；" in text
    assert "城乡社区支出上年875.00万元，本年无此项支出；" in text
    assert "本年支出合计3,615.14万元，比上年减少875.00万元，下降19.49%。" in text


def _state_operating_costs(folder: Path, rendering, amount: str) -> None:
    """Add the 机关运行经费 预算数 | 决算数 columns some 决算 "三公" tables carry (M:N)."""
    file, sheet, _ = rendering.addresses[("three_public", ("total", "final"))]
    book = openpyxl.load_workbook(folder / file)
    cells = book[sheet]
    for cell, value in {"M4": "机关运行经费", "M6": "预算数", "N6": "决算数", "M7": "13", "N7": "14",
                        "M8": "175.00", "N8": amount}.items():
        cells[cell] = value
    cells.merge_cells("M4:N5")
    book.save(folder / file)


def test_operating_costs_are_compared_where_both_years_state_them(tmp_path):
    this_year = render_disclosure(TRAITS, "决算")
    last_year = render_disclosure(TRAITS, "决算", accounts=last_year_that_differs())
    for rendering, amount in ((this_year, "171.50"), (last_year, "165.20")):
        rendering.write(tmp_path)
        _state_operating_costs(tmp_path, rendering, amount)
    report = _report(run(tmp_path), FINAL_YEAR)
    assert rows(report, Section.YEAR_ON_YEAR)[-2:] == [("五、机关运行经费", None, None, None, None),
                                                       ("机关运行经费", "171.50", "165.20", "6.30", "0.0381")]
    assert paragraph(report, "与上年对比情况").endswith("。机关运行经费171.50万元，比上年增加6.30万元，增长3.81%。")


def test_a_block_only_one_year_states_is_named_in_a_note_not_compared(tmp_path):
    this_year = render_disclosure(TRAITS, "决算")
    this_year.write(tmp_path)
    _state_operating_costs(tmp_path, this_year, "171.50")
    render_disclosure(TRAITS, "决算", accounts=last_year_that_differs()).write(tmp_path)
    table = _report(run(tmp_path), FINAL_YEAR).table(Section.YEAR_ON_YEAR)
    assert "机关运行经费" not in [row.label for row in table.rows]
    assert table.notes[-1] == "注：上年决算未列示机关运行经费，未作对比。"


def test_a_source_only_one_year_states_is_named_with_its_amount_since_the_total_holds_it(tmp_path):
    """Last year's tables have no 事业收入 (its 总表 line and its 收入决算表 column are gone):
    the line is not compared, and the note says why 本年收入合计 is more than the rows above it."""
    this_year = render_disclosure(TRAITS, "决算")
    last_year = render_disclosure(TRAITS, "决算", accounts=last_year_that_differs())
    this_year.write(tmp_path)
    last_year.write(tmp_path)
    file, summary, line = last_year.addresses[("summary", (("in", "business"), "amount"))]
    _, income, column = last_year.addresses[("income", ("208", "business"))]
    book = openpyxl.load_workbook(tmp_path / file)
    book[summary].cell(book[summary][line].row, 1).value = None
    headings = [c for c in book[income][book[income][column].column_letter] if c.value == "事业收入"]
    assert len(headings) == 1
    headings[0].value = None
    book.save(tmp_path / file)
    table = _report(run(tmp_path), FINAL_YEAR).table(Section.YEAR_ON_YEAR)
    compared = {row.label for row in table.rows}
    assert "事业收入" not in compared and "本年收入合计" in compared
    assert "注：事业收入只在本年决算中列示（76.08万元），未作对比；本年收入合计含此项。" in table.notes


def test_last_years_own_report_says_it_has_no_year_before_it(two_years):
    last_year = _report(two_years, FINAL_YEAR - 1)
    assert last_year.table(Section.YEAR_ON_YEAR) is None
    assert dict(last_year.missing)[Section.YEAR_ON_YEAR] == "文件夹中没有本部门上年（2022年）的决算"


def test_a_single_year_has_no_year_on_year_table_and_says_why(tmp_path):
    report = _report(_run(tmp_path, None), FINAL_YEAR)
    assert report.table(Section.YEAR_ON_YEAR) is None
    assert dict(report.missing)[Section.YEAR_ON_YEAR] == "文件夹中没有本部门上年（2023年）的决算"
    assert not any("与上年对比" in p for p in paragraphs(report))


def test_a_final_two_years_back_is_not_last_year(tmp_path):
    report = _report(_run(tmp_path, None, replace(last_year_that_differs(), year=FINAL_YEAR - 2)), FINAL_YEAR)
    assert dict(report.missing)[Section.YEAR_ON_YEAR] == "文件夹中没有本部门上年（2023年）的决算"


def test_the_written_report_sheets_hold_the_year_on_year_table_and_its_sentences(two_years, tmp_path):
    path = tmp_path / "summary.xlsx"
    write_summary(two_years, path, build_report(two_years), with_report=True)
    book = openpyxl.load_workbook(path)
    sheet = book["报告用表"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(max_col=5)]
    start = cells.index(["表7 与上年对比情况", None, None, None, None])
    assert cells[start + 1][4] == "单位：万元"
    assert cells[start + 2] == ["项目", "本年", "上年", "增减额", "增减率"]
    assert cells[start + 3:start + 6] == [["一、收入", None, None, None, None],
                                          ["一般公共预算财政拨款收入", 3488.26, 3676.67, -188.41, -0.0512],
                                          ["政府性基金预算财政拨款收入", 820, 120, 700, 5.8333]]
    base = next(row for row in cells[start:] if row[0] == "城乡社区支出")
    assert base == ["城乡社区支出", 875, 0, 875, "上年为0"]
    total = next(r for r in range(start, len(cells)) if cells[r][0] == "本年支出合计")
    assert cells[total][1:] == [4490.14, 3608.52, 881.62, 0.2443]
    rate = sheet.cell(total + 1, 5)
    assert (rate.number_format, rate.font.b) == ("0.00%", True)
    text = [row[0].value for row in book["报告文字"].iter_rows(max_col=1)]
    # Two years of one department are two reports, headed by their years.
    assert [line for line in text if line and line.startswith("某区农业农村委员会")] == \
        ["某区农业农村委员会2023年", "某区农业农村委员会2024年"]
    assert any(p and p.startswith("（五）与上年对比情况。本年收入合计4,390.14万元，比上年增加484.11万元，增长12.39%。")
               for p in text)


def test_the_word_export_carries_the_year_on_year_table_with_its_zero_base_named(two_years, tmp_path):
    write_docx(build_report(two_years), tmp_path / "report.docx")
    grid = next(t for t in docx.Document(tmp_path / "report.docx").tables if t.cell(0, 4).text == "增减率")
    base = next(row for row in grid.rows if row.cells[0].text == "城乡社区支出")
    assert [cell.text for cell in base.cells] == ["城乡社区支出", "875.00", "0.00", "875.00", "上年为0"]


# -- 预算执行情况 down to 款 or 项 ---------------------------------------------------------

@pytest.fixture(scope="module")
def final_and_budget(tmp_path_factory) -> RunResult:
    folder = tmp_path_factory.mktemp("final_and_budget")
    _run(folder, None)
    render_disclosure(TRAITS, "预算", accounts=replace(budget_accounts(), year=FINAL_YEAR)).write(folder)
    return run(folder)


def test_execution_lists_classes_only_by_default(final_and_budget):
    report = _report(final_and_budget, FINAL_YEAR)
    assert rows(report, Section.EXECUTION) == [
        ("社会保障和就业支出", "255.36", "248.81", "0.9743", "-6.55"),
        ("卫生健康支出", "93.66", "91.26", "0.9744", "-2.40"),
        ("城乡社区支出", "900.00", "875.00", "0.9722", "-25.00"),
        ("农林水支出", "3221.20", "3150.67", "0.9781", "-70.53"),
        ("住房保障支出", "127.68", "124.40", "0.9743", "-3.28"),
        ("合计", "4597.90", "4490.14", "0.9766", "-107.76"),
    ]


def test_execution_goes_down_to_kuan_under_each_class_on_request(final_and_budget):
    report = _report(final_and_budget, FINAL_YEAR, ReportOptions(detail=Level.SECTION))
    table = report.table(Section.EXECUTION)
    assert rows(report, Section.EXECUTION) == [
        ("社会保障和就业支出", "255.36", "248.81", "0.9743", "-6.55"),
        ("20805 行政事业单位养老支出", "255.36", "248.81", "0.9743", "-6.55"),
        ("卫生健康支出", "93.66", "91.26", "0.9744", "-2.40"),
        ("21011 行政事业单位医疗", "93.66", "91.26", "0.9744", "-2.40"),
        ("城乡社区支出", "900.00", "875.00", "0.9722", "-25.00"),
        ("21208 国有土地使用权出让收入安排的支出", "900.00", "875.00", "0.9722", "-25.00"),
        ("农林水支出", "3221.20", "3150.67", "0.9781", "-70.53"),
        ("21301 农业农村", "3221.20", "3150.67", "0.9781", "-70.53"),
        ("住房保障支出", "127.68", "124.40", "0.9743", "-3.28"),
        ("22102 住房改革支出", "127.68", "124.40", "0.9743", "-3.28"),
        ("合计", "4597.90", "4490.14", "0.9766", "-107.76"),
    ]
    assert [row.is_detail for row in table.body] == [False, True] * 5
    assert table.notes[-1] == "注：缩进的款是其上一级科目的明细，不计入合计。"
    # The text stays with the 类: the 款 are in the table.
    assert "20805" not in paragraph(report, "预算执行情况")


def test_execution_goes_down_to_xiang_on_request(final_and_budget):
    report = _report(final_and_budget, FINAL_YEAR, ReportOptions(detail=Level.ITEM))
    farming = [row for row in rows(report, Section.EXECUTION) if row[0].startswith("213")]
    assert farming == [
        ("21301 农业农村", "3221.20", "3150.67", "0.9781", "-70.53"),
        ("2130101 行政运行", "1194.43", "1172.16", "0.9814", "-22.27"),
        ("2130102 一般行政管理事务", "140.00", "135.25", "0.9661", "-4.75"),
        ("2130104 事业运行", "440.77", "471.10", "1.0688", "30.33"),
        ("2130106 科技转化与推广服务", "460.00", "407.09", "0.8850", "-52.91"),
        ("2130108 病虫害控制", "230.00", "219.74", "0.9554", "-10.26"),
        ("2130109 农产品质量安全", "150.00", "146.89", "0.9793", "-3.11"),
        ("2130199 其他农业农村支出", "606.00", "598.44", "0.9875", "-7.56"),
    ]
    assert rows(report, Section.EXECUTION)[-1] == ("合计", "4597.90", "4490.14", "0.9766", "-107.76")
    assert report.table(Section.EXECUTION).notes[-1] == "注：缩进的款、项是其上一级科目的明细，不计入合计。"
