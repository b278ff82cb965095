"""Rules across a year's 预算 and 决算: how the year's budget was executed.

The 部门预算 tables state the 年初预算数 and the 决算 tables what was spent, both as
facts of the fact ledger (facts.py) keyed by fund scope and line (a 科目编码, or 本年支出
for a fund's whole spending). A line both stages state has an 执行率 = 决算数 ÷ 年初预算数;
one outside the band (budgetkit.toml [execution], default 90%–100%) asks the department
to explain the gap. The rate is judged on the printed figures' rounding interval, so a
rate that only rounding puts outside the band is not questioned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from budgetkit.lines import THREE_PUBLIC_NAMES
from budgetkit.model import CellRef, ExecutionBand, Row, Scope, Severity, Stage, Table, TableKind
from budgetkit.rules.base import Context, Counted, Discrepancy, Group, rule
from budgetkit.rules.cross import SAME
from budgetkit.rules.facts import FACT_KINDS, Fact, FactKey, sound_facts_by_key
from budgetkit.rules.picks import pairs, same, value
from budgetkit.tolerance import Verdict

HUNDRED = Decimal(100)
_SPENDING = "本年支出"


# Some 决算 print the year's budget beside each line: the 调整预算数 is the budget the year was
# executed against; the 年初预算数, or a bare 预算数, stands in where no 部门预算 table is at hand.
_PLAN_COLUMNS = (("adjusted", "调整预算数"), ("planned", "年初预算数"), ("budget", "预算数"))


def needs_budget_and_final(ctx: Context) -> str:
    if any(_executable(group) for group in ctx.groups):
        return ""
    return "缺少同一部门同一年度的部门预算和部门决算（或列出预算数的决算表）"


def _executable(group: Group) -> bool:
    """Whether the group holds a budget to set the 决算 against: its 部门预算 tables, or
    a 决算 table that prints the budget beside the 决算数."""
    kinds = {t.kind for t in group.tables if t.kind in FACT_KINDS}
    has_final = any(k.stage == Stage.FINAL for k in kinds)
    return has_final and (any(k.stage == Stage.BUDGET for k in kinds) or any(map(_prints_budgets, group.tables)))


def _prints_budgets(table: Table) -> bool:
    """A 决算 table of figures (not a 绩效自评表, whose 全年预算数 is a project's) printing budget columns."""
    return table.kind.stage == Stage.FINAL and table.kind in FACT_KINDS \
        and any(measure in table.columns for measure, _ in _PLAN_COLUMNS)


@rule("BK243", "execution.outside_band", "预算执行率超出区间", Severity.WARNING, FACT_KINDS,
      "{item}：决算数 {stated}{unit}，{denominator} {expected}{unit}（{budget_table}），{rate}，"
      "超出 {band} 的区间，请在说明中写明原因。", requires=needs_budget_and_final)
def outside_band(ctx: Context) -> Iterator[Discrepancy]:
    """同一部门同一年度既有部门预算又有部门决算时，各资金的本年支出和每个功能分类科目（类、款、项）的执行率
    （决算数 ÷ 年初预算数）应在区间内（默认 90%–100%，budgetkit.toml [execution] 可改）；超出的请在说明中写明原因。
    决算表本身列出调整预算数的（2018 年及以前的格式），以调整预算数为分母；只列年初预算数（或只写“预算数”）而没有部门预算表的，以它为分母。

    只报最细一级：某项超出区间时，其所属款、类不再重复提示。预算数为 0（或预算表未列该科目）而有决算数的，提示“无年初预算”。
    错误示例：2130106 科技转化与推广服务 年初预算 460.00 万元，决算 100.00 万元，执行率 21.74%。
    正确示例：执行率 96.61%（在 90%–100% 之内）。
    """
    compared = 0
    for group in ctx.groups:
        if not _executable(group):
            continue
        lines = _executed_lines(ctx, group)
        compared += len(lines)
        questioned = [line for line in lines if not _within(line, ctx.execution_band)]
        for line in questioned:
            if not any(line.repeats(other) for other in questioned):
                yield _discrepancy(line, ctx.execution_band)
    if compared:
        ctx.note("BK243", Counted(compared, f"个科目或资金的决算数与预算数（执行率区间 {ctx.execution_band.describe()}）"))


@rule("BK222", "execution.printed_budget", "决算所列年初预算数与部门预算", Severity.WARNING, FACT_KINDS,
      "{item}：{stated_table}所列{plan}填报 {stated}，当年部门预算（{other_table}）为 {expected}，相差 {difference}{unit}。",
      requires=needs_budget_and_final)
def printed_budget(ctx: Context) -> Iterator[Discrepancy]:
    """决算表在决算数前列出的年初预算数（或只写“预算数”）应等于同一部门同一年度部门预算的同一科目、同一资金（调整预算数
    不是年初预算，不核对）。

    错误示例：一般公共预算财政拨款支出决算表 213 农林水支出 年初预算数 3,074.96，当年部门预算 3,064.96。
    正确示例：两表均为 3,064.96。
    """
    for group in ctx.groups:
        if not _executable(group):
            continue
        budget = sound_facts_by_key(ctx, group, Stage.BUDGET)
        for key, facts, stated in _spending_lines(ctx, group):
            planned = budget.get(key)
            name = next((name for name in ("年初预算数", "预算数") if name in stated), None) if planned else None
            if name is None:
                continue
            printed, other = stated[name], _representative(planned)
            for found in same(ctx, printed.item, printed.figure, other.figure, printed.table, other.table):
                yield replace(found, fields={**found.fields, "plan": name})


@dataclass(frozen=True)
class _Executed:
    """One line's 决算 fact and its 年初预算 (None: the budget tables do not list it)."""

    key: FactKey
    final: Fact
    budget: Fact | None
    denominator: str = "年初预算数"

    @property
    def is_code(self) -> bool:
        return self.key.line.isdigit()

    @property
    def known(self) -> bool:
        facts = (self.final, self.budget) if self.budget else (self.final,)
        return all(term.cell.known for fact in facts for term in fact.parts)

    @property
    def amounts(self) -> tuple[Decimal, Decimal]:
        return self.final.yuan, self.budget.yuan if self.budget else Decimal(0)

    def repeats(self, other: _Executed) -> bool:
        """Whether ``other``, also questioned, says what this line would: a deeper line (the
        项 under this 款, in any fund; any 科目 under a fund's 本年支出), or this line in all
        funds with the same figures (a department whose 项 is paid by one fund)."""
        if other is self or not other.is_code:
            return False
        if not self.is_code:
            return True  # a fund's whole spending, questioned through its lines
        if other.key.line != self.key.line:
            return other.key.line.startswith(self.key.line)
        return (other.key.scope != self.key.scope and other.key.scope == Scope.ALL
                and other.amounts == self.amounts)


def _spending_lines(ctx: Context, group: Group) -> Iterator[tuple[FactKey, list[Fact], dict[str, Fact]]]:
    """Each 决算 line of spending by 功能分类 (and each fund's 本年支出), with the budgets its 决算 table
    prints on its row (年初预算数, 调整预算数, 预算数), in scope and code order."""
    final, plan_rows = sound_facts_by_key(ctx, group, Stage.FINAL), _rows_printing_budgets(group)
    for key, facts in sorted(final.items(), key=lambda item: (item[0].scope.value, item[0].line)):
        if key.measure != "合计" or not (key.line == _SPENDING or key.line.isdigit()):
            continue
        if key.line.isdigit() and not key.line.startswith("2"):
            continue  # 经济分类 lines (301 …) are not the 功能分类 the budget is executed by
        yield key, facts, _stated_plans(facts, plan_rows)


def _executed_lines(ctx: Context, group: Group) -> list[_Executed]:
    """Every 决算 line of spending the 预算 also speaks to: listed there, or absent from a
    budget table that lists lines of the same scope and depth (so its budget is nil)."""
    budget = sound_facts_by_key(ctx, group, Stage.BUDGET)
    listed = {(k.scope, len(k.line)) for k in budget if k.measure == "合计" and k.line.isdigit()}
    lines = []
    for key, facts, stated in _spending_lines(ctx, group):
        planned = budget.get(key)
        if "调整预算数" in stated:
            lines.append(_Executed(key, _representative(facts), stated["调整预算数"], "调整预算数"))
        elif planned or (key.line.isdigit() and (key.scope, len(key.line)) in listed):
            lines.append(_Executed(key, _representative(facts), _representative(planned) if planned else None))
        elif stated:
            name = next(name for _, name in _PLAN_COLUMNS if name in stated)
            lines.append(_Executed(key, _representative(facts), stated[name], name))
    # A figure the tables do not state (a 总计 row that fills only its 合计) or cannot be
    # read says nothing about execution: such a line is not judged.
    return [line for line in lines if line.known and (line.final.yuan or (line.budget and line.budget.yuan))]


def _rows_printing_budgets(group: Group) -> dict[CellRef, Row]:
    """The rows of the group's 决算 tables that print budgets beside the 决算数, by each of their cells."""
    return {cell.ref: row for table in group.tables if _prints_budgets(table)
            for row in table.rows for cell in row.values.values()}


def _stated_plans(facts: list[Fact], plan_rows: dict[CellRef, Row]) -> dict[str, Fact]:
    """The budgets a 决算 table prints on the row of one of ``facts`` (调整预算数, 年初预算数, 预算数)."""
    plans = {}
    for fact in facts:
        row = plan_rows.get(fact.figure.cell.ref) if len(fact.parts) == 1 else None
        if row is None:
            continue
        for measure, name in _PLAN_COLUMNS:
            cell = row.values.get(measure)
            if cell is not None and name not in plans:
                plans[name] = Fact(fact.key, fact.table, None, (cell,), name=fact.item)
    return plans


def _representative(facts: list[Fact]) -> Fact:
    """One printed figure among a stage's statements of a line (the stage's own rules
    compare them): a single cell before a sum, the detailed table before the 总表."""
    return min(facts, key=lambda f: (len(f.parts) > 1, f.table.kind in (TableKind.SUMMARY, TableKind.BUDGET_SUMMARY)))


def _within(line: _Executed, band: ExecutionBand) -> bool:
    if line.budget is None or not line.budget.yuan:
        return not line.final.yuan
    low, high = _rate_interval(line)
    return high >= band.low and low <= band.high


def _rate_interval(line: _Executed) -> tuple[Decimal, Decimal]:
    """The lowest and highest 执行率 (in %) the printed figures allow, each figure being
    up to half a unit of its last digit off."""
    spent, planned = line.final.yuan, line.budget.yuan
    spent_half = sum((t.half_unit_yuan for t in line.final.parts), Decimal(0))
    planned_half = sum((t.half_unit_yuan for t in line.budget.parts), Decimal(0))
    low = (spent - spent_half) / (planned + planned_half) * HUNDRED
    high = (spent + spent_half) / max(planned - planned_half, planned_half) * HUNDRED
    return low, high


def _discrepancy(line: _Executed, band: ExecutionBand) -> Discrepancy:
    final = line.final.figure
    unit = final.unit
    planned_yuan = line.budget.yuan if line.budget else Decimal(0)
    planned = (planned_yuan / unit.yuan).quantize(Decimal(1).scaleb(-final.cell.decimals), rounding=ROUND_HALF_UP)
    if planned_yuan:
        rate = f"执行率 {(line.final.yuan / planned_yuan * HUNDRED).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"
    else:
        rate = f"无{line.denominator.removesuffix('数')}（预算数为 0），无法计算执行率"
    item = line.final.item if line.key.scope == Scope.ALL else f"{line.final.item}（{line.key.scope.value}）"
    related = [t.cell.ref for t in line.budget.parts] if line.budget else []
    budget_table = line.budget.table.title if line.budget else "预算表未列此科目"
    return Discrepancy(final.cell.ref, item, final.cell.amount, planned, unit.label, Verdict.MISMATCH,
                       decimals=final.cell.decimals, related=tuple(related),
                       fields={"rate": rate, "band": band.describe(), "budget_table": budget_table,
                               "denominator": line.denominator})


@rule("BK221", "execution.three_public_budget", "决算“三公”预算数与预算表", Severity.WARNING,
      (TableKind.THREE_PUBLIC, TableKind.BUDGET_THREE_PUBLIC), SAME, cross_table=True)
def three_public_budget(ctx: Context) -> Iterator[Discrepancy]:
    """同一年度决算“三公”经费表中的预算数应与当年部门预算“三公”经费预算表一致（年度调整须说明）。

    错误示例：2025 年决算“三公”表 公务接待费 预算数 0.50，2025 年预算表 公务接待费 1.00。
    正确示例：两表均为 1.00。
    """
    for final, budget in pairs(ctx, TableKind.THREE_PUBLIC, TableKind.BUDGET_THREE_PUBLIC):
        for item, name in THREE_PUBLIC_NAMES.items():
            measure = f"{item}.budget"
            ours, theirs = value(final, final.rows[0], measure), value(budget, budget.rows[0], measure)
            if ours and theirs:
                # each as printed, in its own unit: a 3.00 万元 budget is 30,040 元 as well as 30,000 元
                yield from same(ctx, name, ours, theirs, final, budget)

