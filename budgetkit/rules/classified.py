"""表内 rules for tables whose rows are 科目编码 (收入决算表, 支出决算表, …)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from budgetkit.model import RATIOS, Row, Severity, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.tolerance import Term, cells_gap, sum_gap

INCOME_PARTS = ("fiscal", "superior_subsidy", "business", "operating", "affiliated", "other", "special_account",
                "non_local_fiscal")
SPENDING_PARTS = ("basic", "project", "to_superior", "operating", "to_subsidiary")
ROW_COMPONENTS = {
    TableKind.INCOME: INCOME_PARTS,
    TableKind.EXPENDITURE: SPENDING_PARTS,
    TableKind.GP_EXPENDITURE: SPENDING_PARTS,
    TableKind.GOV_FUND: SPENDING_PARTS,
    TableKind.STATE_CAPITAL: SPENDING_PARTS,
    TableKind.BUDGET_INCOME: ("opening",) + INCOME_PARTS,  # a budget 收入总表 may print 上年结转 among its sources
    TableKind.BUDGET_EXPENDITURE: SPENDING_PARTS,
    TableKind.BUDGET_GP_EXPENDITURE: SPENDING_PARTS,
    TableKind.BUDGET_GOV_FUND: SPENDING_PARTS,
    TableKind.BUDGET_STATE_CAPITAL: SPENDING_PARTS,
    TableKind.BASIC_EXPENDITURE: ("personnel", "public"),  # printed 合计 | 人员经费 | 公用经费, not as blocks
    TableKind.BUDGET_BASIC: ("personnel", "public"),
}
CLASSIFIED = tuple(ROW_COMPONENTS)
FUND_TABLES = (TableKind.GP_EXPENDITURE, TableKind.GOV_FUND, TableKind.STATE_CAPITAL)


def _classified_tables(ctx: Context) -> Iterator[Table]:
    for kind in CLASSIFIED:
        yield from ctx.tables(kind)


def _column_sums(ctx: Context, table: Table, stated_row: Row, parts: list[Row], what: str) -> Iterator[Discrepancy]:
    for measure, header in table.columns.items():
        if measure in RATIOS:
            continue
        stated = stated_row.values.get(measure)
        if stated is None:
            continue
        cells = [cell for p in parts if (cell := p.values.get(measure)) is not None]
        gap = cells_gap(stated, cells, table.unit, ctx.tolerance)
        if gap and gap.verdict:
            yield Discrepancy.of(Term(stated, table.unit), gap, stated_row.item,
                                 [c.ref for c in cells if not c.is_blank], column=header, parts=what)


@rule("BK101", "row.total", "行内合计", Severity.ERROR, CLASSIFIED,
      "{item}：“{column}”填报 {stated}，同行各列之和为 {expected}，相差 {difference}{unit}。")
def row_total(ctx: Context) -> Iterator[Discrepancy]:
    """每一行的合计列应等于同行各组成列之和；分组列（如 基本支出 下分 人员经费、公用经费）的小计应等于其下各列之和。

    收入决算表：本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入；
    支出决算表：本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出。
    分组列只计一次：印有 基本支出 小计 时，合计 = 小计 + 项目支出；未印小计时，合计 = 人员经费 + 公用经费 + 项目支出。
    其他分组列（如 年初预算数、年初结转和结余 下分 基本支出、项目支出）印有小计的，小计亦应等于其下各列之和。
    部门收入总表的 财政拨款收入 可按 一般公共预算、政府性基金、国有资本经营 分列，合计 亦含 上年结转 和 财政专户管理资金收入。

    错误示例：2080505 行 本年支出合计 13.44，基本支出 13.43，项目支出 空白。
    正确示例：2080505 行 本年支出合计 13.44，基本支出 13.44。
    """
    for table in _classified_tables(ctx):
        components = ROW_COMPONENTS.get(table.kind, ())
        parts = [m for m in components if m in table.columns]
        parts += [p for m in components if m not in table.columns for p in table.groups.get(m, ())]
        # A group printed with its own total (基本支出 小计 over 人员经费 | 公用经费) adds up to it, as does
        # any other group printed with two or more parts (年初预算数 or 年初结转和结余 {小计 | 基本支出 | 项目支出}).
        sums = [(m, table.groups[m]) for m in components if m in table.columns and m in table.groups]
        sums += [(m, sub) for m, sub in table.groups.items()
                 if m in table.columns and m not in components and len(sub) > 1]
        if "total" in table.columns and parts:
            sums.insert(0, ("total", tuple(parts)))
        for row in table.rows:
            for total_measure, part_measures in sums:
                if found := _row_sum(ctx, table, row, total_measure, part_measures):
                    yield found


def _row_sum(ctx: Context, table: Table, row: Row, total_measure: str, parts: tuple[str, ...]) -> Discrepancy | None:
    """A row's total against its parts; a function, not a generator: called for every row, it seldom finds."""
    values = row.values
    total = values[total_measure]
    cells = [values[m] for m in parts]
    gap = cells_gap(total, cells, table.unit, ctx.tolerance)
    if gap and gap.verdict:
        return Discrepancy.of(Term(total, table.unit), gap, row.item, [c.ref for c in cells if not c.is_blank],
                              column=table.columns[total_measure])
    return None


@rule("BK102", "column.total", "合计行", Severity.ERROR, CLASSIFIED,
      "合计行“{column}”填报 {stated}，各{parts}之和为 {expected}，相差 {difference}{unit}。")
def column_total(ctx: Context) -> Iterator[Discrepancy]:
    """合计行应等于各“类”行之和（按列逐一核对）。

    只加总最高一级科目，避免把类、款、项重复相加。

    错误示例：合计 163.68，而 206 科学技术支出 125.43 + 208 社会保障和就业支出 20.15 + 210 卫生健康支出 5.95
    + 221 住房保障支出 12.15 = 163.68 以外还多列了一个类。
    正确示例：合计 163.68 = 125.43 + 20.15 + 5.95 + 12.15。
    """
    for table in _classified_tables(ctx):
        total, tops = table.total_row(), table.top_rows()
        if total is None or not tops:
            continue
        yield from _column_sums(ctx, table, total, tops, tops[0].level.value if tops[0].level else "科目")


@rule("BK103", "code.hierarchy", "科目层级", Severity.ERROR, CLASSIFIED,
      "{item}：“{column}”填报 {stated}，其下各{parts}之和为 {expected}，相差 {difference}{unit}。")
def code_hierarchy(ctx: Context) -> Iterator[Discrepancy]:
    """类 = Σ 款，款 = Σ 项（按列逐一核对，只核对表中列出了下级科目的行）。

    错误示例：20805 行政事业单位养老支出 20.15，而 2080505 13.44 + 2080506 6.72 = 20.16。
    正确示例：20805 行政事业单位养老支出 20.16 = 13.44 + 6.72。
    """
    for table in _classified_tables(ctx):
        children_of: dict[str, list] = defaultdict(list)
        for row in table.rows:
            if row.code and len(row.code) > 3:
                children_of[row.code[:-2]].append(row)
        mistyped = [r for r in table.rows if r.code and len(r.code) not in (3, 5, 7)]
        for parent in (r for r in table.rows if r.code):
            children = children_of.get(parent.code)
            if mistyped and any(r.code.startswith(parent.code) and r is not parent for r in mistyped):
                # A line under it has a mistyped code (BK511 names it): which lines it sums is unknown.
                ctx.note("BK103", f"{parent.item}：其下有位数不对的科目编码，未核对")
            elif children:
                level = "款" if len(parent.code) == 3 else "项"
                yield from _column_sums(ctx, table, parent, children, level)


@rule("BK104", "fund.rollforward", "结转结余滚动", Severity.ERROR, FUND_TABLES,
      "{item}：年末结转和结余填报 {stated}，按 年初结转和结余 + 本年收入 − 本年支出 计算应为 {expected}，"
      "相差 {difference}{unit}。")
def fund_rollforward(ctx: Context) -> Iterator[Discrepancy]:
    """年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出（每一行及合计行）。

    错误示例：年初 10.00，本年收入 50.00，本年支出 45.00，年末 5.00。
    正确示例：年末 15.00 = 10.00 + 50.00 − 45.00。
    """
    for kind in FUND_TABLES:
        for table in ctx.tables(kind):
            if not {"opening", "income", "total", "closing"} <= set(table.columns):
                continue
            for row in table.rows:
                v = row.values
                terms = [Term(v["opening"], table.unit), Term(v["income"], table.unit),
                         Term(v["total"], table.unit, -1)]
                gap = sum_gap(Term(v["closing"], table.unit), terms, ctx.tolerance)
                if gap and gap.verdict:
                    yield Discrepancy.of(Term(v["closing"], table.unit), gap, row.item,
                                         [t.cell.ref for t in terms if not t.cell.is_blank])
