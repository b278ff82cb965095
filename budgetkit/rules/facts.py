"""Every figure two tables both state, compared once: the fact ledger of the 表间 rules.

Each table contributes its figures as facts keyed by what they measure: fund scope,
line (a 科目编码 or a named 总表 line such as 本年收入) and measure (合计, 基本支出,
人员经费 …). Within one department's tables of one stage, any two facts with the same
key from tables of different kinds are the same quantity and must agree; the named
cross-table rules (BK201 …) give those comparisons their codes and messages, and
BK220 covers every pair no named rule claims. Pairs are found by key, never listed
by hand, so a table that states a figure twice in a new layout (a 财务收支预算总表
splitting its 支出 into 人员经费/公用经费) is compared with no new code.

A table whose figures differ from another's by ×1000 or ×10000 has a unit slip: one
BK401 finding, and none of that table's comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from itertools import combinations
from typing import NamedTuple

from budgetkit.lines import IMPLIED_GROUPS
from budgetkit.model import LINE_FIGURE, Cell, Row, Scope, Side, Stage, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, Group, Listed
from budgetkit.tolerance import ZERO, Gap, Term, Tolerance, same_gap, scale_factor, sum_gap, sums_gap


class FactKey(NamedTuple):  # a tuple: made and hashed once per figure, a long table has a million
    scope: Scope
    line: str     # a 科目编码, or a named line: 本年收入, 年初结转和结余, 事业收入 …
    measure: str  # 合计, 基本支出, 项目支出, 人员经费, 公用经费 …


# FactKey(...) and Fact(...) without their Python-level __new__: they are made once per
# figure, and most figures are never compared. Arguments as a tuple, every field given.
_key = partial(tuple.__new__, FactKey)


class Fact(NamedTuple):  # a tuple like its key, several times quicker to make than a frozen dataclass
    """One quantity as a table states it: a printed figure, or the sum of printed
    figures the table gives instead (人员经费合计 + 公用经费合计 for 基本支出)."""

    key: FactKey
    table: Table
    row: Row | None  # the line that states it; None for a figure no one line states, which ``name`` names
    cells: tuple[Cell, ...]  # the printed figures, in the table's unit: terms are made only when compared
    derived: str = ""  # how a sum is described: "人员经费合计与公用经费合计之和"
    name: str = ""

    @property
    def item(self) -> str:
        """How findings name it: its line, and the measure unless that is the line's 合计
        (worked out when asked for: most facts are never compared)."""
        if self.row is None:
            return self.name
        item = self.row.item
        return item if self.key.measure == "合计" else f"{item}（{self.key.measure}）"

    @property
    def parts(self) -> tuple[Term, ...]:
        unit = self.table.unit
        return tuple(Term(cell, unit) for cell in self.cells)

    @property
    def figure(self) -> Term:
        return Term(self.cells[0], self.table.unit)

    @property
    def yuan(self) -> Decimal:
        scale = self.table.unit.yuan
        if len(self.cells) == 1:  # nearly every fact: no generator
            value = self.cells[0].value
            return ZERO + (ZERO if value is None else value) * scale
        return sum((cell.amount * scale for cell in self.cells), ZERO)

    @property
    def is_zero(self) -> bool:
        """Nil or blank; as ``not self.yuan``, with no Decimal made for one printed figure."""
        if len(self.cells) == 1:
            return not self.cells[0].value
        return not self.yuan

    def printed_as(self, other: Fact) -> bool:
        """One known figure each, printed the same in the same unit: they agree, with no Term
        made and no Decimal conversion (``printed_alike`` of their figures)."""
        if len(self.cells) != 1 or len(other.cells) != 1 or self.table.unit is not other.table.unit:
            return False
        cell, other_cell = self.cells[0], other.cells[0]
        return cell.value == other_cell.value and cell.known and other_cell.known

    @property
    def is_blank(self) -> bool:
        if len(self.cells) == 1:
            cell = self.cells[0]
            return cell.value is None and cell.known
        return all(cell.value is None and cell.known for cell in self.cells)

    @property
    def source(self) -> str:
        return self.table.title + self.derived


_fact = partial(tuple.__new__, Fact)

MEASURE_NAMES = {"total": "合计", "amount": "合计", "basic": "基本支出", "project": "项目支出",
                 "to_superior": "上缴上级支出", "operating": "经营支出", "to_subsidiary": "对附属单位补助支出",
                 "personnel": "人员经费", "public": "公用经费"}
CARRY_MEASURES = {"opening": "年初结转和结余", "income": "本年收入", "closing": "年末结转和结余"}
CODED_MEASURES = {**CARRY_MEASURES, **MEASURE_NAMES}  # a 科目 line's measures
INCOME_COLUMNS = {"total": (Scope.ALL, "本年收入"), "fiscal": (Scope.FISCAL, "本年收入"),
                  "superior_subsidy": (Scope.ALL, "上级补助收入"), "business": (Scope.ALL, "事业收入"),
                  "operating": (Scope.ALL, "经营收入"), "affiliated": (Scope.ALL, "附属单位上缴收入"),
                  "other": (Scope.ALL, "其他收入"), "general_budget": (Scope.GENERAL, "本年收入"),
                  "gov_fund": (Scope.GOV_FUND, "本年收入"), "state_capital": (Scope.STATE_CAPITAL, "本年收入")}
# A 收入总表 printing a 上年结转 column counts it in its 合计 (BK101): that 合计 is the 收入总计.
CARRIED_INCOME_COLUMNS = {**INCOME_COLUMNS, "total": (Scope.ALL, "收入总计"), "opening": (Scope.ALL, "年初结转和结余")}
FUND_SCOPES = {"general_budget": Scope.GENERAL, "gov_fund": Scope.GOV_FUND, "state_capital": Scope.STATE_CAPITAL}
COLUMN_SCOPES = {**FUND_SCOPES, "total": Scope.FISCAL, "amount": Scope.FISCAL}
# The named lines of a two-sided 总表, by side: line key -> (scope, line name).
INCOME_LINES = {**{key: (scope, "本年收入") for key, scope in FUND_SCOPES.items()},
                "fiscal": (Scope.FISCAL, "本年收入"), "income_total": (Scope.ALL, "本年收入"),
                "superior_subsidy": (Scope.ALL, "上级补助收入"), "business": (Scope.ALL, "事业收入"),
                "operating": (Scope.ALL, "经营收入"), "affiliated": (Scope.ALL, "附属单位上缴收入"),
                "other": (Scope.ALL, "其他收入"), "use_non_fiscal_balance": (Scope.ALL, "使用非财政拨款结余"),
                "opening_balance": (Scope.ALL, "年初结转和结余"), "grand_total": (Scope.ALL, "收入总计")}
EXPENDITURE_LINES = {"expenditure_total": "本年支出", "balance_distribution": "结余分配",
                     "closing_balance": "年末结转和结余", "grand_total": "支出总计"}
CLASSIFIED_SCOPES = {
    TableKind.EXPENDITURE: Scope.ALL, TableKind.BUDGET_EXPENDITURE: Scope.ALL,
    TableKind.GP_EXPENDITURE: Scope.GENERAL, TableKind.BUDGET_GP_EXPENDITURE: Scope.GENERAL,
    TableKind.GOV_FUND: Scope.GOV_FUND, TableKind.BUDGET_GOV_FUND: Scope.GOV_FUND,
    TableKind.STATE_CAPITAL: Scope.STATE_CAPITAL, TableKind.BUDGET_STATE_CAPITAL: Scope.STATE_CAPITAL,
}
TWO_SIDED = (TableKind.SUMMARY, TableKind.FISCAL_SUMMARY, TableKind.BUDGET_SUMMARY,
             TableKind.BUDGET_FISCAL_SUMMARY)
FISCAL_TWO_SIDED = (TableKind.FISCAL_SUMMARY, TableKind.BUDGET_FISCAL_SUMMARY)
FACT_KINDS = (*TWO_SIDED, TableKind.INCOME, TableKind.BUDGET_INCOME, *CLASSIFIED_SCOPES,
              TableKind.BASIC_EXPENDITURE, TableKind.BUDGET_BASIC)

# Which named rule reports a comparison between two kinds; the first kind is the stated side.
PAIR_RULES = {
    (TableKind.SUMMARY, TableKind.INCOME): "BK201",
    (TableKind.SUMMARY, TableKind.EXPENDITURE): "BK202",
    (TableKind.FISCAL_SUMMARY, TableKind.SUMMARY): "BK203",
    (TableKind.INCOME, TableKind.FISCAL_SUMMARY): "BK204",
    (TableKind.FISCAL_SUMMARY, TableKind.GP_EXPENDITURE): "BK205",
    (TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE): "BK206",
    (TableKind.FISCAL_SUMMARY, TableKind.GOV_FUND): "BK207",
    (TableKind.FISCAL_SUMMARY, TableKind.STATE_CAPITAL): "BK208",
    (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_INCOME): "BK211",
    (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_EXPENDITURE): "BK212",
    (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_SUMMARY): "BK214",
    (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_GP_EXPENDITURE): "BK215",
    (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_GOV_FUND): "BK216",
    (TableKind.BUDGET_FISCAL_SUMMARY, TableKind.BUDGET_STATE_CAPITAL): "BK217",
    (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC): "BK218",
}
ANY_PAIR = "BK220"
_KIND_ORDER = {kind: index for index, kind in enumerate(TableKind)}
FISCAL_INCOME = FactKey(Scope.FISCAL, "本年收入", "合计")
BASIC_PARTS = frozenset(IMPLIED_GROUPS["basic"])
INCOME_LINE_NAMES = frozenset(("本年收入", "事业收入", "上级补助收入", "经营收入", "附属单位上缴收入", "其他收入",
                               "使用非财政拨款结余", "年初结转和结余"))


# --- What each table states ---------------------------------------------------------------

def stated_facts(ctx: Context, table: Table) -> list[Fact]:
    """``facts_of(table)``, made once per run: the ledger, the execution, year and
    self-assessment rules each read the same tables' facts. Read, never changed."""
    made = ctx.memo.setdefault("facts", {})
    facts = made.get(id(table))  # the context holds every table it is given for as long as it lives
    if facts is None:
        facts = made[id(table)] = facts_of(table)
    return facts


def facts_of(table: Table) -> list[Fact]:
    if table.kind in TWO_SIDED:
        return _two_sided_facts(table)
    if table.kind in (TableKind.INCOME, TableKind.BUDGET_INCOME):
        return _income_facts(table)
    if table.kind in CLASSIFIED_SCOPES:
        return _classified_facts(table, CLASSIFIED_SCOPES[table.kind])
    if table.kind in (TableKind.BASIC_EXPENDITURE, TableKind.BUDGET_BASIC):
        # Printed as 人员经费 | 公用经费 blocks, it states no 合计 row: its footers add up to the 基本支出.
        return _classified_facts(table, Scope.GENERAL, total_line="基本支出") + _basic_facts(table)
    return []


def _two_sided_facts(table: Table) -> list[Fact]:
    facts: list[Fact] = []
    split_facts: list[Fact] = []  # 基本支出 as 人员经费 + 公用经费, after every printed figure
    fiscal = table.kind in FISCAL_TWO_SIDED
    for side in Side:
        rows = table.rows_on(side)
        keys, carried = _keys_of(rows), _carried_on(rows)
        measures: dict[str, tuple[Scope, str] | None] = {}  # each column's, worked out once a side
        for row in rows:
            lines = _lines_of(row, side, keys, carried, fiscal)
            if not lines:
                continue
            values = row.values
            for measure, cell in values.items():
                if measure not in measures:
                    measures[measure] = _two_sided_measure(measure, side, fiscal)
                scoped = measures[measure]
                if scoped is None:
                    continue
                scope, name = scoped
                for line_scope, line_name in lines:
                    facts.append(_fact((_key((scope if line_scope is None else line_scope, line_name, name)), table,
                                        row, (cell,), "", "")))
            if side == Side.EXPENDITURE and "basic" not in values and values.keys() >= BASIC_PARTS:
                split = tuple(values[m] for m in IMPLIED_GROUPS["basic"])
                split_facts += [Fact(FactKey(scope or Scope.ALL, line, "基本支出"), table, row, split,
                                     "人员经费与公用经费之和") for scope, line in lines]
    facts += split_facts
    if all(f.key != FISCAL_INCOME for f in facts):
        funds = [f.cells[0] for f in facts if f.key.line == "本年收入" and f.key.scope in FUND_SCOPES.values()]
        if funds:
            facts.append(Fact(FISCAL_INCOME, table, None, tuple(funds), "三项财政拨款收入之和", "财政拨款收入"))
    return facts


def _two_sided_measure(measure: str, side: Side, fiscal: bool) -> tuple[Scope, str] | None:
    """A 总表 column's scope and measure name; None for a column that states no fact."""
    scope = COLUMN_SCOPES.get(measure, Scope.FISCAL) if fiscal else Scope.ALL
    # A 财政拨款总表's 支出 columns are funds, each the 合计 of its fund.
    name = ("合计" if measure in COLUMN_SCOPES else None) if fiscal and side == Side.EXPENDITURE \
        else MEASURE_NAMES.get(measure)
    return None if name is None else (scope, name)


def _keys_of(side: list[Row]) -> set[str]:
    return {r.key for r in side if r.key}


def _carried_on(side: list[Row]) -> bool:
    """Whether a side states a carry-over, so that its 总计 is more than the year's 收入/支出."""
    return any(r.key in ("opening_balance", "use_non_fiscal_balance", "closing_balance", "balance_distribution")
               and any(not c.is_blank for c in r.values.values()) for r in side)


def _lines_of(row: Row, side: Side, keys: set[str | None], carried: bool,
              fiscal: bool) -> list[tuple[Scope | None, str]]:
    """The named lines a 总表 row states; None scope means the column's."""
    if side == Side.EXPENDITURE:
        if row.code:
            return [(None, row.code)]
        name = EXPENDITURE_LINES.get(row.key or "")
        if name is None:
            return []
        alias = row.key == "grand_total" and "expenditure_total" not in keys and not carried
        return [(None, name)] + ([(None, "本年支出")] if alias else [])
    if row.key is None:
        return []
    if row.key.startswith("opening_balance."):
        return [(FUND_SCOPES[row.key.split(".", 1)[1]], "年初结转和结余")]
    scope, name = INCOME_LINES.get(row.key, (None, ""))
    if not name:
        return []
    if fiscal:
        # A 财政拨款总表 counts only 财政拨款: its 本年收入合计, 年初 and 总计 are the fiscal ones.
        scope = Scope.FISCAL if scope == Scope.ALL else scope
    alias = row.key == "grand_total" and "income_total" not in keys and not carried
    return [(scope, name)] + ([(scope, "本年收入")] if alias else [])


def _income_facts(table: Table) -> list[Fact]:
    total = table.total_row()
    if total is None:
        return []
    columns = CARRIED_INCOME_COLUMNS if "opening" in table.columns else INCOME_COLUMNS
    facts = [Fact(FactKey(*columns[m], "合计"), table, total, (cell,)) for m, cell in total.values.items()
             if m in columns]
    funds = _unprinted_group(table, total, "fiscal")
    if funds:
        facts.append(Fact(FactKey(*INCOME_COLUMNS["fiscal"], "合计"), table, total, funds, "各项财政拨款收入之和"))
    return facts


def _unprinted_group(table: Table, row: Row, group: str) -> tuple[Cell, ...]:
    """A group's parts where the table prints them but not the group's own total
    (人员经费 | 公用经费 without a 基本支出 column): the group is their sum."""
    if group in row.values:
        return ()
    return tuple(row.values[m] for m in table.groups.get(group, ()) if m in row.values)


def _classified_facts(table: Table, scope: Scope, total_line: str = "") -> list[Fact]:
    facts = []
    basic_parts = table.groups.get("basic", ())
    for row in table.rows:
        code = row.code
        if code:
            # A 基本支出表 listing its lines by 功能分类 (207 …, Hunan, Guizhou): a line's 合计 is its 基本支出.
            by_function = total_line and code.startswith("2")
            for measure, cell in row.values.items():
                name = total_line if by_function and measure in LINE_FIGURE else CODED_MEASURES.get(measure)
                if name:
                    facts.append(_fact((_key((scope, code, name)), table, row, (cell,), "", "")))
        elif row.is_total:
            for measure, cell in row.values.items():
                if measure in CARRY_MEASURES:
                    facts.append(_fact((_key((scope, CARRY_MEASURES[measure], "合计")), table, row, (cell,), "", "")))
                elif measure in MEASURE_NAMES:
                    # The economic table's 合计 column (or its only column, 预算数) is its 基本支出;
                    # elsewhere the 本年支出 合计.
                    name = total_line if total_line and measure in LINE_FIGURE else MEASURE_NAMES[measure]
                    facts.append(_fact((_key((scope, "本年支出", name)), table, row, (cell,), "", "")))
        else:
            continue
        if basic_parts and (code or not total_line):
            parts = _unprinted_group(table, row, "basic")
            if len(parts) > 1:
                facts.append(Fact(FactKey(scope, code or "本年支出", "基本支出"), table, row, parts, "人员经费与公用经费之和"))
    return facts


def _basic_facts(table: Table) -> list[Fact]:
    footers = {key: row for key in ("personnel_total", "public_total") if (row := table.line(key))}
    facts = [Fact(FactKey(Scope.GENERAL, "本年支出", measure), table, footers[key], (footers[key].figure,))
             for key, measure in (("personnel_total", "人员经费"), ("public_total", "公用经费"))
             if key in footers and footers[key].figure is not None]
    if len(footers) == 2:
        facts.append(Fact(FactKey(Scope.GENERAL, "本年支出", "基本支出"), table, None, tuple(f.cells[0] for f in facts),
                          "人员经费合计与公用经费合计之和", "基本支出"))
    return facts


# --- Comparing them -----------------------------------------------------------------------

class Comparison(NamedTuple):  # one per pair of facts compared: a tuple is quicker to make
    rule: str
    stated: Fact
    other: Fact

    @property
    def sides(self) -> tuple[Fact, Fact]:
        """(stated, other), a sum of printed figures (Σ of three fund lines) never the stated
        side when the other is one printed figure: the finding points at a cell."""
        if len(self.stated.cells) > 1 and len(self.other.cells) == 1:
            return self.other, self.stated
        return self.stated, self.other


@dataclass(frozen=True)
class Slip:
    """Two tables whose shared figures differ by ×1000 or ×10000."""

    stated: Fact
    other: Fact
    factor: int


@dataclass
class Ledger:
    comparisons: list[Comparison]
    slips: list[Slip]
    # Tables off by a unit factor from the others (by id), and table pairs off from each
    # other where which one slipped cannot be told: none of their comparisons are made.
    slipped_tables: set[int]
    slipped_pairs: set[frozenset[int]]

    def apart(self, a: Table, b: Table) -> bool:
        """Whether a unit slip keeps these two tables from being compared."""
        return (id(a) in self.slipped_tables or id(b) in self.slipped_tables
                or bool(self.slipped_pairs) and frozenset((id(a), id(b))) in self.slipped_pairs)


def ledger_of(ctx: Context) -> Ledger:
    """Built once per run: every rule reads the same comparisons."""
    if "ledger" not in ctx.memo:
        ctx.memo["ledger"] = _build(ctx)
    return ctx.memo["ledger"]


def _build(ctx: Context) -> Ledger:
    ledger = Ledger([], [], set(), set())
    for group in ctx.groups:
        for stage in (Stage.FINAL, Stage.BUDGET):
            if len({t.kind for t in group.tables if t.kind.stage == stage and t.kind in FACT_KINDS}) < 2:
                continue  # facts are compared across kinds only: one kind alone gives no pair, no slip
            shared = _shared(facts_by_key(ctx, group, stage))
            _find_unit_slips(shared, ledger)
            for facts, pairs in shared:
                ledger.comparisons += _compared(facts, pairs, ledger)
    return ledger


def _shared(by_key: dict[FactKey, list[Fact]]) -> list[tuple[list[Fact], list[tuple[Fact, Fact]]]]:
    """The facts of each key that more than one table states, with their pairs (most keys
    are one table's own figure: nothing to compare)."""
    return [(facts, _pairs(facts)) for facts in by_key.values() if len(facts) > 1]


def facts_by_key(ctx: Context, group: Group, stage: Stage) -> dict[FactKey, list[Fact]]:
    """The group's facts of one stage by key, made once per run (the ledger and the
    execution rule both read them). Read, never changed."""
    memo = ctx.memo.setdefault("facts_by_key", {})
    if (id(group), stage) not in memo:
        memo[(id(group), stage)] = _by_key(ctx, group, stage)
    return memo[(id(group), stage)]


def sound_facts_by_key(ctx: Context, group: Group, stage: Stage) -> dict[FactKey, list[Fact]]:
    """``facts_by_key`` without the facts of a table printed in the wrong unit (BK401 says so once): its
    figures are off by ×1,000 or ×10,000, and a rule reading facts outside the ledger's comparisons (the
    budget's execution, a staff sheet against the tables) would hold them as they stand."""
    facts = facts_by_key(ctx, group, stage)
    slipped = ledger_of(ctx).slipped_tables
    if not slipped:
        return facts
    kept = {key: [f for f in found if id(f.table) not in slipped] for key, found in facts.items()}
    return {key: found for key, found in kept.items() if found}


def _by_key(ctx: Context, group: Group, stage: Stage) -> dict[FactKey, list[Fact]]:
    tables = [t for t in group.tables if t.kind.stage == stage and t.kind in FACT_KINDS]
    facts = [f for t in tables for f in stated_facts(ctx, t)]
    # A department whose only money is 一般公共预算: its GP (and 财政拨款) figures are its all-funds figures.
    all_funds = (Scope.GENERAL, Scope.FISCAL) if single_fund(facts) else ()
    by_key: dict[FactKey, list[Fact]] = defaultdict(list)
    for fact in facts:
        key = fact.key
        if key.scope in all_funds:
            key = FactKey(Scope.ALL, key.line, key.measure)
        by_key[key].append(fact)
    _add_absent_classes(by_key)
    return by_key


def single_fund(facts: list[Fact]) -> bool:
    """Every income line is 一般公共预算 (no other source, no carry-over), as far as
    the tables say; with nothing said about income, nothing is assumed."""
    income = [f for f in facts if f.key.line in INCOME_LINE_NAMES and f.key.measure == "合计" and not f.derived]
    general = [f for f in income if f.key.scope == Scope.GENERAL and f.key.line == "本年收入" and f.yuan]
    others = [f for f in income if f.yuan and not (f.key.line == "本年收入" and f.key.scope in
                                                   (Scope.GENERAL, Scope.FISCAL, Scope.ALL))]
    return bool(general) and not others


def _add_absent_classes(by_key: dict[FactKey, list[Fact]]) -> None:
    """A 类 that one table lists and another, listing 类 of the same scope, leaves out
    is a blank there: compared, pointing at the table's title."""
    columns: dict[tuple[Scope, str], list[tuple[FactKey, list[Fact]]]] = defaultdict(list)  # 类 by scope, measure
    for key, facts in by_key.items():
        if _is_class(key.line):
            columns[(key.scope, key.measure)].append((key, facts))
    for classes in columns.values():
        # The 总表 listing 类 of this scope and measure, in the order first listed: only they get
        # blanks, and only one that leaves out some 类 of the column (most list them all).
        listed: dict[int, Table] = {}
        listing: dict[int, set[FactKey]] = defaultdict(set)  # by id(table): the 类 it lists
        for key, facts in classes:
            for f in facts:
                if f.table.kind in TWO_SIDED:
                    listed[id(f.table)] = f.table
                    listing[id(f.table)].add(key)
        leaving_out = [(table_id, table) for table_id, table in listed.items() if len(listing[table_id]) < len(classes)]
        if not leaving_out:
            continue
        for key, facts in classes:
            absent = [table for table_id, table in leaving_out if key not in listing[table_id]]
            if absent and not all(f.is_blank for f in facts):
                item = facts[0].item
                facts += [Fact(key, table, None, (Cell(None, table.anchor_ref),), name=item) for table in absent]


@lru_cache(maxsize=4096)  # asked of every key, and a line recurs in a key per measure and table
def _is_class(line: str) -> bool:
    return len(line) == 3 and line.isdigit() and line.startswith("2")


def _find_unit_slips(paired: list[tuple[list[Fact], list[tuple[Fact, Fact]]]], ledger: Ledger) -> None:
    """Table pairs whose shared non-zero figures mostly differ by one factor of 1000 or
    10000. The table that slipped is the one that agrees with no other table; it gets
    one BK401 and no comparison at all. Between two tables alone, the pair is set apart."""
    shared: dict[frozenset[int], list[tuple[Fact, Fact, int | None]]] = defaultdict(list)
    for _, pairs in paired:
        for a, b in pairs:
            if a.is_zero or b.is_zero:
                continue
            factor = None if a.printed_as(b) else scale_factor(a.yuan, b.yuan)
            shared[frozenset((id(a.table), id(b.table)))].append((a, b, factor))
    slipping, agreeing = {}, defaultdict(int)
    for pair, figures in shared.items():
        factors = [factor for _, _, factor in figures if factor]
        if factors and len(factors) * 2 >= len(figures):
            slipping[pair] = _headline([(a, b, f) for a, b, f in figures if f])
        else:
            for table_id in pair:
                agreeing[table_id] += 1
    for pair, (a, b, factor) in slipping.items():
        lone = [fact for fact in (a, b) if not agreeing[id(fact.table)]]
        if len(lone) == 1 and id(lone[0].table) not in ledger.slipped_tables:
            ledger.slipped_tables.add(id(lone[0].table))
            other = b if lone[0] is a else a
            ledger.slips.append(Slip(lone[0], other, factor))
        elif len(lone) != 1:
            ledger.slipped_pairs.add(pair)
            ledger.slips.append(Slip(a, b, factor))


def _headline(figures: list[tuple[Fact, Fact, int | None]]) -> tuple[Fact, Fact, int]:
    """The figure a slip is shown on: a table total where the two share one, its 合计 (or
    基本支出) before the parts beside it (人员经费, 公用经费)."""
    totals = [f for f in figures if f[0].key.line in ("本年收入", "本年支出", "收入总计", "支出总计")]
    return min(totals or figures, key=lambda f: _HEADLINE_MEASURES.get(f[0].key.measure, len(_HEADLINE_MEASURES)))


_HEADLINE_MEASURES = {"合计": 0, "基本支出": 1}


def _pairs(facts: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Facts of different table kinds, each pair once, the stated side first."""
    return [_oriented(a, b) for a, b in combinations(facts, 2) if a.table.kind != b.table.kind]


def _oriented(a: Fact, b: Fact) -> tuple[Fact, Fact]:
    if (b.table.kind, a.table.kind) in PAIR_RULES:
        return b, a
    if (a.table.kind, b.table.kind) in PAIR_RULES:
        return a, b
    return (a, b) if _KIND_ORDER[a.table.kind] <= _KIND_ORDER[b.table.kind] else (b, a)


def _compared(facts: list[Fact], pairs: list[tuple[Fact, Fact]], ledger: Ledger) -> list[Comparison]:
    pairs = [(a, b) for a, b in pairs if not (a.is_blank and b.is_blank)]
    if ledger.slipped_tables or ledger.slipped_pairs:  # most runs have no unit slip to keep tables apart
        pairs = [(a, b) for a, b in pairs if not ledger.apart(a.table, b.table)]
    if len(pairs) > 1:
        odd = _odd_one_out(facts, pairs)
        if odd is not None:
            # One table disagrees with all the others, which agree: one finding, on that table.
            partners = [b if a is odd else a for a, b in pairs if odd in (a, b)]
            partner = min(partners, key=lambda p: (_rule_for(odd, p) == ANY_PAIR, p.key.scope != odd.key.scope,
                                                   len(p.cells) > 1))
            return [Comparison(_rule_for(odd, partner), odd, partner)]
    return [Comparison(_rule_for(a, b), a, b) for a, b in pairs]


def _odd_one_out(facts: list[Fact], pairs: list[tuple[Fact, Fact]]) -> Fact | None:
    differing = [(a, b) for a, b in pairs if a.yuan != b.yuan]
    if not differing:
        return None
    common = set(map(id, differing[0])).intersection(*(set(map(id, pair)) for pair in differing[1:]))
    agreeing = [f for f in facts if id(f) not in common]
    if len(common) == 1 and len(agreeing) >= 2:
        return next(f for f in facts if id(f) in common)
    return None


def _rule_for(stated: Fact, other: Fact) -> str:
    return PAIR_RULES.get((stated.table.kind, other.table.kind)) or PAIR_RULES.get(
        (other.table.kind, stated.table.kind)) or ANY_PAIR


def _gap(stated: Fact, other: Fact, ctx: Context) -> Gap | None:
    """stated against other; a side that sums printed figures carries each one's half unit,
    and two such sums are set sum against sum."""
    if len(stated.cells) > 1:
        return sums_gap(stated.parts, other.parts, ctx.tolerance)
    return None if stated.printed_as(other) else figure_gap(stated.figure, other, ctx.tolerance)


def figure_gap(stated: Term, other: Fact, tolerance: Tolerance) -> Gap | None:
    """One printed figure against a fact: its one figure, or the sum of the printed figures it stands for."""
    if len(other.cells) > 1:
        return sum_gap(stated, other.parts, tolerance)
    return same_gap(stated, other.figure, tolerance)


def discrepancies(ctx: Context, code: str) -> Iterator[Discrepancy]:
    """The comparisons the rule ``code`` reports, with a coverage line of what it compared."""
    compared = [c for c in ledger_of(ctx).comparisons if c.rule == code]
    for comparison in compared:
        stated, other = comparison.sides
        gap = _gap(stated, other, ctx)
        if gap and gap.verdict:
            related = [c.ref for c in (*stated.cells[1:], *other.cells)]  # a stated sum's other lines too
            yield Discrepancy.of(stated.figure, gap, stated.item, related,
                                 stated_table=stated.source, other_table=other.source)
    if compared:
        facts = {id(c.stated): c.stated for c in compared}.values()  # a fact compared with several, named once
        names = list(dict.fromkeys(f"{f.item}（{f.key.scope.value}）" if f.key.scope != Scope.ALL else f.item
                                   for f in facts))
        ctx.note(code, SameFigures(tuple(names)))


class SameFigures(Listed):
    """"比对 3 个同一数字：本年收入合计、…": the figures several folders compared, each once."""

    @staticmethod
    def said(names: tuple[str, ...]) -> str:
        return f"比对 {len(names)} 个同一数字：{'、'.join(names)}"


def unit_slip(a: Table, b: Table) -> int | None:
    """The factor (1000 or 10000) by which two tables' shared figures differ, if they do."""
    by_key: dict[FactKey, list[Fact]] = defaultdict(list)
    for table in (a, b):
        for fact in facts_of(table):
            by_key[fact.key].append(fact)
    ledger = Ledger([], [], set(), set())
    _find_unit_slips(_shared(by_key), ledger)
    return ledger.slips[0].factor if ledger.slips else None
