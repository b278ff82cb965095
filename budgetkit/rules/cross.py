"""表间 rules: the same figure in two tables of one department's disclosure."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.load.lines import FISCAL_INCOME_LINES, INCOME_LINE_TO_COLUMN
from budgetkit.model import Cell, CellRef, Row, Severity, Side, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.summary import TOTAL_KEYS
from budgetkit.tolerance import Term, same_gap, scale_factor, sum_gap

_MESSAGE = "{item}：{stated_table}填报 {stated}，{other_table}为 {expected}，相差 {difference}{unit}。"


def _line(table: Table, key: str, side: Side) -> Term | None:
    row = table.line(key, side)
    return Term(row.values["amount"], table.unit) if row and "amount" in row.values else None


def _column_total(table: Table, measure: str) -> Term | None:
    total = table.total_row()
    return Term(total.values[measure], table.unit) if total and measure in total.values else None


def _built_from(table: Table, measure: str) -> int:
    """How many rounded figures a 合计 cell sums: its non-blank top-level rows."""
    coded = [r for r in table.rows if r.code and measure in r.values]
    top = min((len(r.code) for r in coded), default=0)
    return sum(1 for r in coded if len(r.code) == top and not r.values[measure].is_blank)


def _absent(table: Table) -> Term:
    """Stands for a line a table does not list at all: blank, pointing at its title."""
    return Term(Cell(None, CellRef(table.file, table.sheet, table.anchor)), table.unit)


HEADLINES = {
    TableKind.INCOME: ("income_total", Side.INCOME, "本年收入合计"),
    TableKind.EXPENDITURE: ("expenditure_total", Side.EXPENDITURE, "本年支出合计"),
}


def unit_slip(summary: Table, detail: Table) -> tuple[Term, Term, int] | None:
    """The 总表 headline and the detail table's 合计 when they differ by ×1000 or ×10000."""
    key, side, _ = HEADLINES[detail.kind]
    ours, theirs = _line(summary, key, side), _column_total(detail, "total")
    if ours is None or theirs is None:
        return None
    factor = scale_factor(ours.yuan, theirs.yuan)
    return (ours, theirs, factor) if factor else None


def _same(ctx: Context, item: str, stated: Term, other: Term, built_from: int,
          stated_table: Table, other_table: Table) -> Iterator[Discrepancy]:
    gap = same_gap(stated, other, built_from, ctx.tolerance)
    if gap and gap.verdict:
        yield Discrepancy.of(stated, gap, item, [other.cell.ref], stated_table=stated_table.title,
                             other_table=other_table.title)


@rule("BK201", "cross.summary_income", "总表与收入决算表", Severity.ERROR,
      (TableKind.SUMMARY, TableKind.INCOME), _MESSAGE, cross_table=True)
def summary_income(ctx: Context) -> Iterator[Discrepancy]:
    """总表各项收入及本年收入合计应与收入决算表合计行一致。

    一般公共预算、政府性基金、国有资本经营三项财政拨款收入之和 = 收入决算表“财政拨款收入”；
    上级补助、事业、经营、附属单位上缴、其他收入一一对应；本年收入合计 = 收入决算表“本年收入合计”。

    错误示例：总表 本年收入合计 163.68，收入决算表 合计 164.52。
    正确示例：两表均为 163.68。
    """
    for summary, income in ctx.pairs(TableKind.SUMMARY, TableKind.INCOME):
        if unit_slip(summary, income):
            continue
        for key, measure in INCOME_LINE_TO_COLUMN.items():
            ours, theirs = _line(summary, key, Side.INCOME), _column_total(income, measure)
            if ours and theirs:
                built = _built_from(income, measure)
                if key == "income_total":
                    built = max(built, _listed_count(summary, Side.INCOME))
                yield from _same(ctx, summary.line(key, Side.INCOME).label, ours, theirs, built, summary, income)
        fiscal = _column_total(income, "fiscal")
        parts = [t for key in FISCAL_INCOME_LINES if (t := _line(summary, key, Side.INCOME))]
        if fiscal and parts:
            gap = sum_gap(fiscal, parts, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(fiscal, gap, "财政拨款收入", [p.cell.ref for p in parts],
                                     stated_table=income.title, other_table=f"{summary.title}三项财政拨款收入之和")


def _listed_count(summary: Table, side: Side) -> int:
    """How many figures a 总表 本年合计 sums: its non-blank top-level lines."""
    return sum(1 for r in summary.rows_on(side)
               if r.parent_key is None and r.key not in TOTAL_KEYS and "amount" in r.values
               and not r.values["amount"].is_blank)


@rule("BK202", "cross.summary_expenditure", "总表与支出决算表", Severity.ERROR,
      (TableKind.SUMMARY, TableKind.EXPENDITURE), _MESSAGE, cross_table=True)
def summary_expenditure(ctx: Context) -> Iterator[Discrepancy]:
    """总表本年支出合计及每个功能分类“类”应与支出决算表一致。

    错误示例：总表 八、社会保障和就业支出 20.15，支出决算表 208 社会保障和就业支出 20.16。
    正确示例：两表均为 20.15。
    """
    for summary, spending in ctx.pairs(TableKind.SUMMARY, TableKind.EXPENDITURE):
        if unit_slip(summary, spending):
            continue
        ours, theirs = _line(summary, "expenditure_total", Side.EXPENDITURE), _column_total(spending, "total")
        if ours and theirs:
            built = max(_built_from(spending, "total"), _listed_count(summary, Side.EXPENDITURE))
            yield from _same(ctx, "本年支出合计", ours, theirs, built, summary, spending)
        lines = {r.code: r for r in summary.rows_on(Side.EXPENDITURE) if r.code}
        rows = {code: r for code, r in spending.coded().items() if len(code) == 3}
        for code in sorted(set(lines) | set(rows)):
            line, row = lines.get(code), rows.get(code)
            ours = Term(line.values["amount"], summary.unit) if line else _absent(summary)
            theirs = Term(row.values["total"], spending.unit) if row and "total" in row.values else _absent(spending)
            yield from _same(ctx, _class_item(code, line, row), ours, theirs, _children(spending, code), summary,
                             spending)


def _class_item(code: str, line: Row | None, row: Row | None) -> str:
    return row.item if row else f"{code} {line.label}"


def _children(table: Table, code: str) -> int:
    return max(1, sum(1 for r in table.rows if r.code and len(r.code) == 5 and r.code.startswith(code)))
