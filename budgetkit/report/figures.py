"""The report tables of section 部门财政资金收支情况, computed once from a RunResult.

Every amount is a reconciled figure (``ledger``/``witnesses``): the 总表 line
unless a detail table and its own sum agree on another value. The tables are
made to read correctly on paper: amounts are shown in the report unit with two
decimals, each 合计 is the sum of the rows shown, and shares are rounded by
largest remainder so that they add up to exactly 100.00 %.

A table whose source tables are absent is not built; ``DepartmentReport.missing``
says which and why, so the sheets can say so instead of printing an empty table.
The 与上年对比 table reads the same department's 决算 of the year before, when the
run holds it (``Group.follows``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from budgetkit.model import CellRef, Finding, Level, RunResult, TableKind, Unit
from budgetkit.money import fmt_amount
from budgetkit.report.ledger import BALANCE_MEASURES, Keyed, Ledger
from budgetkit.rules import Group
from budgetkit.report.rounding import STEP, largest_remainder, to_cents
from budgetkit.report.selfeval_scores import ScoreTable, score_tables
from budgetkit.report.witnesses import ZERO, Figure, Witness, choose, yuan_of

SHARE_NOTE = "注：各项占比按最大余额法取整，个别占比调整了 0.01 个百分点，使合计为 100.00%。"
CORE_KINDS = (TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE)
# (column key in the loader's "三公" table, printed label, is a "其中" row)
THREE_PUBLIC_ITEMS = (("abroad", "因公出国（境）费", False), ("car_total", "公务用车购置及运行维护费", False),
                      ("car_purchase", "其中：公务用车购置费", True), ("car_operation", "公务用车运行维护费", True),
                      ("reception", "公务接待费", False))
STAGES = {"budget": "预算数", "final": "决算数"}
ZERO_BASE = "上年为0"  # the 增减率 cell of a row with nothing last year: no rate can be stated
ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class ReportOptions:
    unit: Unit = Unit.WAN
    keep_zero: bool = False  # list rows whose amounts are all zero (left out by default)
    detail: Level = Level.CLASS  # how deep the 预算执行情况 table goes: 类, or down to 款 or 项


class Section(str, Enum):
    """The report tables, in the order they are printed; the value is the caption."""

    INCOME = "收入情况"
    BY_CLASS = "支出情况（按支出功能分类）"
    BY_NATURE = "支出情况（按支出性质）"
    BASIC = "基本支出情况（人员经费和公用经费）"
    BALANCE = "收支及结转结余情况"
    EXECUTION = "预算执行情况"
    THREE_PUBLIC = "“三公”经费情况"
    YEAR_ON_YEAR = "与上年对比情况"


class Compared(str, Enum):
    """The blocks of the 与上年对比 table, in print order; the value is the block's heading."""

    INCOME = "收入"
    BY_CLASS = "支出（按支出功能分类）"
    BY_NATURE = "支出（按支出性质）"
    THREE_PUBLIC = "“三公”经费"
    OPERATING_COSTS = "机关运行经费"

    @property
    def noun(self) -> str:
        """What the block's rows are, as the text says "上年无此项…"."""
        return "收入" if self == Compared.INCOME else "支出"


class Format(str, Enum):
    AMOUNT = "amount"    # #,##0.00 in the report unit
    PERCENT = "percent"  # a fraction, shown as 0.00%


@dataclass(frozen=True)
class Column:
    header: str
    format: Format


AMOUNT, SHARE = Column("金额", Format.AMOUNT), Column("占比", Format.PERCENT)


@dataclass(frozen=True)
class ReportRow:
    """One printed row; ``values`` follow the table's columns (None prints blank, a
    string is printed as it is: ``ZERO_BASE``). A detail row ("其中：…") is shown but
    not added into the 合计; a heading row ("一、收入") opens a block and has no values."""

    label: str
    values: tuple[Decimal | str | None, ...]
    is_total: bool = False
    is_detail: bool = False
    is_heading: bool = False


@dataclass(frozen=True)
class ReportTable:
    section: Section
    number: int
    columns: tuple[Column, ...]
    rows: tuple[ReportRow, ...]
    notes: tuple[str, ...] = ()
    total_name: str = "合计"  # what the 合计 row stands for, as the text names it

    @property
    def title(self) -> str:
        return f"表{self.number} {self.section.value}"

    @property
    def header(self) -> tuple[str, ...]:
        return ("项目",) + tuple(c.header for c in self.columns)

    @property
    def body(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.rows if not r.is_total)

    @property
    def total(self) -> ReportRow:
        return next(r for r in self.rows if r.is_total)


@dataclass(frozen=True)
class DepartmentReport:
    department: str
    year: int | None
    unit: Unit
    tables: tuple[ReportTable, ...]
    missing: tuple[tuple[Section, str], ...]
    set_aside: tuple[Figure, ...]  # figures for which some stated cell was not used

    def table(self, section: Section) -> ReportTable | None:
        return next((t for t in self.tables if t.section == section), None)

    def shown(self, yuan: Decimal) -> str:
        return shown(yuan, self.unit)


@dataclass(frozen=True)
class Report:
    departments: tuple[DepartmentReport, ...]
    self_evaluations: tuple[ScoreTable, ...] = ()  # the 自评得分 tables, from the 绩效自评表

    def annotated(self, findings: list[Finding]) -> list[Finding]:
        """The findings, each on a cell the report used or set aside saying which."""
        notes = self.cell_notes()
        return [replace(f, message=f.message + notes[f.ref]) if f.ref in notes else f for f in findings]

    def cell_notes(self) -> dict[CellRef, str]:
        """What the report did with each stated cell that disagreed with another."""
        notes: dict[CellRef, str] = {}
        for department in self.departments:
            for figure in department.set_aside:
                for witness in figure.set_aside:
                    notes[witness.ref] = (f"报告用表和报告文字未采用此数：{figure.item}采用"
                                          f"{figure.adopted.source} {department.shown(figure.yuan)}。")
                if figure.adopted.ref is not None:
                    notes.setdefault(figure.adopted.ref, f"报告用表和报告文字采用此数（{figure.item}）。")
        return notes


@dataclass(frozen=True)
class _Draft:
    columns: tuple[Column, ...]
    rows: list[ReportRow]
    notes: list[str]
    total_name: str = "合计"


Builder = Callable[[Ledger, ReportOptions], "_Draft | str"]


def build_report(result: RunResult, options: ReportOptions = ReportOptions()) -> Report:
    """One report per department that has a 总表, 收入决算表 or 支出决算表."""
    groups = [g for g in result.groups if _has_final(g)]
    ledgers = [Ledger(group, _last_year(group, groups)) for group in groups]
    return Report(tuple(_department(ledger, options) for ledger in ledgers), score_tables(result))


def _has_final(group: Group) -> bool:
    return any(group.of(kind) for kind in CORE_KINDS)


def _last_year(group: Group, groups: list[Group]) -> Ledger | None:
    """The ledger of the same department's 决算 of the year before, if the run has it."""
    previous = next((other for other in groups if group.follows(other)), None)
    return Ledger(previous) if previous is not None else None


def _department(ledger: Ledger, options: ReportOptions) -> DepartmentReport:
    tables: list[ReportTable] = []
    missing: list[tuple[Section, str]] = []
    for section, builder in SECTIONS.items():
        draft = builder(ledger, options)
        if isinstance(draft, str):
            missing.append((section, draft))
        else:
            tables.append(ReportTable(section, len(tables) + 1, draft.columns, tuple(draft.rows), tuple(draft.notes),
                                      draft.total_name))
    return DepartmentReport(ledger.department, ledger.year, options.unit, tuple(tables), tuple(missing),
                            _set_aside_as_printed(ledger.set_aside, options.unit))


def _set_aside_as_printed(figures: tuple[Figure, ...], unit: Unit) -> tuple[Figure, ...]:
    """The stated cells set aside that the report's unit shows differently from the figure it adopted: a 千元
    table's 4,490.14 万元 set aside for 10 元 is no other figure in a 万元 report."""
    kept = []
    for figure in figures:
        differing = tuple(w for w in figure.set_aside if shown(w.yuan, unit) != shown(figure.yuan, unit))
        if differing:
            kept.append(replace(figure, set_aside=differing))
    return tuple(kept)


def _income(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    if ledger.summary is None and ledger.income is None:
        return "未提供收入支出决算总表或收入决算表"
    if ledger.summary is None:
        return _share_table(ledger, options, ledger.income_sources, "本年收入合计", ledger.stated_income_totals,
                            ["注：未提供收入支出决算总表，收入不含年初结转和结余。"])
    return _share_table(ledger, options, ledger.income_sources, "收入总计", ledger.grand_totals, [])


def _by_class(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    if not ledger.classes:
        return "未提供收入支出决算总表或支出决算表"
    return _share_table(ledger, options, ledger.classes, "本年支出合计", ledger.stated_spending_totals, [])


def _by_nature(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    if ledger.first(TableKind.EXPENDITURE) and ledger.spending is None:
        return "支出决算表与收入支出决算总表的金额相差千倍或万倍，金额单位可能有误，见问题清单"
    if not ledger.nature:
        return "未提供支出决算表"
    return _share_table(ledger, options, ledger.nature, "本年支出合计", ledger.stated_spending_totals, [])


def _basic(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    if not ledger.basic_parts:
        return "未提供一般公共预算财政拨款基本支出决算表"
    return _share_table(ledger, options, ledger.basic_parts, "基本支出", ledger.stated_basic_totals,
                        ["注：口径为一般公共预算财政拨款基本支出。"], keep_all=True)


HALF_CENT = Decimal("0.005")  # the most one figure rounded to the 分 (of its unit) can move


def _share_table(ledger: Ledger, options: ReportOptions, parts: list[Keyed], total_item: str,
                 stated_totals: list[Witness], notes: list[str], keep_all: bool = False) -> _Draft:
    shown = [p for p in parts if keep_all or options.keep_zero or p.yuan != 0]
    shares = largest_remainder([p.yuan for p in shown])
    rows = [ReportRow(p.label, (_amount(p.yuan, options), shares.values[i] if shares else None))
            for i, p in enumerate(shown)]
    total, stated = _printed_total([r.values[0] for r in rows], total_item, stated_totals, options)
    if stated is not None:
        ledger.adopt(stated)
        notes = notes + [_rounding_note(sum((r.values[0] for r in rows), ZERO), total)]
    else:
        ledger.sum_of_rows(total_item, sum((p.yuan for p in shown), ZERO), stated_totals)
    rows.append(ReportRow("合计", (total, Decimal(1) if shares else None), is_total=True))
    if shares and shares.adjusted:
        notes = notes + [SHARE_NOTE]
    return _Draft((AMOUNT, SHARE), rows, notes, total_item)


def _printed_total(printed: list[Decimal], item: str, stated_totals: list[Witness],
                   options: ReportOptions) -> tuple[Decimal, Figure | None]:
    """The 合计 printed under ``printed`` lines: the total the tables state where the lines, each
    rounded, add up to it within their rounding (the tables' own 尾差; a reviewer holds the report's
    合计 against them), with the stated figure; else the sum of the lines, and None."""
    summed = sum(printed, ZERO)
    stated = choose(item, stated_totals)
    if stated is not None and summed != (total := _amount(stated.yuan, options)) \
            and abs(summed - total) <= len(printed) * HALF_CENT:
        return total, stated
    return summed, None


def _rounding_note(summed: Decimal, total: Decimal, label: str = "") -> str:
    return f"注：{label}各项之和为 {summed:,.2f}，与合计 {total:,.2f} 相差 {summed - total:+,.2f}，系各项分别四舍五入所致（尾差）。"


def _balance(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    """年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, for all money (the 总表)
    and, with a 财政拨款收入支出决算总表, for each 财政拨款 fund."""
    if ledger.summary is None:
        return "未提供收入支出决算总表"
    whole = {"opening": ledger.income_part("opening_balance"), "income": ledger.current_income,
             "use": ledger.income_part("use_non_fiscal_balance"), "spent": ledger.spent,
             "distribution": yuan_of(ledger.balance_distribution), "closing": yuan_of(ledger.closing_balance)}
    headers = {"opening": "年初结转和结余", "income": "本年收入", "use": "使用非财政拨款结余", "spent": "本年支出",
               "distribution": "结余分配", "closing": "年末结转和结余"}
    keys = [k for k in headers if k in BALANCE_MEASURES or whole[k] != 0]

    def row(label: str, values: dict[str, Decimal], is_total: bool = False) -> ReportRow:
        return ReportRow(label, tuple(_amount(values.get(k, ZERO), options) for k in keys), is_total)

    funds = ledger.fund_balances
    rows = [row(label, values) for label, values in funds if options.keep_zero or any(values.values())]
    notes = []
    if funds:
        other = {k: whole[k] - sum((values.get(k, ZERO) for _, values in funds), ZERO) for k in keys}
        if options.keep_zero or any(other.values()):
            rows.append(row("非财政拨款", other))
    else:
        notes.append("注：未提供财政拨款收入支出决算总表，未按资金性质分列。")
    if len(rows) > 1 or funds:
        # 合计 is the sum of the lines above it, as in every table of the report
        rows.append(ReportRow("合计", tuple(sum((r.values[i] for r in rows), ZERO) for i in range(len(keys))), True))
    else:
        rows.append(row("合计", whole, is_total=True))
    expected = whole["opening"] + whole["income"] + whole["use"] - whole["spent"] - whole["distribution"]
    # 不符 only beyond the rounding of the five 总表 figures it is worked out from (half a unit of each)
    rounding = 5 * HALF_CENT * ledger.summary.unit.yuan
    if abs(expected - whole["closing"]) > rounding:
        notes.append(f"注：年初结转和结余 + 本年收入 − 本年支出 = {shown(expected, options.unit)}，"
                     f"与年末结转和结余 {shown(whole['closing'], options.unit)} 不符，见问题清单。")
    return _Draft(tuple(Column(headers[k], Format.AMOUNT) for k in keys), rows, notes)


def _execution(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    """预算数 against 决算数, by 功能分类 类, and with ``options.detail`` each 类's 款
    (and 项) under it; tables are grouped by 部门 and year, so the 部门预算 here is
    that of the year the 决算 closes."""
    if not ledger.planned_classes:
        return "未提供同一部门的部门收支总表或部门支出总表（预算）"
    levels = tuple(Level)[:tuple(Level).index(options.detail) + 1]
    planned = {p.key: p for level in levels for p in ledger.planned_at(level)}
    actual = {a.key: a for level in levels for a in ledger.spending_at(level)}
    rows, plan_total, actual_total = [], ZERO, ZERO
    # Codes sort into tree order: 213, 21301, 2130101, 2130102, 21302, …
    for code in sorted(set(planned) | set(actual)):
        plan, spent = planned.get(code), actual.get(code)
        plan_yuan, spent_yuan = (plan.yuan if plan else ZERO), (spent.yuan if spent else ZERO)
        if not options.keep_zero and plan_yuan == 0 and spent_yuan == 0:
            continue
        label = spent.label if spent else plan.label.removesuffix("预算数")
        is_class = len(code) == 3
        # A 款 or 项 name alone is ambiguous (行政运行 is under many 款): the code goes with it.
        rows.append(ReportRow(label if is_class else f"{code} {label}",
                              _execution_values(plan_yuan, spent_yuan, options), is_detail=not is_class))
        if is_class:
            plan_total, actual_total = plan_total + plan_yuan, actual_total + spent_yuan
    classes = [r for r in rows if not r.is_detail]
    plan_shown, spent_shown = (sum((r.values[i] for r in classes), ZERO) for i in (0, 1))
    # the amounts and 差额 are the sums of the rows above; the 执行率 the exact totals'
    rows.append(ReportRow("合计", (plan_shown, spent_shown, _rate(actual_total, plan_total), spent_shown - plan_shown),
                          is_total=True))
    columns = (Column("预算数", Format.AMOUNT), Column("决算数", Format.AMOUNT), Column("执行率", Format.PERCENT),
               Column("差额", Format.AMOUNT))
    notes = ["注：执行率 = 决算数 ÷ 预算数；差额 = 决算数 − 预算数。"]
    if options.detail != Level.CLASS:
        notes.append(f"注：缩进的{'、'.join(level.value for level in levels[1:])}是其上一级科目的明细，不计入合计。")
    return _Draft(columns, rows, notes)


def _execution_values(plan: Decimal, spent: Decimal, options: ReportOptions) -> tuple[Decimal | None, ...]:
    plan_shown, spent_shown = _amount(plan, options), _amount(spent, options)
    return plan_shown, spent_shown, _rate(spent, plan), spent_shown - plan_shown


def _three_public(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    if ledger.first(TableKind.THREE_PUBLIC) is None:
        return "未提供财政拨款“三公”经费支出决算表"
    rows, totals = [], dict.fromkeys(STAGES, ZERO)
    by_stage = {stage: _three_public_lines(ledger, stage) for stage in STAGES}
    for index, (_, label, detail) in enumerate(THREE_PUBLIC_ITEMS):
        values = {stage: lines[index].yuan for stage, lines in by_stage.items()}
        if not detail:
            totals = {stage: totals[stage] + values[stage] for stage in STAGES}
        rows.append(ReportRow(label, _completion(values, options), is_detail=detail))
    for stage, name in STAGES.items():
        ledger.sum_of_rows(f"“三公”经费合计{name}", totals[stage], ledger.stated_three_public_total(stage))
    rows.append(ReportRow("合计", _completion(totals, options), is_total=True))
    columns = (Column("预算数", Format.AMOUNT), Column("决算数", Format.AMOUNT), Column("完成预算", Format.PERCENT))
    notes = ["注：本年度没有财政拨款“三公”经费支出。"] if totals["final"] == 0 else []
    return _Draft(columns, rows, notes)


def _three_public_lines(ledger: Ledger, stage: str) -> list[_Line]:
    """Each "三公" item of one stage (预算数 or 决算数), in ``THREE_PUBLIC_ITEMS`` order."""
    return [_Line(item, label, ledger.three_public(item, stage, label.removeprefix("其中：") + STAGES[stage]), detail)
            for item, label, detail in THREE_PUBLIC_ITEMS]


def _completion(values: dict[str, Decimal], options: ReportOptions) -> tuple[Decimal | None, ...]:
    return _amount(values["budget"], options), _amount(values["final"], options), _rate(values["final"],
                                                                                          values["budget"])


@dataclass(frozen=True)
class _Line:
    """One compared quantity of one year, in 元 (a detail line is not added into its block's 合计)."""

    key: str
    label: str
    yuan: Decimal
    is_detail: bool = False


def _lines(parts: list[Keyed]) -> list[_Line]:
    return [_Line(p.key, p.label, p.yuan) for p in parts]


def _compared_lines(ledger: Ledger) -> dict[Compared, list[_Line]]:
    """What one year's 决算 states of each 与上年对比 block ([] when its tables do not say)."""
    operating = ledger.operating_costs
    return {
        Compared.INCOME: _lines(ledger.current_sources),
        Compared.BY_CLASS: _lines(ledger.classes),
        Compared.BY_NATURE: _lines(ledger.nature),
        Compared.THREE_PUBLIC: _three_public_lines(ledger, "final") if ledger.first(TableKind.THREE_PUBLIC) else [],
        Compared.OPERATING_COSTS: [_Line("operating_costs", "机关运行经费", operating.yuan)] if operating else [],
    }


# Each block's 合计 row, and whether a line one year lacks counts as zero there. 类 do:
# a 总表 prints every 类 line and a 支出决算表 only those with spending. Income sources,
# 性质 columns and "三公" items are compared only where both years' tables state them.
COMPARED_TOTALS = {Compared.INCOME: "本年收入合计", Compared.BY_CLASS: "本年支出合计",
                   Compared.THREE_PUBLIC: "“三公”经费合计"}
ABSENT_IS_ZERO = (Compared.BY_CLASS,)
YEAR_ON_YEAR_COLUMNS = (Column("本年", Format.AMOUNT), Column("上年", Format.AMOUNT), Column("增减额", Format.AMOUNT),
                        Column("增减率", Format.PERCENT))


def _year_on_year(ledger: Ledger, options: ReportOptions) -> _Draft | str:
    """本年 against the same department's 上年 决算, block by block (收入, 支出 by 类 and
    by 性质, “三公”经费, 机关运行经费). Amounts are as each year's own tables print
    them (a block's 合计 the total that year's tables print where its lines add up to it within their
    rounding, else their sum, as in 表1–表3); the 增减率 is computed from the exact amounts, and never
    against a zero base."""
    if ledger.previous is None:
        year = f"（{ledger.year - 1}年）" if ledger.year else ""
        return f"文件夹中没有本部门上年{year}的决算"
    this_year, last_year = _compared_lines(ledger), _compared_lines(ledger.previous)
    rows: list[ReportRow] = []
    notes = ["注：增减额 = 本年 − 上年；增减率 = 增减额 ÷ 上年，按未取整的金额计算；上年为0的不计算增减率。"]
    for block in Compared:
        mine, theirs = this_year[block], last_year[block]
        if mine and theirs:
            rows.append(ReportRow(f"{ORDINALS[sum(r.is_heading for r in rows)]}、{block.value}",
                                  (None,) * len(YEAR_ON_YEAR_COLUMNS), is_heading=True))
            rows += _compared_rows(mine, theirs, block, options)
            notes += _stated_one_year_only(mine, theirs, block, options)
            if block in COMPARED_TOTALS:
                total, total_notes = _compared_total(block, (mine, ledger), (theirs, ledger.previous), options)
                rows.append(total)
                notes += total_notes
        elif mine or theirs:
            notes.append(f"注：{'上年' if mine else '本年'}决算未列示{block.value}，未作对比。")
    if not rows:
        return "本年与上年的决算没有都列示的收入、支出或“三公”经费"
    return _Draft(YEAR_ON_YEAR_COLUMNS, rows, notes)


def _compared_rows(mine: list[_Line], theirs: list[_Line], block: Compared, options: ReportOptions) -> list[ReportRow]:
    this_year, last_year = {line.key: line for line in mine}, {line.key: line for line in theirs}
    keys = sorted(this_year.keys() | last_year.keys()) if block in ABSENT_IS_ZERO else \
        [key for key in this_year if key in last_year]
    rows: list[ReportRow] = []
    for key in keys:
        now, then = this_year.get(key), last_year.get(key)
        now_yuan, then_yuan = (now.yuan if now else ZERO), (then.yuan if then else ZERO)
        if options.keep_zero or now_yuan or then_yuan:
            line = now or then
            # "其中：" opens the first detail row shown under its parent, whichever details are left out.
            opens = line.is_detail and not (rows and rows[-1].is_detail)
            label = ("其中：" if opens else "") + line.label.removeprefix("其中：")
            rows.append(ReportRow(label, _change(now_yuan, then_yuan, _amount(now_yuan, options),
                                                 _amount(then_yuan, options)), is_detail=line.is_detail))
    return rows


def _compared_total(block: Compared, this_year: tuple[list[_Line], Ledger], last_year: tuple[list[_Line], Ledger],
                    options: ReportOptions) -> tuple[ReportRow, list[str]]:
    """A block's 合计 row, this year's and last year's: each the total that year's tables print where
    its lines add up to it within their rounding (as in 表1–表3), else the sum of its lines."""
    exact, printed, notes = [], [], []
    for (lines, ledger), which in ((this_year, "本年"), (last_year, "上年")):
        parts = [line for line in lines if not line.is_detail]
        shown = [_amount(line.yuan, options) for line in parts]
        total, stated = _printed_total(shown, COMPARED_TOTALS[block], _block_totals(ledger, block), options)
        exact.append(stated.yuan if stated is not None else sum((line.yuan for line in parts), ZERO))
        printed.append(total)
        if stated is not None:
            notes.append(_rounding_note(sum(shown, ZERO), total, f"{which}{block.value}"))
    return ReportRow(COMPARED_TOTALS[block], _change(*exact, *printed), is_total=True), notes


def _block_totals(ledger: Ledger, block: Compared) -> list[Witness]:
    """The totals a year's tables state for a 与上年对比 block with a 合计 row."""
    if block is Compared.INCOME:
        return ledger.stated_income_totals
    if block is Compared.BY_CLASS:
        return ledger.stated_spending_totals
    return ledger.stated_three_public_total("final")


def _stated_one_year_only(mine: list[_Line], theirs: list[_Line], block: Compared,
                          options: ReportOptions) -> list[str]:
    """A line only one year's tables state is not compared (the other year's layout may not
    have had it), but its amount is in that year's 合计: say so, or the rows would not add up."""
    if block in ABSENT_IS_ZERO:
        return []
    notes = []
    for year, lines, other in (("本年", mine, theirs), ("上年", theirs, mine)):
        stated = {line.key for line in other}
        for line in lines:
            if line.key not in stated and line.yuan:
                counted = f"；{COMPARED_TOTALS[block]}含此项" if block in COMPARED_TOTALS and not line.is_detail else ""
                notes.append(f"注：{line.label.removeprefix('其中：')}只在{year}决算中列示"
                             f"（{shown(line.yuan, options.unit)}），未作对比{counted}。")
    return notes


def _change(now: Decimal, then: Decimal, now_shown: Decimal, then_shown: Decimal) -> tuple[Decimal | str | None, ...]:
    """本年 | 上年 | 增减额 (of the printed amounts, so the row adds up on paper) | 增减率."""
    if then == 0:
        rate: Decimal | str | None = ZERO_BASE if now != 0 else None
    else:
        rate = _rate(now - then, then)
    return now_shown, then_shown, now_shown - then_shown, rate


SECTIONS: dict[Section, Builder] = {
    Section.INCOME: _income, Section.BY_CLASS: _by_class, Section.BY_NATURE: _by_nature, Section.BASIC: _basic,
    Section.BALANCE: _balance, Section.EXECUTION: _execution, Section.THREE_PUBLIC: _three_public,
    Section.YEAR_ON_YEAR: _year_on_year,
}


def _amount(yuan: Decimal, options: ReportOptions) -> Decimal:
    return to_cents(yuan / options.unit.yuan)


def shown(yuan: Decimal, unit: Unit) -> str:
    """An amount in 元 as the text states it in ``unit``: '1,234.56万元'."""
    return fmt_amount(to_cents(yuan / unit.yuan)) + unit.label


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole as a fraction to 0.01 %; None when whole is zero (no rate can be stated)."""
    if whole == 0:
        return None
    return (part / whole).quantize(STEP, rounding=ROUND_HALF_UP)
