"""A report text's year-on-year sentences held against both years' tables.

"农林水支出3,150.67万元，比上年增加6.63万元，增长0.21%": BK615 checks the change against the
figures the sentence prints; here, when the folder also holds the department's tables of
the year compared with, the change and the rate are held against the two years' tables —
this year's line (the one the sentence's figure is tied to) and the same line last year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from budgetkit.load.narrative import TURNED, Amount, Change, direction_of
from budgetkit.model import Cell, Severity, Stage, Table, Unit
from budgetkit.rules.base import Context, Counted, Discrepancy, rule
from budgetkit.rules.narrative import (HUNDRED, TABLE_LOOKUPS, Lookup, Reading, change_amount_corrected,
                                       change_quote, document_year, percent_corrected, rate_verdict, should_read,
                                       stage_named, table_cell_named, texts_with_tables)
from budgetkit.tolerance import Term, Verdict, sum_gap

# The change compares with last year: "比上年", "较去年", "同比", or a named year (checked below).
_LAST_YEAR = re.compile(r"上年|去年|上一年|同比")


def needs_last_years_tables(ctx: Context) -> str:
    if next(ctx.consecutive_years(), None) is not None:
        return ""
    return "缺少同一部门上一年度的表（与上年比较的句子只按文中数字核对，见 BK615）"


@rule("BK618", "text.change_against_tables", "表文与上年增减与两年的表", Severity.ERROR, (),
      "{item}：文中写“{said}”，按本年 {this_cell} {this} 与上年 {last_cell} {last} 应为{actual}，"
      "相差 {difference}{apart}。原文：“{quote}”{correction}", narrative=True, requires=needs_last_years_tables)
def change_against_tables(ctx: Context) -> Iterator[Discrepancy]:
    """文中“比上年增加（减少）X万元，增长（下降）Y%”：文件夹中同时有本部门上一年度的表时，X 应等于本年表中该行的数减上年表中
    同一行的数，Y 应等于 X ÷ 上年数；每个印出的数带半个末位的取整误差，增减率再允许 0.01 个百分点（由未取整的数算出）。

    错误示例：上年决算 农林水支出 3,144.04 万元、本年 3,150.67 万元，文中“农林水支出3,150.67万元，比上年增加16.63万元”。
    正确示例：“农林水支出3,150.67万元，比上年增加6.63万元，增长0.21%”。
    """
    compared = 0
    for said in _year_on_year(ctx):
        compared += 1
        amount = list(_amount_gap(said, ctx))
        yield from amount
        # A change the tables bear out leaves the rate to BK615, which holds it against the same figures.
        if said.reading.amount.change.amount is None or amount:
            yield from _rate_gap(said, ctx)
    if compared:
        ctx.note("BK618", Counted(compared, "处与上年的增减与两年的表"))


@dataclass(frozen=True)
class _Compared:
    """A text's year-on-year change, with the table line its item is tied to in both years."""

    reading: Reading
    this_table: Table
    this_cell: Cell
    last_table: Table
    last_cell: Cell

    @property
    def this(self) -> Term:
        return Term(self.this_cell, self.this_table.unit)

    @property
    def last(self) -> Term:
        return Term(self.last_cell, self.last_table.unit)

    @property
    def moved_yuan(self) -> Decimal:
        return self.this.yuan - self.last.yuan

    def fields(self, actual: str, correction: str, apart: str) -> dict[str, str]:
        unit = self.reading.amount.unit
        return {"said": self.reading.amount.change.words, "quote": change_quote(self.reading.amount),
                "this_cell": table_cell_named(self.this_table, self.this_cell), "this": _shown(self.this, unit),
                "last_cell": f"{self.last_table.file} {table_cell_named(self.last_table, self.last_cell)}",
                "last": _shown(self.last, unit), "actual": actual, "correction": correction, "apart": apart}


def _shown(term: Term, unit: Unit) -> str:
    return f"{(term.yuan / unit.yuan).quantize(Decimal('0.01'), ROUND_HALF_UP):,}{unit.label}"


def _year_on_year(ctx: Context) -> Iterator[_Compared]:
    """Every change a text states against last year whose item both years' tables state."""
    previous_of = {id(current): previous for previous, current in ctx.consecutive_years()}
    for narrative, group, readings in texts_with_tables(ctx):
        last_year = previous_of.get(id(group))
        if last_year is None:
            continue
        year = document_year(group, narrative)
        changes = [r for r in readings if r.amount.change is not None and _against_last_year(r.amount.change, year)]
        if not changes:
            continue
        # Each lookup indexes its group's tables: made once per text, not once per sentence.
        lookups = [(lookup_for(group, narrative), lookup_for(last_year, narrative)) for lookup_for in TABLE_LOOKUPS]
        for reading in changes:
            words = reading.amount.change.words
            named = stage_named(words)  # "比上年预算增加": last year's budget, whatever the text's stage
            if not isinstance(named, Stage) and _EXECUTED.search(words):
                named = Stage.FINAL  # "比2024年执行数增加": what was spent, never last year's budget
            last_reading = replace(reading, stage=named) if isinstance(named, Stage) else reading
            found = _both_years(reading, last_reading, lookups)
            if found is not None:
                yield found


_EXECUTED = re.compile(r"执行数|执行决算|实际支出|实际执行")


def _against_last_year(change: Change, year: int | None) -> bool:
    if change.year is not None:
        return year is not None and change.year == year - 1
    return bool(_LAST_YEAR.search(change.words))


def _both_years(reading: Reading, last_reading: Reading, lookups: list[tuple[Lookup, Lookup]]) -> _Compared | None:
    """The first lookup that ties the item to a line this year and the same line last year: where a
    headline may mean either of two 总表 lines (本年收入合计 or 收入总计), last year's is the line this
    year's figure was found on, not the one nearest to this year's figure."""
    for this_year, last_year in lookups:
        this = this_year(reading)
        if this is None:
            continue
        last = last_year(last_reading)
        if last is not None:
            last = _on_the_same_line(this, last)
        if last is None or not (this[1].known and last[1].known):
            return None
        return _Compared(reading, *this, *last)
    return None


def _on_the_same_line(this: tuple[Table, Cell], last: tuple[Table, Cell]) -> tuple[Table, Cell]:
    """Last year's figure of the keyed line this year's figure is on, where last year's table has it."""
    this_table, this_cell = this
    last_table, _ = last
    row = next((r for r in this_table.rows if r.key and r.figure is this_cell), None)
    if row is None or last_table.kind is not this_table.kind:
        return last
    same = last_table.line(row.key, row.side)
    return (last_table, same.figure) if same is not None and same.figure is not None else last


def _amount_gap(said: _Compared, ctx: Context) -> Iterator[Discrepancy]:
    """The change in amount against the tables: "增加X万元", or "持平" (a change of nothing)."""
    change, item = said.reading.amount.change, said.reading.amount
    if change.amount is not None and change.direction is not None:
        stated = Term(change.amount.cell, change.amount.unit)
    elif change.direction == 0:
        stated = Term(Cell(Decimal(0), said.reading.paragraph.ref, item.cell.decimals), item.unit)
    else:
        return
    # The text states the size of the change; its direction says which way the tables must move
    # (the stated side's sign counts for nothing in a sum: "减少6.63" is +6.63 = last − this).
    sign = change.direction or 1
    gap = sum_gap(stated, [Term(said.this.cell, said.this.unit, sign), Term(said.last.cell, said.last.unit, -sign)],
                  ctx.tolerance)
    if not (gap and gap.verdict):
        return
    unit = stated.unit
    actual = _direction_words(said.moved_yuan, unit)
    corrected = _redirected(change_amount_corrected(item, abs(said.moved_yuan) / unit.yuan), _change_start(item),
                            said.moved_yuan) if change.amount else ""
    yield Discrepancy.of(stated, gap, f"{said.reading.amount.label}比上年的增减额",
                         [said.this_cell.ref, said.last_cell.ref],
                         **said.fields(actual, should_read(corrected) if gap.verdict is Verdict.MISMATCH else "",
                                       unit.label))


_TURNED_WORD = re.compile("|".join(sorted(TURNED, key=len, reverse=True)))
_CLAUSES_END = re.compile(r"[；;。]")


def _redirected(sentence: str, start: int, moved_yuan: Decimal) -> str:
    """A corrected sentence whose change words, in the change's own clauses (from ``start`` to the next
    ；or 。), say the way the tables moved: "减少13.68万元，下降9.12%" where they rose becomes
    "增加13.68万元，增长9.12%" (the figures alone corrected, the sentence would be proposed unchanged)."""
    if not sentence or moved_yuan == 0:
        return sentence
    sign = 1 if moved_yuan > 0 else -1
    end = found.start() if (found := _CLAUSES_END.search(sentence, start)) else len(sentence)
    turned = _TURNED_WORD.sub(lambda word: word.group() if direction_of(word.group()) == sign else TURNED[word.group()],
                              sentence[start:end])
    return sentence[:start] + turned + sentence[end:]


def _change_start(item: Amount) -> int:
    """Where an item's change is stated in ``change_quote``: after the item in its sentence, or the next sentence."""
    return len(item.sentence) if item.change.sentence else item.offset


def _direction_words(moved_yuan: Decimal, unit: Unit) -> str:
    if moved_yuan == 0:
        return "持平"
    amount = (abs(moved_yuan) / unit.yuan).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{'增加' if moved_yuan > 0 else '减少'}{amount:,}{unit.label}"


def _rate_gap(said: _Compared, ctx: Context) -> Iterator[Discrepancy]:
    change = said.reading.amount.change
    base = said.last.yuan
    if change.rate is None or change.rate_direction is None or base == 0:  # a zero base is BK605's
        return
    exact = said.moved_yuan / abs(base) * HUNDRED
    stated = change.rate.amount * HUNDRED * (change.rate_direction or 1)
    judged = rate_verdict(stated, exact, change.rate, said.this.half_unit_yuan + said.last.half_unit_yuan, base,
                          said.last.half_unit_yuan, ctx.tolerance)
    if judged is None:
        return
    verdict, allowed = judged
    words = "增长" if exact > 0 else "下降"
    actual = f"{words}{abs(exact).quantize(Decimal('0.01'), ROUND_HALF_UP)}%" if exact else "持平"
    amount = said.reading.amount
    corrected = _redirected(percent_corrected(change_quote(amount), amount.offset, change.rate, abs(exact)),
                            _change_start(amount), said.moved_yuan)
    yield Discrepancy(said.reading.paragraph.ref, f"{amount.label}比上年的增减率", stated,
                      exact.quantize(Decimal("0.0001")), "%", verdict, allowed, max(2, change.rate.decimals - 2),
                      (said.this_cell.ref, said.last_cell.ref),
                      said.fields(actual, should_read(corrected) if verdict is Verdict.MISMATCH else "", " 个百分点"))
