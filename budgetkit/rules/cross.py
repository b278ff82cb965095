"""表间 rules for the 决算 tables: the same figure in two tables of one department.

Which figures two tables share is the fact ledger's to find (facts.py); each rule here
names one pair of table kinds and reports that pair's disagreements."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.model import LINE_FIGURE, Severity, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.facts import ANY_PAIR, FACT_KINDS, discrepancies
from budgetkit.rules.picks import not_above, pairs, value

SAME = "{item}：{stated_table}填报 {stated}，{other_table}为 {expected}，相差 {difference}{unit}。"
PART = "{item}：{stated_table}为 {stated}，超过{other_table}的 {expected}（部分不应大于整体），超出 {excess}{unit}。"


@rule("BK201", "cross.summary_income", "总表与收入决算表", Severity.ERROR,
      (TableKind.SUMMARY, TableKind.INCOME), SAME, cross_table=True)
def summary_income(ctx: Context) -> Iterator[Discrepancy]:
    """总表各项收入及本年收入合计应与收入决算表合计行一致。

    一般公共预算、政府性基金、国有资本经营三项财政拨款收入之和 = 收入决算表“财政拨款收入”；
    上级补助、事业、经营、附属单位上缴、其他收入一一对应；本年收入合计 = 收入决算表“本年收入合计”。

    错误示例：总表 本年收入合计 163.68，收入决算表 合计 164.52。
    正确示例：两表均为 163.68。
    """
    yield from discrepancies(ctx, "BK201")


@rule("BK202", "cross.summary_expenditure", "总表与支出决算表", Severity.ERROR,
      (TableKind.SUMMARY, TableKind.EXPENDITURE), SAME, cross_table=True)
def summary_expenditure(ctx: Context) -> Iterator[Discrepancy]:
    """总表本年支出合计及每个功能分类“类”应与支出决算表一致。

    错误示例：总表 八、社会保障和就业支出 20.15，支出决算表 208 社会保障和就业支出 20.35。
    正确示例：两表均为 20.15。
    """
    yield from discrepancies(ctx, "BK202")


@rule("BK203", "cross.fiscal_summary_summary", "财政拨款总表与总表", Severity.ERROR,
      (TableKind.FISCAL_SUMMARY, TableKind.SUMMARY), SAME, cross_table=True)
def fiscal_summary_summary(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款收入支出决算总表的三项财政拨款收入应与收入支出决算总表一致。

    错误示例：财政拨款总表 一般公共预算财政拨款 307.82，总表 一般公共预算财政拨款收入 300.00。
    正确示例：两表均为 307.82。
    """
    yield from discrepancies(ctx, "BK203")


@rule("BK204", "cross.income_fiscal_summary", "收入决算表与财政拨款总表", Severity.ERROR,
      (TableKind.INCOME, TableKind.FISCAL_SUMMARY), SAME, cross_table=True)
def income_fiscal_summary(ctx: Context) -> Iterator[Discrepancy]:
    """收入决算表合计行“财政拨款收入”应等于财政拨款收入支出决算总表的本年收入合计。

    错误示例：收入决算表 财政拨款收入 307.82，财政拨款总表 本年收入合计 305.00。
    正确示例：两表均为 307.82。
    """
    yield from discrepancies(ctx, "BK204")


@rule("BK205", "cross.fiscal_summary_general_budget", "财政拨款总表与一般公共预算支出表", Severity.ERROR,
      (TableKind.FISCAL_SUMMARY, TableKind.GP_EXPENDITURE), SAME, cross_table=True)
def fiscal_summary_general_budget(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款总表“一般公共预算财政拨款”列的本年支出合计和每个“类”应与一般公共预算财政拨款支出决算表一致。

    错误示例：财政拨款总表 一般公共服务支出（一般公共预算列）264.87，一般公共预算支出表 201 为 246.87。
    正确示例：两表均为 264.87。
    """
    yield from discrepancies(ctx, "BK205")


@rule("BK206", "cross.general_budget_basic", "一般公共预算支出表与基本支出表", Severity.ERROR,
      (TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE), SAME, cross_table=True)
def general_budget_basic(ctx: Context) -> Iterator[Discrepancy]:
    """一般公共预算财政拨款支出决算表合计行“基本支出” = 基本支出决算表 人员经费合计 + 公用经费合计。

    错误示例：基本支出 105.58，人员经费合计 95.36 + 公用经费合计 10.23 = 105.59（在取整误差内，报“提示”）。
    正确示例：基本支出 105.59 = 95.36 + 10.23。
    """
    yield from discrepancies(ctx, "BK206")


@rule("BK207", "cross.fiscal_summary_gov_fund", "财政拨款总表与政府性基金表", Severity.ERROR,
      (TableKind.FISCAL_SUMMARY, TableKind.GOV_FUND), SAME, cross_table=True)
def fiscal_summary_gov_fund(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款总表的政府性基金收入、支出（合计及每个“类”）、年初与年末结转和结余应与政府性基金预算财政拨款收入支出决算表一致。

    错误示例：财政拨款总表 政府性基金列 本年支出合计 50.00，政府性基金表 本年支出合计 45.00。
    正确示例：两表均为 50.00。
    """
    yield from discrepancies(ctx, "BK207")


@rule("BK208", "cross.fiscal_summary_state_capital", "财政拨款总表与国有资本经营表", Severity.ERROR,
      (TableKind.FISCAL_SUMMARY, TableKind.STATE_CAPITAL), SAME, cross_table=True)
def fiscal_summary_state_capital(ctx: Context) -> Iterator[Discrepancy]:
    """财政拨款总表的国有资本经营收入、支出、年初与年末结转和结余应与国有资本经营预算财政拨款收入支出决算表一致。

    错误示例：财政拨款总表 国有资本经营列 本年支出合计 8.00，国有资本经营表为空。
    正确示例：两表均为 8.00，或两表均为空。
    """
    yield from discrepancies(ctx, "BK208")


@rule("BK209", "cross.general_budget_within_expenditure", "财政拨款支出不超过总支出", Severity.ERROR,
      (TableKind.GP_EXPENDITURE, TableKind.EXPENDITURE), PART, cross_table=True)
def general_budget_within_expenditure(ctx: Context) -> Iterator[Discrepancy]:
    """一般公共预算财政拨款支出是全部支出的一部分：同一科目的合计、基本支出都不应大于支出决算表。

    错误示例：一般公共预算支出表 2080505 合计 6.50，支出决算表 2080505 本年支出合计 6.18。
    正确示例：一般公共预算支出表 6.18，支出决算表 6.18（或更大，含非财政拨款资金）。
    """
    for general, spending in pairs(ctx, TableKind.GP_EXPENDITURE, TableKind.EXPENDITURE):
        spending_lines = spending.coded()
        for code, row in general.coded().items():
            item = row.item
            for measure in ("total", "basic"):
                if found := not_above(ctx, item, value(general, row, measure),
                                      value(spending, spending_lines.get(code), measure), general, spending):
                    yield found


ECONOMIC_VS_THREE_PUBLIC = (("30212", "abroad"), ("30217", "reception"), ("30231", "car_operation"),
                            ("31013", "car_purchase"))


@rule("BK210", "cross.basic_within_three_public", "基本支出中的“三公”不超过“三公”表", Severity.ERROR,
      (TableKind.BASIC_EXPENDITURE, TableKind.THREE_PUBLIC), PART, cross_table=True)
def basic_within_three_public(ctx: Context) -> Iterator[Discrepancy]:
    """基本支出表中的 30212 因公出国（境）费用、30217 公务接待费、30231 公务用车运行维护费、31013 公务用车购置
    不应大于“三公”经费表相应项目的决算数（“三公”表含基本和项目支出，是整体）。

    错误示例：基本支出表 30217 公务接待费 8.31，“三公”表 公务接待费决算数 0.30。
    正确示例：基本支出表 30217 公务接待费 0.30，“三公”表 公务接待费决算数 0.30。
    """
    for basic, three in pairs(ctx, TableKind.BASIC_EXPENDITURE, TableKind.THREE_PUBLIC):
        row, lines = three.rows[0], basic.coded()
        for code, item in ECONOMIC_VS_THREE_PUBLIC:
            part = lines.get(code)
            if part and (found := not_above(ctx, part.item, value(basic, part, *LINE_FIGURE),
                                            value(three, row, f"{item}.final"), basic, three)):
                yield found



@rule("BK220", "cross.same_figure", "同一数字在两表", Severity.ERROR, FACT_KINDS, SAME)
def same_figure(ctx: Context) -> Iterator[Discrepancy]:
    """同一部门同一阶段的两张表列出同一个数（同一资金范围、同一科目或同一栏目、同一口径）时，两表应一致。

    上面各条表间规则未涉及的表对都在这里比对，例如预算收支总表把支出分为人员经费、公用经费和项目支出时，
    与基本支出经济分类表的人员经费、公用经费合计比对；只有一般公共预算资金的部门，其全部资金的数字即一般公共预算的数字。

    错误示例：财务收支预算总表 支出总计 人员经费 22,473,997.81，基本支出经济分类表 人员经费合计 22,372,797.81。
    正确示例：两表均为 22,473,997.81。
    """
    yield from discrepancies(ctx, ANY_PAIR)


@rule("BK230", "cross.department_unplaced", "表格所属部门不明", Severity.WARNING, tuple(TableKind),
      "{item}：同一文件夹中有几个部门的表格，这张表既没有“部门：”一行，文件名也没有写明部门，"
      "无法确定属于哪个部门，因此未与其他文件的表格比对。请在表头注明部门，或把各部门的文件分放在不同文件夹。")
def department_unplaced(ctx: Context) -> Iterator[Discrepancy]:
    """每张表都应能确定所属部门，表间核对才不会把两个部门的数字放在一起比较。

    同一文件夹中有几个部门的工作簿时，按表头“部门：”一行或文件名中的部门名称分组；两者都没有的表格
    不与任何部门的表格比对，只在这里提示一次。

    错误示例：文件夹中有“区民政局2024年部门决算.xlsx”“区司法局2024年部门决算.xlsx”和没有部门名的“决算.xlsx”。
    正确示例：第三个文件改名为“区财政局2024年部门决算.xlsx”，或表头写明“部门：区财政局”。
    """
    for group in ctx.groups:
        if group.unplaced:
            files = list(dict.fromkeys(t.file for t in group.tables))
            first = group.tables[0]
            yield Discrepancy.flag(first.anchor_ref, "、".join(files))
