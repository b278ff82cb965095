"""One department's reconciled figures, read from whichever of its tables exist.

Each property lists, for every quantity, the witnesses the tables offer (the
总表 line first) and keeps the chosen ``Figure``; each is computed once, so the
收入 table, the 结转结余 table and the paragraphs all quote the same figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from budgetkit import subjects
from budgetkit.lines import INCOME_LINE_TO_COLUMN, INCOME_LINES, NATURE_LINES, sheet_line, sheet_whole
from budgetkit.text import core_label, normalize
from budgetkit.model import LINE_FIGURE, Cell, Level, Row, Side, Stage, Table, TableKind
from budgetkit.report.witnesses import ZERO, Figure, Witness, choose, computed, stated, summed, yuan_of
from budgetkit.rules import Group
from budgetkit.rules.facts import unit_slip

FUNDS = (("general_budget", "一般公共预算财政拨款"), ("gov_fund", "政府性基金预算财政拨款"),
         ("state_capital", "国有资本经营预算财政拨款"))
FUND_TABLES = {"gov_fund": TableKind.GOV_FUND, "state_capital": TableKind.STATE_CAPITAL}
NATURE = (("basic", "基本支出"), ("project", "项目支出"), ("to_superior", "上缴上级支出"),
          ("operating", "经营支出"), ("to_subsidiary", "对附属单位补助支出"))
# 人员经费 = 301 + 303; 公用经费 = every other 经济分类 类 (domain §2.1 R06.2).
PERSONNEL_CLASSES = ("301", "303")
BALANCE_MEASURES = {"opening": "年初结转和结余", "income": "本年收入", "spent": "本年支出", "closing": "年末结转和结余"}
CODE_LENGTHS = {Level.CLASS: 3, Level.SECTION: 5, Level.ITEM: 7}
# The lines of 本年收入 (every income source but the carry-over and 使用非财政拨款结余).
NOT_CURRENT_INCOME = ("opening_balance", "use_non_fiscal_balance")


@dataclass(frozen=True)
class Keyed:
    """A reconciled figure with the line key or 科目编码 it belongs to."""

    key: str
    figure: Figure

    @property
    def label(self) -> str:
        return self.figure.item

    @property
    def yuan(self) -> Decimal:
        return self.figure.yuan


class Ledger:
    def __init__(self, group: Group, previous: Ledger | None = None) -> None:
        self.group = group
        self.previous = previous  # the same department's 决算 of the year before, when the run has it
        self.figures: list[Figure] = []
        self._by_code: dict[tuple[Level, str], list[Keyed]] = {}
        self.summary = self.first(TableKind.SUMMARY)
        self.income = self._detail(TableKind.INCOME)
        self.spending = self._detail(TableKind.EXPENDITURE)

    def first(self, kind: TableKind) -> Table | None:
        tables = self.group.of(kind)
        return tables[0] if tables else None

    def _detail(self, kind: TableKind) -> Table | None:
        """A detail table, unless its headline differs from the 总表's by ×1000 or
        ×10000: which unit is wrong is unknown, so the 总表 stands alone."""
        table = self.first(kind)
        if table is not None and self.summary is not None and unit_slip(self.summary, table):
            return None
        return table

    @property
    def department(self) -> str:
        return next((t.department for t in self.group.tables if t.department), "本部门")

    @property
    def year(self) -> int | None:
        return next((t.year for t in self.group.tables if t.year and t.kind.stage == Stage.FINAL), None)

    # -- choosing ------------------------------------------------------------------------

    def choose(self, item: str, witnesses: Sequence[Witness]) -> Figure | None:
        figure = choose(item, witnesses)
        if figure is not None:
            self.adopt(figure)
        return figure

    def adopt(self, figure: Figure) -> None:
        """Record a figure the report prints, with the stated ones it set aside (its 取数说明)."""
        self.figures.append(figure)

    def sum_of_rows(self, item: str, yuan: Decimal, witnesses: Sequence[Witness]) -> None:
        """Record a printed 合计 (the sum of its rows) against the totals the tables state."""
        self.figures.append(computed(item, yuan, "表中各项之和", witnesses))

    @property
    def set_aside(self) -> tuple[Figure, ...]:
        unique = {(f.item, f.yuan): f for f in self.figures if f.set_aside}
        return tuple(unique.values())

    def line(self, table: Table | None, key: str, side: Side | None = None) -> list[Witness]:
        return stated(table, _figure(table.line(key, side))) if table else []

    @cached_property
    def working(self) -> dict[tuple[Side, str], list[Witness]]:
        """The staff's 金额占比表 figures by (side, line key or 类 code or "total"),
        as non-voting witnesses: the report replaces these sheets."""
        found: dict[tuple[Side, str], list[Witness]] = defaultdict(list)
        for table in self.group.of(TableKind.SHARES):
            keys = [(row, sheet_line(row)) for row in table.rows if row.side is not None and not row.is_total]
            for row, key in keys:
                if key and key not in NATURE_LINES:  # the report's lines: 类 and income sources
                    found[(row.side, key)] += stated(table, row.values.get("amount"), votes=False)
            total = table.total_row()
            whole = sheet_whole(total.side, [key for row, key in keys if row.parent_key is None]) \
                if total is not None and total.side is not None else None
            if whole is not None:
                found[(total.side, "income_total" if whole == "income_total" else "total")] += \
                    stated(table, total.values.get("amount"), votes=False)
        return found

    # -- income ----------------------------------------------------------------------------

    @cached_property
    def income_sources(self) -> list[Keyed]:
        """Every source of income, 年初结转和结余 first, then 本年收入 by source,
        then 使用非财政拨款结余; lines no table lists are left out."""
        sources = [("opening_balance", self.line(self.summary, "opening_balance", Side.INCOME)), *self._funds()]
        sources += [(key, self.line(self.summary, key, Side.INCOME) + self._income_column(column))
                    for key, column in INCOME_LINE_TO_COLUMN.items() if key != "income_total"]
        sources.append(("use_non_fiscal_balance", self.line(self.summary, "use_non_fiscal_balance", Side.INCOME)))
        return [Keyed(key, figure) for key, witnesses in sources
                if (figure := self.choose(INCOME_LINES[key][0], witnesses + self.working[(Side.INCOME, key)]))]

    def _funds(self) -> list[tuple[str, list[Witness]]]:
        """The three 财政拨款 incomes (总表 and 财政拨款总表); without them, the
        收入决算表's combined 财政拨款收入."""
        fiscal = self.first(TableKind.FISCAL_SUMMARY)
        funds = [(key, self.line(self.summary, key, Side.INCOME) + self.line(fiscal, key, Side.INCOME))
                 for key, _ in FUNDS]
        funds = [(key, witnesses) for key, witnesses in funds if witnesses]
        if not funds:
            return [("fiscal", self.line(self.summary, "fiscal", Side.INCOME) + self._income_column("fiscal"))]
        if all(w.yuan == 0 for key, witnesses in funds if key != "general_budget" for w in witnesses):
            # No 政府性基金 or 国有资本经营 money: the 收入决算表's 财政拨款收入 is all 一般公共预算.
            funds = [(key, w + self._income_column("fiscal") if key == "general_budget" else w) for key, w in funds]
        return funds

    def _income_column(self, measure: str) -> list[Witness]:
        return _column_witnesses(self.income, measure)

    @property
    def grand_totals(self) -> list[Witness]:
        return self.line(self.summary, "grand_total", Side.INCOME) + \
            self.line(self.summary, "grand_total", Side.EXPENDITURE) + self.working[(Side.INCOME, "total")]

    @property
    def stated_income_totals(self) -> list[Witness]:
        return self._income_column("total") + self.working[(Side.INCOME, "income_total")]

    def income_part(self, key: str) -> Decimal:
        return next((s.yuan for s in self.income_sources if s.key == key), ZERO)

    @property
    def current_sources(self) -> list[Keyed]:
        """本年收入 by source: every source but the carry-over and 使用非财政拨款结余."""
        return [s for s in self.income_sources if s.key not in NOT_CURRENT_INCOME]

    @property
    def current_income(self) -> Decimal:
        return sum((s.yuan for s in self.current_sources), ZERO)

    # -- expenditure -----------------------------------------------------------------------

    @property
    def classes(self) -> list[Keyed]:
        """本年支出 by 功能分类 类, keyed by code."""
        return self.spending_at(Level.CLASS)

    @property
    def planned_classes(self) -> list[Keyed]:
        """预算数 by 功能分类 类, from the 部门预算 tables of the same department."""
        return self.planned_at(Level.CLASS)

    def spending_at(self, level: Level) -> list[Keyed]:
        """本年支出 by 功能分类 at ``level`` (类, 款 or 项), keyed by code."""
        return self._coded(level, self.summary, self.spending, "", self.working)

    def planned_at(self, level: Level) -> list[Keyed]:
        """预算数 by 功能分类 at ``level``, from the 部门预算 tables of the same department."""
        return self._coded(level, self.first(TableKind.BUDGET_SUMMARY), self.first(TableKind.BUDGET_EXPENDITURE),
                           "预算数")

    def _coded(self, level: Level, summary: Table | None, detail: Table | None, suffix: str,
               working: dict[tuple[Side, str], list[Witness]] | None = None) -> list[Keyed]:
        """Each code of ``level``: its 总表 line (类 only), its detail-table row and the sum
        of that row's children. Chosen once per level, so each figure is recorded once."""
        if (level, suffix) in self._by_code:
            return self._by_code[(level, suffix)]
        length = CODE_LENGTHS[level]
        lines = {r.code: r for r in summary.rows_on(Side.EXPENDITURE) if r.code and len(r.code) == length} \
            if summary else {}
        coded = detail.coded() if detail else {}
        rows = {c: r for c, r in coded.items() if len(c) == length}
        result = []
        for code in sorted(set(lines) | set(rows)):
            witnesses = stated(summary, _figure(lines.get(code))) if code in lines else []
            if code in rows:
                children = [r for c, r in coded.items() if len(c) == length + 2 and c.startswith(code)]
                witnesses += stated(detail, rows[code].values.get("total"))
                witnesses += summed(detail, children, "total", f"{code}各{_CHILD[level]}之和") if children else []
            witnesses += (working or {}).get((Side.EXPENDITURE, code), [])
            if figure := self.choose(class_name(code, rows.get(code), lines.get(code)) + suffix, witnesses):
                result.append(Keyed(code, figure))
        self._by_code[(level, suffix)] = result
        return result

    @property
    def spent(self) -> Decimal:
        """本年支出: the sum of the 类 figures, or of the 性质 figures when no table lists 类."""
        return sum((part.yuan for part in self.classes or self.nature), ZERO)

    @property
    def stated_spending_totals(self) -> list[Witness]:
        return self.line(self.summary, "expenditure_total", Side.EXPENDITURE) + \
            _total_witness(self.spending, "total") + self.working[(Side.EXPENDITURE, "total")]

    @cached_property
    def nature(self) -> list[Keyed]:
        """本年支出 by 性质: 基本支出, 项目支出 and the others the 支出决算表 has columns for."""
        if self.spending is None:
            return []
        return [Keyed(measure, figure) for measure, label in NATURE if measure in self.spending.columns
                if (figure := self.choose(label, _column_witnesses(self.spending, measure)))]

    @cached_property
    def basic_parts(self) -> list[Keyed]:
        """人员经费 and 公用经费 of the 一般公共预算财政拨款基本支出决算表."""
        table = self.first(TableKind.BASIC_EXPENDITURE)
        if table is None:
            return []
        classes = [r for r in table.rows if r.code and len(r.code) == 3]
        measure = next((m for m in LINE_FIGURE if m in table.columns), "amount")
        parts = []
        # Its blocks' footers, or the 合计 line's 人员经费 | 公用经费 columns; and its classes' sums.
        for key, column, label, personnel in (("personnel_total", "personnel", "人员经费", True),
                                              ("public_total", "public", "公用经费", False)):
            members = [r for r in classes if (r.code in PERSONNEL_CLASSES) == personnel]
            witnesses = self.line(table, key) + _total_witness(table, column) + \
                summed(table, members, measure, f"{label}各类之和")
            if figure := self.choose(label, witnesses):
                parts.append(Keyed(key, figure))
        return parts

    @property
    def stated_basic_totals(self) -> list[Witness]:
        return _total_witness(self.first(TableKind.GP_EXPENDITURE), "basic")

    # -- carry-over ------------------------------------------------------------------------

    @cached_property
    def closing_balance(self) -> Figure | None:
        return self.choose("年末结转和结余", self.line(self.summary, "closing_balance", Side.EXPENDITURE))

    @cached_property
    def balance_distribution(self) -> Figure | None:
        return self.choose("结余分配", self.line(self.summary, "balance_distribution", Side.EXPENDITURE))

    @cached_property
    def fund_balances(self) -> list[tuple[str, dict[str, Decimal]]]:
        """Per 财政拨款 fund: 年初结转和结余, 本年收入, 本年支出, 年末结转和结余 (财政拨款收入支出决算总表,
        checked against the 政府性基金/国有资本经营 tables and the 总表)."""
        fiscal = self.first(TableKind.FISCAL_SUMMARY)
        if fiscal is None:
            return []
        spent = fiscal.line("expenditure_total", Side.EXPENDITURE)
        closing = fiscal.line("closing_balance", Side.EXPENDITURE)
        result = []
        for key, label in FUNDS:
            fund = self.first(FUND_TABLES[key]) if key in FUND_TABLES else None
            witnesses = {
                "opening": self.line(fiscal, f"opening_balance.{key}") + _total_witness(fund, "opening"),
                "income": self.line(fiscal, key, Side.INCOME) + self.line(self.summary, key, Side.INCOME)
                + _total_witness(fund, "income"),
                "spent": _cell_witness(fiscal, spent, key) + _total_witness(fund, "total"),
                "closing": _cell_witness(fiscal, closing, key) + _total_witness(fund, "closing"),
            }
            values = {m: yuan_of(self.choose(f"{label}{name}", witnesses[m])) for m, name in BALANCE_MEASURES.items()}
            result.append((label, values))
        return result

    # -- 三公 ------------------------------------------------------------------------------

    def three_public(self, item: str, stage: str, label: str) -> Decimal:
        """One "三公" figure (``item.stage`` as the loader names the column); the
        公务用车 小计 is also witnessed by 购置费 + 运行维护费."""
        table = self.first(TableKind.THREE_PUBLIC)
        row = table.rows[0]
        witnesses = stated(table, row.values.get(f"{item}.{stage}"))
        if item == "car_total":
            cells = [row.values[m] for m in (f"car_purchase.{stage}", f"car_operation.{stage}") if m in row.values]
            if cells:
                witnesses.append(Witness(sum((c.amount for c in cells), ZERO) * table.unit.yuan,
                                         f"{table.title}购置费与运行维护费之和"))
        return yuan_of(self.choose(label, witnesses))

    @cached_property
    def operating_costs(self) -> Figure | None:
        """机关运行经费 决算数, where the "三公" table has a column for it."""
        table = self.first(TableKind.THREE_PUBLIC)
        return self.choose("机关运行经费", stated(table, table.rows[0].values.get("operating_costs.final"))) \
            if table else None

    def stated_three_public_total(self, stage: str) -> list[Witness]:
        table = self.first(TableKind.THREE_PUBLIC)
        return stated(table, table.rows[0].values.get(f"total.{stage}"))


_CHILD = {Level.CLASS: "款", Level.SECTION: "项"}  # what a code's children are called


def _figure(row: Row | None) -> Cell | None:
    return row.figure if row else None


def _column_witnesses(table: Table | None, measure: str) -> list[Witness]:
    """A classified table's 合计-row cell for ``measure`` and the sum of its top-level rows."""
    if table is None or measure not in table.columns:
        return []
    return _total_witness(table, measure) + summed(table, table.top_rows(), measure, "各类之和")


def _cell_witness(table: Table, row: Row | None, measure: str) -> list[Witness]:
    return stated(table, row.values.get(measure)) if row else []


def _total_witness(table: Table | None, measure: str) -> list[Witness]:
    total = table.total_row() if table else None
    return stated(table, total.values.get(measure)) if total else []


def class_name(code: str, detail: Row | None, line: Row | None) -> str:
    """A 类 name as the department's detail table prints it, else as its 总表 does."""
    if detail is not None and detail.label and detail.label != code:
        return core_label(normalize(detail.label))
    if line is not None:
        return core_label(normalize(line.label))
    return subjects.name_of(code) or code
