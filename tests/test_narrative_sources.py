"""BK612 (and BK611 by 口径): what a report text says of income sources and expenditure natures,
against the tables of the same department, stage and fund scope.

The department is the crafted 测试县科技馆 (tests/report_crafted.py, in 元), with its 一般公共预算
tables added: all funds spend 基本 150 万元 + 项目 90 万元, the 一般公共预算 part of it is
基本 110 (人员经费 90 + 公用经费 20) + 项目 80; its "三公" table (万元) spends 4.20 of a 5.00 budget
(车 2.80 of 3.00, all 运行维护; 接待 1.40 of 2.00). Its 2023 部门收支总表 (预算) sits beside it.
The drafts follow real 决算说明 (Putuo 2024) and the seed report's section 二, in 万元.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from conftest import REAL
from report_crafted import (
    BUDGET,
    FINAL,
    budget_sheet,
    fiscal_sheet,
    heading,
    income_sheet,
    S_THREE,
    questioned,
    spending_sheet,
    summary_sheet,
    three_public_sheet,
)
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity

# 206: 30 + 60, 208: 46.67 + 0, 210: 16.67 + 0, 221: 16.66 + 20 (万元), as 财政拨款总表 has them
GP_ROWS = [("206", "科学技术支出", 900_000, 300_000, 600_000), ("208", "社会保障和就业支出", 466_700, 466_700, None),
           ("210", "卫生健康支出", 166_700, 166_700, None), ("221", "住房保障支出", 366_600, 166_600, 200_000)]

TITLE = "测试县科技馆2023年度部门决算说明"
INCOME = ("2023年度本年收入合计253.33万元，其中：一般公共预算财政拨款收入200万元，占78.95%；事业收入50万元，占19.74%；"
          "其他收入3.33万元，占1.31%。")
SPENDING = "2023年度本年支出合计240万元，其中：基本支出150万元，占62.50%；项目支出90万元，占37.50%。"
GP_BASIC_HEADING = "四、一般公共预算财政拨款基本支出决算情况说明"
GP_BASIC = ("2023年度一般公共预算财政拨款基本支出110万元，其中：人员经费90万元，主要包括基本工资、津贴补贴等；"
            "公用经费20万元，主要包括办公费、印刷费等。")


def gp_sheet() -> tuple[list, list]:
    rows = heading("一般公共预算财政拨款支出决算表", 5) + [["项目", None, "合计", "基本支出", "项目支出"],
                                                    ["功能分类科目编码", "科目名称", None, None, None]]
    rows += [list(row) for row in GP_ROWS] + [["合计", None, 1_900_000, 1_100_000, 800_000]]
    return rows, ["A1:E1", "A2:D2", "A3:B3", "C3:C4", "D3:D4", "E3:E4", f"A{len(rows)}:B{len(rows)}"]


def basic_sheet() -> tuple[list, list]:
    rows = heading("一般公共预算财政拨款基本支出决算表", 6) + [
        ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", 850_000, "302", "商品和服务支出", 200_000],
        ["30101", "基本工资", 850_000, "30201", "办公费", 200_000],
        ["303", "对个人和家庭的补助", 50_000, None, None, None],
        ["30302", "退休费", 50_000, None, None, None],
        ["人员经费合计", None, 900_000, "公用经费合计", None, 200_000]]
    return rows, ["A1:F1", "A2:E2", "A8:B8", "D8:E8"]


def department(folder: Path, *paragraphs: str, as_docx: bool = False) -> list:
    """The department's 决算 and 预算 workbooks with the draft beside them; the findings of a run."""
    write_workbook(folder / FINAL, {"收入支出决算总表": summary_sheet(), "收入决算表": income_sheet(),
                                    "支出决算表": spending_sheet(), "财政拨款收入支出决算总表": fiscal_sheet(),
                                    "一般公共预算财政拨款支出决算表": gp_sheet(),
                                    "一般公共预算财政拨款基本支出决算表": basic_sheet(), S_THREE: three_public_sheet()})
    write_workbook(folder / BUDGET, {"部门收支总表": budget_sheet()})
    write_draft(folder, (TITLE, *paragraphs), as_docx)
    return pipeline.run(folder)


def write_draft(folder: Path, paragraphs: tuple[str, ...], as_docx: bool) -> None:
    if as_docx:
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(str(folder / "决算说明.docx"))
    else:
        (folder / "决算说明.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")


def found(result, *codes: str) -> list[tuple]:
    return [(f.rule, f.severity, f.ref.cell, f.item, f.stated, f.expected)
            for f in result.findings if f.rule in codes]


GP_PROJECT_HEADING = "五、一般公共预算财政拨款项目支出决算情况说明"
GP_PROJECT = "2023年一般公共预算财政拨款项目支出80万元，主要用于科普活动。"
BUDGET_HEADING = "六、2023年年初预算情况"
BUDGET_SOURCES = "事业收入28.33万元，其他收入0万元。"
# A 决算说明 whose every figure is right, paragraph by paragraph (第1段 is the title)
DRAFT = (TITLE, "一、收入支出决算总体情况说明", "2023年度收入总计273.33万元，支出总计273.33万元。",
         "二、收入决算情况说明", INCOME, "三、支出决算情况说明", SPENDING, GP_BASIC_HEADING, GP_BASIC,
         GP_PROJECT_HEADING, GP_PROJECT, BUDGET_HEADING, BUDGET_SOURCES)


def test_the_department_and_a_correct_draft_are_clean(tmp_path):
    result = department(tmp_path, *DRAFT[1:], as_docx=True)
    assert questioned(result) == []
    assert found(result, "BK611", "BK612") == []
    assert {c.rule.code: c.ran for c in result.coverage}["BK612"] is True


@pytest.mark.parametrize(("wrong", "right", "paragraph", "item", "stated", "expected", "cell"), [
    pytest.param("事业收入60万元", "事业收入50万元", 5, "事业收入", 60, 50, "收入支出决算总表!B9", id="an income source"),
    pytest.param("其他收入3.35万元", "其他收入3.33万元", 5, "其他收入", Decimal("3.35"), Decimal("3.3333"),
                 "收入支出决算总表!B12", id="an income source shown to two decimals"),
    pytest.param("基本支出140万元", "基本支出150万元", 7, "基本支出", 140, 150, "支出决算表!D5", id="an all-funds nature"),
    pytest.param("财政拨款基本支出140万元", "财政拨款基本支出110万元", 9, "一般公共预算财政拨款基本支出", 140, 110,
                 "一般公共预算财政拨款支出决算表!D9", id="a wrong figure under the 一般公共预算 口径"),
    pytest.param("人员经费95万元", "人员经费90万元", 9, "人员经费", 95, 90, "一般公共预算财政拨款基本支出决算表!C8",
                 id="a part that takes its total's 口径"),
    pytest.param("人员经费合计95万元", "人员经费90万元", 9, "人员经费合计", 95, 90,
                 "一般公共预算财政拨款基本支出决算表!C8", id="a nature stated as its total"),
    pytest.param("项目支出85万元", "项目支出80万元", 11, "一般公共预算财政拨款项目支出", 85, 80,
                 "一般公共预算财政拨款支出决算表!E9", id="the fund named in the label"),
    pytest.param("事业收入30万元", "事业收入28.33万元", 13, "事业收入", 30, Decimal("28.33"), "部门收支总表!B9",
                 id="a budget figure under a budget heading in a final account's text"),
    pytest.param("年初预算中，事业收入30万元", "事业收入28.33万元", 13, "事业收入", 30, Decimal("28.33"),
                 "部门收支总表!B9", id="a sentence that names its stage"),
    pytest.param("其他收入1万元", "其他收入0万元", 13, "其他收入", 1, 0, "部门收支总表!B11",
                 id="a budget source the table leaves blank"),
])
def test_a_source_or_nature_that_differs_from_its_table_is_an_error_at_its_paragraph(
        tmp_path, wrong, right, paragraph, item, stated, expected, cell):
    draft = [text.replace(right, wrong) if n == paragraph else text for n, text in enumerate(DRAFT, start=1)]
    assert draft != list(DRAFT)
    result = department(tmp_path, *draft[1:])
    [finding] = [f for f in result.findings if f.rule == "BK612"]
    assert (finding.severity, finding.ref.file, finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        Severity.ERROR, "决算说明.txt", f"第{paragraph}段", item, Decimal(stated), Decimal(expected))
    assert cell in finding.message and f"原文：“{draft[paragraph - 1]}”" in finding.message


def test_a_nature_whose_sentence_does_not_say_its_fund_under_a_funds_heading_is_not_compared(tmp_path):
    result = department(tmp_path, GP_BASIC_HEADING, "2023年度基本支出150万元，其中：人员经费90万元；公用经费20万元。")
    assert found(result, "BK612") == []
    [notes] = [c.notes for c in result.coverage if c.rule.code == "BK612"]
    assert notes == ("决算说明.txt 第3段“基本支出”口径不明，未与表核对", "决算说明.txt 第3段“人员经费”口径不明，未与表核对",
                     "决算说明.txt 第3段“公用经费”口径不明，未与表核对")


@pytest.mark.parametrize("draft", [
    "2023年度行政运行项目支出90万元。",           # a 项's 项目支出, not the department's
    "日常公用经费20万元，比上年增加5万元。",       # 机关运行经费, not 公用经费
    "财政拨款基本支出110万元。",                   # three funds together: no one table states it
    "2023年全年预算中，事业收入60万元。",          # a revised budget: not the 年初 budget table
    "本年支出合计240万元，比上年增加基本支出30万元。",
])
def test_figures_that_are_no_source_or_nature_of_a_known_table_are_not_compared(tmp_path, draft):
    assert found(department(tmp_path, "二、情况说明", draft), "BK612") == []


def test_a_wrong_amount_whose_share_follows_the_tables_is_one_finding_that_says_so(tmp_path):
    draft = INCOME.replace("事业收入50万元", "事业收入60万元")
    result = department(tmp_path, "二、收入决算情况说明", draft)
    assert found(result, "BK602", "BK612") == [("BK612", Severity.ERROR, "第3段", "事业收入", 60, 50)]
    [finding] = [f for f in result.findings if f.rule == "BK612"]
    assert "相差 +10.00万元。文中占比 19.74% 与表中金额相符。原文" in finding.message


def test_a_wrong_share_beside_a_wrong_amount_is_still_its_own_error(tmp_path):
    draft = INCOME.replace("事业收入50万元，占19.74%", "事业收入60万元，占25%")
    result = department(tmp_path, "二、收入决算情况说明", draft)
    assert found(result, "BK602", "BK612") == [("BK602", Severity.ERROR, "第3段", "事业收入", 25, Decimal("23.6845")),
                                               ("BK612", Severity.ERROR, "第3段", "事业收入", 60, 50)]
    assert "文中占比" not in [f for f in result.findings if f.rule == "BK612"][0].message


def test_a_wrong_class_amount_with_the_tables_share_is_reported_once_by_bk606(tmp_path):
    draft = "本年支出合计240万元，其中：科学技术支出105万元，占41.67%；社会保障和就业支出46.67万元，占19.45%。"
    result = department(tmp_path, "三、支出决算情况说明", draft)
    assert found(result, "BK602", "BK606") == [("BK606", Severity.ERROR, "第3段", "科学技术支出", 105, 100)]
    [finding] = [f for f in result.findings if f.rule == "BK606"]
    assert "文中占比 41.67% 与表中金额相符" in finding.message


@pytest.mark.parametrize(("draft", "item", "stated", "expected", "cell"), [
    pytest.param("年初财政拨款结转和结余18万元。", "年初财政拨款结转和结余", 18, 15, "财政拨款收入支出决算总表!B10",
                 id="a 财政拨款 carry-over is the 财政拨款总表's"),
    pytest.param("2023年部门预算收入总计250万元。", "部门预算收入总计", 250, Decimal("243.33"), "部门收支总表!B12",
                 id="a budget total is the 部门收支总表's"),
])
def test_bk611_takes_the_summary_table_of_the_sentences_stage_and_fund(tmp_path, draft, item, stated, expected, cell):
    result = department(tmp_path, "一、总体情况", draft)
    [finding] = [f for f in result.findings if f.rule == "BK611"]
    assert (finding.severity, finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        Severity.ERROR, "第3段", item, Decimal(stated), Decimal(expected))
    assert cell in finding.message


def test_bk611_leaves_a_total_alone_when_its_heading_names_a_fund_the_sentence_does_not(tmp_path):
    result = department(tmp_path, "四、财政拨款收入支出决算总体情况说明", "2023年度收入总计215万元。")
    assert found(result, "BK611") == []
    assert [c.notes for c in result.coverage if c.rule.code == "BK611"] == [
        ("决算说明.txt 第3段“收入总计”口径不明，未与表核对",)]


def test_bk611_is_quiet_on_each_summary_tables_own_figures(tmp_path):
    result = department(tmp_path, "一、总体情况", "年初结转和结余20万元，年初财政拨款结转和结余15万元，"
                                                  "年末财政拨款结转和结余25万元。2023年部门预算收入总计243.33万元。")
    assert found(result, "BK611") == []


# Headline totals (issue 13 item 2): the 总表 has 本年收入合计 253.33 (B13), 收入总计 273.33 (B16), 本年支出合计
# 240 (D13); the 财政拨款总表 本年支出合计 190 (D9); the budget's 收支总表 收入总计 243.33 (B12).
@pytest.mark.parametrize(("draft", "item", "stated", "expected", "cell"), [
    pytest.param("2023年度收入支出决算总计275万元。", "收入支出决算总计", 275, Decimal("273.3333"),
                 "收入支出决算总表!B16", id="收入支出总计"),
    pytest.param("2023年度收入决算260万元。", "收入决算", 260, Decimal("253.3333"), "收入支出决算总表!B13",
                 id="收入 nearer its 本年收入合计 than its 收入总计"),
    pytest.param("2023年度支出决算273.33万元。", "支出决算", Decimal("273.33"), 240, "收入支出决算总表!D13",
                 id="a final account's 支出 is what it spent, never its 支出总计"),
    pytest.param("2023年度财政拨款支出215万元。", "财政拨款支出", 215, 190, "财政拨款收入支出决算总表!D9",
                 id="财政拨款 口径"),
    pytest.param("2023年部门收入预算250万元。", "部门收入预算", 250, Decimal("243.33"), "部门收支总表!B12",
                 id="a budget's 收入预算"),
    pytest.param("2023年度收支总预算250万元。", "收支总预算", 250, Decimal("243.33"), "部门收支总表!B12",
                 id="收支总预算"),
    pytest.param("2023年收入支出预算总计250万元。", "收入支出预算总计", 250, Decimal("243.33"), "部门收支总表!B12",
                 id="收入支出预算总计"),
])
def test_a_headline_total_that_differs_from_its_summary_table_is_an_error(tmp_path, draft, item, stated, expected, cell):
    result = department(tmp_path, "一、总体情况", draft)
    assert found(result, "BK611", "BK612") == [("BK611", Severity.ERROR, "第3段", item, Decimal(stated), Decimal(expected))]
    [finding] = [f for f in result.findings if f.rule == "BK611"]
    assert cell in finding.message


@pytest.mark.parametrize("draft", [
    "2023年度收入决算273.33万元，支出决算240万元。",        # 收入 as the 收入总计
    "2023年度收入决算253.33万元，收入支出决算总计273.33万元。",
    "2023年度财政拨款支出190万元，一般公共预算财政拨款支出190万元。",   # no 总表 states 一般公共预算 alone
    "2023年部门收入预算243.33万元，支出预算243.33万元，收支总预算243.33万元。",
    "2023年度支出决算240万元，比上年增加20万元。",               # a change is no total
    "2023年科普活动项目资金100万元，其中：支出80万元，结转20万元。",   # a bare 支出 listed under another total
])
def test_a_headline_total_its_summary_table_states_is_quiet(tmp_path, draft):
    assert found(department(tmp_path, "一、总体情况", draft), "BK611", "BK612", "BK614") == []


def test_a_headline_total_one_hundredth_off_a_table_in_wan_yuan_is_rounding(tmp_path):
    shutil.copy(REAL / "putuo_social_work_2024_final.xlsx", tmp_path)
    write_draft(tmp_path, ("2024年度部门决算说明", "一、收入支出决算总体情况说明",
                           "2024年度收入支出决算总计307.82万元，收入决算307.83万元，支出决算307.82万元。"), as_docx=True)
    assert found(pipeline.run(tmp_path), "BK611") == [
        ("BK611", Severity.INFO, "第3段", "收入决算", Decimal("307.83"), Decimal("307.82"))]


PUTUO_BUDGET = ("2025年，上海市普陀区人民政府办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，"
                "比2024年预算减少2,389.52万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。")
PUTUO_NATURES = ("支出预算9,101.68万元，其中：基本支出2,460.68万元，占27.04%；项目支出6,641万元，占72.96%。"
                 "一般公共预算拨款基本支出2,460.68万元，其中：人员经费2,247.40万元；公用经费213.28万元。")


def putuo(folder: Path, *paragraphs: str):
    shutil.copy(REAL / "putuo_office_unit_budget_2025.xlsx", folder)
    write_draft(folder, ("2025年单位预算编制说明", *paragraphs), as_docx=True)
    return pipeline.run(folder)


def test_a_budget_texts_sources_and_natures_agree_with_the_real_unit_budget(tmp_path):
    assert found(putuo(tmp_path, PUTUO_BUDGET, PUTUO_NATURES), "BK601", "BK602", "BK611", "BK612") == []


@pytest.mark.parametrize(("draft", "item", "stated", "cell"), [
    pytest.param(PUTUO_BUDGET.replace("收入预算9,101.68万元", "收入预算9,110.68万元"),
                 "上海市普陀区人民政府办公室收入预算", Decimal("9110.68"), "财务收支预算总表!B15", id="收入预算"),
    pytest.param(PUTUO_NATURES.replace("支出预算9,101.68万元", "支出预算9,011.68万元"), "支出预算", Decimal("9011.68"),
                 "财务收支预算总表!D15", id="支出预算"),
])
def test_a_wrong_headline_total_of_the_real_unit_budget_is_an_error_at_its_summary_table(tmp_path, draft, item, stated,
                                                                                          cell):
    [finding] = [f for f in putuo(tmp_path, draft).findings if f.rule == "BK611"]
    assert (finding.severity, finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        Severity.ERROR, "第2段", item, stated, Decimal("9101.677535"))
    assert cell in finding.message


@pytest.mark.parametrize(("draft", "item", "stated", "expected", "cell"), [
    pytest.param(PUTUO_BUDGET.replace("事业收入0万元", "事业收入12万元"), "事业收入", 12, 0, "财务收支预算总表!B11",
                 id="a source the table leaves blank"),
    pytest.param(PUTUO_NATURES.replace("项目支出6,641万元", "项目支出6,614万元"), "项目支出", 6614, 6641,
                 "支出预算总表!G26", id="an all-funds nature"),
    pytest.param(PUTUO_NATURES.replace("公用经费213.28万元", "公用经费203.28万元"), "公用经费", Decimal("203.28"),
                 Decimal("213.277754"), "一般公共预算基本支出经济分类预算表!F35", id="公用经费 of the economic table"),
])
def test_a_budget_source_or_nature_that_differs_from_the_real_unit_budget_is_an_error(
        tmp_path, draft, item, stated, expected, cell):
    [finding] = [f for f in putuo(tmp_path, draft).findings if f.rule == "BK612"]
    assert (finding.severity, finding.ref.cell, finding.item, finding.stated, finding.expected) == (
        Severity.ERROR, "第2段", item, Decimal(stated), Decimal(expected))
    assert cell in finding.message


@pytest.mark.parametrize("actual, rate, expected", [("1.40", "70.00", []),
                                                     ("1.40", "80.00", [("BK609", Decimal("80.00"), Decimal(70))]),
                                                     ("1.50", "70.00", [])])
def test_a_three_public_items_completion_rate_is_held_to_the_tables_budget(tmp_path, actual, rate, expected):
    """"公务接待费支出决算1.40万元，完成预算的80.00%": the sentence states no budget; the "三公" table's 2.00 is it
    (audit24 P35: unchecked). The rate is judged on the table's 决算 (1.40): a misstated 1.50 is BK613's, and its
    right rate no second error."""
    result = department(tmp_path, f"2023年度公务接待费支出决算{actual}万元，完成预算的{rate}%。")
    assert [(f.rule, f.stated, f.expected) for f in result.findings
            if f.rule == "BK609" and f.severity != Severity.INFO] == expected


@pytest.mark.parametrize("figure, expected", [("17.70", []), ("17.90", [("BK608", "第5段", Decimal("17.90"))])])
def test_a_numbered_item_closes_the_heading_of_the_item_before(tmp_path, figure, expected):
    """"2.…事业运行（项）" stands alone as a heading, its figures on the next line; "3.住房保障支出（类）…住房公积金（项）：
    …支出决算为17.70万元" names its own item and was held to 事业运行's 11.31 under that heading (a false BK608, and
    the next item's too: audit-text c02). Its own 类（款）（项） is the subject of its figures: 2210201's 17.70."""
    shutil.copy(REAL / "putuo_social_work_2024_final.xlsx", tmp_path)
    write_draft(tmp_path, ("2024年度部门决算说明", "（三）一般公共预算财政拨款支出决算具体情况",
                           "2.一般公共服务支出（类）社会工作事务（款）事业运行（项）",
                           "年初预算为11.31万元，支出决算为11.31万元，完成年初预算的100%。",
                           f"3.住房保障支出（类）住房改革支出（款）住房公积金（项）：年初预算为18.00万元，支出决算为{figure}万元。",
                           "4.卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）年初预算为2.50万元，支出决算为2.22万元。"),
                as_docx=False)
    result = pipeline.run(tmp_path)
    assert [(f.rule, f.ref.cell, f.stated) for f in result.findings
            if f.rule == "BK608" and f.severity != Severity.INFO] == expected
