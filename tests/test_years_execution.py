"""A year's 预算 against its 决算: the 执行率 of every fund and 功能科目 (BK243).

The layout corpus renders the 2024 决算 and a 2024 预算 that plans exactly what was
spent; each test changes the plan of one 项 and expects the warning on that 项 only."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budgetkit.load.kinds import SPECS, measure_for
from budgetkit.model import TableKind
from budgetkit.pipeline import run
from conftest import REPO
from workbook_builder import write_workbook
from layout_corpus import Traits, render_disclosure
from layout_corpus.accounts import Accounts, budget_for_final_year, fen
from test_years_continuity import TRAITS


def _final_and_budget(folder: Path, budget: Accounts):
    final = render_disclosure(TRAITS, "决算")
    final.write(folder)
    render_disclosure(TRAITS, "预算", accounts=budget).write(folder)
    return final


def _replanned(code: str, **changes: int) -> Accounts:
    budget = budget_for_final_year()
    items = tuple(replace(item, **changes) if item.code == code else item for item in budget.items)
    return replace(budget, items=items)


def _execution(result) -> list:
    return [f for f in result.findings if f.rule == "BK243"]


def test_a_budget_spent_as_planned_gives_no_finding_and_says_what_it_compared(tmp_path: Path) -> None:
    _final_and_budget(tmp_path, budget_for_final_year())
    result = run(tmp_path)
    assert [f for f in result.findings if f.severity.value != "info"] == []
    coverage = next(c for c in result.coverage if c.rule.code == "BK243")
    assert coverage.ran
    assert coverage.notes == ("比对 55 个科目或资金的决算数与预算数（执行率区间 90%–100%）",)


def test_a_rate_within_the_band_is_quiet(tmp_path: Path) -> None:
    # 2130108 病虫害控制: 219.74 万元 spent of 230.00 planned (95.54%).
    _final_and_budget(tmp_path, _replanned("2130108", gp_project=fen("2,300,000.00")))
    assert _execution(run(tmp_path)) == []


def test_a_rate_below_the_band_is_a_warning_on_the_deepest_line_only(tmp_path: Path) -> None:
    final = _final_and_budget(tmp_path, _replanned("2130108", gp_project=fen("3,000,000.00")))
    found = _execution(run(tmp_path))
    # The 项 in all funds (支出决算表) and in the 一般公共预算 (its own table); not 21301 or 213 above it.
    assert [(f.ref.sheet, f.item, f.stated, f.expected) for f in found] == [
        ("支出决算表", "2130108 病虫害控制", Decimal("219.74"), Decimal("300.00")),
    ]
    file, sheet, cell = final.addresses[("expenditure", ("2130108", "total"))]
    assert (found[0].ref.file, found[0].ref.cell, found[0].severity.value) == (file, cell, "warning")
    assert found[0].message == ("2130108 病虫害控制：决算数 219.74万元，年初预算数 300.00万元（2024年部门支出预算总表），"
                                "执行率 73.25%，超出 90%–100% 的区间，请在说明中写明原因。")


def test_a_line_spent_without_a_budget_names_the_zero_base(tmp_path: Path) -> None:
    budget = budget_for_final_year()
    _final_and_budget(tmp_path, replace(budget, items=tuple(i for i in budget.items if i.code != "2130109")))
    found = _execution(run(tmp_path))
    assert [(f.item, f.stated, f.expected) for f in found] == [
        ("2130109 农产品质量安全", Decimal("146.89"), Decimal("0.00")),
    ]
    assert "无年初预算（预算数为 0），无法计算执行率" in found[0].message


def test_the_band_is_set_in_budgetkit_toml(tmp_path: Path) -> None:
    _final_and_budget(tmp_path, _replanned("2130108", gp_project=fen("3,000,000.00")))
    (tmp_path / "budgetkit.toml").write_text("[execution]\nlow = 70\nhigh = 110\n", encoding="utf-8")
    result = run(tmp_path)
    assert _execution(result) == []
    coverage = next(c for c in result.coverage if c.rule.code == "BK243")
    assert "执行率区间 70%–110%" in coverage.notes[0]


def test_without_a_budget_of_the_same_year_the_rule_says_why_it_did_not_run(tmp_path: Path) -> None:
    render_disclosure(TRAITS, "决算").write(tmp_path)
    render_disclosure(TRAITS, "预算").write(tmp_path)  # the 2025 budget: another year
    coverage = next(c for c in run(tmp_path).coverage if c.rule.code == "BK243")
    assert (coverage.ran, coverage.reason) == (False, "缺少同一部门同一年度的部门预算和部门决算（或列出预算数的决算表）")


def test_a_self_assessment_form_printing_a_project_budget_is_no_budget_to_execute_against(tmp_path: Path) -> None:
    """The samples: a 决算 and a 项目支出绩效自评表 whose 全年预算数 is one project's, not the department's."""
    for name in ("区科协2022年部门决算.xlsx", "区科协2022年绩效自评表.xlsx"):
        shutil.copy(REPO / "workbooks" / name, tmp_path / name)
    coverage = next(c for c in run(tmp_path).coverage if c.rule.code == "BK243")
    assert (coverage.ran, coverage.reason) == (False, "缺少同一部门同一年度的部门预算和部门决算（或列出预算数的决算表）")


# -- Older 决算 that print the year's budget beside the 决算数 -------------------------------

def _older_final(folder: Path, adjusted: bool = True) -> Path:
    """A ≤2018 一般公共预算财政拨款支出决算表: 年初预算数 | 调整预算数 | 决算数 (合计 | 基本 | 项目)."""
    header = ["科目编码", "科目名称", "年初预算数"] + (["调整预算数"] if adjusted else []) + ["决算数", None, None]
    lines = [("206", "科学技术支出", 100, 110, 105, 80, 25), ("20601", "科学技术管理事务", 100, 110, 105, 80, 25),
             ("2060101", "行政运行", 60, 70, 80, 80, None), ("2060199", "其他科学技术管理事务支出", 40, 40, 25, None, 25),
             (None, "合计", 100, 110, 105, 80, 25)]
    width = len(header)
    rows = [["一般公共预算财政拨款支出决算表"] + [None] * (width - 1),
            ["部门：测试局"] + [None] * (width - 2) + ["单位：万元"], header,
            [None] * (width - 3) + ["合计", "基本支出", "项目支出"]]
    rows += [[code, name, planned] + ([revised] if adjusted else []) + [spent, basic, project]
             for code, name, planned, revised, spent, basic, project in lines]
    spans = ["A3:A4", "B3:B4", "C3:C4"] + (["D3:D4", "E3:G3"] if adjusted else ["D3:F3"])
    return write_workbook(folder / "测试局2016年部门决算.xlsx", {"表5": (rows, spans)})


def test_an_older_final_table_reads_its_budget_columns_as_budgets_not_carry_overs(tmp_path: Path) -> None:
    _older_final(tmp_path)
    (table,) = run(tmp_path).tables
    assert table.columns == {"planned": "年初预算数", "adjusted": "调整预算数", "total": "决算数/合计",
                             "basic": "决算数/基本支出", "project": "决算数/项目支出"}
    assert {m: str(c.value) for m, c in table.coded()["2060101"].values.items()} == {
        "planned": "60", "adjusted": "70", "total": "80", "basic": "80", "project": "None"}


def test_an_older_final_table_is_executed_against_its_own_revised_budget(tmp_path: Path) -> None:
    _older_final(tmp_path)
    found = [(f.ref.cell, f.item, f.stated, f.expected) for f in _execution(run(tmp_path))]
    assert found == [("E7", "2060101 行政运行（一般公共预算财政拨款）", Decimal("80"), Decimal("70.00")),
                     ("E8", "2060199 其他科学技术管理事务支出（一般公共预算财政拨款）", Decimal("25"), Decimal("40.00"))]
    assert "调整预算数 70.00万元（一般公共预算财政拨款支出决算表），执行率 114.29%" in _execution(run(tmp_path))[0].message


def test_without_a_revised_budget_the_printed_initial_budget_is_the_denominator(tmp_path: Path) -> None:
    _older_final(tmp_path, adjusted=False)
    found = [(f.item, f.expected) for f in _execution(run(tmp_path))]
    # 行政运行 80 of 60 (133.33%), 其他 25 of 40 (62.50%).
    assert found == [("2060101 行政运行（一般公共预算财政拨款）", Decimal("60.00")),
                     ("2060199 其他科学技术管理事务支出（一般公共预算财政拨款）", Decimal("40.00"))]
    assert "年初预算数 60.00万元" in _execution(run(tmp_path))[0].message


def test_an_older_final_total_row_stating_only_its_totals_leaves_its_breakdown_unknown(tmp_path: Path) -> None:
    """The 合计 row fills 年初预算数, 调整预算数 and 决算数/合计 but not 基本/项目: the budgets
    beside it are no part of its breakdown, so the blanks stay unknown, not zeros."""
    path = _older_final(tmp_path)
    book = openpyxl.load_workbook(path)
    for cell in ("F9", "G9"):  # the 合计 row's 基本支出 and 项目支出
        book["表5"][cell] = None
    book.save(path)
    (table,) = run(tmp_path).tables
    total = table.total_row()
    assert [total.values[m].unstated for m in ("planned", "adjusted", "total", "basic", "project")] == \
        [False, False, False, True, True]
    assert [f for f in run(tmp_path).findings if f.rule in ("BK101", "BK102")] == []


def test_a_line_spent_without_a_revised_budget_names_the_revised_budget(tmp_path: Path) -> None:
    path = _older_final(tmp_path)
    book = openpyxl.load_workbook(path)
    book["表5"]["D8"] = 0  # 2060199's 调整预算数
    book.save(path)
    found = {f.ref.cell: f.message for f in _execution(run(tmp_path))}
    assert "无调整预算（预算数为 0），无法计算执行率" in found["E8"]


# -- Older 决算 that print a budget GROUP {合计 | 基本支出 | 项目支出} before the 决算数 group ---------

GENERAL = "一般公共预算财政拨款支出决算表"


def _with_budget_group(folder: Path, group: str = "年初预算数", edits: dict[str, float] | None = None) -> Path:
    """The corpus 决算 whose 一般公共预算财政拨款支出决算表 prints ``group`` {合计 | 基本支出 | 项目支出}
    (C:E) before 决算数 {合计 | 基本支出 | 项目支出} (F:H); each budget part is 5% above what was
    spent (执行率 95.24%), its 合计 their sum. ``edits``: cells of that sheet to retype."""
    rendering = render_disclosure(Traits(), "决算")
    (file,) = rendering.files
    rows, _ = rendering.files[file][GENERAL]
    title, department, _, _, *body, note = rows
    regrouped = [title + [None] * 3, department[:-1] + [None] * 3 + department[-1:],
                 ["项目", None, group, None, None, "决算数", None, None],
                 ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出"]]
    for code, name, *spent in body:
        parts = [None if v is None else float((Decimal(str(v)) * Decimal("1.05")).quantize(Decimal("0.01")))
                 for v in spent[1:]]
        regrouped.append([code, name, sum(p or 0 for p in parts), *parts, *spent])
    regrouped.append(note + [None] * 3)
    for cell, value in (edits or {}).items():
        regrouped[int(cell[1:]) - 1][ord(cell[0]) - ord("A")] = value
    n = len(regrouped)
    rendering.files[file][GENERAL] = (regrouped, ["A1:H1", "A2:G2", "A3:B3", "C3:E3", "F3:H3", "A5:B5", f"A{n}:H{n}"])
    rendering.write(folder)
    return folder / file


def _loud(result) -> list[tuple[str, str, str, Decimal | None, Decimal | None]]:
    return [(f.rule, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in result.findings
            if f.severity.value != "info"]


def _quiet_general_table(folder: Path, group: str = "年初预算数"):
    """The run of ``_with_budget_group``'s disclosure, which finds nothing, and its 一般公共预算 table."""
    _with_budget_group(folder, group)
    result = run(folder)
    assert _loud(result) == []
    (table,) = [t for t in result.tables if t.kind == TableKind.GP_EXPENDITURE]
    return result, table


def test_a_budget_group_before_the_final_group_is_read_as_the_budget_and_its_parts(tmp_path: Path) -> None:
    result, table = _quiet_general_table(tmp_path)
    assert table.columns == {"planned": "年初预算数/合计", "planned.basic": "年初预算数/基本支出",
                             "planned.project": "年初预算数/项目支出", "total": "决算数/合计",
                             "basic": "决算数/基本支出", "project": "决算数/项目支出"}
    row = table.coded()["2130101"]
    assert {m: (c.ref.cell, str(c.value)) for m, c in row.values.items()} == {
        "planned": ("C16", "1230.77"), "planned.basic": ("D16", "1218.17"), "planned.project": ("E16", "12.6"),
        "total": ("F16", "1172.16"), "basic": ("G16", "1160.16"), "project": ("H16", "12")}
    total = table.total_row()
    assert (total.label_ref.cell, total.values["total"].ref.cell, str(total.values["total"].value),
            total.values["basic"].ref.cell, str(total.values["basic"].value)) == ("A5", "F5", "3529.43", "G5", "2054.5")
    # The execution is judged against the group's 合计: 1,172.16 of 1,230.77 is 95.24%.
    coverage = next(c for c in result.coverage if c.rule.code == "BK243")
    assert coverage.ran and coverage.notes[0].startswith("比对 ")


def test_a_revised_budget_group_is_read_as_the_revised_budget_and_its_parts(tmp_path: Path) -> None:
    result, table = _quiet_general_table(tmp_path, "调整预算数")
    assert list(table.columns) == ["adjusted", "adjusted.basic", "adjusted.project", "total", "basic", "project"]
    row = table.coded()["2130106"]
    assert {m: (c.ref.cell, str(c.value)) for m, c in row.values.items() if m.startswith("adjusted")} == {
        "adjusted": ("C19", "386.84"), "adjusted.basic": ("D19", "None"), "adjusted.project": ("E19", "386.84")}


def test_an_error_in_the_final_group_beside_a_budget_group_is_found_at_its_cell(tmp_path: Path) -> None:
    # 2130101 行政运行 决算数/基本支出 1,160.16 typed as 1,170.16: its row and its 款 no longer add up.
    _with_budget_group(tmp_path, edits={"G16": 1170.16})
    result = run(tmp_path)
    errors = [(f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity.value == "error"]
    assert sorted(errors) == [("BK101", "F16", Decimal("1172.16"), Decimal("1182.16")),
                              ("BK103", "G15", Decimal("1590.03"), Decimal("1600.02")),
                              ("BK209", "G16", Decimal("1170.16"), Decimal("1160.16"))]
    assert next(f for f in result.findings if f.rule == "BK101").related[0].cell == "G16"


def test_an_error_in_a_budget_group_is_the_budget_s_own_and_no_final_rule_s(tmp_path: Path) -> None:
    # 2130101's 年初预算数/基本支出 1,218.17 typed as 1,228.17: only the budget's own sums are off, the
    # 款's (Σ of the rounded 项 budgets) and the line's 年初预算数 合计 (its 基本支出 + 项目支出); no 决算 rule reads it.
    _with_budget_group(tmp_path, edits={"D16": 1228.17})
    assert _loud(run(tmp_path)) == [("BK103", GENERAL, "D15", Decimal("1669.53"), Decimal("1679.52")),
                                    ("BK101", GENERAL, "C16", Decimal("1230.77"), Decimal("1240.77"))]


def test_a_bare_budget_group_is_read_as_the_budget_not_as_the_final_figures(tmp_path: Path) -> None:
    # '预算数' names no 年初 or 调整: still a budget, so the 决算数 group beside it is the table's figures.
    result, table = _quiet_general_table(tmp_path, "预算数")
    assert table.columns == {"budget": "预算数/合计", "budget.basic": "预算数/基本支出",
                             "budget.project": "预算数/项目支出", "total": "决算数/合计",
                             "basic": "决算数/基本支出", "project": "决算数/项目支出"}
    assert (table.coded()["2130101"].values["total"].ref.cell, str(table.coded()["2130101"].values["total"].value)) \
        == ("F16", "1172.16")


SUMMARY = "收入支出决算总表"


def test_a_summary_printing_the_initial_budget_beside_each_side_s_final_figures_reads_the_final_ones(
        tmp_path: Path) -> None:
    """An internal 财决01-style 总表: 项目 | 年初预算数 | 决算数 on each side. The budget column is
    no amount: read as the amount, every 总表 line would disagree with the other tables."""
    rendering = render_disclosure(Traits(), "决算")
    (file,) = rendering.files
    rows, _ = rendering.files[file][SUMMARY]
    title, department, _, _, *body, note = rows

    def planned(value):
        return None if value is None else float((Decimal(str(value)) * Decimal("1.05")).quantize(Decimal("0.01")))

    widened = [title + [None] * 2, department[:-1] + [None] * 2 + department[-1:],
               ["收入", None, None, "支出", None, None], ["项目", "年初预算数", "决算数", "项目", "年初预算数", "决算数"]]
    widened += [[income, planned(got), got, spending, planned(spent), spent] for income, got, spending, spent in body]
    widened.append(note + [None] * 2)
    n = len(widened)
    rendering.files[file][SUMMARY] = (widened, ["A1:F1", "A2:E2", "A3:C3", "D3:F3", f"A{n}:F{n}"])
    rendering.write(tmp_path)
    result = run(tmp_path)
    assert _loud(result) == []
    (table,) = [t for t in result.tables if t.kind == TableKind.SUMMARY]
    assert table.columns == {"收入:planned": "收入/年初预算数", "收入:amount": "收入/决算数",
                             "支出:planned": "支出/年初预算数", "支出:amount": "支出/决算数"}
    general = table.line("general_budget")
    assert (general.values["amount"].ref.cell, str(general.values["amount"].value)) == ("C5", "3488.26")


@pytest.mark.parametrize(("kind", "path", "measure"), [
    (TableKind.SUMMARY, "收入/年初预算数", "planned"),
    (TableKind.SUMMARY, "收入/决算数", "amount"),
    (TableKind.INCOME, "全年预算数/合计", "adjusted"),
    (TableKind.EXPENDITURE, "预算数/基本支出", "budget.basic"),
    (TableKind.GP_EXPENDITURE, "调整后预算数/项目支出", "adjusted.project"),
    # A one-row header joins the budget and the part in one heading.
    (TableKind.GP_EXPENDITURE, "年初预算数基本支出", "planned.basic"),
    (TableKind.GP_EXPENDITURE, "年初结转和结余", "opening"),
    (TableKind.GP_EXPENDITURE, "决算数/合计", "total"),
    # A fund's name is no budget figure.
    (TableKind.FISCAL_SUMMARY, "支出/一般公共预算财政拨款", "general_budget"),
    # In a 预算 table the 预算数 is the amount itself.
    (TableKind.BUDGET_SUMMARY, "收入/预算数", "amount"),
])
def test_a_final_table_s_budget_columns_are_budgets_whatever_its_kind(kind: TableKind, path: str, measure: str) -> None:
    spec = next(s for s in SPECS if s.kind == kind)
    assert measure_for(spec, path) == measure


def test_a_rate_column_naming_a_budget_is_neither_a_budget_nor_an_amount(tmp_path: Path) -> None:
    """'完成全年预算%' beside the 支出决算表's amounts holds rates: read as the 全年预算数, BK243
    would set every line's spending against a budget of 95.24."""
    rendering = render_disclosure(Traits(), "决算")
    (file,) = rendering.files
    rows, spans = rendering.files[file]["支出决算表"]
    widened = [row + [None] for row in rows]
    widened[2][-1] = "完成全年预算%"
    spans = spans + ["I3:I4"]
    for row in widened[4:-1]:
        row[-1] = 95.24
    rendering.files[file]["支出决算表"] = (widened, spans)
    rendering.write(tmp_path)
    result = run(tmp_path)
    assert _loud(result) == []
    (table,) = [t for t in result.tables if t.kind == TableKind.EXPENDITURE]
    assert list(table.columns) == ["total", "basic", "project", "to_superior", "operating", "to_subsidiary"]
    assert not next(c for c in result.coverage if c.rule.code == "BK243").ran


def test_a_bare_budget_printed_beside_the_final_figures_is_the_denominator_and_named_as_printed(tmp_path: Path) -> None:
    # 2130101 行政运行: 1,172.16 spent of a 预算数 retyped as 1,500.00 (78.14%).
    _with_budget_group(tmp_path, "预算数", edits={"C16": 1500.0})
    found = _execution(run(tmp_path))
    assert [(f.ref.cell, f.item, f.expected) for f in found] == [
        ("F16", "2130101 行政运行（一般公共预算财政拨款）", Decimal("1500.00"))]
    assert found[0].message == ("2130101 行政运行（一般公共预算财政拨款）：决算数 1,172.16万元，预算数 1,500.00万元"
                                "（一般公共预算财政拨款支出决算表），执行率 78.14%，超出 90%–100% 的区间，请在说明中写明原因。")


@pytest.mark.parametrize("printed", ["年初预算数", "预算数"])
def test_a_final_tables_printed_budget_is_held_to_that_years_budget(tmp_path: Path, printed: str) -> None:
    """The 决算's 年初预算数 (or bare 预算数) beside the 2024 部门预算: equal, quiet; one class's moved by
    10.00, BK222 at that cell naming the budget's (before, no rule compared them)."""
    final = render_disclosure(TRAITS.with_(final_budget=printed), "决算")
    final.write(tmp_path)
    render_disclosure(TRAITS, "预算", accounts=budget_for_final_year()).write(tmp_path)
    assert [f for f in run(tmp_path).findings if f.rule == "BK222"] == []
    file, sheet, cell = final.addresses[("general", ("213", f"{printed}.total"))]
    book = openpyxl.load_workbook(tmp_path / file)
    stated = Decimal(str(book[sheet][cell].value).replace(",", ""))  # TRAITS prints figures as text
    book[sheet][cell].value = float(stated + 10)
    book.save(tmp_path / file)
    found = [f for f in run(tmp_path).findings if f.rule == "BK222"]
    assert [(f.ref.sheet, f.ref.cell, f.severity.value, f.stated, f.expected) for f in found] == [
        (sheet, cell, "warning", stated + 10, stated)]
    assert f"所列{printed}填报" in found[0].message
