"""How the report text's prose is read before anything is compared: which heading a paragraph stands
under, where a hard-wrapped paragraph ends, where a "其中" list ends. Correct prose gives no finding; a sentence that cannot be
read with confidence is left unchecked rather than reported.

The department is the crafted 测试县科技馆 of test_narrative_sources (2023 决算): 本年支出合计 240 万元,
一般公共预算 190 万元, 收入总计 273.33 万元.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_narrative_sources import INCOME, SPENDING, department, found

from budgetkit.load.narrative import Narrative, load_narrative, parse_paragraph
from budgetkit.model import Severity, SourceFile
from budgetkit.reconcile import reconcile
from budgetkit.rules import CATALOG

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

def wrapped(text: str, width: int = 42) -> str:
    """The text as a PDF copy hard-wraps it: a line break every ``width`` characters, words cut anywhere."""
    return "\n".join(text[start:start + width] for start in range(0, len(text), width))


WRAPPED = wrapped(INCOME)


def test_a_paragraph_typed_over_two_lines_is_read_as_one(tmp_path):
    assert WRAPPED.count("\n") == 2 and "事业收入" not in WRAPPED.split("\n")[0]
    result = department(tmp_path, "二、收入决算情况说明", WRAPPED, "三、支出决算情况说明")
    assert found(result, "BK601", "BK602", "BK611", "BK612") == []


def test_a_wrong_figure_in_a_wrapped_paragraph_is_reported_at_that_paragraph(tmp_path):
    result = department(tmp_path, "二、收入决算情况说明", wrapped(INCOME.replace("事业收入50万元", "事业收入60万元")),
                        "三、支出决算情况说明")
    assert found(result, "BK601", "BK612") == [("BK612", Severity.ERROR, "第3段", "事业收入", 60, 50)]


@pytest.mark.parametrize("width", [20, 24, 30])
def test_paragraphs_wrapped_narrower_than_a_heading_are_read_whole(tmp_path, width):
    """Wrapped at fewer characters than a heading has, the lines were read as paragraphs each, a list's total
    cut from its parts (false BK611 on a fragment's figure)."""
    result = department(tmp_path, "二、收入决算情况说明", wrapped(INCOME, width), "三、支出决算情况说明",
                        wrapped(SPENDING, width))
    [narrative] = result.narratives
    assert [p.text for p in narrative.paragraphs][1:] == ["二、收入决算情况说明", INCOME, "三、支出决算情况说明",
                                                         SPENDING]
    assert found(result, "BK601", "BK602", "BK611", "BK612") == []


def test_a_paragraph_left_without_its_stop_is_not_joined_to_the_next(tmp_path):
    # Not wrapped at a width: the first paragraph merely lacks its 。, and the next one is its own.
    first = "2023年度本年支出合计240万元，其中：基本支出150万元；项目支出90万元，主要用于科普活动和学会建设"
    result = department(tmp_path, "三、支出决算情况说明", first, "对个人和家庭的补助支出5万元，比上年增加1万元，增长25.00%。")
    assert found(result, "BK601") == []


def test_short_headings_without_a_stop_stay_paragraphs_of_their_own(tmp_path):
    result = department(tmp_path, "二、收入决算情况说明", INCOME, "三、支出决算情况说明",
                        "2023年度本年支出合计240万元。")
    [text] = result.narratives
    assert [p.text for p in text.paragraphs][1:] == ["二、收入决算情况说明", INCOME, "三、支出决算情况说明",
                                                     "2023年度本年支出合计240万元。"]
    assert Decimal(240) in {a.cell.amount for a in text.paragraphs[-1].amounts}


CUT_MID_FIGURE = ("2023年度本年支出合计240万元，其中：基本支出150", "万元，占62.5", "0%；项目支出90万元，占37.50%。")


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_a_line_cut_mid_figure_is_continued_by_the_next(tmp_path, as_docx):
    result = department(tmp_path, "三、支出决算情况说明", *CUT_MID_FIGURE, as_docx=as_docx)
    assert found(result, "BK601", "BK602", "BK604", "BK612") == []
    [text] = result.narratives
    assert text.paragraphs[-1].text == "".join(CUT_MID_FIGURE)


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_a_wrong_share_cut_mid_figure_is_reported_at_its_paragraph(tmp_path, as_docx):
    lines = (*CUT_MID_FIGURE[:2], CUT_MID_FIGURE[2].replace("0%；", "5%；"))
    result = department(tmp_path, "三、支出决算情况说明", *lines, as_docx=as_docx)
    assert found(result, "BK602", "BK604") == [
        ("BK602", Severity.ERROR, "第3段", "基本支出", Decimal("62.55"), Decimal("62.5000"))]


# --- where a list of parts ends ---------------------------------------------------------------------

def list_findings(*paragraphs: str, narrative: Narrative | None = None) -> list[tuple]:
    """BK601–BK603 on the paragraphs alone (no tables)."""
    narrative = narrative or Narrative("说明.txt", tuple(parse_paragraph("说明.txt", n, text)
                                                        for n, text in enumerate(paragraphs, start=1)))
    done = reconcile([], rules=[CATALOG[code] for code in ("BK601", "BK602", "BK603")], narratives=(narrative,))
    return [(f.rule, f.severity, f.ref.cell, f.item, f.stated, f.expected) for f in done.findings]


NESTED = {
    "其中": "本年支出合计240万元，其中：基本支出150万元，其中人员经费120万元、公用经费30万元；项目支出90万元。",
    "（其中：…）": "本年支出合计240万元，其中：基本支出150万元，占62.50%（其中：人员经费120万元，公用经费30万元）；"
                "项目支出90万元，占37.50%。",
    "包括": "本年支出合计240万元，其中：基本支出150万元，占62.50%，包括人员经费120万元和公用经费30万元；"
            "项目支出90万元，占37.50%。",
    "其中…；…；": "本年支出合计240万元，其中：基本支出150万元，其中：人员经费120万元；公用经费30万元；项目支出90万元。",
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_a_nested_list_is_its_own_list_under_its_own_total(text):
    assert list_findings(text) == []
    [outer, nested] = parse_paragraph("说明.txt", 1, text).breakdowns
    assert [p.label for p in outer.parts] == ["基本支出", "项目支出"]
    assert (nested.total.label, [p.label for p in nested.parts]) == ("基本支出", ["人员经费", "公用经费"])
    assert nested.parts[0].context[:2] == ("基本支出", "本年支出合计")


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_a_wrong_nested_list_is_reported_on_its_own_total(text):
    assert list_findings(text.replace("公用经费30万元", "公用经费35万元")) == [
        ("BK601", Severity.ERROR, "第1段", "基本支出", 150, 155)]


NESTED_BY_SUM = "本年支出合计240万元，其中：科学技术支出150万元，其中：科学技术普及120万元；其他科学技术支出{}万元；住房保障支出90万元。"


def test_a_nested_part_after_a_semicolon_that_fits_within_its_head_is_still_the_nested_lists():
    assert list_findings(NESTED_BY_SUM.format("30")) == []
    [outer, nested] = parse_paragraph("说明.txt", 1, NESTED_BY_SUM.format("30")).breakdowns
    assert [p.label for p in nested.parts] == ["科学技术普及", "其他科学技术支出"]
    assert list_findings(NESTED_BY_SUM.format("20")) == [
        ("BK601", Severity.ERROR, "第1段", "科学技术支出", 150, 140)]


def test_a_part_described_by_baokuo_lists_no_figure_to_go_on_after_a_semicolon():
    text = "基本支出150万元，其中：人员经费120万元，占80%，主要包括基本工资、津贴补贴等；公用经费30万元，占20%，主要包括办公费等。"
    assert list_findings(text) == []


@pytest.mark.parametrize("text", [
    pytest.param("本年支出合计240万元，其中：基本支出150万元（含人员经费120万元），占62.50%；项目支出90万元，占37.50%。",
                 id="a figure in brackets"),
    pytest.param("年度资金总额240万元，其中：基本支出150万元，项目支出90万元；全年执行数240万元，预算执行率100%。",
                 id="a clause of another measure after the list"),
    pytest.param("政府采购支出总额12.00万元，其中：政府采购货物支出2.00万元、政府采购服务支出10.00万元；"
                 "授予中小企业合同金额12.00万元，占政府采购支出总额的100%。", id="a clause of another amount after the list"),
    pytest.param("资产总额85.36万元，其中：流动资产60.12万元，固定资产25.24万元，占资产总额的29.57%；"
                 "固定资产中，房屋占地面积0平方米，通用设备25.24万元。", id="a clause on one of the parts"),
    pytest.param("车辆价值45.60万元，其中：一般公务用车1辆、价值20.00万元，执法执勤用车1辆、价值25.60万元，"
                 "单价100万元（含）以上设备（不含车辆）0台（套）。", id="a unit price a count is bounded by"),
    pytest.param("资产总额85.36万元，其中：流动资产60.12万元，固定资产25.24万元，单位价值50万元以上大型设备0台。",
                 id="a unit value a count is bounded by"),
    pytest.param("项目支出202.24万元，其中：社区工作者培训经费50.00万元，社会组织孵化经费80.00万元等。",
                 id="a list of some parts (等)"),
    pytest.param("财政拨款收入、支出总计均为307.82万元。其中，财政拨款收入307.82万元，全部为一般公共预算财政拨款；"
                 "财政拨款支出307.82万元，全部为一般公共预算财政拨款支出。", id="a figure of two items (均为)"),
])
def test_figures_that_are_no_parts_of_the_list_are_left_out_of_its_sum(text):
    assert list_findings(text) == []


PAIRS = "其中：公务用车购置及运行维护费预算3.00万元，决算2.80万元；公务接待费预算2.00万元，决算{}万元。"


@pytest.mark.parametrize(("total", "item"), [
    pytest.param("“三公”经费支出决算4.20万元。", "“三公”经费支出决算", id="决算"),
    pytest.param("“三公”经费支出预算5.00万元，决算4.20万元。", "决算", id="预算 and 决算"),
])
def test_a_list_of_budget_and_final_pairs_sums_the_parts_of_its_totals_stage(total, item):
    assert list_findings(total + PAIRS.format("1.40")) == []
    assert list_findings(total + PAIRS.format("1.60")) == [
        ("BK601", Severity.ERROR, "第1段", item, Decimal("4.20"), Decimal("4.40"))]


def test_a_list_of_budget_and_final_pairs_under_a_total_of_no_stage_is_left_unchecked():
    assert list_findings("“三公”经费支出4.20万元。" + PAIRS.format("1.60")) == []


EACH = "2023年度本年支出合计240万元，其中基本支出和项目支出分别为150万元、90万元，分别占{}。"


@pytest.mark.parametrize("shares", ["62.50%、37.50%", "62.50%、37.50%、0%"], ids=["in order", "one too many: none"])
def test_amounts_and_shares_each_listed_with_fenbie_pair_in_order(tmp_path, shares):
    result = department(tmp_path, "三、支出决算情况说明", EACH.format(shares))
    assert found(result, "BK601", "BK602", "BK603", "BK604", "BK612") == []


def test_a_wrong_share_of_a_fenbie_list_is_reported_on_its_own_amount(tmp_path):
    result = department(tmp_path, "三、支出决算情况说明", EACH.format("62.50%、35.70%"))
    assert found(result, "BK602", "BK612") == [
        ("BK602", Severity.ERROR, "第3段", "项目支出", Decimal("35.70"), Decimal("37.5000"))]
    result = department(tmp_path, "三、支出决算情况说明", EACH.format("62.50%、37.50%").replace("90万元", "85万元"))
    assert found(result, "BK612") == [("BK612", Severity.ERROR, "第3段", "项目支出", 85, 90)]


def test_a_wrong_part_beside_a_unit_price_is_still_reported():
    text = ("车辆价值45.60万元，其中：一般公务用车1辆、价值20.00万元，执法执勤用车1辆、价值35.60万元，"
            "单价100万元（含）以上设备（不含车辆）0台（套）。")
    assert list_findings(text) == [("BK601", Severity.ERROR, "第1段", "车辆价值", Decimal("45.60"), Decimal("55.60"))]


ACTUAL_AFTER_LIST = "部门预算资金163.68万元，其中：基本支出133.68万元，项目支出{}万元；实际支出163.68万元，预算执行率100%。"


def test_a_figure_of_the_whole_after_a_semicolon_ends_the_list_whatever_its_name_ends_in():
    assert list_findings(ACTUAL_AFTER_LIST.format("30")) == []
    assert list_findings(ACTUAL_AFTER_LIST.format("40")) == [
        ("BK601", Severity.ERROR, "第1段", "部门预算资金", Decimal("163.68"), Decimal("173.68"))]


def test_a_sibling_after_the_parts_add_up_is_still_a_part():
    text = "收入总计164.52万元，其中：年初结转和结余0.84万元；一般公共预算财政拨款收入163.68万元；事业收入5万元。"
    assert list_findings(text) == [("BK601", Severity.ERROR, "第1段", "收入总计", Decimal("164.52"), Decimal("169.52"))]


def loaded(folder, *lines: str) -> Narrative:
    """The lines written to a .txt and read back as a report text."""
    (folder / "说明.txt").write_text("\n".join(lines), encoding="utf-8")
    return load_narrative(SourceFile(folder / "说明.txt", "说明.txt"))


def three_public(tmp_path, opening: str) -> Narrative:
    return loaded(tmp_path, opening, "1.因公出国（境）费支出0万元，全年安排因公出国（境）团组0个。",
                  "2.公务用车购置及运行维护费支出2.50万元。", "3.公务接待费支出0.70万元。")


def test_a_paragraph_ending_ru_xia_lists_no_figure_of_an_earlier_sentence(tmp_path):
    opening = ("“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算2.50万元，"
               "占78.13%；公务接待费支出决算0.70万元，占21.88%。具体情况如下：")
    assert list_findings(narrative=three_public(tmp_path, opening)) == []


def test_a_figure_whose_own_sentence_ends_ru_xia_totals_the_numbered_paragraphs(tmp_path):
    assert list_findings(narrative=three_public(tmp_path, "“三公”经费支出3.40万元，具体情况如下：")) == [
        ("BK601", Severity.ERROR, "第1段", "“三公”经费支出", Decimal("3.40"), Decimal("3.20"))]
    assert list_findings(narrative=three_public(tmp_path, "“三公”经费支出3.20万元，具体情况如下：")) == []


ITEMS_OPENING = "一般公共预算财政拨款{}年初预算为85.00万元，支出决算为90.00万元，完成年初预算的105.88%。其中："
BUDGET_AND_FINAL_ITEMS = (
    "1.科学技术支出（类）科学技术普及（款）科普活动（项）。年初预算为30.00万元，支出决算为30.00万元，完成年初预算的100%。",
    "2.科学技术支出（类）科学技术普及（款）其他科学技术普及支出（项）。年初预算为55.00万元，支出决算为60.00万元，"
    "完成年初预算的109.09%。")


@pytest.mark.parametrize(("wrong", "right", "stated", "expected"), [
    pytest.param("支出决算为90.00万元，完成", "支出决算为95.00万元，完成", 95, 90, id="a wrong total"),
    pytest.param("支出决算为60.00万元", "支出决算为65.00万元", 90, 95, id="a wrong item"),
])
def test_items_stating_budget_and_final_are_parts_by_the_final_of_a_final_total(tmp_path, wrong, right, stated,
                                                                                 expected):
    lines = (ITEMS_OPENING.format("支出"), *BUDGET_AND_FINAL_ITEMS)
    assert list_findings(narrative=loaded(tmp_path, *lines)) == []
    planted = [line.replace(wrong, right) for line in lines]
    assert list_findings(narrative=loaded(tmp_path, *planted)) == [
        ("BK601", Severity.ERROR, "第1段", "支出决算", Decimal(stated), Decimal(expected))]


def test_items_whose_figures_wrap_off_an_items_numbered_line_are_left_unchecked(tmp_path):
    lines = (ITEMS_OPENING.format("支出").replace("90.00", "100.00"), *BUDGET_AND_FINAL_ITEMS,
             "3.科学技术支出（类）科学技术普及（款）其他科学技术普及支出（项）。年初", "预算为10.00万元，支出决算为10.00万元。")
    assert len(lines[-2]) <= 40
    assert list_findings(narrative=loaded(tmp_path, *lines)) == []


def test_items_stating_budget_and_final_under_a_total_of_no_stage_are_left_unchecked(tmp_path):
    lines = ("一般公共预算财政拨款支出95.00万元。其中：", *BUDGET_AND_FINAL_ITEMS)
    assert list_findings(narrative=loaded(tmp_path, *lines)) == []


# --- what is a rate ---------------------------------------------------------------------------------

def rate_findings(*paragraphs: str) -> list[tuple]:
    narrative = Narrative("说明.txt", tuple(parse_paragraph("说明.txt", n, text)
                                           for n, text in enumerate(paragraphs, start=1)))
    done = reconcile([], rules=[CATALOG[code] for code in ("BK604", "BK615", "BK616")], narratives=(narrative,))
    return [(f.rule, f.ref.cell, f.item, f.stated, f.expected) for f in done.findings]


NO_RATES = {
    "a count": "基本支出105.58万元，比上年增加7.38万元，主要原因是在职人员增加2人。",
    "counts with units": "公务接待费0万元，比上年减少0.50万元，主要原因是接待批次减少5批次、人次减少30人次。",
    "a count of items": "项目支出202.24万元，比上年减少47.76万元，主要是一次性项目减少3个。",
    "a multiple": "项目支出202.24万元，比上年增加101.12万元，增长1倍，主要原因是新增社会工作专项。",
    "percentage points of a share": "基本支出105.58万元，占本年支出合计的34.30%，占比较上年提高2.15个百分点。",
    "a share's fall in points": "基本支出105.58万元，比上年增加7.38万元，增长7.52%，占本年支出合计的比重下降1.2个百分点。",
}


@pytest.mark.parametrize("text", NO_RATES.values(), ids=NO_RATES.keys())
def test_counts_multiples_and_percentage_points_are_no_rates(text):
    assert rate_findings(text) == []


def test_a_share_ends_before_a_change_in_points():
    first = parse_paragraph("说明.txt", 1, NO_RATES["percentage points of a share"]).amounts[0]
    assert first.share.amount == Decimal("0.3430")
    [item, _] = parse_paragraph("说明.txt", 1, NO_RATES["a share's fall in points"]).amounts
    assert item.share is None and item.change.rate.amount == Decimal("0.0752")


def test_a_wrong_rate_is_corrected_where_it_stands_not_where_its_digits_first_appear():
    text = "项目支出201.00万元，比上年增加1.00万元，增长1.00%。"
    narrative = Narrative("说明.txt", (parse_paragraph("说明.txt", 1, text),))
    [finding] = reconcile([], rules=[CATALOG["BK615"]], narratives=(narrative,)).findings
    assert (finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        "第1段", "项目支出的增减率", Decimal("1.00"), Decimal("0.5000"))
    assert finding.message.endswith("，应改为：“项目支出201.00万元，比上年增加1.00万元，增长0.50%。”")


# --- what says "持平" of an item ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    pytest.param("公务接待费0.70万元，比上年减少0.30万元，下降30.00%；因公出国（境）费与上年持平。",
                 id="another item after a semicolon"),
    pytest.param("“三公”经费支出3.20万元，比上年减少0.80万元，下降20.00%，其中因公出国（境）费和公务用车购置费与上年持平。",
                 id="another item named in the clause"),
    pytest.param("机关运行经费支出10.23万元，比上年10.00万元增加0.23万元，增长2.30%，基本持平。",
                 id="基本持平 after a small change"),
])
def test_chiping_of_another_item_or_jiben_chiping_is_no_level_change(text):
    assert rate_findings(text) == []
    assert not parse_paragraph("说明.txt", 1, text).amounts[0].change.level


@pytest.mark.parametrize("text", [
    pytest.param("公务接待费0.70万元，与上年持平，减少0.30万元；因公出国（境）费与上年持平。", id="与上年持平"),
    pytest.param("公务接待费0.70万元，减少0.30万元，持平。", id="a bare 持平"),
])
def test_chiping_of_the_item_with_a_change_is_still_an_error(text):
    assert rate_findings(text) == [("BK616", "第1段", "公务接待费", None, None)]


# --- last year's figure, or the budget's, in the comparison ---------------------------------------

BASES = {
    "比上年决算数X": "本年收入合计307.82万元，比上年决算数280.00万元增加27.82万元，增长9.94%。",
    "较2023年的X": "基本支出105.58万元，较2023年的98.20万元增加7.38万元，增长7.52%。",
    "（上年为X） after the rate": "基本支出105.58万元，同比增长7.52%（上年为98.20万元）。",
    "（上年X） after the item": "基本支出105.58万元（上年98.20万元），增长7.52%。",
    "比年初预算X": "一般公共预算财政拨款支出决算数307.82万元，比年初预算285.58万元增加22.24万元，增长7.79%。",
    "比预算数X": "“三公”经费支出决算3.20万元，比预算数5.00万元减少1.80万元，下降36.00%。",
}


@pytest.mark.parametrize("text", BASES.values(), ids=BASES.keys())
def test_the_figure_of_last_year_or_of_the_budget_inside_the_comparison_is_its_base(text):
    assert rate_findings("2024年度部门决算说明", text) == []
    item = parse_paragraph("说明.txt", 1, text).amounts[0]
    assert item.change.base is not None and item.change.rate is not None


@pytest.mark.parametrize(("text", "right", "wrong", "item", "stated", "expected"), [
    pytest.param(BASES["比上年决算数X"], "增加27.82万元", "增加25.82万元", "本年收入合计的增减额",
                 Decimal("25.82"), Decimal("27.82"), id="a change against the base in the clause"),
    pytest.param(BASES["（上年为X） after the rate"], "增长7.52%", "增长8.52%", "基本支出的增减率",
                 Decimal("8.52"), Decimal("7.5153"), id="a rate against the base in brackets"),
    pytest.param(BASES["比年初预算X"], "增长7.79%", "增长8.79%", "一般公共预算财政拨款支出决算数的增减率",
                 Decimal("8.79"), Decimal("7.7877"), id="a rate against the budget in the clause"),
    pytest.param(BASES["比预算数X"], "减少1.80万元", "减少1.60万元", "“三公”经费支出决算的增减额",
                 Decimal("1.60"), Decimal("1.80"), id="a change against the budget in the clause"),
])
def test_a_change_is_held_against_the_base_its_comparison_states(text, right, wrong, item, stated, expected):
    assert rate_findings("2024年度部门决算说明", text.replace(right, wrong)) == [
        ("BK615", "第2段", item, stated, expected)]


def test_a_figure_of_another_year_is_not_held_against_this_years_table(tmp_path):
    result = department(tmp_path, "一、收入支出决算总体情况说明",
                        "2023年度收入总计273.33万元，2022年度收入总计250万元，增加23.33万元。")
    assert found(result, "BK611") == []
    result = department(tmp_path, "一、收入支出决算总体情况说明",
                        "2023年度收入总计263.33万元，2022年度收入总计250万元，增加13.33万元。")
    assert found(result, "BK611") == [("BK611", Severity.ERROR, "第3段", "收入总计", Decimal("263.33"),
                                       Decimal("273.3333"))]


CARRIED = "2023年度收入合计{}万元，其中：本年收入253.33万元；上年结转20万元。"


def test_a_shouru_heji_that_lists_last_years_carryover_is_the_shouru_zongji(tmp_path):
    assert found(department(tmp_path, "一、收入支出决算总体情况说明", CARRIED.format("273.33")), "BK601", "BK611") == []
    result = department(tmp_path, "一、收入支出决算总体情况说明", CARRIED.format("283.33"))
    assert found(result, "BK611") == [("BK611", Severity.ERROR, "第3段", "收入合计", Decimal("283.33"),
                                       Decimal("273.3333"))]


def test_a_shouru_heji_without_carryover_is_still_the_income_of_the_year(tmp_path):
    result = department(tmp_path, "一、收入支出决算总体情况说明", "2023年度收入合计263.33万元。")
    assert found(result, "BK611") == [("BK611", Severity.ERROR, "第3段", "收入合计", Decimal("263.33"),
                                       Decimal("253.3333"))]


# --- figures typed in full-width digits -----------------------------------------------------------

def test_a_figure_typed_in_full_width_digits_is_read_as_that_figure():
    paragraph = parse_paragraph("说明.txt", 3, "本年支出合计３０７．８２万元，其中：基本支出１０５．５８万元，占３４．３０%。")
    assert [(a.label, a.cell.value, a.share.value if a.share else None) for a in paragraph.amounts] == [
        ("本年支出合计", Decimal("307.82"), None), ("基本支出", Decimal("105.58"), Decimal("0.3430"))]


@pytest.mark.parametrize("total, carried, fiscal", [
    pytest.param("1，645，200.00", "8，400.00", "1，636，800.00", id="full-width commas"),
    pytest.param("１，６４５，２００．００", "８，４００．００", "１，６３６，８００．００", id="full-width digits and commas"),
    pytest.param("1 645 200.00", "8 400.00", "1 636 800.00", id="spaces"),
])
def test_a_figure_whose_digit_groups_are_parted_otherwise_is_read_whole(total, carried, fiscal):
    """Before, only an ASCII comma parted the groups: 1，645，200.00元 was read as 200.00元 (a false BK601)."""
    paragraph = parse_paragraph("说明.txt", 2, f"区科协收入总计{total}元，其中：年初结转和结余{carried}元；"
                                               f"一般公共预算财政拨款收入{fiscal}元。")
    assert [(a.label, a.cell.value) for a in paragraph.amounts] == [
        ("区科协收入总计", Decimal("1645200.00")), ("年初结转和结余", Decimal("8400.00")),
        ("一般公共预算财政拨款收入", Decimal("1636800.00"))]


def test_a_single_plain_space_before_three_digits_parts_two_numbers_not_a_figures_groups():
    paragraph = parse_paragraph("说明.txt", 2, "详见附表3 100.00万元的明细。")
    assert [(a.label, a.cell.value) for a in paragraph.amounts] == [("详见附表3", Decimal("100.00"))]


# --- which budget a completion rate is of ---------------------------------------------------------

@pytest.mark.parametrize(("rate", "expected"), [
    pytest.param("完成调整预算的98.69%", [], id="the adjusted budget it names"),
    pytest.param("完成调整预算的96.69%", [("BK609", Severity.ERROR, "第4段", Decimal("96.69"), Decimal("98.6923"))],
                 id="a wrong rate of the adjusted budget"),
    pytest.param("完成年初预算的102.64%", [], id="the initial budget it names"),
    pytest.param("完成预算的98.69%", [], id="two budgets, the rate naming neither: unchecked"),
])
def test_a_completion_rate_is_held_against_the_budget_its_words_name(tmp_path, rate, expected):
    result = department(tmp_path, *GP_SECTION,
                        f"科普活动年初预算为50.00万元，调整预算为52.00万元，支出决算为51.32万元，{rate}。")
    assert [(f.rule, f.severity, f.ref.cell, f.stated, f.expected) for f in result.findings if f.rule == "BK609"] \
        == expected


# --- review of the day's change: what the new readings must not take or lose ----------------------

def test_a_change_restated_after_a_list_is_the_totals_not_its_last_parts(tmp_path):
    list_then = "2023年度本年支出合计240万元，其中：基本支出150万元，项目支出90万元。与上年相比，支出增加20万元，增长{}%。"
    assert found(department(tmp_path / "right", list_then.format("9.09")), "BK615") == []
    assert [(f.rule, f.severity, f.stated, f.expected) for f in
            department(tmp_path / "wrong", list_then.format("19.09")).findings if f.rule == "BK615"] == [
        ("BK615", Severity.ERROR, Decimal("19.09"), Decimal("9.0909"))]


@pytest.mark.parametrize(("paragraphs", "rule", "stated", "expected"), [
    pytest.param(("（三）行政运行（项）。", "2023年年初预算为100.00万元，支出决算为90.00万元，完成年初预算的95.00%。"),
                 "BK609", Decimal("95.00"), Decimal("90.00"), id="the year of the text's own budget is no base"),
    pytest.param(("2023年决算数为90.00万元，比上年增加10.00万元，增长20.00%。",), "BK615", Decimal("20.00"),
                 Decimal("12.50"), id="the year of the text's own figure is no base"),
])
def test_a_year_naming_the_texts_own_figure_is_no_comparison(tmp_path, paragraphs, rule, stated, expected):
    assert [(f.rule, f.stated, f.expected) for f in department(tmp_path, *paragraphs).findings if f.rule == rule] \
        == [(rule, stated, expected)]


def test_tongbi_chiping_beside_a_change_is_a_contradiction(tmp_path):
    result = department(tmp_path, "公务接待费支出2.00万元，同比持平，比上年增加0.50万元。")
    assert [f.rule for f in result.findings if f.rule == "BK616"] == ["BK616"]


def test_a_numbered_line_is_never_the_rest_of_the_figure_before_it(tmp_path):
    result = department(tmp_path, "1.人员经费95.36万元，占比90.31", "2.公用经费10.23万元，占比9.69%。")
    assert [(f.rule, f.ref.cell) for f in result.findings if f.rule == "BK604"] == [("BK604", "第2段")]


@pytest.mark.parametrize(("total", "expected"), [("253.33", []), ("243.33", [("BK601", Decimal("243.33"), Decimal(250))])])
def test_a_list_of_some_parts_only_may_fall_short_of_its_total_never_exceed_it(tmp_path, total, expected):
    result = department(tmp_path, f"2023年度本年收入合计{total}万元，其中：一般公共预算财政拨款收入200万元；事业收入50万元等。")
    assert [(f.rule, f.stated, f.expected) for f in result.findings if f.rule == "BK601"] == expected


def test_a_change_restated_after_a_list_with_a_nested_list_is_the_totals():
    paragraph = parse_paragraph("说明.txt", 2, "本年支出合计307.82万元。其中基本支出105.58万元，包括人员经费95.36万元和公用经费"
                                               "10.23万元；项目支出202.24万元。与上年相比，支出合计增加27.82万元，增长9.94%。")
    total = next(a for a in paragraph.amounts if a.label == "本年支出合计")
    assert (total.change.amount.cell.value, total.change.rate.value) == (Decimal("27.82"), Decimal("0.0994"))
    assert not [a for a in paragraph.amounts if not a.comparison and a.cell.value == Decimal("27.82")]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("1.财政拨款收入1722.00万元，为当年拨付的资金。与上年相比，增加150.48万元，增长9.58%。", [],
                 id="the rate of the lone figure before"),
    pytest.param("1.财政拨款收入1722.00万元，为当年拨付的资金。与上年相比，增加150.48万元，增长6.53%。",
                 [("BK615", "第1段", "1.财政拨款收入的增减率", Decimal("6.53"), Decimal("9.5754"))],
                 id="a wrong rate of the lone figure before"),
    pytest.param("本年支出合计1909.01万元，其中基本支出1164.58万元，项目支出744.43万元。与上年相比，增加75.68万元，增长9.99%。",
                 [], id="after a list: of its total or its last part, left alone"),
])
def test_a_bare_change_opening_a_sentence_is_of_the_lone_figure_before_it(text, expected):
    """"…1722.00万元，为…资金。与上年相比，增加150.48万元，增长6.53%": the sentence before states one figure, so the change
    is its (audit24 P25: unchecked, though with a comma for the full stop it was)."""
    assert [f for f in rate_findings(text) if f[0] == "BK615"] == expected


@pytest.mark.parametrize(("share", "expected"), [("94.52", []), ("95.42", [(Decimal("95.42"), Decimal("94.5153"))])])
def test_a_share_naming_a_figure_stated_before_is_held_to_it(share, expected):
    """"…政府采购支出总额156.80万元…。授予中小企业合同金额148.20万元，占政府采购支出总额的95.42%": the whole is named and
    stated in the sentence before, no 总表 line and no total of a list (audit24 P14, P32: unchecked)."""
    text = ("2024年度政府采购支出总额156.80万元，其中：政府采购货物支出42.30万元、政府采购服务支出114.50万元。"
            f"授予中小企业合同金额148.20万元，占政府采购支出总额的{share}%，其中：授予小微企业合同金额120.00万元，"
            "占政府采购支出总额的76.53%。")
    narrative = Narrative("说明.txt", (parse_paragraph("说明.txt", 1, text),))
    done = reconcile([], rules=[CATALOG["BK602"]], narratives=(narrative,))
    assert [(f.stated, f.expected) for f in done.findings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("2024年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费"
                 "支出决算9.50万元，占85.90%；公务接待费支出决算1.56万元，占41.10%。",
                 [("BK603", "2024年度“三公”经费财政拨款支出决算中", Decimal("127.00"))], id="above 100%"),
    pytest.param("2024年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费"
                 "支出决算9.50万元，占85.90%；公务接待费支出决算1.56万元，占14.10%。", [], id="100%"),
    pytest.param("2024年度“三公”经费财政拨款支出决算中，公务用车购置及运行维护费支出决算9.50万元，占85.90%；"
                 "公务接待费支出决算1.56万元，占4.10%。", [], id="below 100%: some parts only"),
    pytest.param("财政拨款收入1722.00万元，占90.00%；一般公共预算财政拨款支出1500.00万元，占80.00%。", [],
                 id="shares of two wholes"),
])
def test_shares_of_a_whole_the_sentence_does_not_state_are_judged_above_100_percent(text, expected):
    """The central "三公" sentence gives each item's share of a total it does not state (audit24 P27, P31: a sum
    of 127% unseen). Its parts may be some only, so only a sum above 100% is judged, of parts alike."""
    narrative = Narrative("说明.txt", (parse_paragraph("说明.txt", 1, text),))
    done = reconcile([], rules=[CATALOG["BK603"]], narratives=(narrative,))
    assert [(f.rule, f.item, f.stated) for f in done.findings if f.severity != Severity.INFO] == expected
