"""Report texts (表文): found beside the workbooks, read into statements, checked by BK6xx."""

from __future__ import annotations

import shutil
from decimal import Decimal

import docx
import pytest
from conftest import REAL, REPO

from budgetkit import pipeline
from budgetkit.discover import discover, discover_texts
from budgetkit.load.narrative import Narrative, load_narrative, parse_paragraph
from budgetkit.model import (
    Cell,
    CellRef,
    Row,
    Severity,
    Side,
    SourceFile,
    Table,
    TableKind,
    Unit,
)
from budgetkit.reconcile import reconcile
from budgetkit.rules import CATALOG

TEXT = "科协/自评报告.txt"
SEED_INCOME = ("区科协2022年年初收入预算163.68万元，其中：上年结转年0.84万元，占0%；一般公共预算拨款收入163.68万元，"
               "占100%；政府性基金预算拨款收入0万元，占0%；事业收入0万元，占0%。")
SEED_SPENDING = ("2022年收入、支出预算163.68万元，全部为一般公共预算财政拨款。其中科学技术支出125.43万元；"
                 "社会保障和就业支出20.15万元；卫生健康支出5.95万元；住房保障支出12.15万元。")


def narrative(*paragraphs: str) -> Narrative:
    return Narrative(TEXT, tuple(parse_paragraph(TEXT, n, text) for n, text in enumerate(paragraphs, start=1)))


def summary_table(health: str = "5.95") -> Table:
    """A 收入支出决算总表 with one 类 line: 210 卫生健康支出 in C9."""
    ref = CellRef("科协/决算.xlsx", "总表", "C9")
    row = Row("卫生健康支出", {"amount": Cell(Decimal(health), ref)}, CellRef(ref.file, ref.sheet, "B9"),
              code="210", side=Side.EXPENDITURE)
    return Table(TableKind.SUMMARY, ref.file, ref.sheet, "收入支出决算总表", Unit.WAN, [row], {})


def check(code: str, *paragraphs: str, tables: tuple[Table, ...] = ()):
    done = reconcile(list(tables), rules=[CATALOG[code]], narratives=(narrative(*paragraphs),))
    return [(f.severity, f.ref.cell, f.item, f.stated, f.expected) for f in done.findings]


def test_a_paragraph_yields_labelled_amounts_shares_and_the_parts_under_its_total():
    paragraph = parse_paragraph(TEXT, 2, SEED_INCOME)
    assert [(a.label, a.cell.value) for a in paragraph.amounts] == [
        ("年初收入预算", Decimal("163.68")), ("上年结转", Decimal("0.84")), ("一般公共预算拨款收入", Decimal("163.68")),
        ("政府性基金预算拨款收入", Decimal("0")), ("事业收入", Decimal("0"))]
    assert paragraph.amounts[1].share.value == Decimal("0") and paragraph.amounts[2].share.value == Decimal("1")
    [breakdown] = paragraph.breakdowns
    assert breakdown.total.label == "年初收入预算" and len(breakdown.parts) == 4
    assert paragraph.amounts[0].cell.ref == CellRef(TEXT, "报告文字", "第2段")


def test_parts_may_follow_in_the_sentence_after_their_total():
    [breakdown] = parse_paragraph(TEXT, 3, SEED_SPENDING).breakdowns
    assert breakdown.total.label == "收入、支出预算"
    assert [p.label for p in breakdown.parts] == ["科学技术支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"]


def test_a_paragraph_knows_its_headings_and_a_part_the_total_it_is_listed_under(tmp_path):
    (tmp_path / "说明.txt").write_text("四、一般公共预算财政拨款基本支出决算情况说明\n"
                                     "2024年度一般公共预算财政拨款基本支出105.58万元，其中：人员经费95.36万元。\n"
                                     "（一）支出情况。财政拨款支出中，基本支出105.58万元。\n", encoding="utf-8")
    first, second, third = load_narrative(SourceFile(tmp_path / "说明.txt", "说明.txt")).paragraphs
    assert first.headings == second.headings == ("四、一般公共预算财政拨款基本支出决算情况说明",)
    assert second.amounts[1].context == ("一般公共预算财政拨款基本支出",)
    assert third.headings == ("四、一般公共预算财政拨款基本支出决算情况说明", "（一）支出情况。")
    assert third.amounts[0].context == ("财政拨款支出中，",)


def test_texts_are_listed_apart_from_workbooks(tmp_path):
    (tmp_path / "决算.xlsx").write_bytes(b"")
    (tmp_path / "报告.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "~$报告.docx").write_bytes(b"")
    assert [s.relative for s in discover(tmp_path)] == ["决算.xlsx"]
    assert [s.relative for s in discover_texts(tmp_path)] == ["报告.txt"]


def test_a_gb18030_text_and_a_docx_are_read_into_numbered_paragraphs(tmp_path):
    (tmp_path / "a.txt").write_bytes(f"标题\n\n{SEED_INCOME}\n".encode("gb18030"))
    document = docx.Document()
    for text in ("标题", "", SEED_INCOME):
        document.add_paragraph(text)
    document.save(str(tmp_path / "b.docx"))
    for name in ("a.txt", "b.docx"):
        loaded = load_narrative(SourceFile(tmp_path / name, name))
        assert [p.number for p in loaded.paragraphs] == [1, 2] and loaded.paragraphs[1].text == SEED_INCOME


def test_a_damaged_docx_is_named_with_a_reason(tmp_path):
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    loaded = load_narrative(SourceFile(tmp_path / "坏.docx", "坏.docx"))
    assert loaded.paragraphs == () and loaded.reason.startswith("无法读取报告文字")


def test_text_rules_without_a_text_are_not_run_and_say_why():
    done = reconcile([summary_table()], rules=[CATALOG["BK601"], CATALOG["BK606"]])
    assert [(c.rule.code, c.ran, c.reason) for c in done.coverage] == [
        ("BK601", False, "缺少报告文字（.txt/.docx/.pdf）"), ("BK606", False, "缺少报告文字（.txt/.docx/.pdf）")]


def test_text_total_that_leaves_out_a_listed_carryover_is_an_error():
    assert check("BK601", "标题", SEED_INCOME) == [
        (Severity.ERROR, "第2段", "年初收入预算", Decimal("163.68"), Decimal("164.52"))]


def test_text_total_equal_to_its_parts_is_quiet():
    assert check("BK601", SEED_SPENDING) == []


def test_nonzero_part_stated_as_zero_percent_is_an_error():
    assert check("BK602", "标题", SEED_INCOME) == [
        (Severity.ERROR, "第2段", "上年结转", Decimal("0"), Decimal("0.5132"))]


def test_shares_that_match_their_amounts_are_quiet():
    assert check("BK602", "收入164.52万元，其中：上年结转0.84万元，占0.51%；一般公共预算拨款收入163.68万元，占99.49%。") == []


def test_shares_of_one_total_that_do_not_sum_to_100_are_an_error():
    text = "支出163.68万元，其中：基本支出133.68万元，占80%；项目支出30万元，占18.35%。"
    assert check("BK603", text) == [(Severity.ERROR, "第1段", "支出", Decimal("98.35"), Decimal("100"))]


def test_shares_that_sum_to_100_are_quiet():
    assert check("BK603", "支出163.68万元，其中：基本支出133.68万元，占81.67%；项目支出30万元，占18.33%。") == []


def test_template_residue_is_a_warning():
    found = check("BK604", "标题", "较上年增加（减少）12.5万元，主要原因是。科学技术支出125.43万元，占76.63。XX项目于202 年度完成。")
    assert [(severity, cell, item) for severity, cell, item, _, _ in found] == [
        (Severity.WARNING, "第2段", "占76.63"), (Severity.WARNING, "第2段", "增加（减少）"),
        (Severity.WARNING, "第2段", "主要原因是"), (Severity.WARNING, "第2段", "XX"), (Severity.WARNING, "第2段", "202 年")]


def test_finished_wording_is_quiet():
    assert check("BK604", "较上年增加12.5万元，主要原因是新增科普活动项目。科学技术支出占76.63%。") == []


def test_completion_rate_over_a_zero_budget_and_growth_from_zero_are_warnings():
    found = check("BK605", "年初预算0万元，决算12.5万元，完成年初预算的100%。", "上年支出0万元，本年支出12.5万元，增长100%。")
    assert found == [(Severity.WARNING, "第1段", "年初预算", Decimal("100"), None),
                     (Severity.WARNING, "第2段", "增长100%", Decimal("100"), None)]


def test_rates_over_nonzero_bases_are_quiet():
    assert check("BK605", "年初预算10万元，决算12.5万元，完成年初预算的125%。上年支出6.25万元，本年支出12.5万元，增长100%。") == []


def test_growth_beside_a_figure_restated_is_no_growth_from_zero():
    """Two equal figures, neither an increase: the whole restated as its one part says nothing of the base
    (before, any two equal figures were taken for 本年 = 增加额: a false BK605)."""
    assert check("BK605", "政府采购支出总额3.50万元，全部为政府采购货物支出3.50万元，较上年增长100%。",
                 "项目支出30.00万元，其中科普活动30.00万元，比上年增长100%。") == []


def test_growth_where_the_increase_is_the_whole_figure_is_from_zero():
    """A guard: the increase stated equal to the figure still leaves a zero base."""
    assert check("BK605", "本年预算12.5万元，比上年增加12.5万元，增长100.00%。") == [
        (Severity.WARNING, "第1段", "本年预算", Decimal("100.00"), None)]


def test_category_amount_that_differs_from_the_summary_table_is_an_error():
    found = check("BK606", "其中卫生健康支出6.95万元。", tables=(summary_table(),))
    assert found == [(Severity.ERROR, "第1段", "卫生健康支出", Decimal("6.95"), Decimal("5.95"))]


def test_category_amount_within_the_rounding_of_the_text_is_info_and_a_match_is_quiet():
    assert check("BK606", "其中卫生健康支出59,540元。", tables=(summary_table(),)) == [
        (Severity.INFO, "第1段", "卫生健康支出", Decimal("59540"), Decimal("59500"))]
    assert check("BK606", SEED_SPENDING, tables=(summary_table(),)) == []


def test_a_stale_category_name_is_a_warning():
    assert check("BK607", "标题", "医疗卫生与计划生育支出5.95万元。") == [
        (Severity.WARNING, "第2段", "医疗卫生与计划生育支出", None, None)]


def test_current_category_names_are_quiet():
    assert check("BK607", SEED_SPENDING) == []


def test_a_category_name_before_its_rename_is_current_in_a_text_of_that_year():
    assert check("BK607", "2018年度部门决算说明", "医疗卫生与计划生育支出5.95万元。") == []
    assert check("BK607", "2019年度部门决算说明", "医疗卫生与计划生育支出5.95万元。") == [
        (Severity.WARNING, "第2段", "医疗卫生与计划生育支出", None, None)]


def test_bk608_an_item_amount_in_the_text_must_equal_its_table_row(tmp_path):
    shutil.copy(REAL / "putuo_social_work_2024_final.xlsx", tmp_path)
    (tmp_path / "报告.txt").write_text(
        "一般公共预算财政拨款支出307.82万元。\n"
        "其中：2013999其他社会工作事务支出212.24万元，购房补贴11.72万元，行政运行51.32万元。\n", encoding="utf-8")
    findings = [f for f in pipeline.run(tmp_path).findings if f.rule == "BK608"]
    assert [(f.severity, f.ref.file, f.ref.cell, f.stated, f.expected) for f in findings] == [
        (Severity.ERROR, "报告.txt", "第2段", Decimal("212.24"), Decimal("202.24"))]
    # the sheet is named like its table: the table is said once
    assert "，一般公共预算财政拨款支出决算表!C9 为 202.24万元" in findings[0].message


def test_bk608_stays_quiet_when_the_text_agrees_with_the_tables(tmp_path):
    shutil.copy(REAL / "putuo_social_work_2024_final.xlsx", tmp_path)
    (tmp_path / "报告.txt").write_text("2013999其他社会工作事务支出202.24万元，购房补贴11.72万元。\n"
                                     "2013999其他社会工作事务支出年初预算为180万元。\n", encoding="utf-8")
    result = pipeline.run(tmp_path)
    assert [f for f in result.findings if f.rule == "BK608"] == []
    assert {c.rule.code: c.ran for c in result.coverage}["BK608"] is True


def text_findings(folder, code: str, text: str, *workbooks: str):
    """Run the whole pipeline on a folder holding the text (as 报告.txt) and the named real workbooks."""
    for name in workbooks:
        shutil.copy(REAL / name, folder)
    (folder / "报告.txt").write_text(text, encoding="utf-8")
    result = pipeline.run(folder)
    assert {c.rule.code: c.ran for c in result.coverage}[code] is True
    return [f for f in result.findings if f.rule == code]


@pytest.mark.parametrize(("text", "cell", "item", "stated", "expected", "message"), [
    pytest.param("标题\n一般公共预算财政拨款支出年初预算为472.9万元，支出决算为500.12万元，完成年初预算的27.22%。\n",
                 "第2段", "完成年初预算的27.22%", Decimal("27.22"), Decimal("105.7560"),
                 "支出决算500.12万元 ÷ 一般公共预算财政拨款支出年初预算472.90万元 应为 105.76%",
                 id="the increment stated as the rate"),
    pytest.param("2017年度一般公共预算财政拨款支出1,741.75万元，完成年初预算100%，决算数大于预算数55.93万元。\n",
                 "第1段", "完成年初预算100%", Decimal(100), Decimal("103.3177"),
                 "预算数1,685.82万元（由决算数大于预算数55.93万元推出） 应为 103.32%",
                 id="a rate that contradicts the stated gap"),
    pytest.param("年初预算472.9万元，支出决算500.12万元，完成年初预算的105.76%，决算数大于预算数37.22万元。\n",
                 "第1段", "决算数大于预算数", Decimal("37.22"), Decimal("27.22"),
                 "支出决算500.12万元 − 年初预算472.90万元 应为 27.22万元", id="a gap that is not actual minus budget"),
])
def test_bk609_a_completion_rate_or_gap_that_contradicts_its_own_figures_is_an_error(
        tmp_path, text, cell, item, stated, expected, message):
    [finding] = text_findings(tmp_path, "BK609", text)
    assert (finding.severity, finding.ref.file, finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        Severity.ERROR, "报告.txt", cell, item, stated, expected)
    assert message in finding.message


def test_bk609_a_rate_and_gap_that_agree_with_their_figures_are_quiet(tmp_path):
    assert text_findings(tmp_path, "BK609", "年初预算472.9万元，支出决算500.12万元，完成年初预算的105.76%，"
                                            "决算数大于预算数27.22万元。\n"
                                            "年初预算1,685.82万元，预算完成率103.3%，决算数大于预算数55.93万元。\n"
                                            "年初预算0万元，决算12.5万元，完成年初预算的100%。\n") == []


def test_bk610_an_item_budget_in_the_text_must_equal_the_same_years_department_budget(tmp_path):
    findings = text_findings(tmp_path, "BK610", "2025年一般公共预算财政拨款支出情况\n"
                                                "2011301行政运行年初预算为900万元，支出决算为930万元；"
                                                "事业运行年初预算为290.18万元。\n"
                                                "行政单位医疗（项）年初预算数63.2万元。\n",
                             "putuo_commerce_2025_budget.xlsx")
    assert [(f.severity, f.ref.file, f.ref.cell, f.item, f.stated, f.expected) for f in findings] == [
        (Severity.WARNING, "报告.txt", "第2段", "2011301行政运行年初预算", Decimal(900), Decimal("938.9913")),
        (Severity.WARNING, "报告.txt", "第3段", "行政单位医疗（项）年初预算数", Decimal("63.2"), Decimal("63.1941"))]
    # a sheet named otherwise keeps the table's name before it
    assert "同年部门预算 一般公共预算支出表 一般公共预算支出功能分类预算表!E8 为 938.99万元" in findings[0].message


def test_bk610_item_budgets_shown_rounded_to_wan_are_quiet(tmp_path):
    assert text_findings(tmp_path, "BK610", "2025年决算说明\n2011301行政运行年初预算为938.99万元，"
                                            "事业运行年初预算为290.18万元，行政单位医疗（项）年初预算数63.19万元。\n",
                         "putuo_commerce_2025_budget.xlsx") == []


def test_bk611_the_texts_carry_over_must_be_the_summary_tables(tmp_path):
    shutil.copy(REPO / "workbooks" / "区科协2022年部门决算.xlsx", tmp_path)
    (tmp_path / "2022年报告.txt").write_text("部门财政资金结转结余0元。\n年末结转和结余0.84万元，上年结转0.84万元。\n",
                                           encoding="utf-8")
    findings = [f for f in pipeline.run(tmp_path).findings if f.rule == "BK611"]
    assert [(f.severity, f.ref.cell, f.stated, f.expected) for f in findings] == [
        (Severity.ERROR, "第1段", Decimal(0), Decimal(8400))]
    assert "收入支出决算总表!D31" in findings[0].message


def test_bk611_stays_quiet_when_the_text_states_the_summary_lines(tmp_path):
    shutil.copy(REPO / "workbooks" / "区科协2022年部门决算.xlsx", tmp_path)
    (tmp_path / "2022年报告.txt").write_text("收入总计164.52万元，本年支出合计163.68万元，年末结转和结余0.84万元。\n",
                                           encoding="utf-8")
    assert [f for f in pipeline.run(tmp_path).findings if f.rule == "BK611"] == []
