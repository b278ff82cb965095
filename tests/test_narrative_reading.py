"""How the report text's prose is read before anything is compared: which heading a paragraph stands
under, where a hard-wrapped paragraph ends. Correct prose gives no finding; a sentence that cannot be
read with confidence is left unchecked rather than reported.

The department is the crafted 测试县科技馆 of test_narrative_sources (2023 决算): 本年支出合计 240 万元,
一般公共预算 190 万元, 收入总计 273.33 万元.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_narrative_sources import INCOME, department, found

from budgetkit.model import Severity

GP_SECTION = ("五、一般公共预算财政拨款支出决算情况说明", "（三）一般公共预算财政拨款支出决算具体情况")
ITEM = "科学技术支出（类）科学技术普及（款）科普活动（项）"


# --- the outline a paragraph stands under ---------------------------------------------------------

@pytest.mark.parametrize("paragraphs", [
    pytest.param((*GP_SECTION, f"1.{ITEM}。年初预算为30万元，支出决算为30万元。"),
                 id="a 项 named by the paragraph's opening sentence under the fund's section"),
    pytest.param((*GP_SECTION, f"1.{ITEM}", "年初预算为30万元，支出决算为30万元。"),
                 id="a 项 named by a heading paragraph under the fund's section"),
    pytest.param(("三、支出决算情况说明", f"1.{ITEM}：年初预算为30万元，支出决算为30万元。"),
                 id="a 项 named in the sentence, no fund in any heading"),
    pytest.param(("三、支出决算情况说明", f"1.{ITEM}", "年初预算为30万元，支出决算为30万元。"),
                 id="a 项 named by the heading, no fund in any heading"),
])
def test_a_bare_zhichu_juesuan_under_a_subject_is_no_headline_total(tmp_path, paragraphs):
    result = department(tmp_path, *paragraphs)
    assert found(result, "BK611", "BK612") == []


def test_a_bare_zhichu_juesuan_under_no_subject_is_still_the_headline_total(tmp_path):
    result = department(tmp_path, "三、支出决算情况说明", "2023年度支出决算为250万元。")
    assert found(result, "BK611") == [("BK611", Severity.ERROR, "第3段", "支出决算", 250, 240)]


def test_a_numbered_heading_keeps_the_fund_of_the_section_it_stands_under(tmp_path):
    # "基本支出" under 一般公共预算's section is that fund's (110 万元), not all funds' (150 万元): unclear, unchecked
    result = department(tmp_path, "四、一般公共预算财政拨款基本支出决算情况说明", "（一）基本支出情况",
                        "2023年度基本支出110万元。")
    assert found(result, "BK612", "BK614") == []


def test_a_new_section_closes_the_fund_of_the_one_before(tmp_path):
    result = department(tmp_path, "四、一般公共预算财政拨款基本支出决算情况说明", "（一）基本支出情况",
                        "三、支出决算情况说明", "2023年度基本支出140万元。")
    assert found(result, "BK612") == [("BK612", Severity.ERROR, "第5段", "基本支出", 140, 150)]


# --- hard-wrapped lines -----------------------------------------------------------------------------

WRAPPED = INCOME.replace("事业收入", "事业\n收入")


def test_a_paragraph_typed_over_two_lines_is_read_as_one(tmp_path):
    assert "\n" in WRAPPED and len(WRAPPED.split("\n")[0]) > 40
    result = department(tmp_path, "二、收入决算情况说明", WRAPPED, "三、支出决算情况说明")
    assert found(result, "BK601", "BK602", "BK611", "BK612") == []


def test_a_wrong_figure_in_a_wrapped_paragraph_is_reported_at_that_paragraph(tmp_path):
    result = department(tmp_path, "二、收入决算情况说明", WRAPPED.replace("事业\n收入50万元", "事业\n收入60万元"),
                        "三、支出决算情况说明")
    assert found(result, "BK601", "BK612") == [("BK612", Severity.ERROR, "第3段", "事业收入", 60, 50)]


def test_short_headings_without_a_stop_stay_paragraphs_of_their_own(tmp_path):
    result = department(tmp_path, "二、收入决算情况说明", INCOME, "三、支出决算情况说明",
                        "2023年度本年支出合计240万元。")
    [text] = result.narratives
    assert [p.text for p in text.paragraphs][1:] == ["二、收入决算情况说明", INCOME, "三、支出决算情况说明",
                                                     "2023年度本年支出合计240万元。"]
    assert Decimal(240) in {a.cell.amount for a in text.paragraphs[-1].amounts}
