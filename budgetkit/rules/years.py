"""Rules across a department's years: this year's 年初结转和结余 is last year's 年末.

Both years' 决算 tables state their carry-overs as facts of the fact ledger (facts.py):
the 总表's 年初/年末结转和结余 lines, the 财政拨款总表's lines per fund, and the
政府性基金/国有资本经营 tables' columns per 功能科目. Each of this year's 年初 facts is
set against last year's 年末 fact of the same fund scope and line, from a table of the
same kind where last year has one."""

from __future__ import annotations

import re
from collections.abc import Iterator

from budgetkit.model import Severity, Stage, Table, TableKind
from budgetkit.rules.base import Context, Counted, Discrepancy, Group, rule
from budgetkit.rules.facts import Fact, FactKey, stated_facts
from budgetkit.tolerance import same_gap

OPENING, CLOSING = "年初结转和结余", "年末结转和结余"
CARRYOVER_KINDS = (TableKind.SUMMARY, TableKind.FISCAL_SUMMARY, TableKind.GOV_FUND, TableKind.STATE_CAPITAL)
CONTINUITY = ("{item}：本年{stated_table}年初数 {stated}，上年决算（{other_file}）{other_table}年末数 {expected}，"
              "相差 {difference}{unit}。")
# A note under the table that says the 年初 figures were restated (调整) explains a difference; not one
# that says they were not ("年初数未作调整"), nor one restating something else ("上年结转资金调整用途").
_RESTATED = re.compile(r"(?:调整|追溯|更正|重述)(?!用途)")
_NOT_RESTATED = re.compile(r"[未不没无](?:有|作|进行|予以)?(?:调整|追溯|更正|重述)")


def needs_two_years(ctx: Context) -> str:
    if any(next(_carry_facts(ctx, previous, CLOSING), None) and next(_carry_facts(ctx, current, OPENING), None)
           for previous, current in ctx.consecutive_years()):
        return ""
    return "缺少同一部门连续两年的决算（年初、年末结转和结余）"


@rule("BK241", "years.opening_is_last_closing", "年初结转和结余与上年年末", Severity.ERROR, CARRYOVER_KINDS,
      CONTINUITY, requires=needs_two_years)
def opening_is_last_closing(ctx: Context) -> Iterator[Discrepancy]:
    """本年决算的年初结转和结余应等于上年决算的年末结转和结余：合计、各项财政拨款资金，以及两年都列出的功能科目。

    同一部门连续两年的决算放在同一文件夹时核对。
    错误示例：2024 年总表 年初结转和结余 12.50，2023 年总表 年末结转和结余 10.50。
    正确示例：两数均为 12.50；表下注明年初数经调整的，见 BK242。
    """
    yield from _continuity(ctx, restated=False)


@rule("BK242", "years.restated_opening", "年初结转和结余经调整", Severity.WARNING, CARRYOVER_KINDS,
      CONTINUITY + "表下说明年初数已调整，请核实调整原因与金额。", requires=needs_two_years)
def restated_opening(ctx: Context) -> Iterator[Discrepancy]:
    """本年年初结转和结余与上年年末不一致，但表下说明或注释写明年初数经过调整（调整、更正、追溯）：提请核实，不作错误。

    错误示例：表下注“年初结转和结余因会计差错更正调整”，年初 12.50，上年年末 10.50（警告）。
    正确示例：无调整说明时同样的差额为错误（BK241）。
    """
    yield from _continuity(ctx, restated=True)


def _continuity(ctx: Context, restated: bool) -> Iterator[Discrepancy]:
    """The comparisons of one kind: notes saying the 年初 was restated (BK242) or not (BK241)."""
    for opening, last in _carried_over(ctx):
        if _says_restated(opening.table) != restated:
            continue
        gap = same_gap(opening.figure, last.figure, ctx.tolerance)
        if gap and gap.verdict:
            yield Discrepancy.of(opening.figure, gap, opening.item, [last.figure.cell.ref],
                                 stated_table=opening.table.title, other_table=last.table.title,
                                 other_file=last.table.file)


def _carried_over(ctx: Context) -> list[tuple[Fact, Fact]]:
    """Each 年初 fact of a department's year with last year's 年末 fact it must equal (from a
    table of the same kind where last year has one); paired once for both rules."""
    if "years.carried_over" not in ctx.memo:
        pairs = []
        for previous, current in ctx.consecutive_years():
            closing: dict[tuple[FactKey, TableKind | None], Fact] = {}
            for fact, opening_key in _carry_facts(ctx, previous, CLOSING):
                closing.setdefault((opening_key, fact.table.kind), fact)
                closing.setdefault((opening_key, None), fact)
            for fact, key in _carry_facts(ctx, current, OPENING):
                last = closing.get((key, fact.table.kind)) or closing.get((key, None))
                if last is not None:
                    pairs.append((fact, last))
        ctx.memo["years.carried_over"] = pairs
        if pairs:
            ctx.note("BK241", Counted(len(pairs), "个年初数与上年年末数"))
    return ctx.memo["years.carried_over"]


def _carry_facts(ctx: Context, group: Group, which: str) -> Iterator[tuple[Fact, FactKey]]:
    """The group's 决算 年初 (or 年末) facts, each with the key of its 年初 form, which is how
    a 年末 and the next year's 年初 meet: a named line (年初结转和结余) or a 功能科目's column."""
    for table in group.tables:
        if table.kind not in CARRYOVER_KINDS or table.kind.stage != Stage.FINAL:
            continue
        for fact in stated_facts(ctx, table):
            key = fact.key
            if key.line == which and key.measure == "合计":
                yield fact, FactKey(key.scope, OPENING, key.measure)
            elif key.measure == which and key.line[:1].isdigit():
                yield fact, FactKey(key.scope, key.line, OPENING)


def _says_restated(table: Table) -> bool:
    return any("年初" in sentence and _RESTATED.search(sentence) and not _NOT_RESTATED.search(sentence)
               for note in table.notes for sentence in re.split(r"[。；;]", note))
