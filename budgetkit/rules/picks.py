"""Ways for rules to pick a figure out of a table, and to compare two of them.

Rules say *which* figures must agree ("总表 本年收入合计" against "收入决算表 合计行
本年收入合计"); this module knows how those figures sit in a ``Table``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from budgetkit.model import Cell, Row, Side, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy
from budgetkit.tolerance import Gap, Term, Verdict, same_gap, scale_factor

Pick = Callable[[Table], "Term | None"]
TOTAL_KEYS = {"income_total", "expenditure_total", "grand_total", "use_non_fiscal_balance", "opening_balance",
              "balance_distribution", "closing_balance"}


def value(table: Table, row: Row | None, *measures: str) -> Term | None:
    """The first of ``measures`` the row has, as a term in the table's unit."""
    if row is None:
        return None
    for measure in measures:
        if measure in row.values:
            return Term(row.values[measure], table.unit)
    return None


def line(key: str, side: Side, *measures: str) -> Pick:
    """A labelled line of a two-sided table (its 'amount' column unless told)."""
    return lambda t: value(t, t.line(key, side), *(measures or ("amount", "total")))


def total(measure: str) -> Pick:
    """A column of the 合计 row."""
    return lambda t: value(t, t.total_row(), measure)


def keyed(key: str, measure: str = "amount") -> Pick:
    return lambda t: value(t, t.line(key), measure)


def coded(code: str, measure: str) -> Pick:
    return lambda t: value(t, t.coded().get(code), measure)


def current_total(table: Table, side: Side) -> Row | None:
    """本年收入/支出合计, or 收入/支出总计 when a budget table lists no carry-over."""
    key = "income_total" if side == Side.INCOME else "expenditure_total"
    return table.line(key, side) or table.line("grand_total", side)


def built_from(table: Table, measure: str) -> int:
    """How many rounded figures a 合计 cell sums: its non-blank top-level rows."""
    return max(1, sum(1 for r in table.top_rows() if measure in r.values and not r.values[measure].is_blank))


def listed(table: Table, side: Side) -> int:
    """How many figures a 总表 本年合计 sums: its non-blank top-level lines."""
    return max(1, sum(1 for r in table.rows_on(side) if r.parent_key is None and r.key not in TOTAL_KEYS
                      and any(not c.is_blank for c in r.values.values())))


def absent(table: Table) -> Term:
    """Stands for a line a table does not list at all: blank, pointing at its title."""
    return Term(Cell(None, table.anchor_ref), table.unit)


def same(ctx: Context, item: str, stated: Term | None, other: Term | None, built: int,
         stated_table: Table, other_table: Table) -> Iterator[Discrepancy]:
    """The same figure shown in two tables."""
    if stated is None or other is None:
        return
    gap = same_gap(stated, other, built, ctx.tolerance)
    if gap and gap.verdict:
        yield Discrepancy.of(stated, gap, item, [other.cell.ref], stated_table=stated_table.title,
                             other_table=other_table.title)


def not_above(ctx: Context, item: str, part: Term | None, whole: Term | None, part_table: Table,
              whole_table: Table) -> Iterator[Discrepancy]:
    """Part ≤ whole: a part may fall short of the whole, never exceed it beyond rounding."""
    if part is None or whole is None or part.cell.is_blank:
        return
    scale = part.unit.yuan
    excess = (part.yuan - whole.yuan) / scale
    if excess <= 0:
        return
    halves = part.half_unit_yuan + (0 if whole.cell.is_blank else whole.half_unit_yuan)
    envelope = halves / scale + ctx.tolerance.amount
    verdict = Verdict.ROUNDING if excess <= envelope else Verdict.MISMATCH
    gap = Gap(part.cell.amount, whole.yuan / scale, envelope, verdict)
    yield Discrepancy.of(part, gap, item, [whole.cell.ref], stated_table=part_table.title,
                         other_table=whole_table.title)


def classes(table: Table, side: Side, measure: str) -> dict[str, Term]:
    """A two-sided table's 功能分类 类 lines by code."""
    return {r.code: t for r in table.rows_on(side) if r.code and (t := value(table, r, measure))}


def class_rows(table: Table, measure: str) -> dict[str, tuple[Row, Term]]:
    return {code: (row, t) for code, row in table.coded().items()
            if len(code) == 3 and (t := value(table, row, measure))}


def compare_classes(ctx: Context, summary: Table, side: Side, summary_measure: str, detail: Table,
                    detail_measure: str) -> Iterator[Discrepancy]:
    """Every 类 line of a 总表 against the 类 row of a classified table, both ways."""
    lines, rows = classes(summary, side, summary_measure), class_rows(detail, detail_measure)
    for code in sorted(set(lines) | set(rows)):
        ours = lines.get(code) or absent(summary)
        row, theirs = rows.get(code, (None, absent(detail)))
        children = sum(1 for r in detail.rows if r.code and len(r.code) == 5 and r.code.startswith(code))
        item = row.item if row else next(f"{r.code} {r.label}" for r in summary.rows_on(side) if r.code == code)
        yield from same(ctx, item, ours, theirs, max(1, children), summary, detail)


# The one figure of each table pair that should agree first; when it differs by
# ×1000 or ×10000 the pair has a unit slip, reported once, and is not compared.
HEADLINES: dict[tuple[TableKind, TableKind], tuple[str, Pick, Pick]] = {
    (TableKind.SUMMARY, TableKind.INCOME): ("本年收入合计", line("income_total", Side.INCOME), total("total")),
    (TableKind.SUMMARY, TableKind.EXPENDITURE): ("本年支出合计", line("expenditure_total", Side.EXPENDITURE),
                                                 total("total")),
    (TableKind.FISCAL_SUMMARY, TableKind.SUMMARY): ("本年收入合计", line("income_total", Side.INCOME),
                                                   line("income_total", Side.INCOME)),
    (TableKind.INCOME, TableKind.FISCAL_SUMMARY): ("财政拨款收入", total("fiscal"), line("income_total", Side.INCOME)),
    (TableKind.FISCAL_SUMMARY, TableKind.GP_EXPENDITURE): (
        "一般公共预算财政拨款支出", line("expenditure_total", Side.EXPENDITURE, "general_budget"), total("total")),
    (TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE): ("人员经费", total("basic"), keyed("personnel_total")),
    (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_INCOME): ("收入总计", line("grand_total", Side.INCOME),
                                                          total("total")),
    (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_EXPENDITURE): ("支出总计", line("grand_total", Side.EXPENDITURE),
                                                              total("total")),
    (TableKind.BUDGET_INCOME, TableKind.BUDGET_EXPENDITURE): ("合计", total("total"), total("total")),
    (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_GP_EXPENDITURE): (
        "一般公共预算支出", line("grand_total", Side.EXPENDITURE, "general_budget"), total("total")),
    (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC): ("基本支出", total("basic"), total("total")),
}


def unit_slip(a: Table, b: Table) -> tuple[str, Term, Term, int] | None:
    """The headline figures of a table pair when they differ by ×1000 or ×10000."""
    entry = HEADLINES.get((a.kind, b.kind))
    if entry is None:
        return None
    label, pick_a, pick_b = entry
    ours, theirs = pick_a(a), pick_b(b)
    if ours is None or theirs is None:
        return None
    factor = scale_factor(ours.yuan, theirs.yuan)
    return (label, ours, theirs, factor) if factor else None


def pairs(ctx: Context, kind_a: TableKind, kind_b: TableKind) -> Iterator[tuple[Table, Table]]:
    """Table pairs of one department that share a unit (a unit slip is BK401's to report)."""
    for a, b in ctx.pairs(kind_a, kind_b):
        if unit_slip(a, b) is None and unit_slip(b, a) is None:
            yield a, b


def yuan(term: Term | None) -> Decimal:
    return term.yuan if term else Decimal(0)
