"""表内 rules for two-sided 总表: listed lines, totals and the balance."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.model import Row, Severity, Side, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.tolerance import Term, same_gap, sum_gap

TWO_SIDED = (TableKind.SUMMARY,)
CURRENT_YEAR_TOTAL = {Side.INCOME: "income_total", Side.EXPENDITURE: "expenditure_total"}
GRAND_TOTAL_PARTS = {
    Side.INCOME: ("income_total", "use_non_fiscal_balance", "opening_balance"),
    Side.EXPENDITURE: ("expenditure_total", "balance_distribution", "closing_balance"),
}
TOTAL_KEYS = {"income_total", "expenditure_total", "grand_total", "use_non_fiscal_balance", "opening_balance",
              "balance_distribution", "closing_balance"}


def _two_sided(ctx: Context) -> Iterator[Table]:
    for kind in TWO_SIDED:
        yield from ctx.tables(kind)


def _figure(table: Table, row: Row) -> Term | None:
    """The figure of a 总表 line: its only column, or its 合计 column."""
    cell = row.values.get("amount") or row.values.get("total")
    return Term(cell, table.unit) if cell is not None else None


def _sum_check(ctx: Context, table: Table, stated_row: Row | None, parts: list[Row]) -> Iterator[Discrepancy]:
    stated = _figure(table, stated_row) if stated_row else None
    terms = [t for p in parts if (t := _figure(table, p))]
    if stated is None or not terms:
        return
    gap = sum_gap(stated, terms, ctx.tolerance)
    if gap and gap.verdict:
        yield Discrepancy.of(stated, gap, stated_row.label, [t.cell.ref for t in terms if not t.cell.is_blank],
                             parts="、".join(p.label for p in parts if not _figure(table, p).cell.is_blank) or "各项")


@rule("BK111", "summary.listed_lines", "总表本年合计", Severity.ERROR, TWO_SIDED,
      "{item}填报 {stated}，其上所列各项之和为 {expected}，相差 {difference}{unit}。")
def listed_lines(ctx: Context) -> Iterator[Discrepancy]:
    """本年收入合计 = 其上所列各项收入之和；本年支出合计 = 其上所列各项支出之和。

    “其中”、“1.”、“（一）”等明细行不重复相加。

    错误示例：一、一般公共预算财政拨款收入 163.68，五、事业收入 10.00，本年收入合计 163.68。
    正确示例：本年收入合计 173.68 = 163.68 + 10.00。
    """
    for table in _two_sided(ctx):
        for side, key in CURRENT_YEAR_TOTAL.items():
            lines = table.rows_on(side)
            total = table.line(key, side)
            if total is None:
                continue
            above = lines[: lines.index(total)]
            yield from _sum_check(ctx, table, total, [r for r in above if r.parent_key is None and
                                                       r.key not in TOTAL_KEYS])


@rule("BK112", "summary.grand_total", "总表总计", Severity.ERROR, TWO_SIDED,
      "{item}填报 {stated}，按 {parts} 计算应为 {expected}，相差 {difference}{unit}。")
def grand_total(ctx: Context) -> Iterator[Discrepancy]:
    """收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；
    支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余。

    错误示例：本年收入合计 163.68，年初结转和结余 0.84，收入总计 163.68。
    正确示例：收入总计 164.52 = 163.68 + 0.84。
    """
    for table in _two_sided(ctx):
        for side, keys in GRAND_TOTAL_PARTS.items():
            parts = [row for key in keys if (row := table.line(key, side))]
            yield from _sum_check(ctx, table, table.line("grand_total", side), parts)


@rule("BK113", "summary.balance", "收支平衡", Severity.ERROR, TWO_SIDED,
      "收入总计 {expected} 与支出总计 {stated} 不相等，相差 {difference}{unit}。")
def balance(ctx: Context) -> Iterator[Discrepancy]:
    """收入总计 = 支出总计（两侧的“总计”必须相等）。

    错误示例：收入总计 164.52，支出总计 163.68（年末结转和结余 0.84 未列）。
    正确示例：收入总计 164.52 = 支出总计 164.52。
    """
    for table in _two_sided(ctx):
        income = table.line("grand_total", Side.INCOME)
        spending = table.line("grand_total", Side.EXPENDITURE)
        if income is None or spending is None:
            continue
        stated, other = _figure(table, spending), _figure(table, income)
        gap = same_gap(stated, other, 1, ctx.tolerance)
        if gap and gap.verdict:
            yield Discrepancy.of(stated, gap, "总计", [other.cell.ref])


@rule("BK114", "summary.sub_lines", "明细行", Severity.ERROR, TWO_SIDED,
      "{item}填报 {stated}，其明细 {parts} 之和为 {expected}，相差 {difference}{unit}。")
def sub_lines(ctx: Context) -> Iterator[Discrepancy]:
    """带明细的行应等于其明细行之和，例如 一、财政拨款收入 = 1. 一般公共预算资金 + 2. 政府性基金 + 3. 国有资本经营预算。

    错误示例：一、财政拨款收入 100.00，1. 一般公共预算资金 90.00，2. 政府性基金 5.00。
    正确示例：一、财政拨款收入 95.00 = 90.00 + 5.00。
    """
    for table in _two_sided(ctx):
        for side in Side:
            lines = table.rows_on(side)
            for parent in lines:
                children = [r for r in lines if r.parent_key == parent.label and parent.parent_key is None]
                if children:
                    yield from _sum_check(ctx, table, parent, children)
