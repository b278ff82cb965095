"""The rules across years and stages on layouts that differ between the files: a
department whose 2023 决算, 2024 决算 and 2024 预算 were each made in another layout
(unit, .xls/.xlsx, split codes, stacked 总表 …), all consistent, gets no finding from
them; a broken 年初 and an unplanned 项 are still found, whatever the layouts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from budgetkit.pipeline import run
from layout_corpus import render_disclosure, sample
from layout_corpus.accounts import budget_for_final_year, previous_final_accounts
from layout_corpus.traits import Traits

# Three layouts per department, drawn so that every value of every trait occurs.
LAYOUTS = sample(24, seed=11)
DEPARTMENTS = [tuple(LAYOUTS[k:k + 3]) for k in range(0, len(LAYOUTS), 3)]


def _department(folder: Path, layouts: tuple[Traits, Traits, Traits], budget=None):
    last, this, plan = layouts
    this_year = render_disclosure(this, "决算")
    this_year.write(folder)
    render_disclosure(last, "决算", accounts=previous_final_accounts()).write(folder)
    render_disclosure(plan, "预算", accounts=budget or budget_for_final_year()).write(folder)
    return this_year


@pytest.mark.parametrize("layouts", DEPARTMENTS, ids=[" | ".join(t.label for t in d) for d in DEPARTMENTS])
def test_consistent_years_and_stages_in_different_layouts_give_no_finding(tmp_path: Path, layouts) -> None:
    _department(tmp_path, layouts)
    result = run(tmp_path)
    assert [(f.rule, f.ref.file, f.ref.sheet, f.ref.cell, f.message) for f in result.findings
            if f.severity.value != "info"] == []
    ran = {c.rule.code: c.ran for c in result.coverage}
    assert ran["BK241"] and ran["BK243"]


@pytest.mark.parametrize("layouts", DEPARTMENTS[:4], ids=[" | ".join(t.label for t in d) for d in DEPARTMENTS[:4]])
def test_a_broken_opening_and_an_unplanned_item_are_found_in_any_layout(tmp_path: Path, layouts) -> None:
    import openpyxl

    budget = budget_for_final_year()
    unplanned = replace(budget, items=tuple(i for i in budget.items if i.code != "2130109"))
    this_year = _department(tmp_path, layouts, unplanned)
    found = {(f.rule, f.item) for f in run(tmp_path).findings if f.severity.value != "info"}
    assert ("BK243", "2130109 农产品质量安全") in found
    # A 决算 printing its 年初预算数 still plans 2130109, which the budget here does not (BK222).
    prints_budgets = layouts[1].final_budget in ("年初预算数", "预算数")
    assert {rule for rule, _ in found} == ({"BK243", "BK222"} if prints_budgets else {"BK243"})
    if layouts[1].file_format == "xlsx":  # openpyxl edits .xlsx only
        file, sheet, cell = this_year.addresses[("summary", (("in", "opening_balance"), "amount"))]
        book = openpyxl.load_workbook(tmp_path / file)
        book[sheet][cell].value = 123
        book.save(tmp_path / file)
        assert ("BK241", "年初结转和结余") in {(f.rule, f.item) for f in run(tmp_path).findings}
