"""Report text in other templates' words (audit 12): the central 决算说明's numbered 包括 lists, the
政府采购 sentence, the Sichuan/Guizhou "收入包括…；支出包括：…", a split of 结转结余 into 财政拨款 and
非财政拨款, a 自评报告's "预算绩效管理" heading over 决算 figures, and a change measured from last
year-end ("较2022年末的…"). Each was a false finding on a right text; each stays checked where wrong.

The department is the crafted 测试县科技馆 (report_crafted, in 万元 here): 收入总计 = 支出总计 273.33,
本年收入合计 253.33, 年初结转和结余 20, 本年支出合计 240, 年末结转和结余 33.33; 一般公共预算 spends 190
(科学技术 90, 社会保障和就业 46.67, 卫生健康 16.67, 住房保障 36.66); "三公" 决算 4.20 of a 5.00 budget.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_narrative_sources import department, found

from budgetkit import pipeline
from budgetkit.model import Severity

CENTRAL_TOTALS = ("一、收入支出决算总体情况说明", "（一）收入决算总计273.33万元。包括：", "1.本年收入决算合计253.33万元。",
                  "2.年初结转和结余20万元。", "（二）支出决算总计273.33万元。包括：", "1.本年支出决算合计240万元。",
                  "2.结余分配0万元。", "3.年末结转和结余33.33万元。")


def _loud(result) -> list[tuple]:
    return [(f.rule, f.ref.cell, f.item, f.stated, f.expected) for f in result.findings
            if f.rule.startswith("BK6") and f.severity != Severity.INFO]


def test_a_numbered_list_ends_where_the_next_heading_of_another_rank_begins(tmp_path):
    """'（二）支出决算总计…' and its own items were taken for more parts of '（一）…包括：' (a false BK601:
    the 收入 total against 14,062.95)."""
    assert _loud(department(tmp_path, *CENTRAL_TOTALS)) == []


def test_a_wrong_total_of_a_numbered_list_is_still_found(tmp_path):
    draft = [p.replace("（一）收入决算总计273.33万元", "（一）收入决算总计283.33万元") for p in CENTRAL_TOTALS]
    assert ("BK601", "第3段", "（一）收入决算总计", Decimal("283.33"), Decimal("273.33")) in _loud(department(tmp_path, *draft))


PROCUREMENT = ("2023年度政府采购支出总额100万元。授予中小企业合同金额80万元，占政府采购支出总额的80.00%，"
               "其中：授予小微企业合同金额60万元，占政府采购支出总额的60.00%。")


def test_a_share_naming_another_whole_than_its_lists_total_is_not_held_to_that_total(tmp_path):
    """小微企业 60 of the 政府采购支出总额 100 is 60%, not 60 ÷ 80 (the 中小企业 amount the 其中 lists it
    under): a false BK602."""
    assert found(department(tmp_path, "九、政府采购支出情况", PROCUREMENT), "BK602") == []


@pytest.mark.parametrize(("share", "expected"), [("75.00%", []), ("70.00%", [Decimal("75.0000")])])
def test_a_bare_share_in_the_same_list_is_still_of_its_total(tmp_path, share, expected):
    """A guard for the fix above: a share naming no whole is still held to its list's total."""
    text = PROCUREMENT.replace("占政府采购支出总额的60.00%", f"占{share}")
    assert [f[-1] for f in found(department(tmp_path, "九、政府采购支出情况", text), "BK602")] == expected


def test_a_list_after_a_semicolon_has_its_own_subject_not_the_figure_before(tmp_path):
    """'收入包括…200万元；支出包括：…' lists the 支出, not parts of the 200 (a false BK601, 190 against 200,
    and the classes held to the 一般公共预算 column their inherited 口径 named)."""
    text = ("2023年度财政拨款收入包括一般公共预算财政拨款收入200万元；支出包括：科学技术支出90万元、社会保障和就业支出46.67万元、"
            "卫生健康支出16.67万元、住房保障支出36.66万元。")
    assert _loud(department(tmp_path, "四、财政拨款收入支出决算总体情况说明", text)) == []


def test_non_fiscal_money_is_no_line_of_the_summary(tmp_path):
    """非财政拨款结转结余 8.33 was read as the 总表's 年末结转和结余 33.33 (a false BK611)."""
    text = "2023年末结转和结余33.33万元，其中：财政拨款结转结余25万元；非财政拨款结转结余8.33万元。"
    assert _loud(department(tmp_path, "五、结转结余情况", text)) == []


@pytest.mark.parametrize("heading", ["三、部门整体预算绩效管理情况", "（二）“三公”经费预算控制情况"])
def test_a_heading_on_the_work_of_budgeting_does_not_make_its_figures_budgets(tmp_path, heading):
    """The 决算 figures under '预算绩效管理' were held to the budget (three false BK614)."""
    text = "2023年“三公”经费支出4.20万元，较预算5.00万元减少0.80万元，其中：公务用车运行维护费2.80万元，公务接待费1.40万元。"
    assert _loud(department(tmp_path, heading, text)) == []


def test_a_wrong_three_public_figure_under_such_a_heading_is_still_found(tmp_path):
    """A guard: found before too (as a budget figure); now as the 决算 figure it is."""
    text = "2023年“三公”经费支出4.20万元，较预算5.00万元减少0.80万元，其中：公务用车运行维护费2.90万元，公务接待费1.30万元。"
    assert {f[0] for f in _loud(department(tmp_path, "三、部门整体预算绩效管理情况", text))} >= {"BK613"}


@pytest.mark.parametrize(("rate", "expected"), [("66.65%", []), ("60.00%", ["BK615"])])
def test_a_change_from_last_year_end_is_measured_from_that_figure(tmp_path, rate, expected):
    """'较2022年末的20万元增加13.33万元': 20 is the base, not an item named '末的' (a false BK615)."""
    text = f"2023年末结转和结余33.33万元，较2022年末的20万元增加13.33万元，增长{rate}。"
    assert [f[0] for f in _loud(department(tmp_path, "五、结转结余情况", text))] == expected


@pytest.mark.parametrize(("figure", "expected"), [
    ("190", []), ("195", [("BK612", "第3段", "一般公共预算财政拨款支出", Decimal("195"), Decimal("190.00"))])])
def test_a_funds_whole_spending_is_held_to_its_own_tables_total(tmp_path, figure, expected):
    """'一般公共预算财政拨款支出3,529.43万元' was held to no table (the central template's headline of its
    section): a wrong figure went unseen."""
    text = f"2023年度一般公共预算财政拨款支出{figure}万元，主要用于科学技术、社会保障和就业、卫生健康和住房保障等方面。"
    result = department(tmp_path, "四、一般公共预算财政拨款支出决算情况说明", text)
    assert _loud(result) == expected
    if expected:
        (finding,) = [f for f in result.findings if f.rule == "BK612"]
        assert "一般公共预算财政拨款支出决算表!C" in finding.message


@pytest.mark.parametrize(("share", "expected"), [("79.17%", []), ("87.60%", [Decimal("79.1667")])])
def test_a_share_naming_a_summary_line_is_held_to_that_line(tmp_path, share, expected):
    """'占本年支出合计的79.17%' with no 其中 total in its sentence: 190 ÷ the 总表's 本年支出合计 240.
    Before, a share outside a 其中 list was checked against nothing."""
    text = f"2023年度一般公共预算财政拨款支出190万元，占本年支出合计的{share}。"
    result = department(tmp_path, "四、一般公共预算财政拨款支出决算情况说明", text)
    found_shares = [f for f in result.findings if f.rule == "BK602"]
    assert [f.expected for f in found_shares] == expected
    if expected:
        assert "÷ 240.00（收入支出决算总表!D" in found_shares[0].message


@pytest.mark.parametrize(("reception", "expected"), [("1.40", []), ("1.30", [("BK613", Decimal("1.30"), Decimal("1.40"))])])
def test_a_three_public_item_named_before_its_bare_final_figure_is_that_items(tmp_path, reception, expected):
    """The central template: '公务接待费支出预算为2.00万元，支出决算为1.40万元'. The bare '支出决算' was no
    "三公" item, and a wrong 决算 figure in this form went unseen."""
    text = (f"其中：公务用车运行维护费支出预算为3.00万元，支出决算为2.80万元；"
            f"公务接待费支出预算为2.00万元，支出决算为{reception}万元。")
    result = department(tmp_path, "（二）“三公”经费财政拨款支出决算具体情况说明", text)
    assert [(f.rule, f.stated, f.expected) for f in result.findings if f.rule == "BK613"] == expected


@pytest.mark.parametrize("moved", [0, 10])
def test_a_bare_final_figure_under_a_class_section_item_heading_is_that_items(tmp_path, moved):
    """The central template heads each 项 '5.农林水支出（类）农业农村（款）行政运行（项）。' and says '…支出决算为
    1,172.16万元' under it: the bare 支出决算 was held to nothing, and a wrong figure went unseen."""
    from layout_corpus import Traits, accounts_for, render_disclosure
    from layout_corpus.rendering import printed
    render_disclosure(Traits(), "决算").write(tmp_path)
    item = next(i for i in accounts_for("决算").items if i.code == "2130101")
    spent = Decimal(str(printed(item.gp_total, "万元"))) + moved
    (tmp_path / "某区农业农村委员会2024年度部门决算说明.txt").write_text("\n".join([
        "某区农业农村委员会2024年度部门决算说明", "五、一般公共预算财政拨款支出决算情况说明",
        "5.农林水支出（类）农业农村（款）行政运行（项）。", f"支出决算为{spent:,.2f}万元，主要用于机关正常运转。"]) + "\n",
        encoding="utf-8")
    found = [(f.rule, f.stated, f.expected) for f in pipeline.run(tmp_path).findings if f.rule == "BK608"]
    assert found == ([] if not moved else [("BK608", spent, spent - moved)])


@pytest.mark.parametrize(("share", "expected"), [("81.82%", []), ("71.82%", [Decimal("81.8182")])])
def test_a_list_opened_by_bao_kuo_without_a_colon_and_its_shares_each_are_read(tmp_path, share, expected):
    """'…110万元，包括人员经费90万元和公用经费20万元，分别占81.82%、18.18%': no colon after 包括, and the
    second name in the join ('和公用经费'): neither the list nor the shares were read, and a wrong share
    went unseen."""
    text = f"2023年度一般公共预算财政拨款基本支出110万元，包括人员经费90万元和公用经费20万元，分别占{share}、18.18%。"
    result = department(tmp_path, "四、一般公共预算财政拨款基本支出决算情况说明", text)
    assert [f.expected for f in result.findings if f.rule == "BK602"] == expected
    assert [f for f in result.findings if f.rule == "BK601"] == []  # 90 + 20 = 110: the list is read and adds up


def test_a_subject_heading_longer_than_a_line_is_still_the_heading_of_the_figure_under_it(tmp_path):
    """'2.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）' is 47 characters:
    taken for no heading, the figure under it was held to the 项 of the heading before (audit20: false BK608)."""
    from layout_corpus import Traits, accounts_for, render_disclosure
    from layout_corpus.rendering import printed
    render_disclosure(Traits(), "决算").write(tmp_path)
    items = {i.code: i for i in accounts_for("决算").items}
    figures = {code: Decimal(str(printed(items[code].gp_total, "万元"))) for code in ("2130101", "2080505")}
    long_heading = "2.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）"
    assert len(long_heading) > 40
    (tmp_path / "某区农业农村委员会2024年度部门决算说明.txt").write_text("\n".join([
        "某区农业农村委员会2024年度部门决算说明", "五、一般公共预算财政拨款支出决算情况说明",
        "1.农林水支出（类）农业农村（款）行政运行（项）", f"支出决算为{figures['2130101']:,.2f}万元。",
        long_heading, f"支出决算为{figures['2080505']:,.2f}万元。"]) + "\n", encoding="utf-8")
    assert [f for f in pipeline.run(tmp_path).findings if f.rule == "BK608"] == []


@pytest.mark.parametrize(("farming", "expected"), [("3,064.96", []), ("3,046.96", [("BK606", Decimal("3046.96"))])])
def test_a_list_opened_after_the_sentence_of_its_total_takes_the_totals_scope(tmp_path, farming, expected):
    """'一般公共预算财政拨款支出3,529.43万元。主要用于以下方面：…农林水支出（类）3,064.96万元。': the 。 cut the list
    from its total, so its 类 were read as all funds' and 3,064.96 (the 一般公共预算 figure) was called a
    mixed 口径 (audit21: a false BK614 proposing the all-funds 3,150.67)."""
    from layout_corpus import Traits, render_disclosure
    render_disclosure(Traits(), "决算").write(tmp_path)
    (tmp_path / "某区农业农村委员会2024年度部门整体支出绩效自评报告.txt").write_text("\n".join([
        "某区农业农村委员会2024年度部门整体支出绩效自评报告", "二、部门财政资金支出情况",
        f"一般公共预算财政拨款支出3,529.43万元。主要用于以下方面：卫生健康支出（类）91.26万元；农林水支出（类）{farming}万元。"])
        + "\n", encoding="utf-8")
    found = [(f.rule, f.stated) for f in pipeline.run(tmp_path).findings if f.rule.startswith("BK6") and f.severity != Severity.INFO]
    assert found == expected


def test_a_list_opened_after_a_sentence_that_listed_parts_is_its_totals_not_its_last_parts(tmp_path):
    """'…支出3,529.43万元，其中：基本支出2,054.50万元；项目支出1,474.94万元。主要用于以下方面：…': the classes list
    the 3,529.43, not the 项目支出 the sentence before ended on (a guard on the fix above, which first took it so)."""
    from layout_corpus import Traits, render_disclosure
    render_disclosure(Traits(), "决算").write(tmp_path)
    (tmp_path / "某区农业农村委员会2024年度部门整体支出绩效自评报告.txt").write_text("\n".join([
        "某区农业农村委员会2024年度部门整体支出绩效自评报告", "二、部门财政资金支出情况",
        "一般公共预算财政拨款支出3,529.43万元，其中：基本支出2,054.50万元，占58.21%；项目支出1,474.94万元，占41.79%。"
        "主要用于以下方面：社会保障和就业支出（类）248.81万元；卫生健康支出（类）91.26万元；农林水支出（类）3,064.96万元；"
        "住房保障支出（类）124.40万元。"]) + "\n", encoding="utf-8")
    assert [f for f in pipeline.run(tmp_path).findings if f.rule.startswith("BK6") and f.severity != Severity.INFO] == []
