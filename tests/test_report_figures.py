"""The report tables (报告用表) as figures: exact amounts and shares, reconciled
from the real pipeline on the sample workbooks, a crafted department and a real
published disclosure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REAL, REPO
from hypothesis import given
from hypothesis import strategies as st
from report_crafted import S_SUMMARY, crafted_folder
from standard_tables import expenditure_sheet, summary_sheet
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Unit
from budgetkit.report.figures import SHARE_NOTE, DepartmentReport, Report, ReportOptions, Section, build_report
from budgetkit.report.narrative import paragraphs
from budgetkit.report.rounding import largest_remainder

D = Decimal


def rows(report: DepartmentReport, section: Section) -> list[tuple]:
    """A table as (label, value, …) tuples, values as printed strings (None for blank)."""
    table = report.table(section)
    return [(row.label, *(None if v is None else f"{v}" for v in row.values)) for row in table.rows]


def only(report: Report) -> DepartmentReport:
    assert len(report.departments) == 1
    return report.departments[0]


@pytest.fixture(scope="module")
def sample() -> DepartmentReport:
    return only(build_report(pipeline.run(REPO / "workbooks")))


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> tuple:
    result = pipeline.run(crafted_folder(tmp_path_factory.mktemp("crafted")))
    return result, only(build_report(result))


def test_thirds_are_rounded_by_largest_remainder_to_exactly_one_hundred_percent():
    shares = largest_remainder([D(1), D(1), D(1)])
    assert shares.values == (D("0.3334"), D("0.3333"), D("0.3333"))
    assert shares.adjusted


def test_shares_that_round_plainly_to_one_hundred_percent_are_not_adjusted():
    shares = largest_remainder([D("0.84"), D("163.68")])
    assert shares.values == (D("0.0051"), D("0.9949")) and not shares.adjusted


def test_a_zero_row_never_receives_the_missing_hundredth():
    assert largest_remainder([D(0), D(2), D(1)]).values == (D(0), D("0.6667"), D("0.3333"))


def test_no_shares_without_a_positive_whole():
    assert largest_remainder([D(0), D(0)]) is None
    assert largest_remainder([D(5), D(-1)]) is None


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=1, max_size=30)
       .filter(lambda amounts: sum(amounts) > 0))
def test_largest_remainder_shares_add_to_one_and_stay_within_a_hundredth_of_a_percent(amounts):
    shares = largest_remainder(amounts)
    total = sum(amounts)
    assert sum(shares.values) == 1
    assert all(abs(share - amount / total) < D("0.0001") for share, amount in zip(shares.values, amounts))


def test_sample_tables_hold_the_model_reports_figures_with_the_carryover_in_the_total(sample):
    assert (sample.department, sample.year, sample.unit) == ("乐山市市中区科学技术协会", 2022, Unit.WAN)
    assert [t.title for t in sample.tables] == ["表1 收入情况", "表2 支出情况（按支出功能分类）",
                                               "表3 支出情况（按支出性质）", "表4 收支及结转结余情况"]
    assert rows(sample, Section.INCOME) == [("年初结转和结余", "0.84", "0.0051"),
                                            ("一般公共预算财政拨款收入", "163.68", "0.9949"),
                                            ("合计", "164.52", "1")]
    assert rows(sample, Section.BY_CLASS) == [("科学技术支出", "125.43", "0.7663"), ("社会保障和就业支出", "20.15", "0.1231"),
                                              ("卫生健康支出", "5.95", "0.0364"), ("住房保障支出", "12.15", "0.0742"),
                                              ("合计", "163.68", "1")]
    assert rows(sample, Section.BY_NATURE) == [("基本支出", "133.68", "0.8167"), ("项目支出", "30.00", "0.1833"),
                                               ("合计", "163.68", "1")]
    assert sample.table(Section.BALANCE).header == ("项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余")
    assert rows(sample, Section.BALANCE) == [("合计", "0.84", "163.68", "163.68", "0.84")]
    assert sample.table(Section.BALANCE).notes == ("注：未提供财政拨款收入支出决算总表，未按资金性质分列。",)
    assert all(not t.notes for t in sample.tables[:3])


def test_sample_tables_that_need_absent_tables_say_which(sample):
    assert dict(sample.missing) == {
        Section.BASIC: "未提供一般公共预算财政拨款基本支出决算表",
        Section.EXECUTION: "未提供同一部门的部门收支总表或部门支出总表（预算）",
        Section.THREE_PUBLIC: "未提供财政拨款“三公”经费支出决算表",
        Section.YEAR_ON_YEAR: "文件夹中没有本部门上年（2021年）的决算",
    }


def test_the_working_sheets_total_that_omits_the_carryover_is_set_aside(sample):
    [figure] = sample.set_aside
    assert (figure.item, figure.yuan, figure.adopted.source) == ("收入总计", D("1645200.00"), "表中各项之和")
    assert [(w.ref.sheet, w.ref.cell, w.yuan) for w in figure.set_aside] == [("收支构成", "B8", D("1636800.00"))]


def test_crafted_department_is_consistent_so_nothing_is_set_aside(crafted):
    result, report = crafted
    assert not result.has_errors
    assert report.set_aside == ()
    assert dict(report.missing) == {Section.BASIC: "未提供一般公共预算财政拨款基本支出决算表",
                                    Section.YEAR_ON_YEAR: "文件夹中没有本部门上年（2022年）的决算"}


def test_crafted_income_lists_every_nonzero_source_with_its_share_of_the_grand_total(crafted):
    _, report = crafted
    # 其他收入 33,333.00 元 is 3.3333 万元, shown 3.33; its share is taken from the exact 元.
    assert rows(report, Section.INCOME) == [("年初结转和结余", "20.00", "0.0732"),
                                            ("一般公共预算财政拨款收入", "200.00", "0.7317"),
                                            ("事业收入", "50.00", "0.1829"), ("其他收入", "3.33", "0.0122"),
                                            ("合计", "273.33", "1")]


def test_crafted_class_shares_are_adjusted_by_a_hundredth_and_the_table_says_so(crafted):
    _, report = crafted
    # Plain rounding gives 41.67 + 19.45 + 19.45 + 19.44 = 100.01 %.
    assert rows(report, Section.BY_CLASS) == [("科学技术支出", "100.00", "0.4167"), ("社会保障和就业支出", "46.67", "0.1945"),
                                              ("卫生健康支出", "46.67", "0.1944"), ("住房保障支出", "46.66", "0.1944"),
                                              ("合计", "240.00", "1")]
    assert report.table(Section.BY_CLASS).notes == (SHARE_NOTE,)
    assert rows(report, Section.BY_NATURE) == [("基本支出", "150.00", "0.6250"), ("项目支出", "90.00", "0.3750"),
                                               ("合计", "240.00", "1")]


def test_crafted_carryover_is_split_into_fiscal_and_non_fiscal_money(crafted):
    _, report = crafted
    assert rows(report, Section.BALANCE) == [("一般公共预算财政拨款", "15.00", "200.00", "190.00", "25.00"),
                                             ("非财政拨款", "5.00", "53.33", "50.00", "8.33"),
                                             ("合计", "20.00", "253.33", "240.00", "33.33")]
    assert report.table(Section.BALANCE).notes == ()


def test_crafted_budget_execution_compares_each_class_with_the_years_budget(crafted):
    _, report = crafted
    assert report.table(Section.EXECUTION).header == ("项目", "预算数", "决算数", "执行率", "差额")
    assert rows(report, Section.EXECUTION) == [("科学技术支出", "110.00", "100.00", "0.9091", "-10.00"),
                                               ("社会保障和就业支出", "46.67", "46.67", "1.0000", "0.00"),
                                               ("卫生健康支出", "40.00", "46.67", "1.1668", "6.67"),
                                               ("住房保障支出", "46.66", "46.66", "1.0000", "0.00"),
                                               ("合计", "243.33", "240.00", "0.9863", "-3.33")]


def test_crafted_three_public_has_completion_rates_and_none_where_nothing_was_budgeted(crafted):
    _, report = crafted
    table = report.table(Section.THREE_PUBLIC)
    assert rows(report, Section.THREE_PUBLIC) == [("因公出国（境）费", "0.00", "0.00", None),
                                                  ("公务用车购置及运行维护费", "3.00", "2.80", "0.9333"),
                                                  ("其中：公务用车购置费", "0.00", "0.00", None),
                                                  ("公务用车运行维护费", "3.00", "2.80", "0.9333"),
                                                  ("公务接待费", "2.00", "1.40", "0.7000"),
                                                  ("合计", "5.00", "4.20", "0.8400")]
    assert [r.is_detail for r in table.rows] == [False, False, True, True, False, False]


def test_report_in_yuan_shows_yuan_and_the_same_shares(crafted):
    result, _ = crafted
    report = only(build_report(result, ReportOptions(unit=Unit.YUAN)))
    assert rows(report, Section.INCOME) == [("年初结转和结余", "200000.00", "0.0732"),
                                            ("一般公共预算财政拨款收入", "2000000.00", "0.7317"),
                                            ("事业收入", "500000.00", "0.1829"), ("其他收入", "33333.00", "0.0122"),
                                            ("合计", "2733333.00", "1")]
    assert rows(report, Section.THREE_PUBLIC)[-1] == ("合计", "50000.00", "42000.00", "0.8400")


def test_keep_zero_lists_every_line_the_summary_prints(sample):
    report = only(build_report(pipeline.run(REPO / "workbooks"), ReportOptions(keep_zero=True)))
    assert [r[0] for r in rows(report, Section.INCOME)] == [
        "年初结转和结余", "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
        "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入", "使用非财政拨款结余", "合计"]
    assert rows(report, Section.INCOME)[2] == ("政府性基金预算财政拨款收入", "0.00", "0.0000")
    assert len(report.table(Section.BY_CLASS).body) == 24
    assert rows(report, Section.BY_NATURE)[2:] == [("上缴上级支出", "0.00", "0.0000"), ("经营支出", "0.00", "0.0000"),
                                                   ("对附属单位补助支出", "0.00", "0.0000"), ("合计", "163.68", "1")]


def test_a_detail_table_that_agrees_with_its_own_sum_outvotes_the_summary_line(tmp_path):
    # The 总表 prints 社会保障和就业支出 466,600.00; the 支出决算表 row and its 款 say 466,700.00.
    result = pipeline.run(crafted_folder(tmp_path, {(S_SUMMARY, "D6"): 466_600}))
    report = only(build_report(result))
    assert rows(report, Section.BY_CLASS)[1] == ("社会保障和就业支出", "46.67", "0.1945")
    figure = next(f for f in report.set_aside if f.item == "社会保障和就业支出")
    assert figure.adopted.source == "支出决算表（支出决算表!C8）"
    assert [(w.ref.cell, w.yuan) for w in figure.set_aside] == [("D6", D("466600.00"))]
    notes = Report((report,)).cell_notes()
    assert notes[figure.set_aside[0].ref] == \
        "报告用表和报告文字未采用此数：社会保障和就业支出采用支出决算表（支出决算表!C8） 46.67万元。"


def test_a_detail_table_off_by_ten_thousand_is_not_used_and_the_summary_stands(tmp_path):
    folder = tmp_path / "in"
    write_workbook(folder / "决算.xlsx", {"总表": summary_sheet(), "支出": expenditure_sheet(scale=10000)})
    report = only(build_report(pipeline.run(folder)))
    assert rows(report, Section.BY_CLASS) == [("科学技术支出", "125.43", "0.8616"), ("社会保障和就业支出", "20.15", "0.1384"),
                                              ("合计", "145.58", "1")]
    assert dict(report.missing)[Section.BY_NATURE] == \
        "支出决算表与收入支出决算总表的金额相差千倍或万倍，金额单位可能有误，见问题清单"


def test_without_a_summary_the_text_says_the_income_cannot_be_stated(tmp_path):
    folder = tmp_path / "in"
    write_workbook(folder / "支出.xlsx", {"s": expenditure_sheet()})
    report = only(build_report(pipeline.run(folder)))
    assert [t.section for t in report.tables] == [Section.BY_CLASS, Section.BY_NATURE]
    assert paragraphs(report) == [
        "（一）部门财政资金收入情况。未提供收入支出决算总表或收入决算表，收入情况无法列示。",
        "（二）部门财政资金支出情况。本年支出合计145.58万元。按支出功能分类，科学技术支出125.43万元，占86.16%；"
        "社会保障和就业支出20.15万元，占13.84%。按支出性质，基本支出115.58万元，占79.39%；项目支出30.00万元，占20.61%。",
    ]


def test_real_disclosure_shares_are_adjusted_and_its_rounding_gap_is_noted_under_the_tables_own_total():
    report = next(d for d in build_report(pipeline.run(REAL)).departments
                  if d.department == "中共上海市普陀区委社会工作部")
    # 264.87, 10.82, 2.71, 29.42 of 307.82 round plainly to 86.05 + 3.52 + 0.88 + 9.56 = 100.01 %.
    assert rows(report, Section.BY_CLASS) == [("一般公共服务支出", "264.87", "0.8605"), ("社会保障和就业支出", "10.82", "0.0351"),
                                              ("卫生健康支出", "2.71", "0.0088"), ("住房保障支出", "29.42", "0.0956"),
                                              ("合计", "307.82", "1")]
    # The tables print 基本支出 105.58 over 95.36 + 10.23 (their own 尾差): the report keeps 105.58, which the
    # 支出决算表 and the report's other sentences state, and notes the cent (it printed 105.59 before).
    assert rows(report, Section.BASIC) == [("人员经费", "95.36", "0.9031"), ("公用经费", "10.23", "0.0969"),
                                           ("合计", "105.58", "1")]
    assert report.table(Section.BASIC).notes[-1] == "注：各项之和为 105.59，与合计 105.58 相差 +0.01，系各项分别四舍五入所致（尾差）。"
    assert not any(f.item == "基本支出" for f in report.set_aside)
    assert rows(report, Section.THREE_PUBLIC)[-1] == ("合计", "0.00", "0.00", None)
    assert report.table(Section.THREE_PUBLIC).notes == ("注：本年度没有财政拨款“三公”经费支出。",)


def test_every_share_column_adds_up_to_exactly_one_hundred_percent(sample, crafted):
    reports = [sample, crafted[1], *build_report(pipeline.run(REAL)).departments]
    for report in reports:
        for table in report.tables:
            if table.header[-1] == "占比":
                assert sum(row.values[1] for row in table.body) == 1, (report.department, table.title)
                summed = sum(row.values[0] for row in table.body)
                # the lines add up to the total, or within their rounding, the 尾差 noted under the table
                assert summed == table.total.values[0] or (
                    abs(summed - table.total.values[0]) <= D("0.005") * len(table.body)
                    and any("尾差" in note for note in table.notes)), (report.department, table.title)


# --- Totals and notes as the report prints them (audit 15) -------------------------------------------

def _corpus_report(tmp_path, traits, stage: str = "决算", *, budget: bool = False, detail=None) -> DepartmentReport:
    from layout_corpus import render_disclosure
    from layout_corpus.accounts import budget_accounts
    from dataclasses import replace as replaced
    render_disclosure(traits, stage).write(tmp_path)
    if budget:  # a 2024 budget that differs from what was spent
        render_disclosure(traits, "预算", accounts=replaced(budget_accounts(), year=2024)).write(tmp_path)
    options = ReportOptions(detail=detail) if detail else ReportOptions()
    return only(build_report(pipeline.run(tmp_path), options))


def test_a_thousand_yuan_table_set_aside_for_ten_yuan_is_no_other_figure_in_wan_and_no_mismatch(tmp_path):
    """In 千元, the 总表's 4,490.14 万元 differs from the sum of its lines by 10 元: it was listed as a set-aside
    '4,490.14万元' beside the adopted 4,490.14万元, and the carry-over note said 197.51 and 197.51 differ."""
    from layout_corpus import Traits
    report = _corpus_report(tmp_path, Traits(unit="千元"))
    assert report.set_aside == ()
    assert not any("不符" in note for table in report.tables for note in table.notes)


def test_the_balance_and_execution_totals_are_the_sums_of_their_lines(tmp_path):
    """表5's 合计 was each column's exact total rounded on its own (4,787.65 under lines adding to 4,787.66),
    and 预算执行情况's 合计 the exact totals' (4,597.89 and −107.75 under lines adding to 4,597.90 and −107.76)."""
    from layout_corpus import Traits
    from budgetkit.model import Level
    report = _corpus_report(tmp_path, Traits(unit="元"), budget=True, detail=Level.ITEM)
    for section in (Section.BALANCE, Section.EXECUTION):
        table = report.table(section)
        lines = [r for r in table.rows if not r.is_total and not getattr(r, "is_detail", False)]
        total = next(r for r in table.rows if r.is_total)
        amounts = [i for i, column in enumerate(table.columns) if column.format.name == "AMOUNT"]
        assert [total.values[i] for i in amounts] == [sum((r.values[i] for r in lines), D(0)) for i in amounts]
