"""The report text read like a reviewer reads it (issue 13): the sentence's 口径 picks the table,
every figure is tied to a table figure, rates and changes follow from their figures, years,
form, and bounded reading.

The department is the crafted 测试县科技馆 of test_narrative_sources (2023 决算 in 元, with its
一般公共预算 tables and its 2023 部门收支总表): all funds spend 科学技术 100, 社会保障和就业 46.67,
卫生健康 46.67, 住房保障 46.66 万元; 一般公共预算 spends 90, 46.67, 16.67 and 36.66 of them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_narrative_sources import department, found

from budgetkit.model import Severity

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
    from budgetkit.load.narrative import parse_paragraph
    [breakdown] = parse_paragraph("x.txt", 1, GP_SPENDING).breakdowns
    assert not breakdown.complete and [p.context[0] for p in breakdown.parts] == ["一般公共预算财政拨款支出"] * 4
    [described] = parse_paragraph("x.txt", 1, "人员经费90万元，主要包括基本工资、津贴补贴等；公用经费20万元。").amounts[:1]
    assert not parse_paragraph("x.txt", 1, "人员经费90万元，主要包括基本工资、津贴补贴等；公用经费20万元。").breakdowns


def test_a_wrong_part_that_is_the_only_cause_of_a_wrong_sum_is_one_finding(tmp_path):
    from test_narrative_sources import INCOME
    result = department(tmp_path, "二、收入决算情况说明", INCOME.replace("事业收入50万元", "事业收入60万元"))
    assert found(result, "BK601", "BK602", "BK612") == [("BK612", Severity.ERROR, "第3段", "事业收入", 60, 50)]


def test_a_wrong_total_beside_right_parts_is_still_a_wrong_sum(tmp_path):
    from test_narrative_sources import INCOME
    result = department(tmp_path, "二、收入决算情况说明", INCOME.replace("253.33万元", "263.33万元"))
    assert [f[0] for f in found(result, "BK601")] == ["BK601"]
