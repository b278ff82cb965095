"""表内 rules for two-sided 总表: listed lines, totals, the balance and fund columns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from budgetkit.model import LINE_FIGURE, RATIOS, Row, Severity, Side, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.picks import TOTAL_KEYS, YEAR_TOTAL_KEYS, current_total, value
from budgetkit.tolerance import Term, cells_gap, same_gap, sum_gap

TWO_SIDED = (TableKind.SUMMARY, TableKind.FISCAL_SUMMARY, TableKind.BUDGET_SUMMARY, TableKind.BUDGET_FISCAL_SUMMARY)
FISCAL_TWO_SIDED = (TableKind.FISCAL_SUMMARY, TableKind.BUDGET_FISCAL_SUMMARY)
GRAND_TOTAL_PARTS = {
    Side.INCOME: ("income_total", "use_non_fiscal_balance", "opening_balance"),
    Side.EXPENDITURE: ("expenditure_total", "balance_distribution", "closing_balance"),
}
FUND_COLUMNS = ("general_budget", "gov_fund", "state_capital")


def _two_sided(ctx: Context, kinds: tuple[TableKind, ...] = TWO_SIDED) -> Iterator[Table]:
    for kind in kinds:
        yield from ctx.tables(kind)


def _keyed_lines(ctx: Context, table: Table) -> dict[tuple[str, Side | None], Row]:
    """``table.line(key, side)`` for every key and side at once, made once per run: the 总表 rules
    look up a dozen lines of every table, each a scan of its rows."""
    made = ctx.memo.setdefault("summary.keyed_lines", {})
    lines = made.get(id(table))  # the context holds every table it is given for as long as it lives
    if lines is None:
        # From the last row up, so that the first row of a key and side is the one kept, as line() finds it.
        lines = made[id(table)] = {(row.key, row.side): row for row in reversed(table.rows) if row.key}
    return lines


def _measures(table: Table, side: Side) -> list[str]:
    return [measure for key in table.columns if key.startswith(f"{side.value}:")
            and (measure := key.split(":", 1)[1]) not in RATIOS]


def _sum_check(ctx: Context, table: Table, side: Side, stated_row: Row | None, parts: list[Row]) -> Iterator[Discrepancy]:
    """stated_row = Σ parts, in every amount column of that side."""
    if stated_row is None or not parts:
        return
    for measure in _measures(table, side):
        stated = stated_row.values.get(measure)
        cells = [cell for p in parts if (cell := p.values.get(measure)) is not None]
        if stated is None or not cells:
            continue
        gap = cells_gap(stated, cells, table.unit, ctx.tolerance)
        if gap and gap.verdict:
            named = [p.label for p in parts if measure in p.values and not p.values[measure].is_blank]
            yield Discrepancy.of(Term(stated, table.unit), gap, stated_row.label,
                                 [c.ref for c in cells if not c.is_blank],
                                 parts="、".join(named) or "各项", column=table.columns[f"{side.value}:{measure}"])


@rule("BK111", "summary.listed_lines", "总表本年合计", Severity.ERROR, TWO_SIDED,
      "{item}（{column}）填报 {stated}，其上所列各项之和为 {expected}，相差 {difference}{unit}。")
def listed_lines(ctx: Context) -> Iterator[Discrepancy]:
    """本年收入合计 = 其上所列各项收入之和；本年支出合计 = 其上所列各项支出之和（每一金额列）。

    没有“本年合计”行的预算收支总表，以“收入总计/支出总计”核对，其上所列的上年结转、结转下年等行一并相加。
    “其中”、“1.”、“（一）”等明细行不重复相加；印有金额的“一、本年收入”“一、本年支出”标题行即本年合计，其下明细由 BK114 核对。

    错误示例：一、一般公共预算财政拨款收入 163.68，五、事业收入 10.00，本年收入合计 163.68。
    正确示例：本年收入合计 173.68 = 163.68 + 10.00。
    """
    for table in _two_sided(ctx):
        for side in Side:
            lines = table.rows_on(side)
            total = current_total(table, side)
            if total is None:
                continue
            # By identity: list.index compares rows field by field, every line above it.
            above = lines[: next(i for i, line in enumerate(lines) if line is total)]
            # A 总计 checked in place of the year's total counts the carry-over lines above it.
            left_out = YEAR_TOTAL_KEYS if total.key == "grand_total" else TOTAL_KEYS
            yield from _sum_check(ctx, table, side, total,
                                  [r for r in above if r.parent_key is None and r.key not in left_out])


@rule("BK112", "summary.grand_total", "总表总计", Severity.ERROR, TWO_SIDED,
      "{item}（{column}）填报 {stated}，按 {parts} 计算应为 {expected}，相差 {difference}{unit}。")
def grand_total(ctx: Context) -> Iterator[Discrepancy]:
    """收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；
    支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余。

    本年合计与总计之间另列、无法识别的行（印有数字）使该侧无法核对，不作判断。

    错误示例：本年收入合计 163.68，年初结转和结余 0.84，收入总计 163.68。
    正确示例：收入总计 164.52 = 163.68 + 0.84。
    """
    for table in _two_sided(ctx):
        lines = _keyed_lines(ctx, table)
        for side, keys in GRAND_TOTAL_PARTS.items():
            parts = [row for key in keys if (row := lines.get((key, side)))]
            grand = lines.get(("grand_total", side))
            if parts and parts[0].key in ("income_total", "expenditure_total") \
                    and not _unnamed_between(table.rows_on(side), parts[0], grand):
                yield from _sum_check(ctx, table, side, grand, parts)


def _unnamed_between(rows: list[Row], first: Row, last: Row | None) -> bool:
    """Whether a line the 总表 names in no known way prints a figure between the year's total and
    the 总计 (a '使用其他资金' no template names): a part of the 总计 that cannot be told apart."""
    places = {id(row): k for k, row in enumerate(rows)}  # by identity: two lines may print the same
    if last is None or id(first) not in places or id(last) not in places:
        return False
    between = rows[places[id(first)] + 1:places[id(last)]]
    return any(row.key is None and row.code is None and row.parent_key is None
               and any(cell.amount for cell in row.values.values()) for row in between)


@rule("BK113", "summary.balance", "收支平衡", Severity.ERROR, TWO_SIDED,
      "收入总计 {expected} 与支出总计 {stated} 不相等，相差 {difference}{unit}。")
def balance(ctx: Context) -> Iterator[Discrepancy]:
    """收入总计 = 支出总计（两侧的“总计”必须相等）。

    错误示例：收入总计 164.52，支出总计 163.68（年末结转和结余 0.84 未列）。
    正确示例：收入总计 164.52 = 支出总计 164.52。
    """
    for table in _two_sided(ctx):
        lines = _keyed_lines(ctx, table)
        stated = value(table, lines.get(("grand_total", Side.EXPENDITURE)), *LINE_FIGURE)
        other = value(table, lines.get(("grand_total", Side.INCOME)), *LINE_FIGURE)
        if stated is None or other is None:
            continue
        gap = same_gap(stated, other, ctx.tolerance)
        if gap and gap.verdict:
            yield Discrepancy.of(stated, gap, "总计", [other.cell.ref])


@rule("BK114", "summary.sub_lines", "明细行", Severity.ERROR, TWO_SIDED,
      "{item}（{column}）填报 {stated}，其明细 {parts} 之和为 {expected}，相差 {difference}{unit}。")
def sub_lines(ctx: Context) -> Iterator[Discrepancy]:
    """带明细的行应等于其明细行之和，例如 一、财政拨款收入 = 1. 一般公共预算资金 + 2. 政府性基金 + 3. 国有资本经营预算。
    只有一行“其中”的（“其中：政府性基金预算财政拨款”）只是其中一部分，不核对。

    错误示例：一、财政拨款收入 100.00，1. 一般公共预算资金 90.00，2. 政府性基金 5.00。
    正确示例：一、财政拨款收入 95.00 = 90.00 + 5.00。
    """
    for table in _two_sided(ctx):
        for side in Side:
            lines = table.rows_on(side)
            children_of: dict[str, list[Row]] = defaultdict(list)  # by the label of the line they detail
            for line in lines:
                if line.parent_key is not None:
                    children_of[line.parent_key].append(line)
            for parent in lines:
                children = children_of.get(parent.label) if parent.parent_key is None else None
                # most lines have none: no check to start; a lone "其中" names a part only ("其中：政府性基金…")
                if children and not (len(children) == 1 and children[0].label.lstrip().startswith("其中")):
                    yield from _sum_check(ctx, table, side, parent, children)


@rule("BK115", "fiscal_summary.row_total", "财政拨款分列合计", Severity.ERROR, FISCAL_TWO_SIDED,
      "{item}：合计填报 {stated}，一般公共预算、政府性基金、国有资本经营三列之和为 {expected}，相差 {difference}{unit}。")
def fiscal_row_total(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款总表支出一侧每一行：合计 = 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款。

    错误示例：一般公共服务支出 合计 264.87，一般公共预算列 260.00，其余两列空白。
    正确示例：合计 264.87 = 264.87 + 0 + 0。
    """
    for table in _two_sided(ctx, FISCAL_TWO_SIDED):
        for row in table.rows_on(Side.EXPENDITURE):
            stated = row.values.get("total")
            cells = [cell for m in FUND_COLUMNS if (cell := row.values.get(m)) is not None]
            if stated is None or not cells:
                continue
            gap = cells_gap(stated, cells, table.unit, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(Term(stated, table.unit), gap, row.label, [c.ref for c in cells if not c.is_blank])


@rule("BK116", "fiscal_summary.carryover", "财政拨款结转结余", Severity.ERROR, (TableKind.FISCAL_SUMMARY,),
      "{item}：年末结转和结余为 {stated}，按 年初 + 本年收入 − 本年支出 计算应为 {expected}，相差 {difference}{unit}。")
def fiscal_carryover(ctx: Context) -> Iterator[Discrepancy]:
    """按资金性质分别核对：年末财政拨款结转和结余 = 年初财政拨款结转和结余 + 本年收入 − 本年支出（财政拨款没有结余分配）。

    错误示例：一般公共预算 年初 5.00，本年收入 307.82，本年支出 307.82，年末 0.00。
    正确示例：年末 5.00 = 5.00 + 307.82 − 307.82。
    """
    names = {"general_budget": "一般公共预算财政拨款", "gov_fund": "政府性基金预算财政拨款",
             "state_capital": "国有资本经营预算财政拨款"}
    for table in ctx.tables(TableKind.FISCAL_SUMMARY):
        lines = _keyed_lines(ctx, table)
        for fund, name in names.items():
            closing = value(table, lines.get(("closing_balance", Side.EXPENDITURE)), fund)
            terms = [value(table, lines.get((f"opening_balance.{fund}", Side.INCOME)), "amount"),
                     value(table, lines.get((fund, Side.INCOME)), "amount")]
            spent = value(table, lines.get(("expenditure_total", Side.EXPENDITURE)), fund)
            terms = [t for t in terms if t] + ([Term(spent.cell, spent.unit, -1)] if spent else [])
            if closing is None or not terms:
                continue
            gap = sum_gap(closing, terms, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(closing, gap, name, [t.cell.ref for t in terms if not t.cell.is_blank])
