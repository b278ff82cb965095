"""The report text read like a reviewer reads it (issue 13): the sentence's 口径 picks the table,
every figure is tied to a table figure, rates and changes follow from their figures, years,
form, and bounded reading.

The department is the crafted 测试县科技馆 of test_narrative_sources (2023 决算 in 元, with its
一般公共预算 tables and its 2023 部门收支总表): all funds spend 科学技术 100, 社会保障和就业 46.67,
卫生健康 46.67, 住房保障 46.66 万元; 一般公共预算 spends 90, 46.67, 16.67 and 36.66 of them.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import docx
import pytest
from conftest import REAL
from test_narrative_sources import INCOME, department, found

from budgetkit import pipeline
from budgetkit.load.narrative import (
    Narrative,
    TextCaps,
    load_narrative,
    parse_paragraph,
)
from budgetkit.model import Severity, SourceFile
from budgetkit.reconcile import reconcile
from budgetkit.rules import CATALOG

GP_HEADING = "四、一般公共预算财政拨款支出决算情况说明"
GP_SPENDING = ("2023年度一般公共预算财政拨款支出190万元，主要用于以下方面：科学技术支出（类）90万元，占47.37%；"
               "社会保障和就业支出（类）46.67万元，占24.56%；卫生健康支出（类）16.67万元，占8.77%；"
               "住房保障支出（类）36.66万元，占19.29%。")
FISCAL_HEADING = "一、财政拨款收入支出决算总体情况说明"
FISCAL_TOTAL = "2023年度财政拨款收入支出总计215万元。"


def test_a_list_opened_by_zhu_yao_yong_yu_takes_the_funds_of_its_total(tmp_path):
    result = department(tmp_path, GP_HEADING, GP_SPENDING, FISCAL_HEADING, FISCAL_TOTAL)
    assert [f for f in result.findings if f.rule.startswith("BK6")] == []


@pytest.mark.parametrize(("wrong", "right", "code", "item", "stated", "expected", "cell"), [
    pytest.param("科学技术支出（类）95万元", "科学技术支出（类）90万元", "BK606", "科学技术支出（类）", 95, 90,
                 "一般公共预算财政拨款支出决算表!C5", id="a class of the 一般公共预算 list"),
    pytest.param("财政拨款收入支出总计220万元", "财政拨款收入支出总计215万元", "BK611", "财政拨款收入支出总计", 220, 215,
                 "财政拨款收入支出决算总表!", id="the 财政拨款 总计"),
])
def test_a_wrong_figure_is_held_against_the_table_of_its_own_funds(tmp_path, wrong, right, code, item, stated,
                                                                    expected, cell):
    draft = [text.replace(right, wrong) for text in (GP_HEADING, GP_SPENDING, FISCAL_HEADING, FISCAL_TOTAL)]
    result = department(tmp_path, *draft)
    [finding] = [f for f in result.findings if f.rule.startswith("BK6")]
    assert (finding.rule, finding.severity, finding.item, finding.stated, finding.expected) == (
        code, Severity.ERROR, item, Decimal(stated), Decimal(expected))
    assert cell in finding.message


def test_a_share_one_hundredth_of_a_point_off_its_printed_figures_is_info(tmp_path):
    result = department(tmp_path, GP_HEADING, GP_SPENDING.replace("占47.37%", "占47.38%"))
    assert found(result, "BK602") == [("BK602", Severity.INFO, "第3段", "科学技术支出（类）", Decimal("47.3800"),
                                       Decimal("47.3684"))]


def test_a_main_items_list_is_no_sum():
    [breakdown] = parse_paragraph("x.txt", 1, GP_SPENDING).breakdowns
    assert not breakdown.complete and [p.context[0] for p in breakdown.parts] == ["一般公共预算财政拨款支出"] * 4
    assert not parse_paragraph("x.txt", 1, "人员经费90万元，主要包括基本工资、津贴补贴等；公用经费20万元。").breakdowns


def test_a_wrong_part_that_is_the_only_cause_of_a_wrong_sum_is_one_finding(tmp_path):
    result = department(tmp_path, "二、收入决算情况说明", INCOME.replace("事业收入50万元", "事业收入60万元"))
    assert found(result, "BK601", "BK602", "BK612") == [("BK612", Severity.ERROR, "第3段", "事业收入", 60, 50)]


def test_a_wrong_total_beside_right_parts_is_still_a_wrong_sum(tmp_path):
    result = department(tmp_path, "二、收入决算情况说明", INCOME.replace("253.33万元", "263.33万元"))
    assert [f[0] for f in found(result, "BK601")] == ["BK601"]


# --- 2. every figure tied to a table figure ---------------------------------------------------

@pytest.mark.parametrize(("heading", "draft", "item", "stated", "expected", "said", "other", "cells"), [
    pytest.param("四、一般公共预算财政拨款基本支出决算情况说明", "2023年度一般公共预算财政拨款基本支出150万元。",
                 "一般公共预算财政拨款基本支出", 150, 110, "一般公共预算财政拨款决算", "全部资金决算",
                 ("一般公共预算财政拨款支出决算表!D9", "支出决算表!D5"), id="all funds under 一般公共预算"),
    pytest.param("三、支出决算情况说明", "本年支出合计240万元，其中：科学技术支出110万元；社会保障和就业支出46.67万元；"
                 "卫生健康支出46.67万元；住房保障支出46.66万元。", "科学技术支出", 110, 100, "全部资金决算", "全部资金预算",
                 ("收入支出决算总表!D5", "部门收支总表!D5"), id="the budget's figure in a final account"),
])
def test_a_figure_of_another_kouj_is_one_warning_naming_both(tmp_path, heading, draft, item, stated, expected, said,
                                                              other, cells):
    result = department(tmp_path, heading, draft)
    [finding] = [f for f in result.findings if f.rule == "BK614"]
    assert (finding.severity, finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        Severity.WARNING, "第3段", item, Decimal(stated), Decimal(expected))
    assert f"这是{other}的数（" in finding.message and f"句中口径为{said}" in finding.message
    assert all(cell in finding.message for cell in cells)
    assert [f.rule for f in result.findings if f.severity is Severity.ERROR ] == []


def putuo_pair(folder, **wrong: str):
    """The real 单位预算 and its 说明.docx, with ``wrong`` (old=new) written into the draft's paragraphs."""
    shutil.copy(REAL / "putuo_office_unit_budget_2025.xlsx", folder)
    document = docx.Document(str(REAL / "putuo_office_unit_budget_2025_说明.docx"))
    for paragraph in document.paragraphs:
        for old, new in wrong.values():
            if old in paragraph.text:
                paragraph.text = paragraph.text.replace(old, new)
    document.save(str(folder / "putuo_office_unit_budget_2025_说明.docx"))
    return pipeline.run(folder)


def test_the_real_budgets_subject_list_and_three_public_figures_are_each_compared_and_agree(tmp_path):
    result = putuo_pair(tmp_path)
    assert [f for f in result.findings if f.rule.startswith("BK6")] == []
    ran = {c.rule.code: c.ran for c in result.coverage}
    assert ran["BK608"] and ran["BK613"]


@pytest.mark.parametrize(("old", "new", "code", "item", "stated", "expected", "cell"), [
    pytest.param("科目1,202.95万元", "科目1,220.95万元", "BK608",
                 "1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目", Decimal("1220.95"),
                 Decimal("1202.950184"), "一般公共预算支出功能分类预算表!", id="a 类-款-项 subject"),
    pytest.param("公务接待费28.50万元", "公务接待费38.50万元", "BK613", "（三）公务接待费", Decimal("38.50"),
                 Decimal("28.5"), "“三公”经费和机关运行经费预算表!", id="a 三公 item listed over paragraphs"),
    pytest.param("机关运行经费预算为213.28万元", "机关运行经费预算为231.28万元", "BK613",
                 "上海市普陀区人民政府办公室下属1家机关和1家事业单位财政拨款的机关运行经费预算", Decimal("231.28"),
                 Decimal("213.28"), "“三公”经费和机关运行经费预算表!", id="机关运行经费"),
])
def test_a_wrong_figure_in_the_real_budgets_text_is_one_error_at_its_table_cell(tmp_path, old, new, code, item, stated,
                                                                                 expected, cell):
    result = putuo_pair(tmp_path, change=(old, new))
    [finding] = [f for f in result.findings if f.rule.startswith("BK6")]
    assert (finding.rule, finding.severity, finding.item, finding.stated, finding.expected) == (
        code, Severity.ERROR, item, stated, expected)
    assert cell in finding.message


# --- 3. rates and changes; 4. years -----------------------------------------------------------

def text_check(code: str, *paragraphs: str) -> list[tuple]:
    narrative = Narrative("说明.txt", tuple(parse_paragraph("说明.txt", n, p) for n, p in enumerate(paragraphs, start=1)))
    done = reconcile([], rules=[CATALOG[code]], narratives=(narrative,))
    return [(f.severity, f.ref.cell, f.item, f.stated, f.expected) for f in done.findings]


BUDGET_TITLE = "2026年部门预算编制说明"
CHANGES = ("基本支出110万元，比上年增加10万元，增长10.00%；项目支出80万元，上年为90万元，减少10万元，下降11.11%。"
           "公用经费213.28万元，比上年增加13.28万元，增长6.64%。公务接待费28.50万元，与2025年预算持平。"
           "（1）行政运行（01项）1672.67万元，比2025年预算执行数减少1.07%，主要原因是人员调整。")


@pytest.mark.parametrize("code", ["BK605", "BK615", "BK616", "BK617"])
def test_correct_changes_rates_and_years_are_quiet(code):
    assert text_check(code, BUDGET_TITLE, CHANGES) == []


@pytest.mark.parametrize(("right", "wrong", "item", "stated", "expected"), [
    pytest.param("增长10.00%", "增长11.00%", "基本支出的增减率", Decimal("11.00"), Decimal("10.0000"), id="a rate"),
    pytest.param("减少10万元", "减少12万元", "项目支出的增减额", 12, 10, id="a change against the stated base"),
    pytest.param("下降11.11%", "下降11.25%", "项目支出的增减率", Decimal("11.25"), Decimal("11.1111"),
                 id="a rate over a stated base"),
    pytest.param("增长6.64%", "增长6.70%", "公用经费的增减率", Decimal("6.70"), Decimal("6.6400"), id="a rate 0.06 off"),
])
def test_a_change_or_rate_that_does_not_follow_from_its_figures_is_an_error(right, wrong, item, stated, expected):
    assert text_check("BK615", BUDGET_TITLE, CHANGES.replace(right, wrong)) == [
        (Severity.ERROR, "第2段", item, Decimal(stated), Decimal(expected))]


def test_a_rate_from_unrounded_figures_one_hundredth_off_is_info():
    assert text_check("BK615", BUDGET_TITLE, CHANGES.replace("增长6.64%", "增长6.65%")) == [
        (Severity.INFO, "第2段", "公用经费的增减率", Decimal("6.65"), Decimal("6.6400"))]


@pytest.mark.parametrize(("right", "wrong", "item"), [
    pytest.param("减少10万元，下降11.11%", "增加10万元，增长11.11%", "项目支出", id="增加 with a lower figure"),
    pytest.param("增长10.00%", "下降10.00%", "基本支出", id="a change and its rate of opposite sense"),
    pytest.param("与2025年预算持平", "与2025年预算持平，增加2万元", "公务接待费", id="持平 with a change"),
])
def test_a_direction_word_against_the_figures_is_an_error(right, wrong, item):
    found = text_check("BK616", BUDGET_TITLE, CHANGES.replace(right, wrong))
    assert [(severity, cell, named) for severity, cell, named, _, _ in found] == [(Severity.ERROR, "第2段", item)]
    assert text_check("BK615", BUDGET_TITLE, CHANGES.replace(right, wrong)) == []


def test_a_rate_over_a_zero_base_is_named_not_computed():
    draft = "其他支出12.5万元，上年执行数为0万元，增加12.5万元，增长100.00%。"
    assert text_check("BK605", BUDGET_TITLE, draft) == [(Severity.WARNING, "第2段", "其他支出", Decimal("100.00"), None)]
    assert text_check("BK615", BUDGET_TITLE, draft) == []


def test_a_comparison_with_the_documents_own_year_is_an_error():
    draft = CHANGES.replace("比2025年预算执行数减少1.07%", "比2026年预算执行数减少1.07%")
    assert text_check("BK617", BUDGET_TITLE, draft) == [(Severity.ERROR, "第2段", "（1）行政运行（01项）", None, None)]


@pytest.mark.parametrize(("title", "draft"), [
    pytest.param(BUDGET_TITLE, "根据沪财预【2017】89号文件，信息化经费2083.68万元，比2025年预算增加5万元。", id="a citation"),
    pytest.param("2023年度部门决算说明", "支出决算240万元，比2023年年初预算增加10万元。", id="a final account against its budget"),
])
def test_citations_and_a_final_accounts_own_budget_are_no_self_comparison(title, draft):
    assert text_check("BK617", title, draft) == []


# --- 5. form ------------------------------------------------------------------------------

FORM = ("2023年度本年支出合计240万元，比上年增加12.5万元，增长5.49%，主要原因是新增科普活动项目。"
        "卫生健康支出46.67万元，占19.45%。")


def test_a_correct_paragraph_has_no_form_warning():
    assert text_check("BK604", "2023年度部门决算说明", FORM) == []
    assert text_check("BK607", "2023年度部门决算说明", FORM) == []


@pytest.mark.parametrize(("right", "wrong", "code", "item"), [
    pytest.param("增加12.5万元", "减少（增加）12.5万元", "BK604", "减少（增加）", id="both alternatives left in"),
    pytest.param("增长5.49%", "下降（增长）5.49%", "BK604", "下降（增长）", id="both alternatives before a rate"),
    pytest.param("增长5.49%", "增长5.49", "BK604", "本年支出合计的增减率 5.49", id="a rate without %"),
    pytest.param("占19.45%", "占19.45", "BK604", "占19.45", id="a share without %"),
    pytest.param("主要原因是新增科普活动项目。", "主要原因是。", "BK604", "主要原因是", id="an empty reason"),
    pytest.param("2023年度本年", "202 年度本年", "BK604", "202 年", id="a placeholder year"),
    pytest.param("占19.45%。", "占19.45%。。", "BK604", "。。", id="doubled punctuation"),
    pytest.param("卫生健康支出46.67万元", "医疗卫生与计划生育支出46.67万元", "BK607", "医疗卫生与计划生育支出",
                 id="a class under its pre-2019 name"),
])
def test_form_slips_are_one_warning_each(right, wrong, code, item):
    assert right in FORM
    found = text_check(code, "2023年度部门决算说明", FORM.replace(right, wrong))
    assert [(severity, named) for severity, _, named, _, _ in found] == [(Severity.WARNING, item)]


@pytest.mark.parametrize("opening", ["较上年增加12.5万元，主要原因是：", "决算数大于年初预算数的主要原因："])
def test_a_reason_opened_by_a_colon_at_the_paragraphs_end_is_listed_in_the_paragraphs_after(opening):
    assert text_check("BK604", "2023年度部门决算说明", opening, "（一）新增科普活动项目；", "（二）人员增加。") == []


def test_a_reason_cut_off_by_a_line_wrap_is_no_empty_reason():
    assert text_check("BK604", "2023年度部门决算说明", "较上年增加12.5万元，主要原因", "是新增科普活动项目。") == []


# --- 7. bounded like workbooks ------------------------------------------------------------------

def test_a_docx_over_the_paragraph_cap_gets_a_reason_before_it_is_parsed(tmp_path):
    document = docx.Document()
    for _ in range(150):
        document.add_paragraph("支出预算9,101.68万元，其中：基本支出2,460.68万元；项目支出6,641万元。")
    document.save(str(tmp_path / "说明.docx"))
    loaded = load_narrative(SourceFile(tmp_path / "说明.docx", "说明.docx"), TextCaps(max_paragraphs=100))
    assert loaded.paragraphs == () and loaded.reason == "报告文字超过上限，未核对：超过 100 段"
    assert len(load_narrative(SourceFile(tmp_path / "说明.docx", "说明.docx")).paragraphs) == 150


@pytest.mark.parametrize(("caps", "reason"), [
    pytest.param({"max_bytes": 1000}, "文件大于 1 KB", id="bytes"),
    pytest.param({"max_chars": 500}, "1,350 个字符，上限 500 个", id="characters"),
    pytest.param({"max_paragraphs": 20}, "50 段，上限 20 段", id="paragraphs"),
])
def test_a_txt_over_a_cap_gets_a_reason(tmp_path, caps, reason):
    (tmp_path / "说明.txt").write_text("收入预算163.68万元，其中：上年结转0.84万元。\n" * 50, encoding="utf-8")
    loaded = load_narrative(SourceFile(tmp_path / "说明.txt", "说明.txt"), TextCaps(**caps))
    assert loaded.reason == f"报告文字超过上限，未核对：{reason}"


def test_a_text_over_the_default_cap_is_named_in_the_run_and_the_workbooks_are_still_checked(tmp_path):
    department(tmp_path)
    (tmp_path / "决算说明.txt").write_text("段落\n" * 20_001, encoding="utf-8")
    result = pipeline.run(tmp_path)
    [text] = result.narratives
    assert text.reason == "报告文字超过上限，未核对：20,001 段，上限 20,000 段"
    assert result.tables and {c.rule.code: c.ran for c in result.coverage}["BK201"]


# --- 8. the corrected sentence ------------------------------------------------------------------

def test_each_wrong_figure_comes_with_its_corrected_sentence(tmp_path):
    draft = GP_SPENDING.replace("科学技术支出（类）90万元", "科学技术支出（类）95万元")
    [finding] = [f for f in department(tmp_path, GP_HEADING, draft).findings if f.rule == "BK606"]
    assert finding.message.endswith(f"，应改为：“{GP_SPENDING}”")


@pytest.mark.parametrize(("code", "right", "wrong"), [
    ("BK615", "增长10.00%", "增长11.00%"),
    ("BK615", "减少10万元", "减少12万元"),
])
def test_a_wrong_rate_or_change_comes_with_its_corrected_sentence(code, right, wrong):
    narrative = Narrative("说明.txt", (parse_paragraph("说明.txt", 1, CHANGES.replace(right, wrong)),))
    [finding] = reconcile([], rules=[CATALOG[code]], narratives=(narrative,)).findings
    [sentence] = [s for s in parse_paragraph("x", 1, CHANGES).sentences if right in s]
    assert finding.message.endswith(f"，应改为：“{sentence.strip()}”")


def test_a_wrong_total_and_a_wrong_share_come_with_their_corrected_sentences():
    for code, wrong in (("BK601", INCOME.replace("253.33万元", "263.33万元")),
                        ("BK602", INCOME.replace("占19.74%", "占29.74%"))):
        narrative = Narrative("说明.txt", (parse_paragraph("说明.txt", 1, wrong),))
        [finding] = reconcile([], rules=[CATALOG[code]], narratives=(narrative,)).findings
        assert finding.message.endswith(f"，应改为：“{INCOME}”"), finding.message


@pytest.mark.parametrize(("basic_rate", "expected"), [("99.80%", []), ("98.90%", [(Decimal("98.90"), Decimal("99.8000"))])])
def test_several_rates_in_one_sentence_are_each_held_to_their_own_clause(basic_rate, expected):
    """'其中：基本支出全年预算数…，执行数…，执行率99.80%；项目支出全年预算数…，执行数…，执行率97.59%': two budgets
    and two actuals in one sentence left no rate checked (which budget is whose could not be told)."""
    text = (f"其中：基本支出全年预算数2,100.00万元，执行数2,095.80万元，执行率{basic_rate}；"
            "项目支出全年预算数2,454.00万元，执行数2,394.80万元，执行率97.59%。")
    assert [(stated, expected) for _, _, _, stated, expected in text_check("BK609", "2024年度部门整体支出绩效自评报告", text)] \
        == expected
