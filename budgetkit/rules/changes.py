"""Year-on-year columns printed beside a line's figure: 上年数 | 本年数 | 增减额 | 增长率（%）
(the 部门收支总表 and 支出表 of Hubei, Jiangsu, Guangxi, and the staff's 与上年对比 sheets). The loader
reads them where a table prints one column of each (``previous``, ``change``, ``change_rate``)."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.model import Cell, Row, Severity, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.tolerance import Term, is_percent_number, share_gap, sum_gap

# Every table read line by line with its amounts in columns: by 科目编码, two-sided, or a staff sheet's lines.
_TABLES = tuple(kind for kind in TableKind if kind not in (
    TableKind.THREE_PUBLIC, TableKind.BUDGET_THREE_PUBLIC, TableKind.PROJECT_SELF_EVAL, TableKind.DEPARTMENT_SELF_EVAL))


def _printing_last_year(ctx: Context) -> Iterator[Table]:
    for kind in _TABLES:
        yield from (t for t in ctx.tables(kind) if any(m.split(":")[-1] == "previous" for m in t.columns))


def needs_last_year(ctx: Context) -> str:
    """A table printing last year's figures beside this year's; without one the rules have nothing to hold."""
    return "" if next(_printing_last_year(ctx), None) else "没有列出上年数的表格（上年数 | 本年数 | 增减额 | 增长率）"


def _compared(ctx: Context) -> Iterator[tuple[Table, Row, Cell, Cell]]:
    """Each line printing both this year's figure (its line figure) and last year's, with the two."""
    for table in _printing_last_year(ctx):
        for row in table.rows:
            this, previous = row.figure, row.values.get("previous")
            if this is not None and previous is not None and this.known and previous.known:
                yield table, row, this, previous


def _column(table: Table, row: Row, measure: str) -> str:
    """The column's heading as printed: a two-sided table names its columns by side, a staff sheet by measure."""
    return (row.side and table.columns.get(f"{row.side.value}:{measure}")) or table.columns.get(measure, measure)


@rule("BK106", "row.change", "增减额", Severity.ERROR, _TABLES,
      "{item}：“{column}”填报 {stated}，本年数 {this} 减上年数 {previous} 为 {expected}，相差 {difference}{unit}。",
      requires=needs_last_year)
def change(ctx: Context) -> Iterator[Discrepancy]:
    """表中列有上年数和增减额的，每行的增减额 = 本年数 − 上年数。

    增减额空白的行不核对（“未知”不当作 0）。

    错误示例：上年预算数 186,000.00，本年预算数 200,000.00，增减额 4,000.00。
    正确示例：增减额 14,000.00。
    """
    for table, row, this, previous in _compared(ctx):
        stated = row.values.get("change")
        if stated is None or stated.is_blank or not stated.known:
            continue
        gap = sum_gap(Term(stated, table.unit), [Term(this, table.unit), Term(previous, table.unit, -1)], ctx.tolerance)
        if gap and gap.verdict:
            yield Discrepancy.of(Term(stated, table.unit), gap, row.item, [this.ref, previous.ref],
                                 column=_column(table, row, "change"), this=f"{this.amount:,.2f}",
                                 previous=f"{previous.amount:,.2f}")


@rule("BK107", "row.change_rate", "增长率", Severity.ERROR, _TABLES,
      "{item}：“{column}”填报 {stated}%，按本年数 {this} 与上年数 {previous} 计算应为 {expected}%，"
      "相差 {difference} 个百分点。", requires=needs_last_year)
def change_rate(ctx: Context) -> Iterator[Discrepancy]:
    """表中列有上年数和增长率的，每行的增长率 = （本年数 − 上年数）÷ 上年数。

    增长率可以是百分数（7.53）或小数（0.0753，显示为 7.53%），按哪种读法更接近计算值判断；
    上年数为零或空白、增长率空白的行不核对。本年数、上年数和增长率的取整误差都计入容差。
    增减额填错的，由 BK106 指出，增长率仍按本年数与上年数核对。

    错误示例：上年预算数 186,000.00，本年预算数 200,000.00，增长率 10.53%。
    正确示例：增长率 7.53%。
    """
    for table, row, this, previous in _compared(ctx):
        rate = row.values.get("change_rate")
        if rate is None or rate.is_blank or not rate.known or previous.amount == 0:
            continue
        # The change's rounding is this year's and last year's: the second is the denominator's.
        difference = Cell(this.amount - previous.amount, this.ref, this.decimals)
        exact = difference.amount / previous.amount
        fraction = Cell(rate.amount.scaleb(-2), rate.ref, rate.decimals + 2) \
            if is_percent_number(rate.amount, exact) else rate
        gap = share_gap(fraction, difference, previous.amount, previous.half_unit, ctx.tolerance,
                        previous.half_unit / abs(previous.amount))
        if gap and gap.verdict:
            yield Discrepancy.of_share(fraction, gap, row.item, [this.ref, previous.ref],
                                       column=_column(table, row, "change_rate"),
                                       this=f"{this.amount:,.2f}", previous=f"{previous.amount:,.2f}")
