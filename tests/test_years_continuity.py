"""Across years: this year's 年初结转和结余 is last year's 年末 (BK241, BK242).

Two consecutive 决算 of one department, rendered by the layout corpus from exact
accounts: the 2023 决算's every 年末 equals the 2024 决算's 年初 (total, per fund on
the 财政拨款总表, per 功能科目 on the 政府性基金 table)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budgetkit.pipeline import run
from layout_corpus import Traits, render_disclosure
from layout_corpus.accounts import previous_final_accounts

TRAITS = Traits(lanci="words", line_numbers=False, total_last=True, zeros="blank", totals_only_in_total=False,
                unit="万元", codes="code_and_name", stacked=True, header_rows=3, notes=True, tables_per_sheet=1,
                code_line=True, text_numbers=True, file_format="xlsx")


def _two_years(folder: Path, traits: Traits = TRAITS):
    this_year = render_disclosure(traits, "决算")
    last_year = render_disclosure(traits, "决算", accounts=previous_final_accounts())
    this_year.write(folder)
    last_year.write(folder)
    return this_year, last_year


def _edit(folder: Path, address: tuple[str, str, str], value: object, note: str | None = None) -> None:
    file, sheet, cell = address
    book = openpyxl.load_workbook(folder / file)
    book[sheet][cell].value = value
    if note is not None:
        book[sheet].append([note])
    book.save(folder / file)


def _continuity(result) -> list:
    return [f for f in result.findings if f.rule in ("BK241", "BK242")]


@pytest.mark.parametrize("unit", ["万元", "元"])
def test_consecutive_years_that_carry_over_exactly_give_no_finding(tmp_path: Path, unit: str) -> None:
    _two_years(tmp_path, Traits(**{**TRAITS.__dict__, "unit": unit}))
    result = run(tmp_path)
    assert _continuity(result) == []
    assert [f for f in result.findings if f.severity.value != "info"] == []
    coverage = next(c for c in result.coverage if c.rule.code == "BK241")
    assert coverage.ran
    # 总表 年初 (1), 财政拨款总表 年初 财政拨款 + three funds (4), 政府性基金表 合计 and 2120804 (2);
    # the 国有资本经营 table states no figure (an empty table).
    assert any(note.startswith("比对 ") and "个年初数与上年年末数" in note for note in coverage.notes)


def test_a_broken_opening_balance_is_an_error_naming_last_years_cell(tmp_path: Path) -> None:
    this_year, last_year = _two_years(tmp_path)
    opening = this_year.addresses[("summary", (("in", "opening_balance"), "amount"))]
    closing = last_year.addresses[("summary", (("out", "closing_balance"), "amount"))]
    _edit(tmp_path, opening, "300.00")
    found = _continuity(run(tmp_path))
    summary = [f for f in found if f.ref.cell == opening[2] and f.ref.sheet == opening[1]]
    assert len(summary) == 1
    finding = summary[0]
    assert (finding.rule, finding.severity.value, finding.ref.file) == ("BK241", "error", opening[0])
    assert finding.stated == Decimal("300.00")
    assert finding.expected == Decimal("297.51")  # 2,975,120.20 元 carried out of 2023, printed in 万元
    assert [(r.file, r.sheet, r.cell) for r in finding.related] == [closing]
    assert "上年决算（某区农业农村委员会2023年度部门决算.xlsx）收入支出决算总表年末数 297.51" in finding.message


def test_a_broken_opening_per_fund_and_per_subject_is_found_where_it_is_printed(tmp_path: Path) -> None:
    this_year, last_year = _two_years(tmp_path)
    fund_opening = this_year.addresses[("gov_fund", ("2120804", "opening"))]
    _edit(tmp_path, fund_opening, "100.00")
    found = _continuity(run(tmp_path))
    at_cell = [f for f in found if (f.ref.file, f.ref.sheet, f.ref.cell) == fund_opening]
    assert [(f.rule, f.stated, f.expected) for f in at_cell] == [("BK241", Decimal("100.00"), Decimal("120.00"))]
    assert at_cell[0].related[0].file == last_year.addresses[("gov_fund", ("2120804", "closing"))][0]


def test_a_broken_opening_of_one_fund_on_the_fiscal_summary_is_found_there(tmp_path: Path) -> None:
    this_year, last_year = _two_years(tmp_path)
    opening = this_year.addresses[("fiscal", (("in", "opening_balance.general_budget"), "amount"))]
    closing = last_year.addresses[("fiscal", (("out", "closing_balance"), "general_budget"))]
    _edit(tmp_path, opening, "1.00")
    at_cell = [f for f in _continuity(run(tmp_path)) if (f.ref.file, f.ref.sheet, f.ref.cell) == opening]
    assert [(f.rule, f.stated, f.expected) for f in at_cell] == [("BK241", Decimal("1.00"), Decimal("153.86"))]
    assert [(r.file, r.sheet, r.cell) for r in at_cell[0].related] == [closing]


def test_an_opening_the_notes_say_was_restated_is_a_warning(tmp_path: Path) -> None:
    this_year, _ = _two_years(tmp_path)
    opening = this_year.addresses[("summary", (("in", "opening_balance"), "amount"))]
    _edit(tmp_path, opening, "300.00", note="注：年初结转和结余因以前年度会计差错更正进行了调整。")
    found = [f for f in _continuity(run(tmp_path)) if f.ref.cell == opening[2] and f.ref.sheet == opening[1]]
    assert [(f.rule, f.severity.value) for f in found] == [("BK242", "warning")]
    assert found[0].message.endswith("表下说明年初数已调整，请核实调整原因与金额。")


@pytest.mark.parametrize("note", ["注：本表年初数未作调整。", "注：上年结转资金已按规定调整用途。"])
def test_a_note_that_restates_nothing_leaves_a_broken_opening_an_error(tmp_path: Path, note: str) -> None:
    """A note saying the 年初 was NOT restated, or restating something else, explains no difference: it made
    the error a BK242 warning ('表下说明年初数已调整')."""
    this_year, _ = _two_years(tmp_path)
    opening = this_year.addresses[("summary", (("in", "opening_balance"), "amount"))]
    _edit(tmp_path, opening, "300.00", note=note)
    found = [f for f in _continuity(run(tmp_path)) if f.ref.cell == opening[2] and f.ref.sheet == opening[1]]
    assert [(f.rule, f.severity.value) for f in found] == [("BK241", "error")]


def test_years_that_are_not_consecutive_are_not_compared(tmp_path: Path) -> None:
    this_year = render_disclosure(TRAITS, "决算")
    this_year.write(tmp_path)
    older = render_disclosure(TRAITS, "决算", accounts=replace(previous_final_accounts(), year=2022))
    older.write(tmp_path)
    result = run(tmp_path)
    coverage = next(c for c in result.coverage if c.rule.code == "BK241")
    assert (coverage.ran, coverage.reason) == (False, "缺少同一部门连续两年的决算（年初、年末结转和结余）")


def test_two_departments_in_one_folder_are_never_compared_across(tmp_path: Path) -> None:
    this_year, last_year = _two_years(tmp_path)
    file = last_year.addresses[("summary", (("in", "opening_balance"), "amount"))][0]
    book = openpyxl.load_workbook(tmp_path / file)
    for cell in (cell for each in book.worksheets for row in each.iter_rows() for cell in row):
        if isinstance(cell.value, str) and "某区农业农村委员会" in cell.value:
            cell.value = cell.value.replace("某区农业农村委员会", "某区水务局")
    book.save(tmp_path / file)
    (tmp_path / file).rename(tmp_path / file.replace("某区农业农村委员会", "某区水务局"))
    _edit(tmp_path, this_year.addresses[("summary", (("in", "opening_balance"), "amount"))], "300.00")
    assert _continuity(run(tmp_path)) == []
