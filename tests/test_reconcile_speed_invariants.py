"""The shortcuts that keep reconciling fast say exactly what the long way says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkit.config import RulePolicy
from budgetkit.model import Cell, CellRef, Row, Severity, Table, TableKind, Unit
from budgetkit.reconcile import reconcile
from budgetkit.tolerance import Term, Tolerance, Verdict, cells_gap, printed_alike, same_gap, sum_gap


def cell(text: str | None, address: str = "C5", decimals: int = 2, unreadable: str | None = None,
         unstated: bool = False) -> Cell:
    value = None if text is None else Decimal(text)
    return Cell(value, CellRef("决算.xlsx", "支出决算表", address), decimals, unreadable, unstated)


CASES = {
    "exact": ("13.44", ["6.72", "6.72"]),
    "within rounding": ("13.44", ["6.72", "6.71"]),
    "beyond rounding": ("13.44", ["6.72", "6.52"]),
    "blank stated, printed parts": (None, ["0.01", None]),
    "blank stated, zero parts": (None, ["0.00"]),
    "all blank": (None, [None, None]),
    "blank parts": ("1.00", [None]),
    "finer decimals": ("20.1549", ["20.15"]),
}


@pytest.mark.parametrize("stated, parts", CASES.values(), ids=CASES.keys())
def test_cells_gap_judges_one_tables_cells_as_sum_gap_does(stated, parts):
    total = cell(stated, decimals=4 if stated and len(stated.split(".")[1]) == 4 else 2)
    cells = [cell(p, f"D{i}") for i, p in enumerate(parts, start=5)]
    tolerance = Tolerance(amount=Decimal("0.01"))
    assert cells_gap(total, cells, Unit.WAN, tolerance) == \
        sum_gap(Term(total, Unit.WAN), [Term(c, Unit.WAN) for c in cells], tolerance)


@pytest.mark.parametrize("unknown", [cell(None, "D5", unreadable="1l.31"), cell(None, "D5", unstated=True)])
def test_a_sum_with_an_unknown_figure_is_not_judged_by_either(unknown):
    parts = [unknown, cell("6.72", "D6")]
    assert cells_gap(cell("13.44"), parts, Unit.WAN, Tolerance()).verdict == Verdict.UNKNOWN
    assert sum_gap(Term(cell("13.44"), Unit.WAN), [Term(c, Unit.WAN) for c in parts], Tolerance()).verdict \
        == Verdict.UNKNOWN


def test_a_sum_that_holds_exactly_is_no_gap_and_one_off_by_rounding_keeps_its_envelope():
    assert sum_gap(Term(cell("13.44"), Unit.WAN), [Term(cell("6.72"), Unit.WAN)] * 2, Tolerance()) is None
    gap = sum_gap(Term(cell("13.44"), Unit.WAN), [Term(cell("6.72"), Unit.WAN), Term(cell("6.71"), Unit.WAN)],
                  Tolerance())
    assert (gap.verdict, gap.envelope) == (Verdict.ROUNDING, Decimal("0.015"))


@pytest.mark.parametrize("stated, other", [
    (Term(cell("20.15"), Unit.WAN), Term(cell("20.15", "D9"), Unit.WAN)),
    (Term(cell(None), Unit.WAN), Term(cell(None, "D9"), Unit.WAN)),
    (Term(cell("20.15", decimals=2), Unit.WAN, -1), Term(cell("20.150", "D9", decimals=3), Unit.WAN)),
])
def test_figures_printed_alike_are_what_same_gap_finds_no_gap_in(stated, other):
    gap = same_gap(stated, other, Tolerance())
    assert printed_alike(stated, other) and (gap is None or gap.verdict is None)


@pytest.mark.parametrize("stated, other", [
    (Term(cell("20.15"), Unit.WAN), Term(cell("20.15", "D9"), Unit.YUAN)),
    (Term(cell("20.15"), Unit.WAN), Term(cell("20.15", "D9"), Unit.WAN, -1)),
    (Term(cell(None), Unit.WAN), Term(cell(None, "D9", unstated=True), Unit.WAN)),
])
def test_figures_in_other_units_signs_or_unknown_are_not_printed_alike(stated, other):
    assert not printed_alike(stated, other)


def expenditure_with_a_row_off_by_one() -> Table:
    values = {"total": cell("10.00", "C5"), "basic": cell("4.00", "D5"), "project": cell("5.00", "E5")}
    row = Row("208 社会保障和就业支出", values, CellRef("决算.xlsx", "支出决算表", "A5"), code="208")
    return Table(TableKind.EXPENDITURE, "决算.xlsx", "支出决算表", "支出决算表", Unit.WAN, [row],
                 {"total": "本年支出合计", "basic": "基本支出", "project": "项目支出"})


def test_a_folders_policy_applies_to_its_own_run_and_not_to_the_next():
    # Each run binds its own policy into the rules: nothing of one folder's severities reaches the next run.
    table = expenditure_with_a_row_off_by_one()
    severity = {"BK101": Severity.WARNING}

    def bk101(policy: RulePolicy) -> list[Severity]:
        return [f.severity for f in reconcile([table], policy=policy).findings if f.rule == "BK101"]

    assert bk101(RulePolicy(severity=severity)) == [Severity.WARNING]
    assert bk101(RulePolicy(severity=dict(severity))) == [Severity.WARNING]
    assert bk101(RulePolicy()) == [Severity.ERROR]
    assert bk101(RulePolicy(disabled=frozenset({"BK101"}))) == []
    changed = RulePolicy(severity=dict(severity))
    assert bk101(changed) == [Severity.WARNING]
    changed.severity["BK101"] = Severity.INFO
    assert bk101(changed) == [Severity.INFO]


def test_each_tables_facts_are_made_once_per_run_and_say_what_they_said_when_made_each_time(tmp_path, monkeypatch):
    """The ledger, the execution rule (BK243) and the year rules all read a department's
    facts: one 决算, its 预算 (one 项 under-spent) and the next year's 预算 make each table's facts once."""
    from collections import Counter

    from layout_corpus import render_disclosure
    from layout_corpus.accounts import fen
    from test_years_continuity import TRAITS
    from test_years_execution import _replanned

    from budgetkit.pipeline import run
    from budgetkit.rules import facts

    render_disclosure(TRAITS, "决算").write(tmp_path)
    render_disclosure(TRAITS, "预算", accounts=_replanned("2130108", gp_project=fen("3,000,000.00"))).write(tmp_path)
    render_disclosure(TRAITS, "预算").write(tmp_path)
    tables = run(tmp_path).tables
    made: Counter[int] = Counter()
    making = facts.facts_of

    def counted(table: Table) -> list:
        made[id(table)] += 1
        return making(table)

    monkeypatch.setattr(facts, "facts_of", counted)
    once = reconcile(tables)
    assert sorted(made.values()) == [1] * len([t for t in tables if t.kind in facts.FACT_KINDS])
    assert [(f.rule, f.item) for f in once.findings if f.rule == "BK243"] == [("BK243", "2130108 病虫害控制")]
    monkeypatch.setattr(facts, "stated_facts", lambda ctx, table: making(table))  # made afresh each time
    afresh = reconcile(tables)
    assert [(f.rule, f.ref, f.message) for f in afresh.findings] == [(f.rule, f.ref, f.message) for f in once.findings]
    assert [(c.rule.code, c.ran, c.notes) for c in afresh.coverage] == [(c.rule.code, c.ran, c.notes) for c in once.coverage]
