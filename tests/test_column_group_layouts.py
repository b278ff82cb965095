"""Tables by 科目编码 whose columns repeat a measure under several group headings, or print an
amount word (决算数, 预算数) under every column: 年初结转和结余 {小计 | 基本支出结转 | 项目支出结转和结余}
beside 本年支出 {合计 | 基本支出 | 项目支出}, 一般公共预算 {基本支出 | 项目支出} beside 政府性基金
{项目支出}, 上年结转 {…} beside 本年收入 {…}, a year's group beside another year's. Each layout is
read quiet when consistent, and one figure moved by 5.00 is found at the identity it breaks.
(Before, the first group's 基本支出 stood for the row's, and a stage row made every group's 小计
the row's 合计: whole tables of false BK101 errors, or planted errors read past.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl.utils import get_column_letter
from workbook_builder import write_workbook

from budgetkit.model import Severity
from budgetkit.pipeline import run

NAMES = {"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
         "2010302": "一般行政管理事务", "212": "城乡社区支出", "21208": "国有土地使用权出让收入安排的支出",
         "2120801": "征地和拆迁补偿支出"}
# Each 项's money in 分: 人员经费, 公用经费, 一般公共预算 项目支出, its part paid from last year's
# carry-over, 政府性基金 项目支出, and the 年初 and 年末 carry-overs of its 项目支出.
LEAVES = {"2010301": dict(personnel=6012345, public=1765432, project=0, carried=0, fund=0, opening=0, closing=0),
          "2010302": dict(personnel=0, public=0, project=1234567, carried=345678, fund=0, opening=476000, closing=120050),
          "2120801": dict(personnel=0, public=0, project=0, carried=0, fund=2345678, opening=0, closing=0)}
LOUD = (Severity.ERROR, Severity.WARNING)


def _header(columns: list[tuple[str, ...]], stage: str | None) -> tuple[list[list[object]], list[tuple]]:
    """Header rows over 科目编码 | 科目名称 and ``columns`` (each a path of headings), a group
    heading merged across its columns; ``stage`` printed under every amount column."""
    paths = [("科目编码",), ("科目名称",), *columns]
    depth = max(map(len, paths))
    rows = [[None] * len(paths) for _ in range(depth + (1 if stage else 0))]
    merges = []
    for c, path in enumerate(paths):
        for level, heading in enumerate(path):
            rows[level][c] = heading
        bottom = len(rows) - 1 if c < 2 else depth - 1
        if bottom > len(path) - 1:
            merges.append((len(path) - 1, c, bottom, c))
        if stage and c >= 2:
            rows[depth][c] = stage
    for level in range(depth - 1):
        c = 2
        while c < len(paths):
            end = c
            while end + 1 < len(paths) and len(paths[end + 1]) > level + 1 and len(paths[c]) > level + 1 \
                    and paths[end + 1][:level + 1] == paths[c][:level + 1]:
                end += 1
            if end > c:
                merges.append((level, c, level, end))
            c = end + 1
    return rows, merges


def _layout(folder, title: str, columns: dict[str, tuple[str, ...]], figures, stage: str | None = None,
            codes=("2010301", "2010302"), plant: tuple[str, str] | None = None) -> dict[tuple[str, str], str]:
    """One table: ``figures(leaf)`` gives each column's figure of a 项 in 分, summed up to 款, 类
    and 合计 (first); ``plant`` (code, column) moves that figure by 5.00. Returns each figure's cell."""
    header, merges = _header(list(columns.values()), stage)
    by_code: dict[str, dict[str, int]] = {}
    for code in codes:
        for part in (code[:3], code[:5], code):
            sums = by_code.setdefault(part, dict.fromkeys(columns, 0))
            for key, value in figures(LEAVES[code]).items():
                sums[key] += value
    if plant:
        by_code[plant[0]][plant[1]] += 500
    total = {key: sum(by_code[c][key] for c in by_code if len(c) == 3) for key in columns}
    body = [["合计", None, *total.values()]] + [[c, NAMES[c], *by_code[c].values()] for c in sorted(by_code)]
    top = [[title] + [None] * (len(columns) + 1), ["部门：某区司法局"] + [None] * len(columns) + ["单位：万元"]]
    first = len(top) + len(header)
    rows = top + header + [[round(v / 100, 2) if isinstance(v, int) else v for v in line] for line in body]
    a1 = [f"{get_column_letter(c0 + 1)}{r0 + 3}:{get_column_letter(c1 + 1)}{r1 + 3}" for r0, c0, r1, c1 in merges]
    width = get_column_letter(len(columns) + 2)
    write_workbook(folder / "某区司法局2025年部门预算.xlsx",
                   {"表": (rows, [f"A1:{width}1", f"A{first + 1}:B{first + 1}", *a1])})
    return {(line[0], key): f"{get_column_letter(3 + k)}{first + 1 + r}"
            for r, line in enumerate(body) for k, key in enumerate(columns)}


def _loud(folder) -> list[tuple[str, str]]:
    return [(f.rule, f.ref.cell) for f in run(folder, jobs=1).findings if f.severity in LOUD]


def _spent(leaf) -> int:
    return leaf["personnel"] + leaf["public"] + leaf["project"] + leaf["carried"]


OPENING, SPENT, CLOSING = "年初结转和结余", "本年支出", "年末结转和结余"
FINAL_FUND = {"opening": (OPENING, "小计"), "opening_basic": (OPENING, "基本支出结转"),
              "opening_project": (OPENING, "项目支出结转和结余"), "income": ("本年收入",),
              "total": (SPENT, "合计"), "basic": (SPENT, "基本支出"), "project": (SPENT, "项目支出"),
              "closing": (CLOSING, "小计"), "closing_basic": (CLOSING, "基本支出结转"),
              "closing_project": (CLOSING, "项目支出结转和结余")}


def _final_fund(leaf) -> dict[str, int]:
    spent = _spent(leaf)
    return {"opening": leaf["opening"], "opening_basic": 0, "opening_project": leaf["opening"],
            "income": spent + leaf["closing"] - leaf["opening"], "total": spent,
            "basic": leaf["personnel"] + leaf["public"], "project": leaf["project"] + leaf["carried"],
            "closing": leaf["closing"], "closing_basic": 0, "closing_project": leaf["closing"]}


FINAL_SPENDING = {"total": ("本年支出合计",), "basic": ("基本支出", "小计"), "personnel": ("基本支出", "人员经费"),
                  "public": ("基本支出", "公用经费"), "project": ("项目支出",)}


def _final_spending(leaf) -> dict[str, int]:
    basic = leaf["personnel"] + leaf["public"]
    return {"total": _spent(leaf), "basic": basic, "personnel": leaf["personnel"], "public": leaf["public"],
            "project": leaf["project"] + leaf["carried"]}


FINAL_INCOME = {"total": ("本年收入合计",), "fiscal": ("财政拨款收入", "合计"),
                "general": ("财政拨款收入", "一般公共预算财政拨款"), "fund": ("财政拨款收入", "政府性基金预算财政拨款"),
                "business": ("事业收入",)}


def _final_income(leaf) -> dict[str, int]:
    general = leaf["personnel"] + leaf["public"] + leaf["project"]
    return {"total": _spent(leaf) + leaf["fund"], "fiscal": general + leaf["fund"], "general": general,
            "fund": leaf["fund"], "business": leaf["carried"]}


BY_FUND = {"total": ("合计",), "general_basic": ("一般公共预算", "基本支出"),
           "general_project": ("一般公共预算", "项目支出"), "fund_project": ("政府性基金", "项目支出")}


def _by_fund(leaf) -> dict[str, int]:
    return {"total": _spent(leaf) + leaf["fund"], "general_basic": leaf["personnel"] + leaf["public"],
            "general_project": leaf["project"] + leaf["carried"], "fund_project": leaf["fund"]}


BY_CLASS = {"total": ("合计",), "basic": ("基本支出", "小计"), "wages": ("基本支出", "工资福利支出"),
            "goods": ("基本支出", "商品和服务支出"), "project": ("项目支出",)}


def _by_class(leaf) -> dict[str, int]:
    return {"total": _spent(leaf), "basic": leaf["personnel"] + leaf["public"], "wages": leaf["personnel"],
            "goods": leaf["public"], "project": leaf["project"] + leaf["carried"]}


CARRIED_INCOME = {"total": ("合计",), "carried": ("上年结转", "小计"), "carried_general": ("上年结转", "一般公共预算"),
                  "carried_fund": ("上年结转", "政府性基金"), "year": ("本年收入", "小计"),
                  "general": ("本年收入", "一般公共预算拨款收入"), "fund": ("本年收入", "政府性基金预算拨款收入")}


def _carried_income(leaf) -> dict[str, int]:
    general = leaf["personnel"] + leaf["public"] + leaf["project"]
    return {"total": _spent(leaf) + leaf["fund"], "carried": leaf["carried"], "carried_general": leaf["carried"],
            "carried_fund": 0, "year": general + leaf["fund"], "general": general, "fund": leaf["fund"]}


TWO_YEARS = {"before": ("2024年预算数", "合计"), "before_basic": ("2024年预算数", "基本支出"),
             "before_project": ("2024年预算数", "项目支出"), "total": ("2025年预算数", "合计"),
             "basic": ("2025年预算数", "基本支出"), "project": ("2025年预算数", "项目支出")}


def _two_years(leaf) -> dict[str, int]:
    basic, project = leaf["personnel"] + leaf["public"], leaf["project"] + leaf["carried"]
    return {"before": basic * 9 // 10 + project, "before_basic": basic * 9 // 10, "before_project": project,
            "total": basic + project, "basic": basic, "project": project}


PLANNED = {"planned": ("年初预算数", "合计"), "planned_basic": ("年初预算数", "基本支出"),
           "planned_project": ("年初预算数", "项目支出"), "total": ("决算数", "合计"), "basic": ("决算数", "基本支出"),
           "project": ("决算数", "项目支出")}


def _planned(leaf) -> dict[str, int]:
    """Each 项 budgeted a tenth above what it spent."""
    basic, project = leaf["personnel"] + leaf["public"], leaf["project"] + leaf["carried"]
    return {"planned": basic * 11 // 10 + project * 11 // 10, "planned_basic": basic * 11 // 10,
            "planned_project": project * 11 // 10, "total": basic + project, "basic": basic, "project": project}


CARRY_THREE_LEVELS = {"opening": (OPENING, "合计"), "opening_personnel": (OPENING, "基本支出", "人员经费"),
                      "opening_public": (OPENING, "基本支出", "公用经费"), "income": ("本年收入",),
                      "total": (SPENT, "合计"), "personnel": (SPENT, "基本支出", "人员经费"),
                      "public": (SPENT, "基本支出", "公用经费"), "project": (SPENT, "项目支出")}


def _carry_three_levels(leaf) -> dict[str, int]:
    """The 年初 carry-over split down to 人员经费 | 公用经费 (here all of it 人员经费), spent within the year."""
    return {"opening": leaf["opening"], "opening_personnel": leaf["opening"], "opening_public": 0,
            "income": _spent(leaf) - leaf["opening"], "total": _spent(leaf), "personnel": leaf["personnel"],
            "public": leaf["public"], "project": leaf["project"] + leaf["carried"]}


FUND_CODES = ("2010301", "2010302", "2120801")
# (title, columns, figures, stage row, the 项 codes, the planted figure, the finding it gives (rule, at figure))
LAYOUTS = {
    "final_fund_carry_split": ("2024年一般公共预算财政拨款支出决算表", FINAL_FUND, _final_fund, None, None,
                               ("2010301", "basic"), ("BK101", ("2010301", "total"))),
    "final_fund_carry_split_opening_part": ("2024年一般公共预算财政拨款支出决算表", FINAL_FUND, _final_fund, None, None,
                                           ("2010302", "opening_project"), ("BK101", ("2010302", "opening"))),
    "final_fund_carry_three_levels": ("2024年一般公共预算财政拨款支出决算表", CARRY_THREE_LEVELS, _carry_three_levels,
                                      None, None, ("2010301", "personnel"), ("BK101", ("2010301", "total"))),
    "final_planned_group": ("2024年一般公共预算财政拨款支出决算表", PLANNED, _planned, None, None,
                            ("2010301", "planned_basic"), ("BK101", ("2010301", "planned"))),
    "final_fund_carry_split_stage_row": ("2024年一般公共预算财政拨款支出决算表", FINAL_FUND, _final_fund, "决算数", None,
                                         ("2010302", "closing"), ("BK104", ("2010302", "closing"))),
    "final_spending_basic_subtotal_stage_row": ("2024年支出决算表", FINAL_SPENDING, _final_spending, "决算数", None,
                                                ("2010301", "basic"), ("BK101", ("2010301", "basic"))),
    "final_income_fiscal_total_stage_row": ("2024年收入决算表", FINAL_INCOME, _final_income, "决算数", FUND_CODES,
                                            ("2010301", "fiscal"), ("BK101", ("2010301", "fiscal"))),
    "budget_spending_by_fund": ("2025年部门支出总表", BY_FUND, _by_fund, None, FUND_CODES,
                                ("2120801", "fund_project"), ("BK103", ("21208", "fund_project"))),
    "budget_general_by_class_stage_row": ("2025年一般公共预算支出表", BY_CLASS, _by_class, "预算数", None,
                                          ("2010301", "goods"), ("BK101", ("2010301", "basic"))),
    "budget_income_carried_and_year": ("2025年部门收入总表", CARRIED_INCOME, _carried_income, None, FUND_CODES,
                                       ("2010301", "general"), ("BK101", ("2010301", "total"))),
    "budget_general_two_years": ("2025年一般公共预算支出表", TWO_YEARS, _two_years, None, None,
                                 ("2010301", "basic"), ("BK101", ("2010301", "total"))),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_consistent_table_is_quiet(tmp_path, layout):
    title, columns, figures, stage, codes, _, _ = LAYOUTS[layout]
    _layout(tmp_path, title, columns, figures, stage, codes or ("2010301", "2010302"))
    assert _loud(tmp_path) == []


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_figure_moved_by_five_is_found_at_the_identity_it_breaks(tmp_path, layout):
    title, columns, figures, stage, codes, plant, (rule, at) = LAYOUTS[layout]
    cells = _layout(tmp_path, title, columns, figures, stage, codes or ("2010301", "2010302"), plant)
    assert (rule, cells[at]) in _loud(tmp_path)


def test_a_carry_overs_parts_are_read_as_its_own_and_the_years_spending_as_the_lines(tmp_path):
    cells = _layout(tmp_path, *LAYOUTS["final_fund_carry_split_stage_row"][:4])
    (table,) = run(tmp_path, jobs=1).tables
    assert table.columns["opening.project"] == "年初结转和结余/项目支出结转和结余/决算数"
    line = next(r for r in table.rows if r.code == "2010302").values
    assert [(m, line[m].ref.cell, line[m].amount) for m in ("opening.project", "project", "closing.project")] == [
        ("opening.project", cells[("2010302", "opening_project")], Decimal("4760.00")),
        ("project", cells[("2010302", "project")], Decimal("15802.45")),
        ("closing.project", cells[("2010302", "closing_project")], Decimal("1200.50"))]


def test_the_columns_of_a_year_other_than_the_tables_are_left_out(tmp_path):
    _layout(tmp_path, *LAYOUTS["budget_general_two_years"][:4])
    (table,) = run(tmp_path, jobs=1).tables
    assert table.columns == {"total": "2025年预算数/合计", "basic": "2025年预算数/基本支出",
                             "project": "2025年预算数/项目支出"}
