"""Ways for rules to pick a figure out of a table, and to compare two of them.

Rules say *which* figures must agree ("总表 本年收入合计" against "收入决算表 合计行
本年收入合计"); this module knows how those figures sit in a ``Table``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from budgetkit.model import LINE_FIGURE, Cell, Row, Side, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy
from budgetkit.rules.facts import ledger_of
from budgetkit.tolerance import Gap, Term, Verdict, printed_alike, same_gap

Pick = Callable[[Table], "Term | None"]
YEAR_TOTAL_KEYS = {"income_total", "expenditure_total", "grand_total"}
TOTAL_KEYS = YEAR_TOTAL_KEYS | {"use_non_fiscal_balance", "opening_balance", "balance_distribution", "closing_balance"}


def value(table: Table, row: Row | None, *measures: str) -> Term | None:
    """The first of ``measures`` the row has, as a term in the table's unit."""
    if row is None:
        return None
    for measure in measures:
        if measure in row.values:
            return Term(row.values[measure], table.unit)
    return None


def line(key: str, side: Side, *measures: str) -> Pick:
    """A labelled line of a two-sided table (its figure, LINE_FIGURE, unless told)."""
    return lambda t: value(t, t.line(key, side), *(measures or LINE_FIGURE))


def total(measure: str) -> Pick:
    """A column of the 合计 row."""
    return lambda t: value(t, t.total_row(), measure)


def current_total(table: Table, side: Side) -> Row | None:
    """本年收入/支出合计, or 收入/支出总计 when a budget table lists no carry-over."""
    key = "income_total" if side == Side.INCOME else "expenditure_total"
    return table.line(key, side) or table.line("grand_total", side)


def same(ctx: Context, item: str, stated: Term | None, other: Term | None,
         stated_table: Table, other_table: Table) -> Iterator[Discrepancy]:
    """The same figure shown in two tables, each printed figure rounded on its own."""
    if stated is None or other is None or printed_alike(stated, other):
        return
    gap = same_gap(stated, other, ctx.tolerance)
    if gap and gap.verdict:
        yield Discrepancy.of(stated, gap, item, [other.cell.ref], stated_table=stated_table.title,
                             other_table=other_table.title)


def not_above(ctx: Context, item: str, part: Term | None, whole: Term | None, part_table: Table,
              whole_table: Table) -> Discrepancy | None:
    """Part ≤ whole: a part may fall short of the whole, never exceed it beyond rounding.
    A function, not a generator: rules ask it of every line, and it seldom finds."""
    if part is None or whole is None or part.cell.is_blank or not (part.cell.known and whole.cell.known):
        return None
    if part.unit is whole.unit and part.sign == whole.sign == 1 and part.cell.amount <= whole.cell.amount:
        return None  # within the whole as printed: nothing to convert
    scale = part.unit.yuan
    excess = (part.yuan - whole.yuan) / scale
    if excess <= 0:
        return None
    halves = part.half_unit_yuan + (0 if whole.cell.is_blank else whole.half_unit_yuan)
    envelope = halves / scale + ctx.tolerance.amount
    verdict = Verdict.ROUNDING if excess <= envelope else Verdict.MISMATCH
    gap = Gap(part.cell.amount, whole.yuan / scale, envelope, verdict)
    return Discrepancy.of(part, gap, item, [whole.cell.ref], stated_table=part_table.title,
                          other_table=whole_table.title)


def pairs(ctx: Context, kind_a: TableKind, kind_b: TableKind) -> Iterator[tuple[Table, Table]]:
    """Table pairs of one department that share a unit (a unit slip is BK401's to report)."""
    ledger = ledger_of(ctx)
    for a, b in ctx.pairs(kind_a, kind_b):
        if not ledger.apart(a, b):
            yield a, b


def as_shown(figure: Term, unit_of: Term) -> Cell:
    """``figure`` converted into ``unit_of``'s unit and rounded to its shown decimals."""
    exponent = Decimal(1).scaleb(-unit_of.cell.decimals)
    converted = (figure.yuan / unit_of.unit.yuan).quantize(exponent, rounding=ROUND_HALF_UP)
    return Cell(converted, figure.cell.ref, unit_of.cell.decimals)
