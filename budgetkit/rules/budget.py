"""表间 rules for the 部门预算 tables, and between a year's 预算 and its 决算."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.model import LINE_FIGURE, Severity, Side, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.cross import SAME
from budgetkit.rules.facts import discrepancies
from budgetkit.rules.picks import as_shown, line, pairs, same, total, value
from budgetkit.money import fmt_amount
from budgetkit.tolerance import Term


@rule("BK211", "budget.summary_income", "收支总表与收入总表", Severity.ERROR,
      (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_INCOME), SAME, cross_table=True)
def summary_income(ctx: Context) -> Iterator[Discrepancy]:
    """部门收支总表的各项收入及收入总计应与部门收入总表合计行一致。

    错误示例：收支总表 一、财政拨款收入 371,514,655.00，收入总表 财政拨款收入 371,000,000.00。
    正确示例：两表均为 371,514,655.00。
    """
    yield from discrepancies(ctx, "BK211")


@rule("BK212", "budget.summary_expenditure", "收支总表与支出总表", Severity.ERROR,
      (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_EXPENDITURE), SAME, cross_table=True)
def summary_expenditure(ctx: Context) -> Iterator[Discrepancy]:
    """部门收支总表的支出合计及每个功能分类“类”应与部门支出总表一致。

    错误示例：收支总表 二、科学技术支出 17,200,000.00，支出总表 206 为 17,000,000.00。
    正确示例：两表均为 17,200,000.00。
    """
    yield from discrepancies(ctx, "BK212")


@rule("BK213", "budget.income_expenditure", "收入总表与支出总表", Severity.ERROR,
      (TableKind.BUDGET_INCOME, TableKind.BUDGET_EXPENDITURE), SAME, cross_table=True)
def income_expenditure(ctx: Context) -> Iterator[Discrepancy]:
    """部门预算收支平衡：收入总表合计 = 支出总表合计。两表合计只在没有结转时相等：收支总表列有结转下年，
    或列有上年结转而收入总表的合计不含它（收入总表没有“上年结转”一栏）时，不核对，在覆盖情况中说明。

    错误示例：收入总表 合计 371,514,655.00，支出总表 合计 371,414,655.00。
    正确示例：两表均为 371,514,655.00。
    """
    summaries = {id(income): group.of(TableKind.BUDGET_SUMMARY) for group in ctx.groups
                 for income in group.of(TableKind.BUDGET_INCOME)}
    for income, spending in pairs(ctx, TableKind.BUDGET_INCOME, TableKind.BUDGET_EXPENDITURE):
        carried = _carried_over(income, summaries[id(income)])
        if carried:
            ctx.note("BK213", f"{carried}，{income.title}与{spending.title}的合计不必相等，未核对")
        else:
            yield from same(ctx, "合计", total("total")(income), total("total")(spending), income, spending)


def _carried_over(income: Table, summaries: list[Table]) -> str:
    """What a 收支总表 prints that keeps the 收入总表's 合计 from equalling the 支出总表's: money carried
    to next year, or carried from last year that the 收入总表's 合计 does not count (it has no
    上年结转 column); "" when neither."""
    for summary in summaries:
        carried_in, carried_out = (line(key, side)(summary) for key, side in _CARRIED)
        if _printed(carried_out):
            return f"{summary.title}列有结转下年 {_shown(carried_out)}"
        if _printed(carried_in) and "opening" not in income.columns:
            return f"{summary.title}列有上年结转 {_shown(carried_in)}"
    return ""


_CARRIED = (("opening_balance", Side.INCOME), ("closing_balance", Side.EXPENDITURE))


def _printed(term: Term | None) -> bool:
    return term is not None and term.cell.known and term.cell.amount != 0


def _shown(term: Term) -> str:
    return fmt_amount(term.cell.amount, term.cell.decimals) + term.unit.label


@rule("BK214", "budget.fiscal_summary_summary", "财政拨款收支总表与收支总表", Severity.ERROR,
      (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_SUMMARY), SAME, cross_table=True)
def fiscal_summary_summary(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款收支总表的三项财政拨款收入应与部门收支总表的相应收入一致。

    错误示例：财政拨款收支总表 一般公共预算资金 371,514,655.00，收支总表 1. 一般公共预算资金 370,000,000.00。
    正确示例：两表均为 371,514,655.00。
    """
    yield from discrepancies(ctx, "BK214")


@rule("BK215", "budget.fiscal_summary_general_budget", "财政拨款收支总表与一般公共预算支出表", Severity.ERROR,
      (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_GP_EXPENDITURE), SAME, cross_table=True)
def fiscal_summary_general_budget(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款收支总表“一般公共预算”列的支出总计和每个“类”应与一般公共预算支出（功能分类）表一致。

    错误示例：财政拨款收支总表 科学技术支出 17,200,000.00，一般公共预算支出表 206 为 17,000,000.00。
    正确示例：两表均为 17,200,000.00。
    """
    yield from discrepancies(ctx, "BK215")


@rule("BK216", "budget.fiscal_summary_gov_fund", "财政拨款收支总表与政府性基金预算支出表", Severity.ERROR,
      (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_GOV_FUND), SAME, cross_table=True)
def fiscal_summary_gov_fund(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款收支总表“政府性基金预算”列的支出总计 = 政府性基金预算支出表合计。

    错误示例：财政拨款收支总表 政府性基金预算 支出总计 1,000.00，政府性基金预算支出表为空表。
    正确示例：两表均为空，或均为 1,000.00。
    """
    yield from discrepancies(ctx, "BK216")


@rule("BK217", "budget.fiscal_summary_state_capital", "财政拨款收支总表与国有资本经营预算支出表", Severity.ERROR,
      (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_STATE_CAPITAL), SAME, cross_table=True)
def fiscal_summary_state_capital(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款收支总表“国有资本经营预算”列的支出总计 = 国有资本经营预算支出表合计。

    错误示例：财政拨款收支总表 国有资本经营预算 支出总计 500.00，国有资本经营预算支出表 合计 50.00。
    正确示例：两表均为 500.00。
    """
    yield from discrepancies(ctx, "BK217")


@rule("BK218", "budget.general_budget_basic", "一般公共预算支出表与基本支出经济分类表", Severity.ERROR,
      (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC), SAME, cross_table=True)
def general_budget_basic(ctx: Context) -> Iterator[Discrepancy]:
    """一般公共预算支出表合计行“基本支出” = 一般公共预算基本支出（经济分类）表合计。

    错误示例：一般公共预算支出表 基本支出 19,830,655.00，基本支出经济分类表 合计 19,830,000.00。
    正确示例：两表均为 19,830,655.00。
    """
    yield from discrepancies(ctx, "BK218")


@rule("BK219", "budget.operating_costs", "机关运行经费与公用经费", Severity.WARNING,
      (TableKind.BUDGET_THREE_PUBLIC, TableKind.BUDGET_BASIC),
      "{item}：{stated_table}填报 {stated}{unit}，超过{other_table}公用经费合计换算的 {expected}{unit}，"
      "相差 {difference}{unit}；请核实。", cross_table=True)
def operating_costs(ctx: Context) -> Iterator[Discrepancy]:
    """机关运行经费（行政单位和参公事业单位的日常公用经费）预算数不应超过基本支出经济分类表的公用经费合计（两表单位常不同，
    元换算为万元后取两位小数再比较）。只有行政单位的部门两者相等；有其他事业单位的部门，公用经费合计大于机关运行经费，不报。

    错误示例：机关运行经费预算数 181.01 万元，公用经费合计 1,710,062.00 元（171.01 万元）。
    正确示例：机关运行经费预算数 171.01 万元，公用经费合计 1,710,062.00 元；或部门含事业单位，公用经费合计 1,810,062.00 元。
    """
    for three, basic in pairs(ctx, TableKind.BUDGET_THREE_PUBLIC, TableKind.BUDGET_BASIC):
        stated = value(three, three.rows[0], "operating_costs.budget")
        # The 公用经费 column of the 合计 row, or the 公用经费合计 footer of a table printed as blocks.
        public = total("public")(basic) or value(basic, basic.line("public_total"), *LINE_FIGURE)
        if stated is None or public is None or public.cell.is_blank:
            continue
        shown = Term(as_shown(public, stated), stated.unit)
        yield from (found for found in same(ctx, "机关运行经费预算数", stated, shown, three, basic)
                    if found.stated > found.expected)

