"""Rules for working sheets with 金额 and 占比 columns (收入/支出构成)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from budgetkit.model import SUBTOTAL_KEY, Cell, Row, Severity, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.tolerance import ZERO, Gap, Term, Verdict, share_gap, sum_gap

SHARES = (TableKind.SHARES,)
HUNDRED = Decimal(100)
_POINT_DECIMALS = 3  # a fraction's decimals of a percentage shown to a tenth of a point (12.5%)


def _parts(table: Table) -> list[Row]:
    """The lines the whole is made of: not its 合计, nor a line detailing another (其中) or summed by a subtotal."""
    return [r for r in table.rows if not r.is_total and r.parent_key is None]


def _subtotals(table: Table) -> Iterator[tuple[Row, list[Row]]]:
    """Each subtotal (财政拨款小计, 本年收入合计 above 收入总计) with the lines it sums."""
    for row in table.rows:
        if row.key and row.key.startswith(SUBTOTAL_KEY):
            yield row, [r for r in table.rows if r.parent_key == row.key]


def _wholes_of(table: Table, row: Row) -> list[Row]:
    """Besides the table's whole, what else a line's share may be of: the subtotal that sums it, or
    the line a 其中 line details ("其中：人员经费（占基本支出比重）")."""
    if row.parent_key is None or row.is_total:
        return []
    above = table.rows[:table.rows.index(row)]
    return [r for r in reversed(above) if r.key == row.parent_key or (r.label == row.parent_key and r.parent_key is None)][:1]


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
    （如 6 项各 16.67%，合计 100.02%），各项的取整误差也算在内，属尾差。“其中”行、小计所含各行的占比也可以是
    占所属上一行（小计）的比重；显示到 0.1 个百分点或更细、各项凑成 100% 的，每项差一个末位属尾差。

    错误示例：上年结转 0.84 万元，合计 163.68 万元，占比“0%”（应为 0.51%，取整为 1%）。
    正确示例：上年结转 0.84 万元，合计 164.52 万元，占比 0.51%。
    """
    for table in ctx.tables(TableKind.SHARES):
        total, total_half = denominator(table)
        parts = [r.values["share"] for r in _parts(table) if not r.values["share"].is_blank]
        summed = sum((share.half_unit for share in parts), ZERO)
        # Shares printed to a decimal of a point or finer and rounded to add up to exactly 100% (the
        # largest-remainder way, as the 报告用表 prints them) may each be moved by a unit of their last digit;
        # never a whole point, nor a share of something shown as 0.
        evened = len(parts) > 1 and sum((share.amount for share in parts), ZERO) == 1
        for row in table.rows:
            share, amount = row.values["share"], row.values["amount"]
            moved = summed if row.is_total else \
                share.half_unit if evened and share.decimals >= _POINT_DECIMALS and share.amount else ZERO
            gap = share_gap(share, amount, total, total_half, ctx.tolerance, moved)
            if gap and gap.verdict and not any(_share_of(share, amount, whole, ctx) for whole in _wholes_of(table, row)):
                yield Discrepancy.of_share(share, gap, row.item, [amount.ref], amount=f"{amount.amount:,.2f}",
                                           total=f"{total:,.2f}")


def _share_of(share: Cell, amount: Cell, whole: Row, ctx: Context) -> bool:
    """Whether the share is the amount's part of ``whole`` (within rounding)."""
    cell = whole.values["amount"]
    if cell.is_blank or cell.amount == 0:
        return False
    gap = share_gap(share, amount, cell.amount, cell.half_unit, ctx.tolerance)
    return gap is None or gap.verdict is not Verdict.MISMATCH


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
    """构成表的合计应等于所列各项金额之和；表中的小计（财政拨款小计、本年收入合计等）应等于它所小计的各行之和，
    合计按小计和未被小计的各行相加。

    错误示例：收入合计 163.68 万元，而上年结转 0.84 + 一般公共预算拨款收入 163.68 = 164.52 万元。
    正确示例：收入合计 164.52 万元。
    """
    for table in ctx.tables(TableKind.SHARES):
        total = table.total_row()
        sums = [(total, _parts(table))] if total is not None else []
        for row, lines in [*_subtotals(table), *sums]:
            stated = Term(row.values["amount"], table.unit)
            terms = [Term(r.values["amount"], table.unit) for r in lines]
            gap = sum_gap(stated, terms, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(stated, gap, row.label, [t.cell.ref for t in terms if not t.cell.is_blank])
