"""The wordings of the central 部门决算说明 template (财政部's 公开模板, which most departments copy): each states
its figures in words of its own ("…支出决算为X万元", "收入、支出决算总计X万元", "（类）…（款）…（项）支出X万元"),
and each is held against the tables as plainer wordings are.

The department is the crafted 测试县科技馆 of test_narrative_sources (2023 决算, in 万元 below): "三公" 5.00 budgeted
and 4.20 spent (车 3.00/2.80, all 运行维护; 接待 2.00/1.40); for 项 named in the template's way, the real Putuo
社会工作部 2024 决算 and 区政府办公室 2025 单位预算.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REAL
from test_narrative_prose import putuo_pair
from test_narrative_reading import list_findings, rate_findings
from test_narrative_sources import department, found, write_draft

from budgetkit import pipeline

from budgetkit.load.narrative import Narrative, parse_paragraph
from budgetkit.model import Severity
from budgetkit.reconcile import reconcile
from budgetkit.rules import CATALOG

THREE_PUBLIC_SECTION = "七、“三公”经费财政拨款支出决算情况说明"


# --- "三公" figures in the template's words ---------------------------------------------------------

@pytest.mark.parametrize(("wrong", "right", "item", "stated", "expected"), [
    pytest.param("2023年度“三公”经费财政拨款支出决算为4.50万元。", "2023年度“三公”经费财政拨款支出决算为4.20万元。",
                 "“三公”经费财政拨款支出决算", "4.50", "4.20", id="the total with its fund and 支出决算"),
    pytest.param("公务接待费支出决算为1.60万元。", "公务接待费支出决算为1.40万元。",
                 "公务接待费支出决算", "1.60", "1.40", id="an item's 支出决算"),
    pytest.param("公务接待费支出1.60万元。", "公务接待费支出1.40万元。", "公务接待费支出", "1.60", "1.40",
                 id="an item's 支出"),
    pytest.param("公务用车运行维护费支出2.60万元。", "公务用车运行维护费支出2.80万元。", "公务用车运行维护费支出",
                 "2.60", "2.80", id="the car's running costs"),
])
def test_a_three_public_figure_in_the_templates_words_is_held_against_its_table(tmp_path, wrong, right, item,
                                                                                stated, expected):
    result = department(tmp_path, THREE_PUBLIC_SECTION, wrong)
    assert found(result, "BK613", "BK614") == [("BK613", Severity.ERROR, "第3段", item, Decimal(stated),
                                                 Decimal(expected))]
    assert found(department(tmp_path, THREE_PUBLIC_SECTION, right), "BK613", "BK614") == []


THREE_PUBLIC_EXECUTION = "2023年度“三公”经费财政拨款支出预算为5.00万元，支出决算为4.20万元，完成预算的{}%。"


def test_a_three_public_completion_rate_is_of_its_zhichu_yusuan(tmp_path):
    result = department(tmp_path, THREE_PUBLIC_SECTION, THREE_PUBLIC_EXECUTION.format("48.00"))
    assert found(result, "BK609") == [("BK609", Severity.ERROR, "第3段", "完成预算的48.00%", Decimal("48.00"),
                                       Decimal("84.00"))]
    quiet = department(tmp_path, THREE_PUBLIC_SECTION, THREE_PUBLIC_EXECUTION.format("84.00"))
    # the "三公" 支出预算 is that table's budget, no 项's 年初预算 for the 部门预算 (BK610)
    assert found(quiet, "BK609", "BK610", "BK613", "BK614") == []


def test_a_bare_zhichu_juesuan_after_the_three_public_budget_is_of_the_three_public_without_their_heading(tmp_path):
    result = department(tmp_path, "一、收入支出决算总体情况说明", THREE_PUBLIC_EXECUTION.format("84.00"))
    assert found(result, "BK609", "BK611", "BK613", "BK614") == []
    wrong_rate = department(tmp_path, "一、收入支出决算总体情况说明", THREE_PUBLIC_EXECUTION.format("48.00"))
    assert found(wrong_rate, "BK609", "BK611") == [("BK609", Severity.ERROR, "第3段", "完成预算的48.00%",
                                                   Decimal("48.00"), Decimal("84.00"))]


def test_a_bare_zhichu_juesuan_after_another_headline_is_still_the_headline_total(tmp_path):
    result = department(tmp_path, "一、收入支出决算总体情况说明", "2023年度收入决算为273.33万元，支出决算为250万元。")
    assert found(result, "BK611") == [("BK611", Severity.ERROR, "第3段", "支出决算", 250, 240)]


# --- the headline "收入、支出决算总计" and its change ---------------------------------------------------

@pytest.mark.parametrize(("sentence", "item"), [
    pytest.param("2023年度收入、支出决算总计{}万元。", "收入、支出决算总计", id="收入、支出决算总计"),
    pytest.param("2023年度收入、支出总计均为{}万元。", "收入、支出总计均", id="收入、支出总计均为"),
])
def test_a_total_stated_of_both_sides_is_the_summary_tables_grand_total(tmp_path, sentence, item):
    result = department(tmp_path, "一、收入支出决算总体情况说明", sentence.format("283.33"))
    assert found(result, "BK611") == [("BK611", Severity.ERROR, "第3段", item, Decimal("283.33"), Decimal("273.3333"))]
    assert found(department(tmp_path, "一、收入支出决算总体情况说明", sentence.format("273.33")), "BK611") == []


HEADLINE = "2023年度收入、支出决算总计273.33万元"
CHANGES = {
    "in the next sentence": f"{HEADLINE}。与2022年度相比，收、支总计各增加23.33万元，增长{{}}%。",
    "in the same sentence": f"{HEADLINE}，与2022年度相比，收、支总计各增加23.33万元，增长{{}}%。",
    "named in full": "2023年度收入总计273.33万元。与上年相比，收入总计增加23.33万元，增长{}%。",
}


@pytest.mark.parametrize("text", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_that_names_its_item_again_is_that_items_change(text):
    assert rate_findings(text.format("9.33")) == []
    [finding] = [f for f in rate_findings(text.format("19.33"))]
    item = "收入总计的增减率" if "收入总计273.33" in text else "收入、支出决算总计的增减率"
    assert finding == ("BK615", "第1段", item, Decimal("19.33"), Decimal("9.3320"))


def test_a_wrong_rate_in_the_next_sentence_is_quoted_and_corrected_with_its_items_sentence():
    narrative = Narrative("说明.txt", (parse_paragraph("说明.txt", 1, CHANGES["in the next sentence"].format("19.33")),))
    [finding] = reconcile([], rules=[CATALOG["BK615"]], narratives=(narrative,)).findings
    assert finding.message.endswith(f"，应改为：“{CHANGES['in the next sentence'].format('9.33')}”")


@pytest.mark.parametrize("text", [
    pytest.param("本年收入合计253.33万元，其中：事业收入50万元。与上年相比，基本支出增加10万元，增长50%。",
                 id="another item named after a list"),
    pytest.param("本年收入合计253.33万元，与上年相比，基本支出增加10万元，增长50%。", id="another item in the sentence"),
    pytest.param("本年收入合计253.33万元，其中：事业收入50万元。比上年增加10万元，增长50%。",
                 id="no item named after a list"),
])
def test_a_change_that_names_no_item_before_it_is_left_unchecked(text):
    assert rate_findings(text) == []


# --- rates worded 增幅 and 降幅 -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "right", "wrong", "item", "expected"), [
    pytest.param("基本支出105.58万元，比上年增加7.38万元，增幅{}%。", "7.52", "9.52", "基本支出的增减率", "7.5153",
                 id="增幅"),
    pytest.param("项目支出202.24万元，较上年减少47.76万元，降幅为{}%。", "19.10", "29.10", "项目支出的增减率", "19.1040",
                 id="降幅为"),
])
def test_a_rate_worded_zengfu_or_jiangfu_is_held_against_its_change(text, right, wrong, item, expected):
    assert rate_findings(text.format(right)) == []
    assert rate_findings(text.format(wrong)) == [("BK615", "第1段", item, Decimal(wrong), Decimal(expected))]


def test_a_jiangfu_after_an_increase_is_a_change_of_two_directions():
    assert rate_findings("基本支出105.58万元，比上年增加7.38万元，降幅7.52%。") == [
        ("BK616", "第1段", "基本支出", None, None)]


# --- a 项 named by its 类, 款 and 项, each marked -----------------------------------------------------

SOCIAL_WORK_ITEM = "一般公共服务支出（类）社会工作事务（款）行政运行（项）"


def social_work(folder: Path, *paragraphs: str):
    """The real Putuo 社会工作部 2024 决算 (行政运行 2013901: 51.32 万元) with a draft of its 说明."""
    shutil.copy(REAL / "putuo_social_work_2024_final.xlsx", folder)
    write_draft(folder, ("中共上海市普陀区委社会工作部2024年度部门决算说明", *paragraphs), as_docx=False)
    return pipeline.run(folder)


@pytest.mark.parametrize(("words", "label"), [("支出{}万元", "支出"), ("支出决算为{}万元", "支出决算")])
def test_a_final_items_marked_names_are_its_subject(tmp_path, words, label):
    sentence = f"{SOCIAL_WORK_ITEM}{words}。"
    result = social_work(tmp_path, sentence.format("51.52"))
    assert found(result, "BK608") == [("BK608", Severity.ERROR, "第2段", f"{SOCIAL_WORK_ITEM}{label}",
                                       Decimal("51.52"), Decimal("51.32"))]
    assert [f for f in social_work(tmp_path, sentence.format("51.32")).findings if f.rule.startswith("BK6")] == []


OFFICE_ITEM = "“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元"
OFFICE_MARKED = "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）2025年预算数为{}万元"


def test_a_budget_items_marked_names_before_its_year_are_its_subject(tmp_path):
    result = putuo_pair(tmp_path, change=(OFFICE_ITEM, OFFICE_MARKED.format("1,222.95")))
    assert found(result, "BK608", "BK610") == [
        ("BK608", Severity.ERROR, "第44段", f"1. {OFFICE_MARKED[:-13]}预算数", Decimal("1222.95"),
         Decimal("1202.950184"))]
    quiet = putuo_pair(tmp_path, change=(OFFICE_ITEM, OFFICE_MARKED.format("1,202.95")))
    assert [f for f in quiet.findings if f.rule.startswith("BK6")] == []


# --- a share worded 比重为 ----------------------------------------------------------------------------

SHARES_AS_BIZHONG = "本年支出合计240万元，其中：基本支出150万元，比重为{}%；项目支出90万元，比重为37.50%。"


def test_a_share_worded_bizhong_is_the_parts_share_of_its_total():
    assert list_findings(SHARES_AS_BIZHONG.format("62.50")) == []
    assert list_findings(SHARES_AS_BIZHONG.format("65.20")) == [
        ("BK602", Severity.ERROR, "第1段", "基本支出", Decimal("65.20"), Decimal("62.5000")),
        ("BK603", Severity.ERROR, "第1段", "本年支出合计", Decimal("102.70"), Decimal(100))]
