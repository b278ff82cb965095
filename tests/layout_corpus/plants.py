"""Error families planted in a clean rendering, each one a reviewer meets in real
disclosures: one printed figure moved by several units of the printed unit (far
beyond any rounding), or one table's figures printed in another unit than it states.

Each plant returns the finding it must produce: the rule, and the figure the rule
states its finding at (read off the rule's code in budgetkit/rules/). It is an error,
save where a plant moves a figure by less than the printed figures' rounding allows
(``expected_severity``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from layout_corpus.tables import Block
from layout_corpus.traits import Traits

UNITS = 5   # printed units a planted figure moves by: 5.00 元, 5.00 万元 or 5.00 千元
ONE_UNIT = 1   # 1.00: a rounding gap where whole figures are printed whole, an error where they show cents


@dataclass(frozen=True)
class Planted:
    """A plant's expected finding before the layout gives it a sheet and a cell."""

    rule: str
    table: str
    key: tuple
    alone: bool = False
    within_whole_rounding: bool = False   # no more than whole figures printed whole may hide (±0.5 each)


Plant = Callable[[dict[str, Block]], Planted]


def _bump(blocks: dict[str, Block], table: str, line: object, measures: tuple[str, ...], units: int) -> tuple:
    block = blocks[table]
    for measure in measures:
        try:
            figure = block.figure((line, measure))
        except KeyError:
            continue
        figure.bump += units
        return figure.key
    raise KeyError(f"{table}: no figure {line} {measures}")


def _slip(blocks: dict[str, Block], table: str) -> None:
    """The table's figures printed in 元 while its title block keeps the unit of the
    others (万元 or 千元), or says 万元 when every table prints 元."""
    block = blocks[table]
    if block.unit == "元":
        block.unit = "万元"
    block.print_unit = "元"


# -- 决算 ---------------------------------------------------------------------------------

def section_differs_from_its_items(blocks: dict[str, Block]) -> Planted:
    """支出决算表: 21301 农业农村's 项目支出 is not the sum of its 项 (BK103 at that figure)."""
    return Planted("BK103", "expenditure", _bump(blocks, "expenditure", "21301", ("project",), UNITS))


def row_total_differs_from_its_parts(blocks: dict[str, Block]) -> Planted:
    """支出决算表: 2130106's 本年支出合计 is not 基本支出 + 项目支出 (BK101 at the 合计)."""
    return Planted("BK101", "expenditure", _bump(blocks, "expenditure", "2130106", ("total",), UNITS))


def three_public_final_total_wrong(blocks: dict[str, Block]) -> Planted:
    """"三公": the 合计 决算数 is not 出国 + 公务用车 + 接待 (BK141 at the 合计 决算数)."""
    return Planted("BK141", "three_public", _bump(blocks, "three_public", "total", ("final",), -UNITS))


def three_public_final_total_one_unit_off(blocks: dict[str, Block]) -> Planted:
    """"三公": the 合计 决算数 is 1.00 below 出国 + 公务用车 + 接待 (BK141 at the 合计 决算数).
    An error wherever the table's figures show their cents; a rounding note where every
    figure is a whole number printed General (see ``expected_severity``)."""
    return Planted("BK141", "three_public", _bump(blocks, "three_public", "total", ("final",), -ONE_UNIT),
                   within_whole_rounding=True)


def summary_class_differs_from_expenditure(blocks: dict[str, Block]) -> Planted:
    """总表: 农林水支出 differs from the 支出决算表's 213 (BK202 at the 总表 line)."""
    return Planted("BK202", "summary", _bump(blocks, "summary", ("out", "213"), ("amount",), UNITS))


def fiscal_carryover_broken(blocks: dict[str, Block]) -> Planted:
    """财政拨款总表: 年末 一般公共预算财政拨款结转 ≠ 年初 + 本年收入 − 本年支出 (BK116 at the 年末)."""
    return Planted("BK116", "fiscal",
                   _bump(blocks, "fiscal", ("out", "closing_balance"), ("general_budget",), UNITS))


def fund_rollforward_broken(blocks: dict[str, Block]) -> Planted:
    """政府性基金表: 2120804's 年末结转和结余 ≠ 年初 + 本年收入 − 本年支出 (BK104 at the 年末)."""
    return Planted("BK104", "gov_fund", _bump(blocks, "gov_fund", "2120804", ("closing",), UNITS))


def totals_unbalanced(blocks: dict[str, Block]) -> Planted:
    """总表: 支出总计 differs from 收入总计 (BK113 at the 支出总计)."""
    return Planted("BK113", "summary", _bump(blocks, "summary", ("out", "grand_total"), ("amount",), UNITS))


def personnel_total_wrong(blocks: dict[str, Block]) -> Planted:
    """基本支出表: 人员经费合计 is not 301 + 303 (BK131 at the 人员经费合计 footer; in the columns
    layout, BK102 at the 合计 line's 人员经费)."""
    try:
        return Planted("BK131", "basic", _bump(blocks, "basic", "personnel_total", ("amount",), UNITS))
    except KeyError:
        return Planted("BK102", "basic", _bump(blocks, "basic", "total", ("personnel",), UNITS))


def expenditure_in_the_wrong_unit(blocks: dict[str, Block]) -> Planted:
    """支出决算表 printed in 元 beside 万元 tables: one BK401, at the slipped table's
    headline (its 合计 row's 本年支出合计), and nothing else."""
    _slip(blocks, "expenditure")
    return Planted("BK401", "expenditure", ("total", "total"), alone=True)


# -- 预算 ---------------------------------------------------------------------------------

def budget_summary_class_differs(blocks: dict[str, Block]) -> Planted:
    """财务收支预算总表: 农林水支出 differs from the 支出预算总表's 213 (BK212 at the 总表 line)."""
    return Planted("BK212", "summary", _bump(blocks, "summary", ("out", "213"), ("amount", "total"), UNITS))


def budget_fiscal_class_differs(blocks: dict[str, Block]) -> Planted:
    """财政拨款收支预算总表: 农林水支出 (一般公共预算) differs from the 一般公共预算支出表's 213
    (BK215 at the 总表 figure)."""
    return Planted("BK215", "fiscal", _bump(blocks, "fiscal", ("out", "213"), ("general_budget",), UNITS))


def budget_section_differs_from_its_items(blocks: dict[str, Block]) -> Planted:
    """支出预算总表: 21301's 项目支出 is not the sum of its 项 (BK103)."""
    return Planted("BK103", "expenditure", _bump(blocks, "expenditure", "21301", ("project",), UNITS))


def budget_row_total_differs_from_its_parts(blocks: dict[str, Block]) -> Planted:
    """支出预算总表: 2130106's 合计 is not 基本支出 + 项目支出 (BK101)."""
    return Planted("BK101", "expenditure", _bump(blocks, "expenditure", "2130106", ("total",), UNITS))


def budget_general_public_differs_from_its_items(blocks: dict[str, Block]) -> Planted:
    """一般公共预算支出表: 21301's 公用经费 (its 基本支出 where 基本支出 is not split) is not
    the sum of its 项 (BK103 at that figure)."""
    return Planted("BK103", "general", _bump(blocks, "general", "21301", ("public", "basic"), UNITS))


def budget_fund_income_differs_from_its_items(blocks: dict[str, Block]) -> Planted:
    """收入预算总表: 21301's 一般公共预算拨款收入 (its 财政拨款收入 where the income is not split
    by fund) is not the sum of its 项 (BK103 at that figure)."""
    return Planted("BK103", "income", _bump(blocks, "income", "21301", ("general_budget", "fiscal"), UNITS))


def budget_totals_unbalanced(blocks: dict[str, Block]) -> Planted:
    """财务收支预算总表: 支出总计 differs from 收入总计 (BK113 at the 支出总计)."""
    return Planted("BK113", "summary",
                   _bump(blocks, "summary", ("out", "grand_total"), ("amount", "total"), UNITS))


def budget_three_public_total_wrong(blocks: dict[str, Block]) -> Planted:
    """“三公”经费预算表: 合计 is not 出国 + 公务用车 + 接待 (BK141 at the 合计)."""
    return Planted("BK141", "three_public", _bump(blocks, "three_public", "total", ("budget",), -UNITS))


def budget_economic_in_the_wrong_unit(blocks: dict[str, Block]) -> Planted:
    """经济分类预算表 printed in 元 beside tables in 万元: one BK401, at the slipped table's
    headline (its 合计 row's 合计), and nothing else."""
    _slip(blocks, "basic")
    return Planted("BK401", "basic", ("total", "total"), alone=True)


PLANTS: dict[str, tuple[str, Plant]] = {
    "section_differs_from_its_items": ("决算", section_differs_from_its_items),
    "row_total_differs_from_its_parts": ("决算", row_total_differs_from_its_parts),
    "three_public_final_total_wrong": ("决算", three_public_final_total_wrong),
    "three_public_final_total_one_unit_off": ("决算", three_public_final_total_one_unit_off),
    "summary_class_differs_from_expenditure": ("决算", summary_class_differs_from_expenditure),
    "fiscal_carryover_broken": ("决算", fiscal_carryover_broken),
    "fund_rollforward_broken": ("决算", fund_rollforward_broken),
    "totals_unbalanced": ("决算", totals_unbalanced),
    "personnel_total_wrong": ("决算", personnel_total_wrong),
    "expenditure_in_the_wrong_unit": ("决算", expenditure_in_the_wrong_unit),
    "budget_summary_class_differs": ("预算", budget_summary_class_differs),
    "budget_fiscal_class_differs": ("预算", budget_fiscal_class_differs),
    "budget_section_differs_from_its_items": ("预算", budget_section_differs_from_its_items),
    "budget_row_total_differs_from_its_parts": ("预算", budget_row_total_differs_from_its_parts),
    "budget_general_public_differs_from_its_items": ("预算", budget_general_public_differs_from_its_items),
    "budget_fund_income_differs_from_its_items": ("预算", budget_fund_income_differs_from_its_items),
    "budget_totals_unbalanced": ("预算", budget_totals_unbalanced),
    "budget_three_public_total_wrong": ("预算", budget_three_public_total_wrong),
    "budget_economic_in_the_wrong_unit": ("预算", budget_economic_in_the_wrong_unit),
}


def expected_severity(planted: Planted, traits: Traits) -> str:
    """An error, but "info" for a plant within whole figures' rounding where the planted
    table prints only whole figures (the whole-万元 "三公" accounts) as numbers under General:
    each may then hide half a unit, so 1.00 between a 合计 and its three items is rounding
    and no checker can call it an error. Under '#,##0.00' the same cells print 11.00, and
    typed as text they read "11.00": the cents are shown, and 1.00 off is an error."""
    whole_printed_whole = (traits.whole_three_public and traits.number_format == "general"
                           and not traits.text_numbers and planted.table == "three_public")
    return "info" if planted.within_whole_rounding and whole_printed_whole else "error"


def plants_of(stage: str) -> list[str]:
    return [name for name, (plant_stage, _) in PLANTS.items() if plant_stage == stage]
