"""Budget tables whose columns split a group into its parts (Sichuan, Guizhou templates):
基本支出 as 人员经费 | 公用经费 (or by 经济分类 类), with or without its own 小计. The parts are
read under their own names, a part of a part is never added into the row's 合计 beside its
group's printed total, and where 基本支出 is printed only as its parts, the comparisons that
need it use their sum. (The 收入总表's fund split and the plain split layouts are crossed by
the layout corpus: trait ``budget_groups``.)"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from layout_corpus import Traits, accounts_for, render_disclosure
from layout_corpus.accounts import FUNCTION_NAMES
from layout_corpus.rendering import printed
from workbook_builder import write_workbook

from budgetkit.model import RunResult, Severity, TableKind
from budgetkit.pipeline import run

BUDGET = accounts_for("预算")
GENERAL = "一般公共预算支出功能分类预算表"
SPENDING = "支出预算总表"
LOUD = (Severity.ERROR, Severity.WARNING)


def _codes() -> list[str]:
    return sorted({part for item in BUDGET.items for part in (item.code[:3], item.code[:5], item.code)})


def _body(measures: list) -> list[list[object]]:
    """The 合计 row, then every code's figures in 万元 (parents first), as the corpus prints them."""
    by_code = [BUDGET.by_code(m) for m in measures]
    rows = [["合计", None] + [figure(BUDGET.total(m)) for m in measures]]
    return rows + [[code, FUNCTION_NAMES[code]] + [figure(b.get(code, 0)) for b in by_code] for code in _codes()]


def figure(fen: int) -> float | None:
    """A figure in 万元 as the corpus prints it; a zero left blank."""
    return float(printed(fen, "万元")) if fen else None


def _disclosure(folder: Path, sheet: str, title: str, header: list[list[object]], header_merges: list[str],
                body: list[list[object]]) -> Path:
    """The corpus's clean 预算 workbook with one sheet replaced by ``header`` over ``body``."""
    rendering = render_disclosure(Traits(), "预算")
    (name, sheets), = rendering.files.items()
    width = len(header[0])
    last = chr(ord("A") + width - 1)
    top = [[title] + [None] * (width - 1), ["编制部门：某区农业农村委员会"] + [None] * (width - 2) + ["单位：万元"]]
    total_row = len(top) + len(header) + 1
    merges = [f"A1:{last}1", f"A2:{chr(ord(last) - 1)}2", *header_merges, f"A{total_row}:B{total_row}"]
    sheets = {**sheets, sheet: (top + header + body, merges)}
    return write_workbook(folder / name, sheets).parent


def _loud(result: RunResult) -> list[tuple[str, str, str, str]]:
    return [(f.rule, f.ref.sheet, f.ref.cell, f.message) for f in result.findings if f.severity in LOUD]


def _row_of(body: list[list[object]], code: str, header_rows: int) -> int:
    return 2 + header_rows + next(k for k, row in enumerate(body) if row[0] == code) + 1


GUIZHOU_HEADER = [["功能分类科目编码", "科目名称", "合计", "基本支出", None, None, None, None, "项目支出"],
                  [None, None, None, "小计", "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出", None]]
GUIZHOU_MERGES = ["A3:A4", "B3:B4", "C3:C4", "D3:H3", "I3:I4"]


def _guizhou_body() -> list[list[object]]:
    # The accounts split 基本支出 only into 人员经费 | 公用经费: here 工资福利 and 商品和服务.
    return _body([lambda i: i.gp_total, lambda i: i.gp_basic, lambda i: i.personnel, lambda i: i.public,
                  lambda i: 0, lambda i: 0, lambda i: i.gp_project])


def test_basic_split_by_economic_class_under_its_subtotal_is_quiet_and_read_as_parts_of_basic(tmp_path):
    result = run(_disclosure(tmp_path, GENERAL, "2025年部门一般公共预算支出功能分类预算表", GUIZHOU_HEADER,
                             GUIZHOU_MERGES, _guizhou_body()), jobs=1)
    assert _loud(result) == []
    general = next(t for t in result.tables if t.kind == TableKind.BUDGET_GP_EXPENDITURE)
    assert list(general.columns) == ["total", "basic", "basic.工资福利支出", "basic.商品和服务支出",
                                     "basic.对个人和家庭的补助", "basic.资本性支出", "project"]
    assert general.groups == {"basic": ("basic.工资福利支出", "basic.商品和服务支出", "basic.对个人和家庭的补助",
                                        "basic.资本性支出")}
    total = general.total_row().values
    assert (total["total"].ref.cell, total["total"].amount) == ("C5", Decimal("3611.89"))
    assert (total["basic"].ref.cell, total["basic"].amount) == ("D5", Decimal("2101.89"))
    assert (total["basic.商品和服务支出"].ref.cell, total["basic.商品和服务支出"].amount) == ("F5", Decimal("175.65"))


def test_a_part_that_differs_from_its_groups_subtotal_is_an_error_at_the_subtotal(tmp_path):
    body = _guizhou_body()
    r = _row_of(body, "2130101", len(GUIZHOU_HEADER))
    body[r - 5][5] = round(body[r - 5][5] + 5, 2)  # 商品和服务支出 +5.00; 小计 and 合计 unchanged
    result = run(_disclosure(tmp_path, GENERAL, "2025年部门一般公共预算支出功能分类预算表", GUIZHOU_HEADER,
                             GUIZHOU_MERGES, body), jobs=1)
    row_sums = [f for f in result.findings if f.rule == "BK101" and f.severity == Severity.ERROR]
    assert [(f.severity, f.ref.cell, f.stated, f.expected) for f in row_sums] == [
        (Severity.ERROR, f"D{r}", Decimal("1184.43"), Decimal("1189.42"))]
    assert "“基本支出/小计”填报 1,184.43" in row_sums[0].message


SPLIT_HEADER = [["项目", None, "支出预算", None, None, None],
                ["功能分类科目编码", "科目名称", "合计", "基本支出", None, "项目支出"],
                [None, None, None, "人员经费", "公用经费", None]]
SPLIT_MERGES = ["A3:B3", "C3:F3", "A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5"]


def _split_body() -> list[list[object]]:
    return _body([lambda i: i.total, lambda i: i.personnel, lambda i: i.public, lambda i: i.project])


def test_expenditure_table_with_basic_split_and_no_subtotal_adds_the_parts_into_the_total(tmp_path):
    result = run(_disclosure(tmp_path, SPENDING, "2025年部门支出总表", SPLIT_HEADER, SPLIT_MERGES, _split_body()),
                 jobs=1)
    assert _loud(result) == []
    spending = next(t for t in result.tables if t.kind == TableKind.BUDGET_EXPENDITURE)
    assert spending.groups == {"basic": ("personnel", "public")}
    total = spending.total_row().values
    assert [(m, total[m].ref.cell, total[m].amount) for m in ("total", "personnel", "public", "project")] == [
        ("total", "C6", Decimal("4597.89")), ("personnel", "D6", Decimal("1926.24")),
        ("public", "E6", Decimal("175.65")), ("project", "F6", Decimal("2496.00"))]


def test_a_public_cost_off_by_five_without_a_subtotal_is_an_error_at_the_rows_total(tmp_path):
    body = _split_body()
    r = _row_of(body, "2130101", len(SPLIT_HEADER))
    body[r - 6][3] = round(body[r - 6][3] + 5, 2)
    result = run(_disclosure(tmp_path, SPENDING, "2025年部门支出总表", SPLIT_HEADER, SPLIT_MERGES, body), jobs=1)
    row_sums = [f for f in result.findings if f.rule == "BK101" and f.severity == Severity.ERROR]
    assert [(f.severity, f.ref.cell, f.stated, f.expected) for f in row_sums] == [
        (Severity.ERROR, f"C{r}", Decimal("1194.43"), Decimal("1199.42"))]


FLAT_HEADER = [["功能分类科目编码", "科目名称", "合计", "人员经费", "公用经费", "项目支出"]]


def _flat_general(folder: Path) -> Path:
    body = _body([lambda i: i.gp_total, lambda i: i.personnel, lambda i: i.public, lambda i: i.gp_project])
    return _disclosure(folder, GENERAL, "2025年部门一般公共预算支出功能分类预算表", FLAT_HEADER, [], body)


def test_basic_printed_only_as_personnel_and_public_is_their_sum_against_the_basic_table(tmp_path):
    clean = run(_flat_general(tmp_path / "clean"), jobs=1)
    assert _loud(clean) == []
    basic = next(t for t in clean.tables if t.kind == TableKind.BUDGET_BASIC)
    total = basic.total_row().values["total"]
    assert total.amount == Decimal("2101.89")

    folder = _flat_general(tmp_path / "planted")
    (book,) = folder.glob("*.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook[total.ref.sheet][total.ref.cell] = 2111.89
    workbook.save(book)
    findings = [f for f in run(folder, jobs=1).findings if f.rule == "BK218" and f.severity == Severity.ERROR]
    assert [(f.severity, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in findings] == [
        (Severity.ERROR, total.ref.sheet, total.ref.cell, Decimal("2111.89"), Decimal("2101.89"))]


# -- a 收入总表 with a 财政专户管理资金收入 column; a 基本支出表 with its one 预算数 column ------------

def _income_table(folder: Path, special: float, total_2080505: float) -> Path:
    """部门收入总表: 合计 | 一般公共预算拨款收入 | 财政专户管理资金收入 | 事业收入, one line per level."""
    rows = [["部门收入总表", None, None, None, None, None], ["编制部门：测试局", None, None, None, None, "单位：万元"],
            ["科目编码", "科目名称", "合计", "一般公共预算拨款收入", "财政专户管理资金收入", "事业收入"],
            ["合计", None, 30.15 + special, 20.15, special, 10.0],
            ["208", "社会保障和就业支出", 30.15 + special, 20.15, special, 10.0],
            ["20805", "行政事业单位养老支出", 30.15 + special, 20.15, special, 10.0],
            ["2080505", "机关事业单位基本养老保险缴费支出", total_2080505, 20.15, special, 10.0]]
    write_workbook(folder / "测试局2025年部门预算.xlsx", {"收入总表": (rows, ["A1:F1", "A4:B4"])})
    return folder


def test_a_special_account_income_column_is_one_of_the_sources_the_total_adds_up(tmp_path):
    result = run(_income_table(tmp_path, special=5.0, total_2080505=35.15))
    (table,) = result.tables
    assert table.columns["special_account"] == "财政专户管理资金收入"
    assert [f for f in result.findings if f.severity in LOUD] == []


def test_a_total_that_leaves_out_the_special_account_income_is_found_at_its_cell(tmp_path):
    result = run(_income_table(tmp_path, special=5.0, total_2080505=30.15))
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity in LOUD] == [
        ("BK103", "C6", Decimal("35.15"), Decimal("30.15")), ("BK101", "C7", Decimal("30.15"), Decimal("35.15"))]


def _basic_in_one_column(folder: Path, basic_total: float) -> Path:
    """一般公共预算支出表 (合计 | 基本支出 | 项目支出) and its 基本支出表 printed as one 预算数 column."""
    general = [["一般公共预算支出表", None, None, None, None], ["编制部门：测试局", None, None, None, "单位：万元"],
               ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
               ["合计", None, 30.15, 20.15, 10.0], ["208", "社会保障和就业支出", 30.15, 20.15, 10.0],
               ["20805", "行政事业单位养老支出", 30.15, 20.15, 10.0],
               ["2080505", "机关事业单位基本养老保险缴费支出", 30.15, 20.15, 10.0]]
    basic = [["一般公共预算基本支出表", None, None], ["编制部门：测试局", None, "单位：万元"],
             ["科目编码", "科目名称", "预算数"], ["合计", None, basic_total], ["301", "工资福利支出", basic_total],
             ["30108", "机关事业单位基本养老保险缴费", basic_total]]
    write_workbook(folder / "测试局2025年部门预算.xlsx",
                   {"一般公共预算支出表": (general, ["A1:E1", "A4:B4"]), "基本支出表": (basic, ["A1:C1", "A4:B4"])})
    return folder


def test_a_basic_table_of_one_column_is_compared_as_the_basic_spending_not_the_whole(tmp_path):
    """Its one 预算数 column is its 基本支出 (20.15), as a 合计 column would be, never the 本年支出 (30.15)."""
    assert [f for f in run(_basic_in_one_column(tmp_path, 20.15)).findings if f.severity in LOUD] == []


def test_a_basic_table_of_one_column_that_differs_from_the_basic_spending_is_found(tmp_path):
    found = [f for f in run(_basic_in_one_column(tmp_path, 21.15)).findings if f.rule == "BK218"]
    assert [(f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in found] == [
        ("一般公共预算支出表", "D4", Decimal("20.15"), Decimal("21.15"))]


def test_bk504_reads_a_one_column_basic_table_line_by_line(tmp_path):
    """30108 (21.15) against 2080505's 基本支出 (20.15): the one 预算数 column is the line's figure."""
    found = [f for f in run(_basic_in_one_column(tmp_path, 21.15)).findings if f.rule == "BK504"]
    assert [(f.ref.sheet, f.ref.cell, f.stated, f.expected, f.severity) for f in found] == [
        ("一般公共预算支出表", "D7", Decimal("20.15"), Decimal("21.15"), Severity.WARNING)]


# -- one measure printed under several groups ------------------------------------------------------

SOURCES_HEADER = [["科目编码", "科目名称", "合计", "本年收入安排", None, "上年结转安排", None],
                  [None, None, None, "基本支出", "项目支出", "基本支出", "项目支出"]]
SOURCES_MERGES = ["A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:G3"]


def _carried(item) -> int:
    """A tenth of each 项's 项目支出 paid from last year's carry-over, to the 分."""
    return item.project // 10


def _sources_body() -> list[list[object]]:
    return _body([lambda i: i.total, lambda i: i.basic, lambda i: i.project - _carried(i), lambda i: 0, _carried])


def test_a_spending_table_split_by_source_reads_each_sources_columns_apart_and_is_quiet(tmp_path):
    """本年收入安排 {基本支出 | 项目支出} | 上年结转安排 {基本支出 | 项目支出}: the 合计 is all four, so
    neither group's 项目支出 is the line's 项目支出 (taken for it, every line with a carry-over was
    reported as a BK101 error)."""
    result = run(_disclosure(tmp_path, SPENDING, "2025年部门支出总表", SOURCES_HEADER, SOURCES_MERGES,
                             _sources_body()), jobs=1)
    assert _loud(result) == []
    spending = next(t for t in result.tables if t.kind == TableKind.BUDGET_EXPENDITURE)
    assert spending.columns == {"total": "合计", "basic@本年收入安排": "本年收入安排/基本支出",
                                "project@本年收入安排": "本年收入安排/项目支出",
                                "basic@上年结转安排": "上年结转安排/基本支出",
                                "project@上年结转安排": "上年结转安排/项目支出"}
    line = next(r for r in spending.rows if r.code == "2130106").values
    assert [(line[m].ref.cell, line[m].amount) for m in ("total", "project@本年收入安排", "project@上年结转安排")] == [
        ("C22", Decimal("460.00")), ("E22", Decimal("414.00")), ("G22", Decimal("46.00"))]


def test_a_carried_part_off_by_five_is_found_against_its_sections_column(tmp_path):
    """2130106's 上年结转安排/项目支出 +5.00: its 款 21301 states 159.60 in that column, its 项 add up to 164.60.
    (Which source a 合计 is made of is not known, so no BK101: a miss, never a false alarm.)"""
    body = _sources_body()
    r = _row_of(body, "2130106", len(SOURCES_HEADER))
    body[r - 5][6] = round(body[r - 5][6] + 5, 2)
    result = run(_disclosure(tmp_path, SPENDING, "2025年部门支出总表", SOURCES_HEADER, SOURCES_MERGES, body),
                 jobs=1)
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity in LOUD] == [
        ("BK103", "G18", Decimal("159.60"), Decimal("164.60"))]


PART_OF_HEADER = [["科目编码", "科目名称", "本年支出", None, None, "其中：财政拨款", None],
                  [None, None, "合计", "基本支出", "项目支出", "基本支出", "项目支出"]]
PART_OF_MERGES = ["A3:A4", "B3:B4", "C3:E3", "F3:G3"]


def _part_of_body() -> list[list[object]]:
    return _body([lambda i: i.total, lambda i: i.basic, lambda i: i.project, lambda i: i.gp_basic,
                  lambda i: i.gp_project + i.fund_project])


def test_a_group_headed_qizhong_is_a_part_and_the_whole_groups_columns_keep_their_measures(tmp_path):
    result = run(_disclosure(tmp_path, SPENDING, "2025年部门支出总表", PART_OF_HEADER, PART_OF_MERGES,
                             _part_of_body()), jobs=1)
    assert _loud(result) == []
    spending = next(t for t in result.tables if t.kind == TableKind.BUDGET_EXPENDITURE)
    assert list(spending.columns) == ["total", "basic", "project", "basic@其中:财政拨款", "project@其中:财政拨款"]


def test_beside_a_qizhong_group_a_row_whose_total_is_off_is_still_an_error(tmp_path):
    """A guard: the whole group's 基本支出 | 项目支出 still make up the 合计 (so this passes before the change too)."""
    body = _part_of_body()
    r = _row_of(body, "2130106", len(PART_OF_HEADER))
    body[r - 5][2] = round(body[r - 5][2] + 5, 2)
    result = run(_disclosure(tmp_path, SPENDING, "2025年部门支出总表", PART_OF_HEADER, PART_OF_MERGES, body),
                 jobs=1)
    assert [(f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings
            if f.severity in LOUD] == [
        ("BK103", "C18", Decimal("3221.20"), Decimal("3226.20")), ("BK101", f"C{r}", Decimal("465.00"), Decimal("460.00"))]


def test_money_from_another_levels_finance_is_no_fiscal_income(tmp_path):
    """Yunnan's 部门收入预算表: 单位资金 {小计 | 非同级财政拨款 | 其他收入}. The 非同级财政拨款 column was read as
    this budget's 财政拨款, so every line's 合计 looked short of its columns (audit20: eight false BK101)."""
    from workbook_builder import write_workbook

    from budgetkit import pipeline

    def table(total_of_line: int) -> dict:
        rows = [["2026年部门收入预算表", None, None, None, None, None, None],
                ["部门：弥勒市自然资源局", None, None, None, None, None, "单位：元"],
                ["科目编码", "科目名称", "合计", "一般公共预算", "单位资金", None, None],
                [None, None, None, None, "小计", "非同级财政拨款", "其他收入"],
                ["220", "自然资源海洋气象等支出", 1065000, 1000000, 65000, 20000, 45000],
                ["22001", "自然资源事务", 1065000, 1000000, 65000, 20000, 45000],
                ["2200101", "行政运行", total_of_line, 1000000, 65000, 20000, 45000],
                ["合计", None, 1065000, 1000000, 65000, 20000, 45000]]
        return {"部门收入预算表": (rows, ["A1:G1", "E3:G3", "A3:A4", "B3:B4", "C3:C4", "D3:D4"])}

    write_workbook(tmp_path / "预算.xlsx", table(1065000))
    result = pipeline.run(tmp_path)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    write_workbook(tmp_path / "预算.xlsx", table(1075000))
    assert [(f.rule, f.ref.cell) for f in pipeline.run(tmp_path).findings if f.severity.value == "error"] == [
        ("BK103", "C6"), ("BK101", "C7")]


def _by_function(basic_line: int) -> dict:
    gp = [["2026年一般公共预算支出表", None, None, None, None], ["部门：某局", None, None, None, "单位：万元"],
          ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["207", "文化旅游体育与传媒支出", 300, 100, 200],
          ["20701", "文化和旅游", 300, 100, 200], ["2070101", "行政运行", 100, 100, None],
          ["2070109", "群众文化", 200, None, 200], ["合计", None, 300, 100, 200]]
    basic = [["2026年一般公共预算基本支出表", None, None, None, None], ["部门：某局", None, None, None, "单位：万元"],
             ["科目编码", "科目名称", "合计", "人员经费", "公用经费"], ["207", "文化旅游体育与传媒支出", basic_line, 90, 10],
             ["20701", "文化和旅游", basic_line, 90, 10], ["2070101", "行政运行", basic_line, 90, 10],
             ["合计", None, basic_line, 90, 10]]
    return {"一般公共预算支出表": (gp, []), "一般公共预算基本支出表": (basic, [])}


def test_a_basic_table_listed_by_function_is_held_to_the_basic_spending_of_each_line(tmp_path):
    """Hunan's and Guizhou's 一般公共预算基本支出表 lists 207 … by 功能分类 with 合计 | 人员经费 | 公用经费: its 合计
    was held to the 一般公共预算支出表's 合计 of the line (false BK218) and its codes to the 经济分类 (false BK511)."""
    from workbook_builder import write_workbook

    from budgetkit import pipeline

    write_workbook(tmp_path / "预算.xlsx", _by_function(100))
    assert [f for f in pipeline.run(tmp_path).findings if f.severity.value != "info"] == []
    write_workbook(tmp_path / "预算.xlsx", _by_function(110))
    found = {(f.rule, f.ref.sheet, f.ref.cell) for f in pipeline.run(tmp_path).findings if f.rule == "BK218"}
    assert ("BK218", "一般公共预算支出表", "D4") in found


def test_an_economic_code_printed_once_per_project_is_counted_whole(tmp_path):
    """Yunnan's basic table lists 30110 once per project: only the last line was held to 21011's counterpart
    (audit20: a false BK504 with 78,902.11 for 305,242.76)."""
    from workbook_builder import write_workbook

    from budgetkit import pipeline

    gp = [["2026年一般公共预算支出表", None, None, None, None], ["部门：某局", None, None, None, "单位：元"],
          ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["210", "卫生健康支出", 305242.76, 305242.76, None],
          ["21011", "行政事业单位医疗", 305242.76, 305242.76, None],
          ["2101101", "行政单位医疗", 305242.76, 305242.76, None], ["合计", None, 305242.76, 305242.76, None]]
    basic = [["2026年一般公共预算基本支出表", None, None], ["部门：某局", None, "单位：元"], ["科目编码", "科目名称", "合计"],
             ["30110", "职工基本医疗保险缴费", 226340.65], ["30110", "职工基本医疗保险缴费", 78902.11],
             ["合计", None, 305242.76]]
    write_workbook(tmp_path / "预算.xlsx", {"一般公共预算支出表": (gp, []), "一般公共预算基本支出表": (basic, [])})
    assert [f for f in pipeline.run(tmp_path).findings if f.rule == "BK504"] == []
