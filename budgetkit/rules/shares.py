"""Rules for working sheets with 金额 and 占比 columns (收入/支出构成)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from budgetkit.model import Row, Severity, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.tolerance import ZERO, Gap, Term, Verdict, share_gap, sum_gap

SHARES = (TableKind.SHARES,)
HUNDRED = Decimal(100)


def _parts(table: Table) -> list[Row]:
    """The lines the whole is made of: not its 合计, nor a line detailing another (其中)."""
    return [r for r in table.rows if not r.is_total and r.parent_key is None]


def denominator(table: Table) -> tuple[Decimal, Decimal]:
    """The table's total (its stated 合计, else the sum of its lines) and that total's rounding."""
    total = table.total_row()
    if total is not None and not total.values["amount"].is_blank:
        cell = total.values["amount"]
        return cell.amount, cell.half_unit
    cells = [r.values["amount"] for r in _parts(table)]
    return sum((c.amount for c in cells), ZERO), sum((c.half_unit for c in cells if not c.is_blank), ZERO)


@rule("BK301", "share.value", "占比计算", Severity.ERROR, SHARES,
      "{item}：占比填报 {stated}%，按金额 {amount} ÷ 合计 {total} 计算应为 {expected}%，相差 {difference} 个百分点。")
def share_value(ctx: Context) -> Iterator[Discrepancy]:
    """每项占比应等于该项金额 ÷ 表的合计，误差不超过占比所显示小数位的半个单位。

    非零金额显示为“0%”而按其显示位数应进位为 1% 及以上的，是错误。合计行的占比可以是各项占比之和
    （如 6 项各 16.67%，合计 100.02%），各项的取整误差也算在内，属尾差。

    错误示例：上年结转 0.84 万元，合计 163.68 万元，占比“0%”（应为 0.51%，取整为 1%）。
    正确示例：上年结转 0.84 万元，合计 164.52 万元，占比 0.51%。
    """
    for table in ctx.tables(TableKind.SHARES):
        total, total_half = denominator(table)
        summed = sum((r.values["share"].half_unit for r in _parts(table) if not r.values["share"].is_blank), ZERO)
        for row in table.rows:
            share, amount = row.values["share"], row.values["amount"]
            gap = share_gap(share, amount, total, total_half, ctx.tolerance, summed if row.is_total else ZERO)
            if gap and gap.verdict:
                yield Discrepancy.of_share(share, gap, row.item, [amount.ref], amount=f"{amount.amount:,.2f}",
                                           total=f"{total:,.2f}")


@rule("BK302", "share.sum", "占比合计", Severity.ERROR, SHARES,
      "各项占比之和为 {stated}%，应为 100%，相差 {difference} 个百分点。")
def share_sum(ctx: Context) -> Iterator[Discrepancy]:
    """各项占比之和应为 100%，允许每项半个显示单位的取整误差。

    错误示例：上年结转 0%，一般公共预算拨款收入 100%，而两项金额均不为零（实际应为 0.51% + 99.49%）。
    正确示例：76.63% + 12.31% + 3.64% + 7.42% = 100.00%。
    """
    for table in ctx.tables(TableKind.SHARES):
        shares = [r.values["share"] for r in _parts(table) if not r.values["share"].is_blank]
        if len(shares) < 2:
            continue
        stated = sum((s.amount for s in shares), ZERO) * HUNDRED
        envelope = sum((s.half_unit for s in shares), ZERO) * HUNDRED + ctx.tolerance.share
        gap = stated - HUNDRED
        if gap:
            total = table.total_row()
            anchor = total.values["share"] if total else shares[0]
            verdict = Verdict.ROUNDING if abs(gap) <= envelope else Verdict.MISMATCH
            yield Discrepancy.of_share(anchor, Gap(stated, HUNDRED, envelope, verdict), "占比合计",
                                       [s.ref for s in shares])


@rule("BK303", "share.total", "构成表合计", Severity.ERROR, SHARES,
      "{item}填报 {stated}，各项金额之和为 {expected}，相差 {difference}{unit}。")
def share_total(ctx: Context) -> Iterator[Discrepancy]:
    """构成表的合计应等于所列各项金额之和。

    错误示例：收入合计 163.68 万元，而上年结转 0.84 + 一般公共预算拨款收入 163.68 = 164.52 万元。
    正确示例：收入合计 164.52 万元。
    """
    for table in ctx.tables(TableKind.SHARES):
        total = table.total_row()
        if total is None:
            continue
        stated = Term(total.values["amount"], table.unit)
        terms = [Term(r.values["amount"], table.unit) for r in _parts(table)]
        gap = sum_gap(stated, terms, ctx.tolerance)
        if gap and gap.verdict:
            yield Discrepancy.of(stated, gap, total.label, [t.cell.ref for t in terms if not t.cell.is_blank])
