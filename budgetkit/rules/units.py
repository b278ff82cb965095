"""Rules about the amount unit a table states."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.model import Severity, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.facts import FACT_KINDS, ledger_of
from budgetkit.tolerance import same_gap

ALL_KINDS = tuple(TableKind)


@rule("BK401", "unit.scale", "金额单位", Severity.ERROR, FACT_KINDS,
      "{item}：{stated_table}为 {stated}{unit}，{other_table}为 {expected}{unit}，相差约 {factor} 倍，"
      "很可能是某张表的金额单位（元/千元/万元）填写或换算有误；两表的逐项核对已略过。")
def unit_scale(ctx: Context) -> Iterator[Discrepancy]:
    """两张应当一致的表相差 1000 倍或 10000 倍时，报告一条“单位可能有误”，而不是逐项列出差异；
    两表之间的其他核对（包括部分不大于整体的核对）都不再进行。

    错误示例：总表（单位：万元）本年收入合计 163.68，收入决算表（单位：万元）合计 1,636,800.00。
    正确示例：收入决算表注明“单位：元”，合计 1,636,800.00，换算后与总表一致。
    """
    for slip in ledger_of(ctx).slips:
        ours, theirs = slip.stated.figure, slip.other.figure
        gap = same_gap(ours, theirs, ctx.tolerance)
        yield Discrepancy.of(ours, gap, slip.stated.item, [theirs.cell.ref], stated_table=slip.stated.table.title,
                             other_table=slip.other.table.title, factor=str(slip.factor))


@rule("BK402", "unit.missing", "未注明单位", Severity.WARNING, ALL_KINDS,
      "“{item}”未注明金额单位，已按万元核对；请在表头注明“单位：万元”或“单位：元”。")
def unit_missing(ctx: Context) -> Iterator[Discrepancy]:
    """每张表都应在标题下注明金额单位；未注明时按万元处理，表间核对可能因此失真。

    错误示例：标题“收入决算表”下方没有“单位：……”一行，表头也没有“（万元）”。
    正确示例：标题下方右侧注明“单位：万元”。
    """
    for kind in ALL_KINDS:
        for table in ctx.tables(kind):
            if not table.unit_stated:
                yield Discrepancy.flag(table.anchor_ref, table.title)
