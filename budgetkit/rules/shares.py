"""Rules for the staff's working sheets: 金额 and 占比 (收入/支出构成), and 预算执行率 (预算数 | 执行数 | 执行率)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from budgetkit.lines import sheet_line, sheet_whole
from budgetkit.model import SUBTOTAL_KEY, Cell, Row, Scope, Severity, Side, Stage, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.facts import FACT_KINDS, FactKey, figure_gap, sound_facts_by_key
from budgetkit.rules.facts import INCOME_LINES as FACT_INCOME_LINES
from budgetkit.tolerance import ZERO, Gap, Term, Tolerance, Verdict, share_gap, sum_gap

SHARES = (TableKind.SHARES,)
HUNDRED = Decimal(100)
_POINT_DECIMALS = 3  # a fraction's decimals of a percentage shown to a tenth of a point (12.5%)


def _parts(table: Table) -> list[Row]:
    """The lines the whole is made of: not its 合计, nor a line detailing another (其中) or summed by a subtotal."""
    return [r for r in table.rows if not r.is_total and r.parent_key is None]


def _subtotals(table: Table) -> Iterator[tuple[Row, list[Row]]]:
    """Each subtotal (财政拨款小计, 本年收入合计 above 收入总计) with the lines it sums; one whose lines
    cannot be told (no run of lines next to it adds up to it) is not held to any."""
    for row in table.rows:
        if row.key and row.key.startswith(SUBTOTAL_KEY):
            lines = [r for r in table.rows if r.parent_key == row.key]
            if lines:
                yield row, lines


def _wholes_of(table: Table, row: Row) -> list[Row]:
    """Besides the table's whole, what else a line's share may be of: the subtotal that sums it, or
    the line a 其中 line details ("其中：人员经费（占基本支出比重）")."""
    if row.parent_key is None or row.is_total:
        return []
    above = table.rows[:table.rows.index(row)]
    return [r for r in reversed(above) if r.key == row.parent_key or (r.label == row.parent_key and r.parent_key is None)][:1]


# Each year's amount and share measures a sheet may print: this year's, and last year's beside them (与上年对比).
_YEARS = (("amount", "share"), ("previous", "previous_share"))


def denominator(table: Table, amount: str = "amount") -> tuple[Decimal, Decimal]:
    """The table's total (its stated 合计, else the sum of its lines) and that total's rounding."""
    total = table.total_row()
    if total is not None and not total.values[amount].is_blank:
        cell = total.values[amount]
        return cell.amount, cell.half_unit
    cells = [r.values[amount] for r in _parts(table)]
    return sum((c.amount for c in cells), ZERO), sum((c.half_unit for c in cells if not c.is_blank), ZERO)


@rule("BK301", "share.value", "占比计算", Severity.ERROR, SHARES,
      "{item}：占比填报 {stated}%，按金额 {amount} ÷ 合计 {total} 计算应为 {expected}%，相差 {difference} 个百分点。")
def share_value(ctx: Context) -> Iterator[Discrepancy]:
    """每项占比应等于该项金额 ÷ 表的合计，误差不超过占比所显示小数位的半个单位。

    非零金额显示为“0%”而按其显示位数应进位为 1% 及以上的，是错误。合计行的占比可以是各项占比之和
    （如 6 项各 16.67%，合计 100.02%），各项的取整误差也算在内，属尾差。“其中”行、小计所含各行的占比也可以是
    占所属上一行（小计）的比重；显示到 0.1 个百分点或更细、各项凑成 100% 的，每项差一个末位属尾差。
    与上年对比、同时列出上年金额和上年占比的，上年占比按上年金额 ÷ 上年合计同样核对（BK302、BK303 同此）。

    错误示例：上年结转 0.84 万元，合计 163.68 万元，占比“0%”（应为 0.51%，取整为 1%）。
    正确示例：上年结转 0.84 万元，合计 164.52 万元，占比 0.51%。
    """
    for table, amount_measure, share_measure in _each_year(ctx):
        total, total_half = denominator(table, amount_measure)
        parts = [r.values[share_measure] for r in _parts(table) if not r.values[share_measure].is_blank]
        summed = sum((share.half_unit for share in parts), ZERO)
        # Shares printed to a decimal of a point or finer and rounded to add up to exactly 100% (the
        # largest-remainder way, as the 报告用表 prints them) may each be moved by a unit of their last digit;
        # never a whole point, nor a share of something shown as 0.
        evened = len(parts) > 1 and sum((share.amount for share in parts), ZERO) == 1
        for row in table.rows:
            share, amount = row.values[share_measure], row.values[amount_measure]
            moved = summed if row.is_total else \
                share.half_unit if evened and share.decimals >= _POINT_DECIMALS and share.amount else ZERO
            gap = share_gap(share, amount, total, total_half, ctx.tolerance, moved)
            if gap and gap.verdict and not any(_share_of(share, amount, whole.values[amount_measure], ctx)
                                               for whole in _wholes_of(table, row)):
                item = row.item if share_measure == "share" else f"{row.item}（{table.columns[share_measure]}）"
                yield Discrepancy.of_share(share, gap, item, [amount.ref], amount=f"{amount.amount:,.2f}",
                                           total=f"{total:,.2f}")


def _each_year(ctx: Context) -> Iterator[tuple[Table, str, str]]:
    """Each staff sheet with the amount and share measures of each year it prints both of."""
    for table in ctx.tables(TableKind.SHARES):
        yield from ((table, amount, share) for amount, share in _YEARS
                    if amount in table.columns and share in table.columns)


def _share_of(share: Cell, amount: Cell, whole: Cell, ctx: Context) -> bool:
    """Whether the share is the amount's part of ``whole`` (within rounding)."""
    if whole.is_blank or whole.amount == 0:
        return False
    gap = share_gap(share, amount, whole.amount, whole.half_unit, ctx.tolerance)
    return gap is None or gap.verdict is not Verdict.MISMATCH


@rule("BK302", "share.sum", "占比合计", Severity.ERROR, SHARES,
      "各项占比之和为 {stated}%，应为 100%，相差 {difference} 个百分点。")
def share_sum(ctx: Context) -> Iterator[Discrepancy]:
    """各项占比之和应为 100%，允许每项半个显示单位的取整误差。

    错误示例：上年结转 0%，一般公共预算拨款收入 100%，而两项金额均不为零（实际应为 0.51% + 99.49%）。
    正确示例：76.63% + 12.31% + 3.64% + 7.42% = 100.00%。
    """
    for table, _, share_measure in _each_year(ctx):
        shares = [r.values[share_measure] for r in _parts(table) if not r.values[share_measure].is_blank]
        if len(shares) < 2:
            continue
        stated = sum((s.amount for s in shares), ZERO) * HUNDRED
        envelope = sum((s.half_unit for s in shares), ZERO) * HUNDRED + ctx.tolerance.share
        gap = stated - HUNDRED
        if gap:
            total = table.total_row()
            anchor = total.values[share_measure] if total else shares[0]
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
    for table, amount_measure, _ in _each_year(ctx):
        total = table.total_row()
        sums = [(total, _parts(table))] if total is not None else []
        for row, summed in [*_subtotals(table), *sums]:
            stated = Term(row.values[amount_measure], table.unit)
            terms = [Term(r.values[amount_measure], table.unit) for r in summed]
            gap = sum_gap(stated, terms, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(stated, gap, row.label, [t.cell.ref for t in terms if not t.cell.is_blank])


def _beside_its_tables(ctx: Context) -> str:
    """Why BK304 cannot run ("" when it can): it needs a staff sheet and the 决算 or 预算 tables of its department."""
    sheets = [g for g in ctx.groups if g.of(TableKind.SHARES)]
    if not sheets:
        return "缺少金额占比表"
    if any(t.kind in FACT_KINDS for g in sheets for t in g.tables):
        return ""
    return "缺少与测算表同一部门、同一年度的决算或预算表格"


@rule("BK304", "share.against_tables", "测算表与决算（预算）表", Severity.ERROR, SHARES,
      "{item}：测算表填报 {stated}，{other_table}为 {expected}，相差 {difference}{unit}。",
      requires=_beside_its_tables)
def share_against_tables(ctx: Context) -> Iterator[Discrepancy]:
    """测算表（金额/占比表）中与决算（预算）表同一项目的金额应与表中一致：按功能分类的类、收入来源、基本支出和项目支出，
    以及各项加得上合计时的合计（收入不含年初结转和结余的为本年收入合计，含的为收入总计）。

    测算表的口径不明（全部资金、财政拨款还是一般公共预算），与任一口径的表中数一致即可；表中没有该项的不核对；
    金额列写明“预算数”“决算数”的，只与同一阶段的表核对。

    错误示例：测算表中卫生健康支出 63.35 万元，支出决算表 210 卫生健康支出 62.35 万元。
    正确示例：测算表与支出决算表均为 62.35 万元。
    """
    for group in ctx.groups:
        stages = {t.kind.stage for t in group.tables if t.kind in FACT_KINDS}
        for table in group.of(TableKind.SHARES):
            column = table.columns.get("amount", "")
            named = {stage for stage, word in ((Stage.BUDGET, "预算"), (Stage.FINAL, "决算")) if word in column}
            ledgers = [sound_facts_by_key(ctx, group, stage) for stage in sorted(named or stages, key=str) if stage in stages]
            lines_off = False  # a 合计 that adds up lines found off is off through them: not said again
            for row, keys in _keyed_lines(table, ctx.tolerance):
                cell = row.values["amount"]
                facts = [fact for ledger in ledgers for key in keys for fact in ledger.get(key, ())]
                if not facts or not cell.known or cell.is_blank or (row.is_total and lines_off):
                    continue
                stated = Term(cell, table.unit)
                gaps = [(fact, figure_gap(stated, fact, ctx.tolerance)) for fact in facts]
                if any(gap is None or gap.verdict is not Verdict.MISMATCH for _, gap in gaps):
                    continue
                lines_off = True
                fact, gap = min(gaps, key=lambda pair: abs(pair[1].difference))
                yield Discrepancy.of(stated, gap, row.item, [c.ref for c in fact.cells],
                                     other_table=f"{fact.source}的“{fact.item}”")


_ANY_SCOPE = tuple(Scope)
# The 总表 line a staff sheet's 合计 is (``lines.sheet_whole``), as the fact ledger names it.
_WHOLE_FACT_LINES = {"expenditure_total": "本年支出", "income_total": "本年收入", "grand_total": "收入总计"}


def _keyed_lines(table: Table, tolerance: Tolerance) -> Iterator[tuple[Row, list[FactKey]]]:
    """Each line of a staff sheet the 决算/预算 tables state too, with the facts it may be (in any scope)."""
    parts = _parts(table)
    for row in table.rows:
        line = sheet_line(row) if not row.is_total and row.side is not None else None
        if line is None:
            continue
        if row.side == Side.EXPENDITURE:
            fact = (line, "合计") if row.code else ("本年支出", line)  # a 类, or a nature of all the spending
        elif line in FACT_INCOME_LINES:
            fact = (FACT_INCOME_LINES[line][1], "合计")
        else:
            continue
        yield row, [FactKey(scope, *fact) for scope in _ANY_SCOPE]
    total = table.total_row()
    # The 合计 is compared only where the sheet's lines add up to it (else BK303 says so).
    if total is None or total.side is None or not parts or (gap := sum_gap(
            Term(total.values["amount"], table.unit), [Term(r.values["amount"], table.unit) for r in parts],
            tolerance)) is not None and gap.verdict is Verdict.MISMATCH:
        return
    whole = sheet_whole(total.side, [sheet_line(row) for row in parts])
    if whole is not None:
        yield total, [FactKey(scope, _WHOLE_FACT_LINES[whole], "合计") for scope in _ANY_SCOPE]


@rule("BK305", "rates.value", "执行率计算", Severity.ERROR, (TableKind.EXECUTION_RATES,),
      "{item}：执行率填报 {stated}%，按执行数 {actual} ÷ 预算数 {budget} 计算应为 {expected}%，相差 {difference} 个百分点。")
def rate_value(ctx: Context) -> Iterator[Discrepancy]:
    """测算表中的预算执行率（完成预算比例）应等于执行数（决算数）÷ 预算数，误差不超过执行率所显示小数位的半个单位
    及两数各自的取整误差；预算数为 0 或空白的行不核对。

    错误示例：卫生健康支出 预算数 64.00，决算数 62.35，执行率 99.42%（应为 97.42%）。
    正确示例：执行率 97.42%。
    """
    for table in ctx.tables(TableKind.EXECUTION_RATES):
        for row in table.rows:
            rate, actual, budget = (row.values[m] for m in ("rate", "actual", "budget"))
            if budget.is_blank or not budget.amount or not budget.known:
                continue
            gap = share_gap(rate, actual, budget.amount, budget.half_unit, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of_share(rate, gap, row.item, [actual.ref, budget.ref],
                                           actual=f"{actual.amount:,.2f}", budget=f"{budget.amount:,.2f}")
