"""核实性 rules: figures that are allowed but must be explained, and code-list checks.

They report warnings: failing one does not make a table wrong, it asks for a look
or an explanation in the 填报说明.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from budgetkit import subjects
from budgetkit.subjects import SubjectList
from budgetkit.model import Severity, Side, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.picks import line, pairs, same, value
from budgetkit.tolerance import Verdict

CARRYOVER_SHARE_LIMIT = Decimal("0.30")
PENSION_RATIO_BAND = (Decimal(1), Decimal(3))
FUNCTION_TABLES = (TableKind.GP_EXPENDITURE, TableKind.BUDGET_GP_EXPENDITURE)
# Functional 项/款 and the economic 款 that record the same payment.
SAME_PAYMENT = (("2080505", "30108"), ("2080506", "30109"), ("21011", "30110"), ("2210201", "30113"))
FUNCTION_CODED = (TableKind.INCOME, TableKind.EXPENDITURE, TableKind.GP_EXPENDITURE, TableKind.GOV_FUND,
                  TableKind.STATE_CAPITAL, TableKind.BUDGET_INCOME, TableKind.BUDGET_EXPENDITURE,
                  TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_GOV_FUND, TableKind.BUDGET_STATE_CAPITAL)
ECONOMIC_CODED = (TableKind.BASIC_EXPENDITURE, TableKind.BUDGET_BASIC)


@rule("BK501", "plausibility.large_carryover", "年末结转和结余较大", Severity.WARNING, (TableKind.SUMMARY,),
      "年末结转和结余 {stated}{unit}，占本年收入合计 {income}{unit} 的 {share}，超过 30%，请在填报说明中解释原因。")
def large_carryover(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）年末结转和结余超过本年收入合计的 30% 时，须在填报说明中解释原因。

    错误示例：本年收入合计 100.00，年末结转和结余 45.00，说明中未解释。
    正确示例：年末结转和结余 5.00；或结余较大并在说明中写明原因。
    """
    for table in ctx.tables(TableKind.SUMMARY):
        closing = line("closing_balance", Side.EXPENDITURE)(table)
        income = line("income_total", Side.INCOME)(table)
        if not closing or not income or income.cell.amount <= 0:
            continue
        share = closing.cell.amount / income.cell.amount
        if share > CARRYOVER_SHARE_LIMIT:
            yield Discrepancy(closing.cell.ref, "年末结转和结余", closing.cell.amount, None, table.unit.label,
                              Verdict.MISMATCH, decimals=closing.cell.decimals, related=(income.cell.ref,),
                              fields={"income": f"{income.cell.amount:,.2f}", "share": f"{share:.2%}"})


@rule("BK505", "plausibility.non_fiscal_balance_used", "使用非财政拨款结余", Severity.WARNING, (TableKind.SUMMARY,),
      "使用非财政拨款结余 {stated}{unit}，超过年初可用的非财政拨款结转和结余 {expected}{unit}"
      "（年初结转和结余 {opening} − 其中财政拨款 {fiscal}）；行政单位通常不应有此项，请核实。")
def non_fiscal_balance_used(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）使用非财政拨款结余只能动用年初已有的非财政拨款结余（事业单位）；它不应超过
    年初结转和结余中非财政拨款的部分（年初结转和结余 − 财政拨款总表的年初财政拨款结转和结余）。

    错误示例：使用非财政拨款结余 5.00，年初结转和结余 0.84，其中财政拨款 0.84（非财政部分为 0）。
    正确示例：行政单位该行为空；事业单位使用 5.00，年初非财政拨款结余不少于 5.00。
    """
    for group in ctx.groups:
        fiscal = next(iter(group.of(TableKind.FISCAL_SUMMARY)), None)
        for table in group.of(TableKind.SUMMARY):
            used = line("use_non_fiscal_balance", Side.INCOME)(table)
            if used is None or used.cell.amount <= 0:
                continue
            opening = line("opening_balance", Side.INCOME)(table)
            fiscal_opening = line("opening_balance", Side.INCOME)(fiscal) if fiscal else None
            available = (opening.yuan if opening else 0) - (fiscal_opening.yuan if fiscal_opening else 0)
            if used.yuan > available:
                scale = used.unit.yuan
                yield Discrepancy(used.cell.ref, "使用非财政拨款结余", used.cell.amount, available / scale,
                                  table.unit.label, Verdict.MISMATCH, decimals=used.cell.decimals,
                                  related=tuple(t.cell.ref for t in (opening, fiscal_opening) if t),
                                  fields={"opening": f"{(opening.yuan if opening else 0) / scale:,.2f}",
                                          "fiscal": f"{(fiscal_opening.yuan if fiscal_opening else 0) / scale:,.2f}"})


@rule("BK502", "plausibility.pension_ratio", "养老保险与职业年金比例", Severity.WARNING, FUNCTION_TABLES,
      "{item} {stated}{unit} 是 2080506 职业年金缴费 {annuity}{unit} 的 {ratio} 倍；两者通常约为 2:1"
      "（缴费比例 16% 与 8%），请核实是否填错科目。")
def pension_ratio(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）2080505 机关事业单位基本养老保险缴费通常约为 2080506 职业年金缴费的 2 倍；比值低于 1 或高于 3 时提示核实。

    错误示例：2080505 为 4.64，2080506 为 6.18（两科目填反，比值 0.75）。
    正确示例：2080505 为 6.18，2080506 为 4.64（比值 1.33，新进人员等原因可以偏离 2 倍）。
    """
    for kind in FUNCTION_TABLES:
        for table in ctx.tables(kind):
            pension, annuity = (value(table, table.coded().get(c), "total") for c in ("2080505", "2080506"))
            if not pension or not annuity or annuity.cell.amount <= 0 or pension.cell.is_blank:
                continue
            ratio = pension.cell.amount / annuity.cell.amount
            if not PENSION_RATIO_BAND[0] <= ratio <= PENSION_RATIO_BAND[1]:
                yield Discrepancy(pension.cell.ref, table.coded()["2080505"].item, pension.cell.amount, None,
                                  table.unit.label, Verdict.MISMATCH, decimals=pension.cell.decimals,
                                  related=(annuity.cell.ref,),
                                  fields={"annuity": f"{annuity.cell.amount:,.2f}", "ratio": f"{ratio:.2f}"})


SAME_PAYMENT_MESSAGE = ("{item}：{stated_table}为 {stated}，{other_table}对应的经济科目为 {expected}，"
                        "相差 {difference}{unit}；两者通常相等，请核实。")


def _same_payment(ctx: Context, general_kind: TableKind, basic_kind: TableKind,
                  measure: str) -> Iterator[Discrepancy]:
    for general, basic in pairs(ctx, general_kind, basic_kind):
        for function_code, economic_code in SAME_PAYMENT:
            row, other = general.coded().get(function_code), basic.coded().get(economic_code)
            if row and other:
                yield from same(ctx, row.item, value(general, row, "basic", "total"), value(basic, other, measure),
                                1, general, basic)


@rule("BK503", "plausibility.function_economic", "功能科目与经济科目对应", Severity.WARNING,
      (TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE), SAME_PAYMENT_MESSAGE, cross_table=True)
def function_economic(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）记录同一笔支付的功能科目（基本支出）与经济科目通常相等：2080505↔30108，2080506↔30109，
    21011↔30110，2210201↔30113。

    错误示例：一般公共预算支出表 2210201 住房公积金 17.70，基本支出表 30113 住房公积金 17.07。
    正确示例：两表均为 17.70。
    """
    yield from _same_payment(ctx, TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE, "amount")


@rule("BK504", "plausibility.budget_function_economic", "预算功能科目与经济科目对应", Severity.WARNING,
      (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC), SAME_PAYMENT_MESSAGE, cross_table=True)
def budget_function_economic(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）部门预算中，同一笔支付的功能科目与经济科目通常相等（对应关系同 BK503）。

    错误示例：一般公共预算支出表 2210201 住房公积金 1,361,034.00，基本支出经济分类表 30113 为 1,361,000.00。
    正确示例：两表均为 1,361,034.00。
    """
    yield from _same_payment(ctx, TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC, "total")


@rule("BK511", "subjects.code_list", "科目编码与名称", Severity.WARNING, FUNCTION_CODED + ECONOMIC_CODED,
      "{item}：{problem}。")
def code_list(ctx: Context) -> Iterator[Discrepancy]:
    """科目编码应在当年《政府收支分类科目》中，名称应与编码一致（名称被截断或换行的视为一致）。

    内置科目表见 budgetkit/data/subject_codes.csv（含各科目的启用、停用年度）；可在 budgetkit.toml 的
    [subjects] extra 中指定自己的 CSV 补充或更正。

    错误示例：2080505 科目名称写作“机关事业单位职业年金缴费支出”（那是 2080506）。
    正确示例：2080505 机关事业单位基本养老保险缴费支出。
    """
    for kinds, system in ((FUNCTION_CODED, "function"), (ECONOMIC_CODED, "economic")):
        for kind in kinds:
            for table in ctx.tables(kind):
                for row in table.rows:
                    problem = (_code_problem(ctx.subjects, system, row.code, row.label, table.year)
                               if row.code else None)
                    if problem:
                        yield Discrepancy.flag(row.label_ref, row.item, problem=problem)


def _code_problem(known: SubjectList, system: str, code: str, label: str, year: int | None) -> str | None:
    subject = known.lookup(system, code)
    if subject is None:
        return f"编码 {code} 不在科目表中，请核对编码；如为新增科目，可在 budgetkit.toml 的 [subjects] extra 中补充"
    if year and subject.valid_from and year < subject.valid_from:
        return f"科目 {code} 自 {subject.valid_from} 年起设立，{year} 年不应使用"
    if year and subject.valid_to and year > subject.valid_to:
        return f"科目 {code} 已于 {subject.valid_to} 年停用，{year} 年不应使用"
    if label and label != code and not subjects.name_matches(subject, label):
        return f"名称“{label}”与科目表中 {code} 的名称“{subject.name}”不一致"
    return None
