"""Each core rule fires on a crafted error (rule, severity, cell, figures) and stays
quiet on consistent data, whatever the layout and unit."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REAL, REPO
from standard_tables import expenditure_sheet, income_sheet, summary_sheet
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity


def findings_for(folder: Path, **sheets_by_file) -> list:
    for name, sheets in sheets_by_file.items():
        write_workbook(folder / name, sheets)
    return pipeline.run(folder).findings


def only(findings, rule: str, cell: str | None = None, sheet: str | None = None):
    matches = [f for f in findings if f.rule == rule and (cell is None or f.ref.cell == cell)
               and (sheet is None or f.ref.sheet == sheet)]
    assert len(matches) == 1, [(f.rule, f.ref.sheet, f.ref.cell, f.message) for f in findings]
    return matches[0]


def consistent(**overrides):
    return {"决算.xlsx": {"总表": overrides.get("summary", summary_sheet()),
                          "收入": overrides.get("income", income_sheet()),
                          "支出": overrides.get("spending", expenditure_sheet())}}


@pytest.mark.parametrize("variant", [
    {},
    {"summary": summary_sheet(with_line_numbers=True), "spending": expenditure_sheet(split_codes=True)},
    {"spending": expenditure_sheet(total_at_bottom=True, text_numbers=True, dash_for_blank=True)},
    {"summary": summary_sheet(unit="元", scale=10000), "income": income_sheet(unit="元", scale=10000),
     "spending": expenditure_sheet(unit="元", scale=10000, split_codes=True)},
    {"income": income_sheet(unit="元", scale=10000)},  # units differ between tables but are stated
], ids=["plain", "central-template", "text-numbers", "all-yuan", "mixed-units"])
def test_consistent_core_tables_give_no_finding_in_any_layout_or_unit(tmp_path, variant):
    assert findings_for(tmp_path, **consistent(**variant)) == []


def test_consistent_core_tables_in_separate_xls_and_xlsx_files_give_no_finding(tmp_path):
    findings = findings_for(tmp_path, **{"总表.xls": {"s": summary_sheet()}, "收入.xlsx": {"s": income_sheet()},
                                         "支出.xls": {"s": expenditure_sheet(split_codes=True)}})
    assert findings == []


def test_bk101_row_total_that_differs_from_its_columns_is_an_error(tmp_path):
    spending = expenditure_sheet(overrides={("2080505", "basic"): "13.00"})
    finding = only(findings_for(tmp_path, **{"t.xlsx": {"支出": spending}}), "BK101")
    assert (finding.severity, finding.ref.cell) == (Severity.ERROR, "C13")
    assert (finding.stated, finding.expected, finding.difference) == (Decimal("13.43"), Decimal("13.00"),
                                                                     Decimal("0.43"))
    assert [r.cell for r in finding.related] == ["D13"]


def test_bk102_total_row_that_differs_from_its_classes_is_an_error(tmp_path):
    spending = expenditure_sheet(overrides={("206", "total"): "125.53", ("206", "basic"): "95.53",
                                            ("20601", "total"): "95.53", ("20601", "basic"): "95.53",
                                            ("2060101", "total"): "95.53", ("2060101", "basic"): "95.53"})
    findings = findings_for(tmp_path, **{"t.xlsx": {"支出": spending}})
    total = only(findings, "BK102", "C5")
    assert (total.severity, total.stated, total.expected) == (Severity.ERROR, Decimal("145.58"), Decimal("145.68"))
    assert only(findings, "BK102", "D5").expected == Decimal("115.68")


def test_bk103_class_that_differs_from_its_sections_is_an_error(tmp_path):
    spending = expenditure_sheet(overrides={("20805", "total"): "21.15", ("20805", "basic"): "21.15"})
    findings = findings_for(tmp_path, **{"t.xlsx": {"支出": spending}})
    section = only(findings, "BK103", "C12")
    assert (section.severity, section.stated, section.expected) == (Severity.ERROR, Decimal("21.15"),
                                                                    Decimal("20.15"))
    assert only(findings, "BK103", "C11").expected == Decimal("21.15")


def test_bk103_a_one_cent_residue_over_two_items_is_rounding_info(tmp_path):
    spending = expenditure_sheet(overrides={("2080505", "total"): "13.44", ("2080505", "basic"): "13.44"})
    findings = findings_for(tmp_path, **{"t.xlsx": {"支出": spending}})
    assert {(f.rule, f.severity, f.ref.cell) for f in findings} == {("BK103", Severity.INFO, "C12"),
                                                                   ("BK103", Severity.INFO, "D12")}
    assert findings[0].message.endswith("差额在取整误差允许范围（±0.015万元）内，属尾差（各数分别四舍五入所致），一般无需更正。")


def test_bk111_current_year_total_that_differs_from_the_listed_lines_is_an_error(tmp_path):
    findings = findings_for(tmp_path, **{"t.xlsx": {"总表": summary_sheet(income_total="150.00",
                                                                          grand_total="150.84")}})
    finding = only(findings, "BK111", "B12")
    assert (finding.severity, finding.stated, finding.expected) == (Severity.ERROR, Decimal("150.00"),
                                                                    Decimal("145.58"))
    assert only(findings, "BK113", "D15").expected == Decimal("150.84")


def test_bk112_and_bk113_grand_total_that_leaves_out_the_carryover(tmp_path):
    findings = findings_for(tmp_path, **{"t.xlsx": {"总表": summary_sheet(grand_total="145.58")}})
    grand = only(findings, "BK112", "B15")
    assert (grand.severity, grand.stated, grand.expected, grand.difference) == (
        Severity.ERROR, Decimal("145.58"), Decimal("146.42"), Decimal("-0.84"))
    balance = only(findings, "BK113", "D15")
    assert (balance.stated, balance.expected) == (Decimal("146.42"), Decimal("145.58"))
    assert [r.cell for r in balance.related] == ["B15"]


def test_bk114_a_line_with_sub_lines_must_equal_their_sum(tmp_path):
    lines = (("一、财政拨款收入", "145.58"), ("1. 一般公共预算资金", "140.00"), ("2. 政府性基金", "5.00"))
    findings = findings_for(tmp_path, **{"t.xlsx": {"总表": summary_sheet(income_lines=lines)}})
    finding = only(findings, "BK114")
    assert (finding.ref.cell, finding.stated, finding.expected) == ("B5", Decimal("145.58"), Decimal("145.00"))
    assert [f.rule for f in findings] == ["BK114"]  # sub-lines are not added twice into 本年收入合计


def test_bk201_summary_income_that_differs_from_the_income_table(tmp_path):
    findings = findings_for(tmp_path, **consistent(income=income_sheet(total="145.68")))
    total = only(findings, "BK201", "B12")
    assert (total.severity, total.stated, total.expected) == (Severity.ERROR, Decimal("145.58"), Decimal("145.68"))
    assert [r.cell for r in total.related] == ["C5"]
    fiscal = only(findings, "BK201", "D5")
    assert (fiscal.stated, fiscal.expected) == (Decimal("145.68"), Decimal("145.58"))


def test_bk202_summary_class_line_that_differs_from_the_expenditure_table(tmp_path):
    spending = expenditure_sheet(overrides={("208", "total"): "20.35", ("208", "basic"): "20.35"})
    findings = findings_for(tmp_path, **consistent(spending=spending))
    finding = only(findings, "BK202", "D11")
    assert (finding.severity, finding.stated, finding.expected) == (Severity.ERROR, Decimal("20.15"),
                                                                    Decimal("20.35"))
    assert finding.item == "208 社会保障和就业支出"


def test_bk401_a_table_in_yuan_labelled_wan_is_one_unit_error_not_a_list(tmp_path):
    findings = findings_for(tmp_path, **consistent(income=income_sheet(unit="万元", scale=10000)))
    assert [f.rule for f in findings if f.severity == Severity.ERROR] == ["BK401"]
    finding = findings[0]
    # The 收入 table agrees with neither other table: the finding is on it.
    assert (finding.ref.sheet, finding.ref.cell, finding.stated, finding.expected) == (
        "收入", "C5", Decimal("1455800"), Decimal("145.58"))
    assert "单位" in finding.message and "10000" in finding.message


def test_bk402_a_table_without_unit_is_a_warning(tmp_path):
    rows, merges = expenditure_sheet()
    rows[1] = ["部门：测试局"]
    finding = only(findings_for(tmp_path, **{"t.xlsx": {"支出": (rows, merges)}}), "BK402")
    assert (finding.severity, finding.ref.cell) == (Severity.WARNING, "A1")


def test_share_rules_fire_on_the_model_report_working_sheet():
    findings = pipeline.run(REPO / "workbooks").findings
    zero = only(findings, "BK301", "C4")
    assert (zero.severity, zero.stated, zero.expected) == (Severity.ERROR, Decimal(0), Decimal("0.5132"))
    total = only(findings, "BK303", "B8")
    assert (total.severity, total.stated, total.expected) == (Severity.ERROR, Decimal("163.68"), Decimal("164.52"))


def test_bk302_shares_that_do_not_add_to_100_percent(tmp_path):
    rows = [["支出构成"], ["单位：万元"], ["项目", "金额", "占比"], ["科学技术支出", 125.43, 0.7763],
            ["社会保障和就业支出", 20.15, 0.1231], ["合计", 145.58, 1.0]]
    findings = findings_for(tmp_path, **{"t.xlsx": {"s": (rows, [])}})
    finding = only(findings, "BK302")
    assert (finding.ref.cell, finding.stated, finding.expected) == ("C6", Decimal("89.94"), Decimal(100))
    assert only(findings, "BK301", "C4").expected == Decimal("86.1588")


def test_share_rules_stay_quiet_on_correctly_rounded_shares(tmp_path):
    rows = [["支出构成"], ["单位：万元"], ["项目", "金额", "占比"], ["科学技术支出", 125.43, 0.7663],
            ["社会保障和就业支出", 20.15, 0.1231], ["卫生健康支出", 5.95, 0.0364], ["住房保障支出", 12.15, 0.0742],
            ["合计", 163.68, 1.0]]
    assert findings_for(tmp_path, **{"t.xlsx": {"s": (rows, [])}}) == []


@pytest.mark.parametrize("name", ["putuo_social_work_2024_final.xlsx", "putuo_social_work_2024_final.xls"])
def test_real_2024_final_gives_exactly_the_two_published_rounding_residues(tmp_path, name):
    """The fixture audit: every identity holds except two 0.01 residues, both rounding."""
    shutil.copy(REAL / name, tmp_path)
    findings = pipeline.run(tmp_path).findings
    assert [(f.rule, f.severity, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in findings] == [
        ("BK103", Severity.INFO, "一般公共预算财政拨款基本支出决算表", "F4", Decimal("10.23"), Decimal("10.22")),
        ("BK206", Severity.INFO, "一般公共预算财政拨款支出决算表", "D22", Decimal("105.58"), Decimal("105.59")),
    ]


def test_real_2025_budget_holds_as_published_and_every_budget_rule_runs(tmp_path):
    shutil.copy(REAL / "putuo_commerce_2025_budget.xlsx", tmp_path)
    result = pipeline.run(tmp_path)
    assert result.findings == []
    ran = {c.rule.code for c in result.coverage if c.ran}
    assert {"BK211", "BK212", "BK213", "BK214", "BK215", "BK216", "BK217", "BK218", "BK219"} <= ran


def test_tables_of_two_years_in_one_folder_are_not_compared_with_each_other(tmp_path):
    later = income_sheet(total="145.68")
    findings = findings_for(tmp_path, **{"2022年决算.xlsx": {"总表": summary_sheet(), "收入": income_sheet()},
                                         "2023年决算.xlsx": {"收入": later}})
    assert [f.rule for f in findings if f.rule.startswith("BK2")] == []
    assert {f.ref.file for f in findings} == {"2023年决算.xlsx"}  # its own 合计 ≠ Σ类 (BK102)


def test_a_working_sheet_without_department_joins_its_folders_department(tmp_path):
    from budgetkit.grouping import group_tables
    write_workbook(tmp_path / "2022年决算.xlsx", {"总表": summary_sheet(), "支出": expenditure_sheet()})
    write_workbook(tmp_path / "测算.xlsx", {"s": ([["2022年支出构成"], ["项目", "金额", "占比"], ["科学技术支出", 1, 1]], [])})
    groups = group_tables(pipeline.run(tmp_path).tables)
    assert [(g.name, len(g.tables)) for g in groups] == [("测试局 2022", 3)]


def test_loading_in_parallel_workers_gives_the_same_files_tables_and_findings(tmp_path):
    for name, spending in (("甲/决算.xlsx", expenditure_sheet()),
                           ("乙/决算.xls", expenditure_sheet(overrides={("2080505", "basic"): "13.00"})),
                           ("丙/决算.xlsx", expenditure_sheet(split_codes=True))):
        write_workbook(tmp_path / name, {"总表": summary_sheet(), "支出": spending})
    shutil.copy(REAL / "putuo_social_work_2024_final.xls", tmp_path)
    one, two = pipeline.run(tmp_path, jobs=1), pipeline.run(tmp_path, jobs=2)
    assert [f.source.relative for f in two.files] == [f.source.relative for f in one.files]
    assert [len(f.tables) for f in two.files] == [len(f.tables) for f in one.files] == [9, 2, 2, 2]
    assert two.findings == one.findings
    assert [(f.rule, f.ref.file, f.ref.cell) for f in one.findings] == [
        ("BK103", "乙/决算.xls", "D12"), ("BK101", "乙/决算.xls", "C13"),
        ("BK103", "putuo_social_work_2024_final.xls", "F4"), ("BK206", "putuo_social_work_2024_final.xls", "D22")]


def test_the_xls_and_xlsx_copies_of_one_disclosure_are_checked_once(tmp_path):
    for name in ("putuo_social_work_2024_final.xls", "putuo_social_work_2024_final.xlsx"):
        shutil.copy(REAL / name, tmp_path)
    result = pipeline.run(tmp_path)
    assert [(f.rule, f.ref.file, f.ref.cell) for f in result.findings] == [
        ("BK103", "putuo_social_work_2024_final.xls", "F4"), ("BK206", "putuo_social_work_2024_final.xls", "D22")]
    copy = result.files[1]
    assert (copy.status.value, copy.reason, copy.tables) == (
        "skipped", "与 putuo_social_work_2024_final.xls 的表格内容完全相同（同一份表格的副本），未重复核对", [])
