"""The 核实性 heuristics BK501–BK505 stay quiet on real, correct disclosures (the real
fixtures' README lists the relationships that hold there and the ones that do not) and
still warn, at the cell, when the figures really disagree."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REAL, mutated

from budgetkit import pipeline
from budgetkit.model import Severity

FINAL, BUDGET = "putuo_social_work_2024_final.xlsx", "putuo_commerce_2025_budget.xlsx"
REAL_WORKBOOKS = [FINAL, "putuo_social_work_2024_final.xls", BUDGET, "putuo_office_unit_budget_2025.xlsx"]
S_INCOME, S_SPENDING = "收入决算表", "支出决算表"
S_GENERAL, S_BASIC = "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表"
HEURISTICS = ("BK501", "BK502", "BK503", "BK504", "BK505")


def found(folder: Path, rule: str) -> list[tuple[str, str, Severity, Decimal | None, Decimal | None]]:
    return [(f.ref.sheet, f.ref.cell, f.severity, f.stated, f.expected)
            for f in pipeline.run(folder).findings if f.rule == rule]


@pytest.mark.parametrize("name", REAL_WORKBOOKS)
def test_real_disclosures_raise_no_plausibility_warning(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REAL / name, folder / name)
    assert [(f.rule, f.ref.sheet, f.ref.cell) for f in pipeline.run(folder).findings if f.rule in HEURISTICS] == []


def test_pension_one_and_a_third_times_the_annuity_is_not_questioned(tmp_path):
    # The real 决算: 2080505 6.18 against 2080506 4.64 (1.33×), far from the textbook 2×, and correct.
    folder = mutated(tmp_path, FINAL, {})
    assert found(folder, "BK502") == []


def test_pension_below_the_annuity_looks_like_swapped_codes(tmp_path):
    folder = mutated(tmp_path, FINAL, {(S_GENERAL, "C12"): 4.64, (S_GENERAL, "D12"): 4.64,
                                       (S_GENERAL, "C13"): 6.18, (S_GENERAL, "D13"): 6.18})
    assert found(folder, "BK502") == [(S_GENERAL, "C12", Severity.WARNING, Decimal("4.64"), None)]


def _civil_servant_medical(basic_30110: float) -> dict[tuple[str, str], object]:
    """The 决算 with its 事业单位医疗 0.49 paid as 2101103 公务员医疗补助 (economic 30111) instead."""
    edits: dict[tuple[str, str], object] = {(S_BASIC, "C12"): basic_30110, (S_BASIC, "C13"): 0.49}
    for sheet, row in ((S_INCOME, 18), (S_SPENDING, 18), (S_GENERAL, 17)):
        edits[(sheet, f"A{row}")], edits[(sheet, f"B{row}")] = "2101103", "公务员医疗补助"
    return edits


def test_medical_section_with_civil_servant_subsidy_matches_30110_plus_30111(tmp_path):
    # 21011 2.71 = 30110 2.22 + 30111 0.49; against 30110 alone it would differ by 0.49.
    folder = mutated(tmp_path, FINAL, _civil_servant_medical(2.22))
    assert found(folder, "BK503") == []


def test_medical_section_that_differs_from_30110_plus_30111_is_questioned(tmp_path):
    folder = mutated(tmp_path, FINAL, _civil_servant_medical(2.00))
    assert found(folder, "BK503") == [(S_GENERAL, "D15", Severity.WARNING, Decimal("2.71"), Decimal("2.49"))]
