"""绩效自评表: each form layout loads with its cells, each J rule (BK701–BK710) fires on a
crafted form at its cell and stays quiet on a clean one, in at least two layouts."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.config import parse_config
from budgetkit.model import SelfEvalForm, Severity, TableKind
from budgetkit.report.workbook import write_summary

DEPARTMENT = "乐山市市中区科学技术协会"
SAMPLE_FINAL = REPO / "workbooks" / "区科协2022年部门决算.xlsx"
SAMPLE_FORMS = REPO / "workbooks" / "区科协2022年绩效自评表.xlsx"
SELFEVAL_RULES = {f"BK7{n:02d}" for n in range(1, 11)}


def central_project() -> tuple[list, list]:
    """The central template (财预〔2020〕10号): 执行率 (B/A) over 全年预算数 (A); one-row header."""
    rows = [
        ["项目支出绩效自评表"],
        ["（2022年度）"],
        ["项目名称", "科普活动运转经费"],
        ["主管部门", DEPARTMENT, None, None, "实施单位", DEPARTMENT],
        ["项目资金（万元）", None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
        [None, "年度资金总额", 25, 25, 25, 10, "100.00%", 10],
        [None, "其中：当年财政拨款", 25, 25, 25, "-", "100.00%", "-"],
        [None, "上年结转资金", "-", "-", "-", "-", "-", "-"],
        [None, "其他资金", "-", "-", "-", "-", "-", "-"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        [None, "按计划完成科普活动", None, None, None, "已完成"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标（50分）", "数量指标", "开展科普活动场次", "≥20场", "24场", 20, 20, None],
        [None, "质量指标", "科普活动覆盖人数", "≥3000人次", "3500人次", 15, 15, None],
        [None, "时效指标", "活动按计划完成率", "100%", "100%", 15, 15, None],
        ["效益指标（30分）", "社会效益指标", "采纳的建言献策数", "≥15项", "14项", 30, 28, "部分建议仍在论证"],
        ["满意度指标（10分）", "服务对象满意度指标", "参与群众满意度", "≥90%", "95%", 10, 10, None],
        ["总分", None, None, None, None, 100, 98, None],
        ["评价等级", None, None, None, None, "优"],
    ]
    merges = ["A1:H1", "A2:H2", "B3:H3", "B4:D4", "F4:H4", "A5:A9", "A10:A11", "B10:E10", "F10:H10", "B11:E11",
              "F11:H11", "A13:A15", "A18:E18", "A19:E19"]
    return rows, merges


def sichuan_project() -> tuple[list, list]:
    """四川 部门预算项目支出绩效自评表: two-row 资金 header, 预算执行率 over 调整后预算数, a 原因 column,
    指标性质 and 度量单位 columns, 合计 row."""
    rows = [
        ["部门预算项目支出绩效自评表"],
        ["（2022年度）"],
        ["项目名称", "科技人才培训"],
        ["主管部门", DEPARTMENT, None, None, "实施单位", DEPARTMENT],
        ["预算执行情况（万元）（10分）", None, "年度预算数", None, "预算执行数", "预算执行率", "权重", "得分", "原因"],
        [None, None, "年初预算", "调整后预算数"],
        [None, "总额", 120, 100, 85, "85.00%", 10, 8.5, "项目推进延迟，资金未按期支付"],
        [None, "其中：财政资金", 120, 100, 85, "85.00%", "-", "-", None],
        [None, "财政专户管理资金", "-", "-", "-", "-", "-", "-", None],
        [None, "单位资金", "-", "-", "-", "-", "-", "-", None],
        [None, "其他资金", "-", "-", "-", "-", "-", "-", None],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
        ["产出指标", "数量指标", "培训人次", "≥", 200, "人次", 220, 30, 30, None],
        [None, "质量指标", "培训合格率", "≥", 95, "%", 96, 20, 20, None],
        ["效益指标", "社会效益指标", "群众知晓率", "≥", 90, "%", 81, 30, 27, "宣传不足"],
        ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥", 90, "%", 95, 10, 10, None],
        ["合计", None, None, None, None, None, None, 100, 95.5, None],
        ["自评等级", "优"],
    ]
    merges = ["A1:J1", "A2:J2", "B3:J3", "A5:A11", "C5:D5", "E5:E6", "F5:F6", "G5:G6", "H5:H6", "I5:I6",
              "A13:A14"]
    return rows, merges


def guizhou_department(executed: float = 163.68) -> tuple[list, list]:
    """贵州 部门整体支出绩效自评表: 年初预算数 (A) | 全年执行数 (B), rows 年度资金总额 / 基本支出 / 项目支出."""
    rows = [
        ["2022年度部门整体支出绩效自评表"],
        ["部门（单位）名称", DEPARTMENT, None, None, None, None, None, "单位：万元"],
        ["部门（单位）总体资金（万元）", None, "年初预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分",
         "得分计算方法"],
        [None, "年度资金总额", 163.68, executed, 10, "100.00%", 10, "执行率×分值，最高不超过分值"],
        [None, "其中：基本支出", 133.68, 133.68, "-", "-", "-", None],
        [None, "项目支出", 30.00, 30.00, "-", "-", "-", None],
        ["年度总体目标", "年初设定目标", None, None, None, "完成情况"],
        [None, "服务科技工作者", None, None, None, "已完成"],
        ["一级指标", "二级指标", "三级指标", "年度指标值（A）", "全年实际值（B）", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "数量指标", "开展科普活动场次", "≥20场", "24场", 20, 20, None],
        [None, "质量指标", "天府科技云新增注册人数", "≥5000人", "4262人", 15, 12.79, "宣传覆盖不足"],
        [None, "时效指标", "资金支付及时率", "≥95%", "100%", 15, 15, None],
        ["效益指标", "社会效益指标", "优秀科技论文获奖数", "≥40篇", "50篇", 15, 15, None],
        [None, "可持续影响指标", "支持科普教育基地数", "≥4家", "4家", 15, 15, None],
        ["满意度指标", "服务对象满意度指标", "科技工作者满意度", "≥90%", "95%", 10, 10, None],
        ["总分", None, None, None, None, 100, 97.79, None],
        ["评价等级", None, None, None, None, "优"],
    ]
    merges = ["A1:H1", "A3:A6", "A7:A8", "A10:A12", "A13:A14", "A16:E16", "A17:E17"]
    return rows, merges


def chongqing_department() -> tuple[list, list]:
    """重庆 部门整体绩效自评表: 自评总分 in the header, 执行率(%) as a number, 执行率权重/执行率得分,
    indicators by 指标名称 with 年初/调整指标值, 得分系数 and no 偏差原因 column."""
    rows = [
        ["2022年度部门整体绩效自评表"],
        ["单位名称", DEPARTMENT, None, None, "自评总分", 100],
        ["部门预算执行情况（万元）", None, "年初预算数", "全年（调整）预算数", "全年执行数", "执行率（%）", "执行率权重",
         "执行率得分"],
        [None, "年度资金总额", 163.68, 163.68, 163.68, 100, 10, 10],
        ["当年绩效目标", "年初", None, "全年（调整）", None, "实际完成情况"],
        [None, "服务科技工作者", None, "服务科技工作者", None, "已完成"],
        ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数（%）", "指标权重（分）",
         "指标得分（分）", "是否核心指标"],
        ["服务科技工作者人次", "人次", "≥", 1000, None, 1200, 100, 40, 40, "是"],
        ["科普活动场次", "场", "≥", 20, 18, 18, 100, 30, 30, "否"],
        ["服务对象满意度", "%", "≥", 90, None, 95, 100, 20, 20, "否"],
    ]
    merges = ["A1:J1", "A3:A4", "A5:A6"]
    return rows, merges


LAYOUTS = {"central": central_project, "sichuan": sichuan_project, "guizhou": guizhou_department,
           "chongqing": chongqing_department}


def patched(sheet: tuple[list, list], **cells: object) -> tuple[list, list]:
    """The sheet with some cells retyped: patched(sheet, H6=9)."""
    rows = [list(row) for row in sheet[0]]
    for address, value in cells.items():
        letters, number = coordinate_from_string(address)
        row, column = rows[number - 1], column_index_from_string(letters) - 1
        row.extend([None] * (column + 1 - len(row)))
        row[column] = value
    return rows, sheet[1]


def run_forms(folder: Path, sheets: dict, with_accounts: bool = False, suffix: str = ".xlsx"):
    write_workbook(folder / f"区科协2022年绩效自评表{suffix}", sheets)
    if with_accounts:
        shutil.copy(SAMPLE_FINAL, folder)
    return pipeline.run(folder)


def selfeval_findings(result) -> list:
    return [f for f in result.findings if f.rule in SELFEVAL_RULES]


def only(findings: list, rule: str):
    matches = [f for f in findings if f.rule == rule]
    assert len(matches) == 1, [(f.rule, f.ref.sheet, f.ref.cell, f.message) for f in findings]
    return matches[0]


# --- Loading --------------------------------------------------------------------------------

def test_central_form_loads_its_money_indicators_score_and_grade_with_cells(tmp_path):
    result = run_forms(tmp_path, {"科普": central_project()})
    (form,) = result.tables
    assert isinstance(form, SelfEvalForm) and form.kind == TableKind.PROJECT_SELF_EVAL
    assert (form.project, form.department, form.year, form.denominator) == ("科普活动运转经费", DEPARTMENT, 2022,
                                                                             "adjusted")
    total = form.fund_total
    assert (total.label, total.values["executed"].value, total.values["executed"].ref.cell) == ("年度资金总额",
                                                                                                 Decimal(25), "E6")
    assert (total.values["rate"].value, total.values["rate"].ref.cell) == (Decimal("1.0000"), "G6")
    assert [f.label for f in form.funds] == ["年度资金总额", "其中:当年财政拨款", "上年结转资金", "其他资金"]
    assert [(i.level1, i.name, i.weight.ref.cell, i.score.value) for i in form.indicators][3] == (
        "效益指标(30分)", "采纳的建言献策数", "F16", Decimal(28))
    assert form.indicators[1].level1 == "产出指标(50分)"  # merged down from A13
    assert (form.total_score.value, form.total_score.ref.cell, form.grade.text, form.grade.ref.cell) == (
        Decimal(98), "G18", "优", "F19")


def test_chongqing_form_reads_the_score_beside_its_header_and_the_adjusted_target(tmp_path):
    (form,) = run_forms(tmp_path, {"重庆": chongqing_department()}).tables
    assert form.kind == TableKind.DEPARTMENT_SELF_EVAL
    assert (form.total_score.value, form.total_score.ref.cell) == (Decimal(100), "F2")
    assert form.fund_total.values["rate"].value == Decimal(1)  # 100 in a 执行率(%) column
    assert form.indicators[1].target.number == Decimal(18)  # 调整指标值 over 年初指标值
    assert form.denominator == "adjusted"


def test_several_forms_on_one_sheet_and_one_per_sheet_all_load(tmp_path):
    central, guizhou = central_project(), guizhou_department()
    offset = len(central[0]) + 1
    stacked = (central[0] + [[]] + guizhou[0], central[1] + [_shift(m, offset) for m in guizhou[1]])
    result = run_forms(tmp_path, {"合并": stacked, "四川": sichuan_project()})
    assert [(t.sheet, t.kind, t.anchor) for t in result.tables] == [
        ("合并", TableKind.PROJECT_SELF_EVAL, "A1"), ("合并", TableKind.DEPARTMENT_SELF_EVAL, f"A{offset + 1}"),
        ("四川", TableKind.PROJECT_SELF_EVAL, "A1")]
    assert selfeval_findings(result) == []


def _shift(merge: str, rows: int) -> str:
    def moved(cell: str) -> str:
        letters, number = coordinate_from_string(cell)
        return f"{letters}{number + rows}"
    return ":".join(moved(c) for c in merge.split(":"))


# --- Quiet on clean forms --------------------------------------------------------------------

@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_consistent_form_gives_no_finding_in_any_layout(tmp_path, layout):
    result = run_forms(tmp_path, {"表": LAYOUTS[layout]()}, with_accounts=layout in ("guizhou", "chongqing"))
    assert selfeval_findings(result) == []
    assert {c.rule.code for c in result.coverage if c.ran} >= SELFEVAL_RULES - {"BK708", "BK710"}


def test_forms_in_a_legacy_xls_load_alike(tmp_path):
    result = run_forms(tmp_path, {"中央": central_project(), "四川": sichuan_project()}, suffix=".xls")
    assert [(t.sheet, t.total_score.value, t.total_score.ref.cell) for t in result.tables] == [
        ("中央", Decimal(98), "G18"), ("四川", Decimal("95.5"), "I17")]
    assert selfeval_findings(result) == []


def test_the_sample_forms_agree_with_the_shipped_accounts_and_score_98(tmp_path):
    result = pipeline.run(REPO / "workbooks")
    assert selfeval_findings(result) == []
    projects = [(t.project, t.total_score.value) for t in result.tables if t.kind == TableKind.PROJECT_SELF_EVAL]
    assert projects == [("科普活动运转经费", Decimal(98)), ("老科协经费", Decimal(98))]
    coverage = {c.rule.code: c for c in result.coverage}
    assert coverage["BK708"].ran and any("全年执行数 与收入支出决算总表比对" in n for n in coverage["BK708"].notes)


# --- Each rule fires, at its cell, in two layouts --------------------------------------------

@pytest.mark.parametrize("layout, cells, cell, stated, expected", [
    ("central", {"E6": 30}, "E6", Decimal(30), Decimal(25)),
    ("guizhou", {"D5": 130.00}, "D4", Decimal("163.68"), Decimal("160.00")),
])
def test_bk701_fund_total_that_differs_from_its_parts_is_an_error(tmp_path, layout, cells, cell, stated, expected):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)})), "BK701")
    assert (found.severity, found.ref.cell, found.stated, found.expected) == (Severity.ERROR, cell, stated, expected)


def two_breakdowns(headed: bool) -> tuple[list, list]:
    """The 贵州 form's 资金 listed by 收入性质 (财政拨款 150.00 + 其他资金 13.68) and again by 支出性质
    (基本支出 133.68 + 项目支出 30.00), each breakdown under a 按……分 heading or begun by its 其中 line."""
    rows, merges = guizhou_department()
    by_income = [[None, "其中：财政拨款", 150.00, 150.00, "-", "-", "-"], [None, "其他资金", 13.68, 13.68, "-", "-", "-"]]
    by_spending = rows[4:6]
    if headed:
        by_income = [[None, "按收入性质分："], *by_income]
        by_spending = [[None, "按支出性质分："], *by_spending]
    added = len(by_income) + len(by_spending) - 2
    rows = rows[:4] + by_income + by_spending + rows[6:]
    merges = ["A1:H1", f"A3:A{6 + added}"] + [_shift(m, added) for m in merges[2:]]
    return rows, merges


@pytest.mark.parametrize("headed", [True, False])
def test_bk701_each_breakdown_of_the_fund_total_adds_up_on_its_own(tmp_path, headed):
    form = two_breakdowns(headed)
    assert selfeval_findings(run_forms(tmp_path, {"表": form})) == []
    assert [(line.label, line.breakdown) for line in pipeline.run(tmp_path).tables[0].funds] == [
        ("年度资金总额", 0), ("其中:财政拨款", 1), ("其他资金", 1), ("其中:基本支出", 2), ("项目支出", 2)]


@pytest.mark.parametrize(("headed", "project_row"), [(True, 10), (False, 8)])
def test_bk701_a_breakdown_that_differs_from_the_fund_total_is_an_error(tmp_path, headed, project_row):
    form = patched(two_breakdowns(headed), **{f"D{project_row}": 31.00})
    found = only(selfeval_findings(run_forms(tmp_path, {"表": form})), "BK701")
    assert (found.ref.cell, found.item, found.stated, found.expected) == (
        "D4", "年度资金总额（全年执行数）", Decimal("163.68"), Decimal("164.68"))
    assert [r.cell for r in found.related] == [f"D{project_row - 1}", f"D{project_row}"]


def test_bk701_a_lone_of_which_line_is_no_breakdown_to_add_up(tmp_path):
    rows, merges = guizhou_department()
    form = (rows[:4] + [[None, "其中：财政拨款", 150.00, 150.00, "-", "-", "-"]] + rows[6:],
            ["A1:H1", "A3:A5"] + [_shift(m, -1) for m in merges[2:]])
    assert selfeval_findings(run_forms(tmp_path, {"表": form})) == []


@pytest.mark.parametrize("layout, cells, cell, stated, hint", [
    # 25 ÷ 20 (年初预算数) = 125%, while the header declares 全年预算数 (A) = 25
    ("central", {"C6": 20, "C7": 20, "G6": "125.00%"}, "G6", Decimal("1.2500"), "按年初预算数 20.00 计算"),
    # 85 ÷ 120 (年初预算) = 70.83% where the 四川 rule divides by 调整后预算数 100
    ("sichuan", {"F7": "70.83%"}, "F7", Decimal("0.7083"), "按年初预算数 120.00 计算"),
])
def test_bk702_rate_over_another_denominator_is_an_error_naming_it(tmp_path, layout, cells, cell, stated, hint):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)})), "BK702")
    assert (found.ref.cell, found.stated / 100, found.severity) == (cell, stated, Severity.ERROR)
    assert hint in found.message and "分母与表头不符" in found.message


@pytest.mark.parametrize("layout, cells, cell", [
    ("guizhou", {"D4": 180.00, "D5": 150.00, "F4": "109.97%", "G4": 11}, "G4"),  # rate over 100% scores at most 10
    ("sichuan", {"H7": 10, "I17": 97}, "H7"),  # 85% × 10 = 8.5
])
def test_bk703_rate_score_above_min_rate_times_weight_is_an_error(tmp_path, layout, cells, cell):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)})), "BK703")
    assert (found.ref.cell, found.severity) == (cell, Severity.ERROR)


@pytest.mark.parametrize("layout, cells, cell, stated, expected", [
    ("central", {"F15": 10, "G15": 10}, "F18", Decimal(95), Decimal(100)),
    ("chongqing", {"H10": 25, "I10": 21}, "A1", Decimal(105), Decimal(100)),
])
def test_bk704_weights_that_do_not_add_to_100_are_an_error(tmp_path, layout, cells, cell, stated, expected):
    findings = selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)}))
    found = next(f for f in findings if f.rule == "BK704" and f.item == "分值合计")
    assert (found.ref.cell, found.stated, found.expected) == (cell, stated, expected)


@pytest.mark.parametrize("parts, reported", [
    ({"E5": 10, "G5": 10, "F16": 110}, [("贵州", "E5", 10)]),
    ({"E5": 10, "G5": 10, "E6": 10, "G6": 10}, []),
])
def test_bk704_level_weight_and_subrow_weight_are_checked(tmp_path, parts, reported):
    """A part's 分值 is an error where the 分值合计 counts it again (110); 贵州's template prints 分值 10 on its
    parts' rows and counts it once (100: audit22, two false errors on every such form)."""
    central = patched(central_project(), F15=10, F16=35)
    guizhou = patched(guizhou_department(), **parts)
    findings = selfeval_findings(run_forms(tmp_path, {"中央": central, "贵州": guizhou}))
    level = [f for f in findings if f.rule == "BK704" and f.item == "产出指标(50分)"]
    assert [(f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in level] == [("中央", "A13", 50, 45)]
    subrow = [f for f in findings if f.rule == "BK704" and f.ref.sheet == "贵州"]
    assert [(f.ref.sheet, f.ref.cell, f.stated) for f in subrow] == reported


@pytest.mark.parametrize("layout, cells, cell, stated, expected", [
    ("central", {"G18": 97}, "G18", Decimal(97), Decimal(98)),
    ("chongqing", {"F2": 97}, "F2", Decimal(97), Decimal(100)),
])
def test_bk705_total_that_is_not_the_sum_of_scores_is_an_error(tmp_path, layout, cells, cell, stated, expected):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)})), "BK705")
    assert (found.ref.cell, found.stated, found.expected) == (cell, stated, expected)


@pytest.mark.parametrize("total, expected", [(100, None), (98, Decimal(70))])
def test_bk705_a_total_brought_back_to_100_after_dropping_an_indicator_not_applying_is_the_total(
        tmp_path, total, expected):
    """效益指标 (30 points) marked 不适用, its 得分 '/': the 总分 is 70 ÷ 70 × 100 (audit22: a false error at 100).
    A 总分 that is neither the sum nor the sum brought back to 100 is still an error."""
    form = patched(central_project(), E16="不适用", G16="/", H16="本项目不涉及建言献策，该指标不适用。", G18=total)
    found = [f for f in selfeval_findings(run_forms(tmp_path, {"表": form})) if f.rule == "BK705"]
    assert [(f.ref.cell, f.expected) for f in found] == ([] if expected is None else [("G18", expected)])


@pytest.mark.parametrize("layout, cells, cell", [
    ("central", {"G17": 12, "G18": 100}, "G17"),   # 满意度 score 12 above its weight 10
    ("sichuan", {"I13": 35, "I17": 100.5}, "I13"),
])
def test_bk705_score_above_its_weight_is_an_error(tmp_path, layout, cells, cell):
    findings = selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)}))
    found = next(f for f in findings if f.rule == "BK705")
    assert (found.ref.cell, "超过了分值" in found.message) == (cell, True)


@pytest.mark.parametrize("layout, cells, cell, expected", [
    ("guizhou", {"G11": 15, "G16": 100}, "G11", Decimal("12.786")),  # 4262 ÷ 5000 × 15
    ("sichuan", {"I15": 29, "I17": 97.5}, "I15", Decimal(27)),       # 81 ÷ 90 × 30
])
def test_bk706_missed_target_scored_off_the_formula_is_an_error(tmp_path, layout, cells, cell, expected):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)}, True)), "BK706")
    assert (found.ref.cell, found.expected, found.severity) == (cell, expected, Severity.ERROR)


def test_bk706_reverse_indicator_scores_target_over_actual(tmp_path):
    sheet = patched(sichuan_project(), A16="成本指标", C16="人均培训成本", D16="≤", E16=500, F16="元", G16=625,
                    I16=8, J16="物价上涨", I17=93.5)
    findings = selfeval_findings(run_forms(tmp_path, {"表": sheet}))
    assert [f.rule for f in findings] == []  # 500 ÷ 625 × 10 = 8
    sheet = patched(sheet, I16=10, I17=95.5)
    found = only(selfeval_findings(run_forms(tmp_path / "again", {"表": sheet})), "BK706")
    assert (found.ref.cell, found.expected) == ("I16", Decimal(8))


@pytest.mark.parametrize("layout, cells, cell", [
    ("central", {"H16": None}, "H16"),
    ("guizhou", {"H11": None}, "H11"),
])
def test_bk707_missed_target_without_a_reason_is_a_warning(tmp_path, layout, cells, cell):
    findings = selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)}, True))
    found = only(findings, "BK707")
    assert (found.ref.cell, found.severity) == (cell, Severity.WARNING)


def test_bk707_rate_below_90_percent_without_a_reason_is_a_warning(tmp_path):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(sichuan_project(), I7=None)})), "BK707")
    assert (found.ref.cell, "85.00% 低于 90%" in found.message) == ("F7", True)


def test_a_label_printed_with_its_colon_is_named_once_with_the_messages_colon(tmp_path):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(central_project(), B6="年度资金总额：",
                                                                       G6="90.00%")})), "BK702")
    assert found.message.startswith("年度资金总额：执行率") and "：：" not in found.message


@pytest.mark.parametrize("executed, rate, said", [(12.47, 0.4988, "50%"), (22.125, 0.885, "89%"), (22.49, 0.8996, None)])
def test_bk707_judges_and_names_the_rate_as_the_form_shows_it(tmp_path, executed, rate, said):
    """A rate typed as a fraction and shown "0%": 0.4988 is 50%, 0.885 is 89% (rounded half up, as Excel shows it),
    and 0.8996 is 90%, which is not below 90% for the reviewer holding the form."""
    form = patched(central_project(), E6=executed, E7=executed, G6=rate, G7=None, H6=round(rate * 10, 2),
                   G18=88 + round(rate * 10, 2))
    book = write_workbook(tmp_path / "区科协2022年绩效自评表.xlsx", {"表": form})
    workbook = openpyxl.load_workbook(book)
    workbook["表"]["G6"].number_format = "0%"
    workbook.save(book)
    found = [f.message for f in selfeval_findings(pipeline.run(tmp_path)) if f.rule == "BK707"]
    assert found == ([] if said is None else [f"年度资金总额：预算执行率 {said} 低于 90%，但没有填写偏差原因分析及改进措施。"])


def test_bk707_a_rate_explained_in_the_forms_own_prose_is_explained(tmp_path):
    """The central template has no 原因 cell for its 执行率: staff give the cause under 实际完成情况 (audit22: a warning
    no central form below 90% could clear). Without the cause, the warning stands."""
    low = dict(E6=21.25, E7=21.25, G6="85.00%", G7="85.00%", H6=8.5, G18=96.5)
    explained = patched(central_project(), F11="已完成；预算执行率85.00%，主要原因是部分活动延至次年，资金未支付。", **low)
    assert [f.rule for f in selfeval_findings(run_forms(tmp_path, {"表": explained})) if f.rule == "BK707"] == []
    found = only(selfeval_findings(run_forms(tmp_path / "unexplained", {"表": patched(central_project(), **low)})),
                 "BK707")
    assert (found.ref.cell, "85.00% 低于 90%" in found.message) == ("G6", True)
    # another indicator's 偏差原因 speaking of 执行 is no cause of the money's 执行率 (review of this sitting)
    indicator = patched(central_project(), H16="由于部分建议仍在论证，尚未执行，下一步跟踪采纳情况", **low)
    assert only(selfeval_findings(run_forms(tmp_path / "indicator", {"表": indicator})), "BK707").ref.cell == "G6"


def test_bk707_a_form_printing_no_cause_column_is_not_asked_for_causes(tmp_path):
    """重庆's indicator block (指标名称 … 指标得分, 是否核心指标) prints no 偏差原因 column: the causes go in the report."""
    rows, merges = central_project()
    rows = [row[:7] if index >= 11 else row for index, row in enumerate(rows)]  # 偏差原因分析及改进措施 dropped
    assert [f.rule for f in selfeval_findings(run_forms(tmp_path, {"表": (rows, merges)})) if f.rule == "BK707"] == []
    found = only(selfeval_findings(run_forms(tmp_path / "asked", {"表": patched(central_project(), H16=None)})),
                 "BK707")
    assert found.ref.cell == "H16"


def spent(executed: float, basic: float) -> tuple[list, list]:
    """The 贵州 form with another 全年执行数, consistent in itself (rate, rate score, 总分)."""
    rate = Decimal(str(executed)) / Decimal("163.68")
    score = (min(rate, Decimal(1)) * 10).quantize(Decimal("0.01"))
    return patched(guizhou_department(executed=executed), D5=basic, F4=f"{rate * 100:.2f}%", G4=float(score),
                   G16=float(score + Decimal("87.79")))


def test_bk708_executed_money_unlike_the_accounts_is_a_warning_naming_both_cells(tmp_path):
    findings = selfeval_findings(run_forms(tmp_path, {"贵州": spent(160.00, 130.00)}, with_accounts=True))
    assert [(f.rule, f.ref.cell) for f in findings] == [("BK708", "D4"), ("BK708", "D5")]
    found = findings[0]
    assert (found.severity, found.ref.sheet, found.ref.cell) == (Severity.WARNING, "贵州", "D4")
    assert (found.stated, found.expected, found.difference) == (Decimal("160.00"), Decimal("163.68"),
                                                                Decimal("-3.68"))
    assert [(r.file, r.sheet, r.cell) for r in found.related] == [
        ("区科协2022年部门决算.xlsx", "收入支出决算总表", "D29")]
    assert "口径：全部资金（本年支出合计）" in found.message and "口径不一致" in found.message


def test_bk708_basic_and_project_lines_are_held_against_the_expenditure_table(tmp_path):
    sheet = patched(guizhou_department(), D5=130.68, D6=33.00)
    findings = selfeval_findings(run_forms(tmp_path, {"贵州": sheet}, with_accounts=True))
    assert [(f.rule, f.ref.cell, f.related[0].sheet, f.related[0].cell) for f in findings] == [
        ("BK708", "D5", "支出决算表", "D5"), ("BK708", "D6", "支出决算表", "E5")]


def test_bk708_fiscal_scope_without_a_fiscal_table_is_said_in_coverage(tmp_path):
    sheet = patched(spent(160.00, 130.00), A3="财政拨款资金（万元）")
    result = run_forms(tmp_path, {"贵州": sheet}, with_accounts=True)
    assert selfeval_findings(result) == []
    notes = next(c.notes for c in result.coverage if c.rule.code == "BK708")
    assert any("未比对" in n and "财政拨款" in n for n in notes)


@pytest.mark.parametrize("layout, cells, cell", [
    ("central", {"F19": "良"}, "F19"),
    ("sichuan", {"B18": "良好"}, "B18"),
])
def test_bk709_grade_unlike_the_score_band_is_an_error(tmp_path, layout, cells, cell):
    found = only(selfeval_findings(run_forms(tmp_path, {"表": patched(LAYOUTS[layout](), **cells)})), "BK709")
    assert (found.ref.cell, "对应等级“优”" in found.message) == (cell, True)


def test_bk709_bands_come_from_budgetkit_toml(tmp_path):
    (tmp_path / "budgetkit.toml").write_text('[selfeval]\nbands = { "优" = 99, "良" = 80, "中" = 60 }\n',
                                             encoding="utf-8")
    found = only(selfeval_findings(run_forms(tmp_path, {"表": central_project()})), "BK709")
    assert (found.ref.cell, "对应等级“良”" in found.message, "优 ≥ 99" in found.message) == ("F19", True, True)


def test_grade_bands_in_config_must_fall_from_high_to_low():
    with pytest.raises(Exception, match="从高到低"):
        parse_config('[selfeval]\nbands = { "优" = 60, "良" = 80 }\n', Path("budgetkit.toml"))


# --- The report text ---------------------------------------------------------------------------

SEED_SENTENCE = ("2022年区科协其他运转类项目共两个，其中科普活动运转经费项目执行自评分为 98 分，"
                 "老科协经费项目执行自评为 98 分。")


def _text(folder: Path, sentence: str) -> None:
    (folder / "区科协2022年整体绩效自评报告.txt").write_text(f"（二）其他运转类项目绩效分析。\n{sentence}\n",
                                                           encoding="utf-8")


def test_bk710_the_seed_sentence_agrees_with_the_sample_forms(tmp_path):
    shutil.copy(SAMPLE_FORMS, tmp_path)
    _text(tmp_path, SEED_SENTENCE)
    result = pipeline.run(tmp_path)
    assert selfeval_findings(result) == []
    assert next(c for c in result.coverage if c.rule.code == "BK710").ran


def test_bk710_a_score_or_grade_the_forms_do_not_give_is_an_error(tmp_path):
    shutil.copy(SAMPLE_FORMS, tmp_path)
    _text(tmp_path, SEED_SENTENCE.replace("老科协经费项目执行自评为 98 分", "老科协经费项目自评得分95分，等级为良"))
    findings = selfeval_findings(pipeline.run(tmp_path))
    assert [(f.rule, f.ref.cell, f.item, f.stated, f.expected) for f in findings] == [
        ("BK710", "第2段", "老科协经费", Decimal(95), Decimal(98)),
        ("BK710", "第2段", "老科协经费", None, None)]
    assert "老科协经费!G18" in findings[0].message and "“良”" in findings[1].message


@pytest.mark.parametrize("sentence, expected", [
    ("科普活动运转经费项目、老科协经费项目的自评得分分别为98分、98分。", []),
    ("科普活动运转经费项目、老科协经费项目的自评得分分别为98分、95分。", [("老科协经费", Decimal(95), Decimal(98))]),
    ("部门整体支出绩效自评综合得分97.79分，自评等级为“优秀”。", []),
    ("部门整体支出绩效自评综合得分97.00分，自评等级为“优秀”。", [(DEPARTMENT, Decimal(97), Decimal("97.79"))]),
    ("科普活动运转经费项目自评总分100分，实际得分98分。", []),  # 自评总分 may be the full marks: not read
])
def test_bk710_scores_given_in_turn_and_a_combined_score_are_held_to_the_forms(tmp_path, sentence, expected):
    """"…分别为X分、Y分" and "自评综合得分X分" were not read (audit22: two planted scores unseen)."""
    shutil.copy(SAMPLE_FORMS, tmp_path)
    _text(tmp_path, sentence)
    findings = selfeval_findings(pipeline.run(tmp_path))
    assert [(f.item, f.stated, f.expected) for f in findings] == expected


# --- The 报告用表 -------------------------------------------------------------------------------

def test_the_sample_summary_shows_a_self_evaluation_score_table(tmp_path):
    out = tmp_path / "summary.xlsx"
    write_summary(pipeline.run(REPO / "workbooks"), out)
    sheet = openpyxl.load_workbook(out)["报告用表"]
    rows = [row[:4] for row in sheet.iter_rows(values_only=True)]
    start = rows.index(("表5 自评得分", None, None, None))
    assert rows[start + 1:start + 6] == [
        (None, None, None, "单位：分"),
        ("项目", "分值", "得分", "等级"),
        ("部门整体支出", 100, 97.79, "优"),
        ("科普活动运转经费", 100, 98, "优"),
        ("老科协经费", 100, 98, "优")]


def test_bk710_the_department_form_is_named_by_its_whole_spending(tmp_path):
    shutil.copy(SAMPLE_FORMS, tmp_path)
    _text(tmp_path, "部门整体支出绩效自评得分97.79分，评价等级为“优”。")
    assert selfeval_findings(pipeline.run(tmp_path)) == []
    _text(tmp_path, "部门整体支出绩效自评得分95分，评价等级为“优”。")
    found = only(selfeval_findings(pipeline.run(tmp_path)), "BK710")
    assert (found.item, found.stated, found.expected) == (DEPARTMENT, Decimal(95), Decimal("97.79"))


def test_the_word_report_carries_the_self_evaluation_scores_of_the_samples(tmp_path):
    import docx

    from budgetkit.report.docx_report import write_docx
    from budgetkit.report.figures import build_report

    result = pipeline.run(REPO / "workbooks")
    write_docx(build_report(result), tmp_path / "报告.docx")
    document = docx.Document(str(tmp_path / "报告.docx"))
    captions = [p.text for p in document.paragraphs if "自评得分" in p.text]
    rows = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert captions == ["表5 自评得分"]
    assert rows[0] == ["项目", "分值", "得分", "等级"]
    assert rows[-2:] == [["科普活动运转经费", "100", "98", "优"], ["老科协经费", "100", "98", "优"]]


@pytest.mark.parametrize("number_format, expected", [
    ("0.00", [("BK703", Severity.ERROR, "H6", Decimal(10), Decimal("9.9"))]),  # printed 10.00: 0.10 over 99% × 10
    (None, []),  # General: a whole 10 may be 9.9 rounded to whole points
])
def test_bk703_a_whole_score_is_held_to_the_digits_its_format_shows(tmp_path, number_format, expected):
    form = patched(central_project(), E6=24.75, E7=24.75, G6="99.00%")
    write_workbook(tmp_path / "区科协2022年绩效自评表.xlsx", {"表": form}, number_format=number_format)
    found = [f for f in selfeval_findings(pipeline.run(tmp_path)) if f.rule == "BK703"]
    assert [(f.rule, f.severity, f.ref.cell, f.stated, f.expected) for f in found if f.severity != Severity.INFO] \
        == expected


@pytest.mark.parametrize("rate_format, expected", [
    ("0%", []),  # shown 96%: 23.98 ÷ 25 = 95.92% rounds to it
    ("0.00%", [("BK702", Severity.ERROR, "G6", Decimal("96.00"), Decimal("95.92"))]),  # shown 96.00%
])
def test_bk702_a_rate_typed_as_a_fraction_is_held_to_the_digits_its_format_shows(tmp_path, rate_format, expected):
    form = patched(central_project(), E6=23.98, E7=23.98, G6=0.96, G7=None, H6=9.59, G18=97.59)
    book = write_workbook(tmp_path / "区科协2022年绩效自评表.xlsx", {"表": form})
    workbook = openpyxl.load_workbook(book)
    workbook["表"]["G6"].number_format = rate_format
    workbook.save(book)
    found = [f for f in selfeval_findings(pipeline.run(tmp_path)) if f.severity != Severity.INFO]
    assert [(f.rule, f.severity, f.ref.cell, f.stated, f.expected) for f in found] == expected


def test_a_low_rate_under_a_percent_heading_below_two_is_a_percentage_not_a_fraction(tmp_path):
    """执行率（%） 1.50 beside 7.80 ÷ 520.00: 1.50%, not 150% (read as 150%, BK702 and BK703 were errors).
    Only the rate's missing reason is reported (BK707)."""
    form = patched(central_project(), C6=520, D6=520, E6=7.8, C7=520, D7=520, E7=7.8, G5="执行率（%）", G6=1.5,
                   G7=1.5, H6=0.15, G18=88.15, F19="良")
    found = [f for f in selfeval_findings(run_forms(tmp_path, {"表": form})) if f.severity != Severity.INFO]
    assert [(f.rule, f.severity, f.ref.cell) for f in found] == [("BK707", Severity.WARNING, "G6")]
    assert "1.50%" in found[0].message


# --- Layouts of other provinces' forms (audit 14) ------------------------------------------------

def _loud(result) -> list[tuple[str, str, str]]:
    return [(f.rule, f.ref.sheet, f.ref.cell) for f in selfeval_findings(result) if f.severity != Severity.INFO]


def weight_in_heading(score: object = 10) -> tuple[list, list]:
    """The central form with its 资金 block titled '项目资金（万元）（10分）' and its 分值 cells left blank."""
    rows, merges = central_project()
    rows = [list(row) for row in rows]
    rows[4][0] = "项目资金（万元）（10分）"
    rows[5][5] = None
    rows[5][7] = score
    return rows, merges


@pytest.mark.parametrize(("score", "expected"), [(10, []), (8, [("BK703", "表", "H6"), ("BK705", "表", "G18")])])
def test_the_rates_points_stated_in_the_fund_blocks_heading_count(tmp_path, score, expected):
    """Sichuan: '预算执行情况（万元）（10分）' and no 分值 on the 资金 lines. The 10 points went uncounted
    (a false BK704: 90 against 100) and the 执行率's score unchecked (8 of 10 at 100%; 总分 98 then no sum)."""
    assert _loud(run_forms(tmp_path, {"表": weight_in_heading(score)})) == expected


def lettered(rate: object = "100.00%", ratio: str = "C/B", lettered_row: bool = False) -> tuple[list, list]:
    """The central form with its budgets lettered 年初预算数（A）| 全年预算数（B）| 全年执行数（C）, the 执行率
    heading naming its ratio; or, with ``lettered_row``, the letters alone on a second header row."""
    rows, merges = central_project()
    rows = [list(row) for row in rows]
    rows[5][2] = 20  # 年初预算数 20, 全年预算数 25: the two denominators differ
    rows[6][2] = 20
    rows[5][6] = rows[6][6] = rate
    if lettered_row:
        rows[4][2:7] = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率"]
        rows.insert(5, [None, None, None, "（A）", "（B）", None, "（B/A）"])
        merges = ["A5:A10" if m == "A5:A9" else _shift(m, 1) if int(m.split(":")[0][1:]) > 9 else m for m in merges]
    else:
        rows[4][2:7] = ["年初预算数（A）", "全年预算数（B）", "全年执行数（C）", "分值", f"执行率（{ratio}）"]
    return rows, merges


@pytest.mark.parametrize(("rate", "expected"), [("100.00%", []), ("125.00%", [("BK702", "表", "G6"), ("BK702", "表", "G7")])])
def test_the_ratio_a_rate_heading_names_picks_its_denominator(tmp_path, rate, expected):
    """执行率（C/B）beside 年初预算数（A）: B is the 全年预算数. The column lettered A was taken for the
    denominator (a false BK702: 25 ÷ 20 = 125%)."""
    assert [f for f in _loud(run_forms(tmp_path, {"表": lettered(rate)})) if f[0] == "BK702"] == expected


@pytest.mark.parametrize(("rate", "expected"), [("100.00%", []), ("96.00%", [("BK702", "表", "G7"), ("BK702", "表", "G8")])])
def test_letters_alone_on_a_second_header_row_are_part_of_the_header(tmp_path, rate, expected):
    """'（A）|（B）|（B/A）' under the headings: read as a line, it ended the 资金 block unread (false BK704
    and BK705: the 10 points and the 执行率's score missing), and a wrong rate went unseen."""
    assert [f for f in _loud(run_forms(tmp_path, {"表": lettered(rate, lettered_row=True)}))
            if f[0] in ("BK702", "BK704", "BK705")] == expected


def total_in_merged_column(total: object = 98) -> tuple[list, list]:
    """The central form whose last 一级指标 is merged down through the form's last line, '合计' (not 总分)."""
    rows, merges = central_project()
    rows = [list(row) for row in rows]
    rows[17] = [None, "合计", None, None, None, 100, total, None]
    merges = [m for m in merges if m != "A18:E18"] + ["A17:A18", "B18:E18"]
    return rows, merges


@pytest.mark.parametrize(("total", "expected"), [(98, []), (97, [("BK705", "表", "G18")])])
def test_a_total_line_under_a_merged_indicator_column_is_the_total(tmp_path, total, expected):
    """'合计' under a 一级指标 merged down to it was read as one more indicator (a false BK704: 200 points)."""
    assert _loud(run_forms(tmp_path, {"表": total_in_merged_column(total)})) == expected


def side_headings() -> tuple[list, list]:
    """The 贵州 form's two breakdowns with their 按收入性质分 / 按支出性质分 headings merged down a column of
    their own, beside the parts' labels (Hubei)."""
    rows, merges = two_breakdowns(headed=False)
    rows = [[row[0], None, *row[1:]] if 4 <= n <= 7 else [row[0], *row[1:2], None, *row[2:]] if n < 4 or n > 7
            else row for n, row in enumerate([list(r) for r in rows])]
    rows[4][1], rows[6][1] = "按收入性质分", "按支出性质分"
    for row in rows[4:8]:  # no 其中 to start the second breakdown: only its heading does
        row[2] = row[2].removeprefix("其中：")
    return rows, merges


def test_breakdown_headings_merged_down_a_side_column_start_their_breakdowns(tmp_path):
    """Before, the four parts were one breakdown: a false BK701 (the total against twice itself)."""
    rows, merges = side_headings()
    result = run_forms(tmp_path, {"表": (rows, merges + ["B5:B6", "B7:B8"])})
    (form,) = [t for t in result.tables if t.kind.name.endswith("SELF_EVAL")]
    assert [(line.label, line.breakdown) for line in form.funds] == [
        ("年度资金总额", 0), ("财政拨款", 1), ("其他资金", 1), ("基本支出", 2), ("项目支出", 2)]
    assert [f for f in _loud(result) if f[0] == "BK701"] == []


@pytest.mark.parametrize(("grade", "expected"), [("优（90分及以上）", []), ("良（80-89分）", [("BK709", "表", "F19")]),
                                                 ("优☑ 良□ 中□ 差□", []), ("优□ 良☑ 中□ 差□", [("BK709", "表", "F19")])])
def test_a_grade_written_with_its_band_or_ticked_is_read(tmp_path, grade, expected):
    """A 等级 written '良（80-89分）' or ticked among the choices was read as no grade: a wrong one went unseen."""
    assert _loud(run_forms(tmp_path, {"表": patched(central_project(), F19=grade)})) == expected


def test_whole_figures_typed_as_numbers_are_quoted_as_printed(tmp_path):
    """指标值 20 and 完成值 18 typed as numbers (read as floats) were quoted '20.0' and '18.0'."""
    form = patched(central_project(), D13=20.0, E13=18.0, H13="场次减少")
    finding = only(selfeval_findings(run_forms(tmp_path, {"表": form})), "BK706")
    assert finding.message.startswith("开展科普活动场次：指标值 20，完成值 18，分值 20，")


def projects_under_one_title(second_total: object = 98) -> tuple[list, list]:
    """The central form twice under one title: the second project begins at its own 项目名称 row."""
    rows, merges = central_project()
    second = [list(row) for row in rows[2:]]
    second[0][1] = "青少年科技创新大赛经费"
    second[15][6] = second_total  # its 总分 row
    offset = len(rows) - 2
    shifted = [_shift(m, offset) for m in merges if int(m.split(":")[0][1:]) > 2]
    return [*rows, *second], [*merges, *shifted]


@pytest.mark.parametrize(("second_total", "expected"), [(98, []), (97, [("BK705", "表", "G35")])])
def test_several_projects_under_one_title_are_each_a_form(tmp_path, second_total, expected):
    """One '项目支出绩效自评表' title over two projects: only the first was read, and an error in the
    second went unseen."""
    result = run_forms(tmp_path, {"表": projects_under_one_title(second_total)})
    forms = [t for t in result.tables if t.kind.name == "PROJECT_SELF_EVAL"]
    assert [(f.project, f.anchor) for f in forms] == [("科普活动运转经费", "A1"), ("青少年科技创新大赛经费", "A20")]
    assert _loud(result) == expected
