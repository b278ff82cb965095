"""A budget 一般公共预算基本支出表 printed like the 决算 公开06: a 人员经费 block (科目编码 | 科目名称 |
预算数: 301…, 303…) beside a 公用经费 block (302…, 310…), footer 人员经费合计 | 公用经费合计. It is
read block by block (no two blocks' codes run together), its 基本支出 is the sum of its two
footers, and each block's 类 is the sum of its 款. (The one- and three-column budget layouts
are crossed by the layout corpus.)"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from layout_corpus import Traits, accounts_for, render_disclosure
from layout_corpus.accounts import ECONOMIC_NAMES, PERSONNEL_CLASSES
from layout_corpus.rendering import printed
from workbook_builder import write_workbook

from budgetkit.model import RunResult, Severity, TableKind
from budgetkit.pipeline import run

BUDGET = accounts_for("预算")
SHEET = "一般公共预算基本支出部门预算经济分类预算表"
LOUD = (Severity.ERROR, Severity.WARNING)
FOOTER_ROW = 23  # title, 编制部门, block banners, header; then 18 lines (the 公用经费 block's count)


def _figure(amount: int) -> float:
    return float(printed(amount, "万元"))


def _two_blocks(changed: dict[str, float] | None = None, classes: bool = True,
                grand_total: float | None = None) -> tuple[list[list[object]], list[str]]:
    """The corpus's 经济分类 lines as two blocks; ``changed`` overrides a code's printed figure;
    without ``classes`` only the 款 lines are listed; ``grand_total`` adds a 合计 line under the footers."""
    changed = changed or {}
    lines = [(code, changed.get(code, _figure(amount))) for code, amount in BUDGET.economic_lines()
             if classes or len(code) == 5]
    blocks = ([line for line in lines if line[0][:3] in PERSONNEL_CLASSES],
              [line for line in lines if line[0][:3] not in PERSONNEL_CLASSES])
    rows: list[list[object]] = [
        ["2025年一般公共预算基本支出表", None, None, None, None, None],
        ["编制部门：某区农业农村委员会", None, None, None, None, "单位：万元"],
        ["人员经费", None, None, "公用经费", None, None],
        ["科目编码", "科目名称", "预算数", "科目编码", "科目名称", "预算数"]]
    for k in range(max(map(len, blocks))):
        row: list[object] = []
        for block in blocks:
            row += [block[k][0], ECONOMIC_NAMES[block[k][0]], block[k][1]] if k < len(block) else [None] * 3
        rows.append(row)
    rows.append(["人员经费合计", None, changed.get("人员经费合计", _figure(BUDGET.personnel_total)),
                 "公用经费合计", None, changed.get("公用经费合计", _figure(BUDGET.public_total))])
    assert len(rows) == FOOTER_ROW or not classes
    n = len(rows)
    merges = ["A1:F1", "A2:E2", "A3:C3", "D3:F3", f"A{n}:B{n}", f"D{n}:E{n}"]
    if grand_total is not None:
        rows.append(["合计", None, grand_total, None, None, None])
        merges.append(f"A{n + 1}:B{n + 1}")
    return rows, merges


def _disclosure(folder: Path, changed: dict[str, float] | None = None, **blocks: object) -> Path:
    """The corpus's clean 预算 workbook with its 基本支出表 printed as two blocks."""
    (name, sheets), = render_disclosure(Traits(), "预算").files.items()
    write_workbook(folder / name, {**sheets, SHEET: _two_blocks(changed, **blocks)})
    return folder


def _loud(result: RunResult) -> list[tuple[str, str, str, Decimal | None, Decimal | None]]:
    return [(f.rule, f.ref.sheet, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity in LOUD]


def test_two_block_budget_basic_table_is_quiet_and_read_block_by_block(tmp_path):
    result = run(_disclosure(tmp_path), jobs=1)
    assert _loud(result) == []
    (basic,) = [t for t in result.tables if t.kind == TableKind.BUDGET_BASIC]
    coded = basic.coded()
    assert sorted(coded) == sorted(code for code, _ in BUDGET.economic_lines())  # no two codes run together
    assert [(code, coded[code].label_ref.cell, coded[code].values["amount"].ref.cell,
             coded[code].values["amount"].amount) for code in ("301", "30101", "303", "302", "30211", "310")] == [
        ("301", "A5", "C5", Decimal("1916.44")), ("30101", "A6", "C6", Decimal("432.00")),
        ("303", "A16", "C16", Decimal("9.80")), ("302", "D5", "F5", Decimal("167.65")),
        ("30211", "D10", "F10", Decimal("18.00")), ("310", "D21", "F21", Decimal("8.00"))]
    footers = [basic.line(key).values["amount"] for key in ("personnel_total", "public_total")]
    assert [(cell.ref.cell, cell.amount) for cell in footers] == [
        ("C23", Decimal("1926.24")), ("F23", Decimal("175.65"))]


def test_a_public_cost_total_off_by_ten_is_found_against_its_classes_and_the_general_budget_table(tmp_path):
    """基本支出 = 人员经费合计 + 公用经费合计 is compared with the 一般公共预算支出表's 基本支出 (BK218). A
    公用经费合计 above the 机关运行经费 is no BK219: a department with 事业单位 has more 公用经费 than 机关运行经费."""
    result = run(_disclosure(tmp_path, {"公用经费合计": 185.65}), jobs=1)
    assert _loud(result) == [
        ("BK131", SHEET, "F23", Decimal("185.65"), Decimal("175.65")),
        ("BK218", "一般公共预算支出功能分类预算表", "D5", Decimal("2101.89"), Decimal("2111.89"))]


def test_operating_costs_above_the_public_costs_they_are_part_of_are_a_warning(tmp_path):
    result = run(_disclosure(tmp_path, {"公用经费合计": 165.65}), jobs=1)
    assert ("BK219", "“三公”经费和机关运行经费预算表", "G5", Decimal("175.65"), Decimal("165.65")) in _loud(result)


def test_a_kuan_off_by_ten_in_the_public_block_is_an_error_at_its_class(tmp_path):
    """30211 差旅费 18.00 printed as 28.00, its 类 302 and the 公用经费合计 unchanged."""
    result = run(_disclosure(tmp_path, {"30211": 28.0}), jobs=1)
    assert _loud(result) == [("BK103", SHEET, "F5", Decimal("167.65"), Decimal("177.65"))]


def test_bk131_runs_where_a_basic_table_prints_its_footers_and_says_why_not_elsewhere(tmp_path):
    """A budget 基本支出表 in one 合计 | 人员经费 | 公用经费 table prints no 人员经费合计 / 公用经费合计 lines:
    BK131 has nothing to check and says so rather than counting as passed."""
    def bk131(result: RunResult) -> tuple[bool, str]:
        coverage = next(c for c in result.coverage if c.rule.code == "BK131")
        return coverage.ran, coverage.reason

    assert bk131(run(_disclosure(tmp_path / "blocks"), jobs=1)) == (True, "")
    render_disclosure(Traits(), "预算").write(tmp_path / "plain")
    assert bk131(run(tmp_path / "plain", jobs=1)) == (False, "缺少列出人员经费合计、公用经费合计的基本支出表")


def test_blocks_listing_only_their_kuan_lines_add_them_up_to_each_footer(tmp_path):
    """No 301 / 302 … 类 line: a footer is the sum of its 款 lines (before, BK131 had no parts and was silent)."""
    assert _loud(run(_disclosure(tmp_path / "clean", classes=False), jobs=1)) == []
    found = run(_disclosure(tmp_path / "planted", {"公用经费合计": _figure(BUDGET.public_total) + 5}, classes=False),
                jobs=1)
    (error,) = [f for f in found.findings if f.rule == "BK131"]
    assert (error.severity, error.ref.cell, error.stated, error.expected) == (
        Severity.ERROR, "F21", Decimal("180.65"), Decimal("175.65"))
    assert error.message.startswith("公用经费合计填报 180.65，30201、30205、")


def test_a_total_line_under_the_footers_is_their_sum(tmp_path):
    whole = _figure(BUDGET.personnel_total) + _figure(BUDGET.public_total)
    assert _loud(run(_disclosure(tmp_path / "clean", grand_total=whole), jobs=1)) == []
    found = run(_disclosure(tmp_path / "planted", grand_total=round(whole + 5, 2)), jobs=1)
    assert [(f.rule, f.ref.cell, f.stated, f.expected, f.message) for f in found.findings if f.rule == "BK131"] == [
        ("BK131", "C24", Decimal("2106.89"), Decimal("2101.89"),
         "合计填报 2,106.89，人员经费合计、公用经费合计 之和为 2,101.89，相差 +5.00万元。")]
