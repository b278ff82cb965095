"""Issue 9: right on disclosures budgetkit has never seen.

One department's exact accounts (某区农业农村委员会, 2024 决算 and 2025 预算, in 分) are
rendered under a sample of the layout traits real disclosures show (layout_corpus;
benchmarks/layout_corpus.py runs the full cross product). Whatever the layout:

1. the clean accounts give no error and no warning (rounding notes, ``info``, are allowed);
2. every planted error family is reported as an error, by its rule, at the planted cell (a
   1.00 gap among whole figures printed whole as a rounding note, ``expected_severity``);
3. renaming or reordering sheets, blank rows above the tables, or another unit change
   no finding beyond its address (and, for the unit, the rounding notes).
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from layout_corpus import PLANTS, STAGES, Rendering, Traits, accounts_for, render_disclosure, sample, verify
from layout_corpus.plants import ONE_UNIT, UNITS

from budgetkit.model import Finding, RunResult, Severity, TableKind
from budgetkit.pipeline import run

SAMPLE = sample(8, seed=9)
LOUD = (Severity.ERROR, Severity.WARNING)


def checked(rendering: Rendering, folder: Path) -> RunResult:
    rendering.write(folder)
    return run(folder, jobs=1)


def shown(findings: list[Finding]) -> str:
    return "\n".join(f"{f.severity.value} {f.rule} {f.ref.sheet}!{f.ref.cell}: {f.message}" for f in findings)


def findings_by_table(rendering: Rendering, result: RunResult, severities=tuple(Severity)) -> Counter:
    """Findings without their address: (rule, severity, the table they are about, item)."""
    return Counter((f.rule, f.severity.value, rendering.table_at(f.ref.file, f.ref.sheet, f.ref.cell), f.item)
                   for f in result.findings if f.severity in severities)


def label(traits: Traits) -> str:
    return traits.label


# -- the generator itself --------------------------------------------------------------------

@pytest.mark.parametrize("stage", STAGES)
def test_the_accounts_satisfy_every_identity_to_the_fen(stage):
    verify(accounts_for(stage))


def _printed(rendering: Rendering) -> dict[tuple[str, int, int], object]:
    return {(sheet, r, c): value for sheets in rendering.files.values() for sheet, (rows, _) in sheets.items()
            for r, row in enumerate(rows) for c, value in enumerate(row)}


def _amount(value: object) -> Decimal:
    return Decimal(str(value).replace(",", "")) if value not in (None, "") else Decimal(0)


SLIPS = ("expenditure_in_the_wrong_unit", "budget_economic_in_the_wrong_unit")
MOVED = {"three_public_final_total_one_unit_off": ONE_UNIT}


@pytest.mark.parametrize("plant", [name for name in PLANTS if name not in SLIPS])
def test_a_plant_moves_exactly_one_printed_figure_by_five_units_or_by_one(plant):
    traits = SAMPLE[0]
    stage = PLANTS[plant][0]
    before, after = _printed(render_disclosure(traits, stage)), _printed(render_disclosure(traits, stage, plant))
    changed = [place for place in before if before[place] != after[place]]
    assert len(changed) == 1
    assert abs(_amount(after[changed[0]]) - _amount(before[changed[0]])) == MOVED.get(plant, UNITS)


@pytest.mark.parametrize("plant", SLIPS)
def test_a_unit_slip_prints_one_tables_figures_in_yuan_under_another_unit(plant):
    traits = SAMPLE[0].with_(unit="万元", zeros="blank")
    stage = PLANTS[plant][0]
    clean, slipped = render_disclosure(traits, stage), render_disclosure(traits, stage, plant)
    before, after = _printed(clean), _printed(slipped)
    changed = {place for place in before if before[place] != after[place]}
    table = slipped.planted and slipped.table_at(slipped.planted.file, slipped.planted.sheet, slipped.planted.cell)
    place = slipped.places[table]
    assert changed and all(sheet == place.sheet and place.first <= r <= place.last for sheet, r, _ in changed)
    assert all((_amount(after[p]) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP) == _amount(before[p])
               for p in changed)


# -- 1. clean accounts ------------------------------------------------------------------------

@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("traits", SAMPLE, ids=label)
def test_clean_accounts_give_no_error_and_no_warning_in_any_layout(tmp_path, traits, stage):
    result = checked(render_disclosure(traits, stage), tmp_path)
    loud = [f for f in result.findings if f.severity in LOUD]
    assert len(result.tables) == 9
    assert not loud, shown(loud)


# -- 2. planted errors ------------------------------------------------------------------------

@pytest.mark.parametrize("plant", list(PLANTS))
@pytest.mark.parametrize("traits", SAMPLE, ids=label)
def test_every_planted_error_is_found_at_the_planted_cell(tmp_path, traits, plant):
    rendering = render_disclosure(traits, PLANTS[plant][0], plant)
    result = checked(rendering, tmp_path)
    expected = rendering.planted
    at_the_cell = [f for f in result.findings
                   if (f.rule, f.ref.file, f.ref.sheet, f.ref.cell) == (expected.rule, expected.file, expected.sheet,
                                                                        expected.cell)]
    assert [f.severity for f in at_the_cell] == [Severity(expected.severity)], (
        f"expected {expected.rule} {expected.severity} at {expected.sheet}!{expected.cell}; found:\n"
        + shown(at_the_cell + [f for f in result.findings if f.severity in LOUD]))
    if expected.alone:
        loud = [f for f in result.findings if f.severity in LOUD]
        assert loud == at_the_cell, "a unit slip is one finding:\n" + shown(loud)


# -- 3. what must not matter ------------------------------------------------------------------

INVARIANCE_CASES = [(traits, stage, plant) for traits, (stage, plant) in
                    zip(SAMPLE[:4], [("决算", "summary_class_differs_from_expenditure"),
                                     ("预算", "budget_fiscal_class_differs"),
                                     ("决算", "section_differs_from_its_items"),
                                     ("预算", "budget_section_differs_from_its_items")], strict=True)]


@pytest.mark.parametrize(("traits", "stage", "plant"), INVARIANCE_CASES, ids=lambda v: getattr(v, "label", v))
def test_renaming_and_reordering_the_sheets_changes_no_finding(tmp_path, traits, stage, plant):
    first = render_disclosure(traits, stage, plant)
    sheets = [name for sheets in first.files.values() for name in sheets]
    renamed = render_disclosure(traits, stage, plant, names={name: f"表{k}" for k, name in enumerate(sheets, 1)},
                                reverse=True)
    assert findings_by_table(first, checked(first, tmp_path / "a")) \
        == findings_by_table(renamed, checked(renamed, tmp_path / "b"))


@pytest.mark.parametrize(("traits", "stage", "plant"), INVARIANCE_CASES, ids=lambda v: getattr(v, "label", v))
def test_blank_rows_above_every_table_change_no_finding(tmp_path, traits, stage, plant):
    first = render_disclosure(traits, stage, plant)
    lower = render_disclosure(traits, stage, plant, blank_rows_above=3)
    assert findings_by_table(first, checked(first, tmp_path / "a")) \
        == findings_by_table(lower, checked(lower, tmp_path / "b"))


@pytest.mark.parametrize(("traits", "stage", "plant"), INVARIANCE_CASES, ids=lambda v: getattr(v, "label", v))
def test_another_unit_changes_no_error_and_no_warning(tmp_path, traits, stage, plant):
    """Only the rounding notes (info) come and go with the printed precision."""
    first = render_disclosure(traits, stage, plant)
    expected = findings_by_table(first, checked(first, tmp_path / "a"), LOUD)
    for unit in {"元", "万元", "千元"} - {traits.unit}:
        other = render_disclosure(traits.with_(unit=unit), stage, plant)
        assert findings_by_table(other, checked(other, tmp_path / unit), LOUD) == expected, unit


# -- 4. the 栏次 row in every spelling, under every block ----------------------------------------

@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("traits", [Traits(lanci=lanci, stacked=True, codes=codes)
                                    for lanci in ("words", "numbers", "letters") for codes in ("one_cell", "split")],
                         ids=label)
def test_a_lanci_row_is_column_numbering_wherever_it_stands_and_however_it_is_spelled(tmp_path, traits, stage):
    """'栏次 | | 1', bare numbers or '甲 | 乙 | 1': no heading, no line, no figure; under a stacked
    总表's 支出 block the 栏次 row numbers one column ('甲 | 1'). The planted error is found where it was planted."""
    plain = checked(render_disclosure(traits.with_(lanci="absent"), stage), tmp_path / "plain")
    numbered = checked(render_disclosure(traits, stage), tmp_path / "numbered")
    assert [(t.kind, t.columns, [(r.code, r.label, {m: c.value for m, c in r.values.items()}) for r in t.rows])
            for t in numbered.tables] == \
        [(t.kind, t.columns, [(r.code, r.label, {m: c.value for m, c in r.values.items()}) for r in t.rows])
         for t in plain.tables]
    assert not [f for f in numbered.findings if f.severity in LOUD]
    plant = next(name for name, (plant_stage, *_) in PLANTS.items() if plant_stage == stage)
    rendering = render_disclosure(traits, stage, plant)
    planted = rendering.planted
    found = checked(rendering, tmp_path / "planted").findings
    assert (planted.file, planted.sheet, planted.cell) in {(f.ref.file, f.ref.sheet, f.ref.cell) for f in found}


# -- 5. whole figures and their number format ------------------------------------------------------

@pytest.mark.parametrize(("number_format", "text_numbers", "severity"),
                         [("two_decimals", False, Severity.ERROR), ("general", True, Severity.ERROR),
                          ("general", False, Severity.INFO)])
@pytest.mark.parametrize("file_format", ["xlsx", "xls"])
def test_one_unit_off_among_whole_three_public_figures_is_an_error_where_their_cents_are_shown(
        tmp_path, number_format, text_numbers, severity, file_format):
    """12 under '#,##0.00' prints 12.00, and typed as text reads "12.00": 1.00 off is an error.
    12 under General prints 12 and may hide half a 万元: 1.00 off is rounding (info)."""
    traits = Traits(whole_three_public=True, number_format=number_format, text_numbers=text_numbers,
                    file_format=file_format)
    rendering = render_disclosure(traits, "决算", "three_public_final_total_one_unit_off")
    expected = rendering.planted
    found = checked(rendering, tmp_path).findings
    assert [f.severity for f in found if (f.rule, f.ref.sheet, f.ref.cell) == (expected.rule, expected.sheet,
                                                                               expected.cell)] == [severity]


# -- 6. carry-overs split into 基本支出 | 项目支出 ------------------------------------------------------

@pytest.mark.parametrize("header_rows", [2, 3])
def test_a_carry_over_split_into_basic_and_project_is_the_carry_overs_part_not_the_years_spending(
        tmp_path, header_rows):
    """年初结转和结余 {小计 | 基本支出 | 项目支出} before 本年支出 {合计 | 基本支出 | 项目支出}: the first
    基本支出 column is the carry-over's (``opening.basic``); taken for the year's, every line was a BK101 error."""
    result = checked(render_disclosure(Traits(carry_split=True, header_rows=header_rows), "决算"), tmp_path)
    assert not [f for f in result.findings if f.severity in LOUD], shown(result.findings)
    fund = next(t for t in result.tables if t.kind == TableKind.GOV_FUND)
    assert list(fund.columns) == ["opening", "opening.basic", "opening.project", "income", "total", "basic", "project",
                                  "closing", "closing.basic", "closing.project"]
    line = next(r for r in fund.rows if r.code == "2120804").values
    assert {m: line[m].amount for m in ("opening", "opening.project", "project", "closing.project")} == {
        "opening": Decimal("120.00"), "opening.project": Decimal("120.00"), "project": Decimal("875.00"),
        "closing.project": Decimal("65.00")}
