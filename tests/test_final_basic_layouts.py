"""The 决算's 一般公共预算财政拨款基本支出决算表 in the layouts other templates print besides the
two blocks (人员经费 | 公用经费): one list 科目编码 | 科目名称 | 合计 | 人员经费 | 公用经费 (Zhejiang,
Beijing, like the budget-side table), and one list with 人员经费合计 / 公用经费合计 lines heading
their groups. Each is the corpus's clean 决算 with only that table reprinted, so every other
identity holds; each must be quiet clean and find an error planted in it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from layout_corpus import Traits, accounts_for, render_disclosure
from layout_corpus.accounts import ECONOMIC_NAMES, PERSONNEL_CLASSES
from layout_corpus.rendering import printed
from workbook_builder import write_workbook

from budgetkit.model import RunResult, Severity, TableKind
from budgetkit.pipeline import run
from budgetkit.report.ledger import Ledger

FINAL = accounts_for("决算")
SHEET = "一般公共预算财政拨款基本支出决算表"
LOUD = (Severity.ERROR, Severity.WARNING)


def _figure(amount: int) -> float:
    return float(printed(amount, "万元"))


def _lines(changed: dict[str, float]) -> list[tuple[str, float, bool]]:
    """(code, printed figure, a personnel line) in code order: 301, 302, 303, 310 …"""
    return [(code, changed.get(code, _figure(amount)), code[:3] in PERSONNEL_CLASSES)
            for code, amount in sorted(FINAL.economic_lines())]


def _columns(changed: dict[str, float]) -> list[list[object]]:
    """科目编码 | 科目名称 | 合计 | 人员经费 | 公用经费, a 合计 line on top; ``changed`` sets a code's
    figure in its 人员经费 or 公用经费 column only (its 合计 column keeps the true figure)."""
    rows: list[list[object]] = [
        [SHEET, None, None, None, None],
        ["部门：某区农业农村委员会", None, None, None, "单位：万元"],
        ["科目编码", "科目名称", "本年支出", None, None],
        [None, None, "合计", "人员经费", "公用经费"],
        ["合计", None, _figure(FINAL.personnel_total + FINAL.public_total), _figure(FINAL.personnel_total),
         _figure(FINAL.public_total)]]
    for code, figure, personnel in _lines(changed):
        true = _figure(dict(FINAL.economic_lines())[code])
        rows.append([code, ECONOMIC_NAMES[code], true, figure if personnel else None, None if personnel else figure])
    return rows


def _grouped_list(changed: dict[str, float]) -> list[list[object]]:
    """科目编码 | 科目名称 | 决算数, each group headed by its 人员经费合计 / 公用经费合计 line."""
    rows: list[list[object]] = [
        [SHEET, None, None],
        ["部门：某区农业农村委员会", None, "单位：万元"],
        ["经济分类科目编码", "科目名称", "决算数"]]
    for label, total, personnel in (("人员经费合计", FINAL.personnel_total, True),
                                    ("公用经费合计", FINAL.public_total, False)):
        rows.append([None, label, _figure(total)])
        rows += [[code, ECONOMIC_NAMES[code], figure] for code, figure, of_personnel in _lines(changed)
                 if of_personnel == personnel]
    return rows


# The columns layout's 科目编码 and 科目名称 headings span its two header rows, 本年支出 its three columns.
MERGES = {5: ["A1:E1", "A2:D2", "A3:A4", "B3:B4", "C3:E3"], 3: ["A1:C1", "A2:B2"]}


def _write(folder: Path, rows: list[list[object]]) -> Path:
    (name, sheets), = render_disclosure(Traits(), "决算").files.items()
    write_workbook(folder / name, {**sheets, SHEET: (rows, MERGES[len(rows[0])])})
    return folder


def _disclosure(folder: Path, layout, changed: dict[str, float] | None = None) -> Path:
    return _write(folder, layout(changed or {}))


def _loud(result: RunResult) -> list[tuple[str, str, Decimal | None, Decimal | None]]:
    return sorted((f.rule, f.ref.cell, f.stated, f.expected) for f in result.findings if f.severity in LOUD)


def _row_of(rows: list[list[object]], code: str) -> int:
    return next(n for n, row in enumerate(rows, start=1) if row[0] == code)


def test_columns_layout_is_read_by_code_with_its_three_columns_and_is_quiet(tmp_path):
    result = run(_disclosure(tmp_path, _columns), jobs=1)
    assert _loud(result) == []
    (basic,) = [t for t in result.tables if t.kind == TableKind.BASIC_EXPENDITURE]
    assert sorted(basic.coded()) == sorted(code for code, _ in FINAL.economic_lines())
    total = basic.total_row()
    assert {m: c.amount for m, c in total.values.items()} == {
        "total": Decimal("2054.50"), "personnel": Decimal("1882.31"), "public": Decimal("172.18")}
    # The cross-table checks read its lines: 30217 against the "三公" table, 30113 against 2210201.
    ran = {c.rule.code: c.ran for c in result.coverage}
    assert ran["BK210"] and ran["BK503"] and ran["BK101"]
    # The report's 人员经费 / 公用经费 come from its 合计 line's columns.
    (group,) = result.groups
    parts = {k.key: (k.figure.yuan, k.figure.adopted.source) for k in Ledger(group).basic_parts}
    assert parts == {"personnel_total": (Decimal("18823100.00"), f"{SHEET}（{SHEET}!D5）"),
                     "public_total": (Decimal("1721800.00"), f"{SHEET}（{SHEET}!E5）")}


def test_columns_layout_finds_a_personnel_figure_off_by_five(tmp_path):
    """Before, the table was read as blocks: only its 合计 column, and the error went unseen."""
    wrong = _figure(dict(FINAL.economic_lines())["30101"]) + 5
    result = run(_disclosure(tmp_path, _columns, {"30101": wrong}), jobs=1)
    row = _row_of(_columns({}), "30101")
    class_row = _row_of(_columns({}), "301")
    assert _loud(result) == [
        ("BK101", f"C{row}", Decimal("421.39"), Decimal("426.39")),
        ("BK103", f"D{class_row}", Decimal("1872.68"), Decimal("1877.68"))]


def test_columns_layout_finds_a_reception_line_above_the_three_public_table(tmp_path):
    """A guard for reading this layout by code: BK210 took the 30217 line's figure by the blocks'
    column name (amount), which a line read with 合计 | 人员经费 | 公用经费 columns does not have."""
    reception = _figure(dict(FINAL.economic_lines())["30217"])
    rows = _columns({})
    at = _row_of(rows, "30217")
    rows[at - 1][2] = rows[at - 1][4] = reception + 100
    result = run(_write(tmp_path, rows), jobs=1)
    assert ("BK210", f"C{at}") in {(f.rule, f.ref.cell) for f in result.findings}


def test_a_list_headed_by_its_group_subtotals_is_quiet_and_takes_them_as_footers(tmp_path):
    """人员经费合计 on the first line is a group's subtotal, not the table's 合计 (a false BK102:
    合计 1882.31 against the sum of every 类)."""
    result = run(_disclosure(tmp_path, _grouped_list), jobs=1)
    assert _loud(result) == []
    (basic,) = [t for t in result.tables if t.kind == TableKind.BASIC_EXPENDITURE]
    assert basic.total_row() is None
    rows = _grouped_list({})
    footers = [f"B{n}" for n, row in enumerate(rows, start=1) if row[1] in ("人员经费合计", "公用经费合计")]
    assert [basic.line("personnel_total").label_ref.cell, basic.line("public_total").label_ref.cell] == footers


def test_a_list_headed_by_its_group_subtotals_finds_a_wrong_subtotal(tmp_path):
    """A guard: found before too, when the list was read as one block."""
    rows = _grouped_list({})
    rows[3][2] = _figure(FINAL.personnel_total) + 5
    result = run(_write(tmp_path, rows), jobs=1)
    # 人员经费合计 is held to its 类 as printed (301 and 303), not to the unrounded accounts.
    classes = sum(Decimal(str(figure)) for code, figure, personnel in _lines({}) if personnel and len(code) == 3)
    assert [f for f in _loud(result) if f[0] == "BK131"] == [("BK131", "C4", Decimal("1887.31"), classes)]
