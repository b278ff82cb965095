"""The layout corpus of issue 9: one department's exact accounts (accounts.py), rendered
as every standard 决算 and 预算 table under every layout trait real disclosures show
(traits.py, tables.py, rendering.py), clean or with one error family planted (plants.py).

    rendering = render_disclosure(traits, "决算", plant="totals_unbalanced")
    rendering.write(folder)             # the workbook(s), .xlsx (openpyxl) or .xls (xlwt)
    rendering.planted                   # Expected(rule, severity, file, sheet, cell)

``sample(n, seed)`` draws trait combinations covering every value of every trait;
``all_combinations()`` is the full cross product (benchmarks/layout_corpus.py runs it).
"""

from __future__ import annotations

from pathlib import Path

from layout_corpus.accounts import Accounts, accounts_for, verify
from layout_corpus.plants import PLANTS, expected_severity, plants_of
from layout_corpus.rendering import Expected, Rendering, lay_out, render_blocks
from layout_corpus.traits import TRAIT_VALUES, Traits, all_combinations, combination_count, sample

STAGES = ("决算", "预算")

__all__ = ["Accounts", "Expected", "PLANTS", "Rendering", "STAGES", "TRAIT_VALUES", "Traits", "accounts_for",
           "all_combinations", "combination_count", "plants_of", "render_disclosure", "sample", "verify", "write"]


def render_disclosure(traits: Traits, stage: str, plant: str | None = None, *, names: dict[str, str] | None = None,
                      reverse: bool = False, blank_rows_above: int = 0, accounts: Accounts | None = None) -> Rendering:
    """One stage's workbook(s) under ``traits``, clean or with the named error family planted.
    ``names``, ``reverse`` and ``blank_rows_above`` rename sheets, reverse their order and
    insert blank rows above every table (for the properties that must not care); ``accounts``
    replaces the stage's usual ones (another year, for the rules across years)."""
    blocks = render_blocks(traits, stage, accounts)
    planted = None
    if plant is not None:
        plant_stage, apply = PLANTS[plant]
        if plant_stage != stage:
            raise ValueError(f"{plant} is planted in a {plant_stage}, not a {stage}")
        planted = apply(blocks)
    files, addresses, places = lay_out(blocks, traits, stage, names=names, reverse=reverse,
                                       blank_rows_above=blank_rows_above, year=accounts.year if accounts else None)
    expected = None
    if planted is not None:
        file, sheet, cell = addresses[(planted.table, planted.key)]
        expected = Expected(planted.rule, expected_severity(planted, traits), file, sheet, cell, planted.alone)
    return Rendering(traits, stage, files, addresses, places, expected, plant)


def write(folder: Path, rendering: Rendering) -> list[Path]:
    """Write the rendering's workbooks into ``folder``."""
    return rendering.write(folder)
