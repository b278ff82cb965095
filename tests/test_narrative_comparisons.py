"""Comparison clauses in report texts: "比2024年预算减少2,389.52万元" qualifies the item before it.

Real 编制说明 put such clauses inside "其中" lists; read as parts they made BK601 report a false
error on every real budget tried (the Putuo 单位预算's 说明 among them).
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from conftest import REAL

from budgetkit import pipeline
from budgetkit.load.narrative import Narrative, parse_paragraph
from budgetkit.model import Severity
from budgetkit.reconcile import reconcile
from budgetkit.rules import CATALOG

TEXT = "说明/编制说明.txt"
PUTUO_INCOME = ("2025年，上海市普陀区人民政府办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，"
                "比2024年预算减少2,389.52万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。")
PUTUO_SPENDING = ("支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元。"
                  "财政拨款支出预算中，一般公共预算拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元；"
                  "政府性基金拨款支出预算0万元，比2024年预算持平；国有资本经营预算拨款支出预算0万元，比2024年预算持平。")


def text_findings(code: str, *paragraphs: str):
    narrative = Narrative(TEXT, tuple(parse_paragraph(TEXT, n, p) for n, p in enumerate(paragraphs, start=1)))
    done = reconcile([], rules=[CATALOG[code]], narratives=(narrative,))
    return [(f.severity, f.ref.cell, f.item, f.stated, f.expected) for f in done.findings]


@pytest.mark.parametrize("clause", [
    "比2024年预算减少2,389.52万元",
    "比上年增加12.5万元，增长10.50%",
    "较上年决算数下降1.5万元",
    "比上年增加人员经费3万元",
    "较2023年增5万元",
    "同比增加3.2万元",
    "环比减少0.8万元",
    "与上年相比，增加5万元",
    "增加5万元，主要原因是新增科普项目",
    "上年为90万元",
    "比2024年预算持平",
    "下降（增长）27.78%",
])
def test_a_comparison_clause_after_an_item_is_no_part_of_the_list(clause):
    paragraph = parse_paragraph(TEXT, 1, f"收入100万元，其中：财政拨款收入80万元，{clause}；事业收入20万元。")
    [breakdown] = paragraph.breakdowns
    assert [(p.label, p.cell.amount) for p in breakdown.parts] == [("财政拨款收入", 80), ("事业收入", 20)]
    assert all(a.comparison for a in paragraph.amounts if a not in (breakdown.total, *breakdown.parts))


def test_words_that_only_look_like_comparisons_are_parts():
    paragraph = parse_paragraph(TEXT, 1, "支出100万元，其中：按比例安排的经费30万元；上年结转70万元。")
    [breakdown] = paragraph.breakdowns
    assert [p.label for p in breakdown.parts] == ["按比例安排的经费", "上年结转"]
    assert not any(a.comparison for a in paragraph.amounts)


def test_a_comparison_between_the_total_and_its_list_leaves_the_total_at_the_head():
    paragraph = parse_paragraph(TEXT, 1, "支出预算9,101.68万元，比上年减少2,389.52万元，其中：基本支出2,460.68万元；"
                                         "项目支出6,641万元。")
    [breakdown] = paragraph.breakdowns
    assert breakdown.total.label == "支出预算" and [p.label for p in breakdown.parts] == ["基本支出", "项目支出"]


def test_a_share_after_the_comparison_belongs_to_the_item():
    paragraph = parse_paragraph(TEXT, 1, "本年支出合计307.82万元，其中：基本支出105.58万元，比上年增加5万元，占34.30%；"
                                         "项目支出202.24万元，占65.70%。")
    basic, change = paragraph.amounts[1:3]
    assert (basic.label, basic.share.amount) == ("基本支出", Decimal("0.343"))
    assert change.comparison and change.share is None


def test_the_real_budget_sentences_with_comparison_clauses_are_quiet():
    assert text_findings("BK601", "2025年单位预算编制说明", PUTUO_INCOME, PUTUO_SPENDING) == []
    assert text_findings("BK602", PUTUO_INCOME, PUTUO_SPENDING) == []


def test_a_list_with_comparison_clauses_that_misses_its_total_is_still_an_error():
    wrong = PUTUO_INCOME.replace("其他收入0万元", "其他收入10万元")
    assert text_findings("BK601", "2025年单位预算编制说明", wrong) == [
        (Severity.ERROR, "第2段", "上海市普陀区人民政府办公室收入预算", Decimal("9101.68"), Decimal("9111.68"))]


def test_the_real_unit_budget_and_its_explanation_give_no_error(tmp_path):
    for name in ("putuo_office_unit_budget_2025.xlsx", "putuo_office_unit_budget_2025_说明.docx"):
        shutil.copy(REAL / name, tmp_path)
    result = pipeline.run(tmp_path)
    ran = {c.rule.code: c.ran for c in result.coverage}
    assert ran["BK601"] and ran["BK611"] and ran["BK612"]
    assert [(f.rule, f.ref.cell, f.message) for f in result.findings if f.severity is Severity.ERROR] == []
    assert [f for f in result.findings if f.rule.startswith("BK6")] == []


@pytest.mark.parametrize(("rate", "expected"), [("2.66%", []), ("3.66%", [(Severity.ERROR, Decimal("3.66"))])])
def test_both_years_figures_in_one_sentence_give_the_change_its_base(rate, expected):
    """'2025年预算数为710.70万元，2024年预算数为692.30万元，增加18.40万元，增长2.66%': the change was taken for the
    2024 figure's, measured from 692.30 − 18.40 (audit20: a false BK615 at 2.73%)."""
    from test_narrative import check

    sentence = f"“三公”经费2025年预算数为710.70万元，2024年预算数为692.30万元，增加18.40万元，增长{rate}。"
    assert [(severity, stated) for severity, _, _, stated, _ in check("BK615", sentence)] == expected


@pytest.mark.parametrize(("car", "expected"), [("9.60", []), ("9.80", [(Severity.ERROR, "第1段", "公务用车购置及运行费")])])
def test_a_list_after_the_sentence_end_keeps_a_parts_bracketed_list_as_that_parts(car, expected):
    """'…预算25.60万元。其中：公务用车购置及运行费9.60万元（其中：购置费0.00万元，运行费9.60万元）；因公出国（境）费
    12.00万元；公务接待费4.00万元。': the bracket's 其中 made the car item the sentence's head, its siblings its parts
    (audit20: a false BK601, and the "三公" list and the car's own went unchecked)."""
    from test_narrative import check

    text = (f"2025年“三公”经费预算25.60万元。其中：公务用车购置及运行费{car}万元（其中：公务用车购置费0.00万元，"
            "公务用车运行费9.60万元）；因公出国（境）费12.00万元；公务接待费4.00万元。")
    found = [(severity, cell, item) for severity, cell, item, _, _ in check("BK601", text)]
    # 9.80 is off both the 25.60 it is part of and the 0.00 + 9.60 it is made of
    assert sorted(found) == sorted(expected + [(Severity.ERROR, "第1段", "“三公”经费预算")] if expected else [])
