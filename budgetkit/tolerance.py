"""Exact comparisons with a stated, rounding-aware tolerance.

Published tables are rounded cell by cell to the decimals they show, so every
printed figure on either side of an identity may be off its exact value by half
a unit of its last shown digit, each in its own unit. A gap within the sum of
those halves (the 尾差 of published disclosures) is reported as possible
rounding (info), never as an error. Everything is compared with Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Sequence

from budgetkit.model import Cell, Unit

ZERO = Decimal(0)


class Verdict(str, Enum):
    ROUNDING = "rounding"
    MISMATCH = "mismatch"
    # A figure of the identity is unreadable or not stated: not judged, said in coverage.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Tolerance:
    """Extra allowance on top of the rounding envelope (from budgetkit.toml)."""

    amount: Decimal = ZERO   # in the stated table's unit
    share: Decimal = ZERO    # percentage points


@dataclass(frozen=True, slots=True)  # one per fact: a long table's ledger holds a million
class Term:
    """A figure taking part in an identity, with the unit of its table and its sign."""

    cell: Cell
    unit: Unit
    sign: int = 1

    def __init__(self, cell: Cell, unit: Unit, sign: int = 1) -> None:
        # Set through the slots, as model.Cell is: the generated frozen __init__ (object.__setattr__
        # by name) takes half as long again, and rules make a Term for every figure they judge.
        _set_cell(self, cell)
        _set_unit(self, unit)
        _set_sign(self, sign)

    @property
    def yuan(self) -> Decimal:
        return self.cell.amount * self.unit.yuan * self.sign

    @property
    def half_unit_yuan(self) -> Decimal:
        return self.cell.half_unit * self.unit.yuan


_set_cell, _set_unit, _set_sign = Term.cell.__set__, Term.unit.__set__, Term.sign.__set__


@dataclass(frozen=True)
class Gap:
    """stated − expected, in the stated figure's unit, and how much rounding may explain."""

    stated: Decimal
    expected: Decimal
    envelope: Decimal
    verdict: Verdict | None

    @property
    def difference(self) -> Decimal:
        return self.stated - self.expected


def judge(stated: Term, expected_yuan: Decimal, envelope_yuan: Decimal, tolerance: Tolerance) -> Gap:
    return _judged(stated.cell.amount, stated.unit, expected_yuan, envelope_yuan, tolerance)


def _judged(stated: Decimal, unit: Unit, expected_yuan: Decimal, envelope_yuan: Decimal, tolerance: Tolerance) -> Gap:
    """A stated amount in ``unit`` against the expected one, within the envelope and the configured allowance."""
    scale = unit.yuan
    expected = expected_yuan / scale
    envelope = envelope_yuan / scale + tolerance.amount
    gap = stated - expected
    verdict = None if gap == 0 else Verdict.ROUNDING if abs(gap) <= envelope else Verdict.MISMATCH
    return Gap(stated, tidy(expected), envelope, verdict)


def sum_gap(stated: Term, terms: Sequence[Term], tolerance: Tolerance) -> Gap | None:
    """stated = Σ terms. None when every figure involved is blank (nothing to check) or
    when the figures add up exactly (nothing to report): the rounding envelope is worked
    out only for a gap."""
    figure, unit = stated.cell, stated.unit
    present = []
    one_unit = True
    for term in terms:
        cell = term.cell
        if cell.unreadable is not None or cell.unstated:
            return unknown(stated)
        if cell.value is not None:
            present.append(term)
            one_unit = one_unit and term.unit is unit
    if not figure.known:
        return unknown(stated)
    if figure.value is None and not present:
        return None
    if one_unit:
        # One table, one unit (nearly every identity): sum as shown, convert once.
        total = ZERO
        for term in present:
            total += term.cell.value * term.sign
        if total == figure.amount:
            return None
        envelope = ZERO
        for term in present:
            envelope += term.cell.half_unit
        if figure.value is not None:
            envelope += figure.half_unit
        scale = unit.yuan
        return judge(stated, total * scale, envelope * scale, tolerance)
    printed = present + [stated] if figure.value is not None else present
    envelope = sum((t.half_unit_yuan for t in printed), ZERO)
    return judge(stated, sum((t.yuan for t in present), ZERO), envelope, tolerance)


def sums_gap(stated: Sequence[Term], other: Sequence[Term], tolerance: Tolerance) -> Gap | None:
    """Σ stated = Σ other, two sums of printed figures (a 总表's fund lines against a 收入总表's fund
    columns): every printed figure on either side carries its half unit. The gap is in the unit of
    the first stated figure, the one a finding points at."""
    terms = (*stated, *other)
    if any(not term.cell.known for term in terms):
        return unknown(stated[0])
    printed = [term for term in terms if term.cell.value is not None]
    if not printed:
        return None
    stated_yuan = sum((term.yuan for term in stated), ZERO)
    expected_yuan = sum((term.yuan for term in other), ZERO)
    if stated_yuan == expected_yuan:
        return None
    unit = stated[0].unit
    envelope = sum((term.half_unit_yuan for term in printed), ZERO)
    return _judged(tidy(stated_yuan / unit.yuan), unit, expected_yuan, envelope, tolerance)


def cells_gap(stated: Cell, parts: Sequence[Cell], unit: Unit, tolerance: Tolerance) -> Gap | None:
    """``sum_gap`` for figures of one table, each counted once: stated = Σ parts, with no
    ``Term`` made for a sum that holds (a long table checks a million of them)."""
    total = ZERO
    printed = False
    for cell in parts:
        value = cell.value
        if value is None:
            if cell.unreadable is not None or cell.unstated:
                return unknown(Term(stated, unit))
            continue
        total += value
        printed = True
    if stated.unreadable is not None or stated.unstated:
        return unknown(Term(stated, unit))
    if stated.value is None:
        if not printed or total == 0:
            return None
    elif total == stated.value:
        return None
    envelope = sum((cell.half_unit for cell in parts if cell.value is not None), ZERO)
    if stated.value is not None:
        envelope += stated.half_unit
    scale = unit.yuan
    return judge(Term(stated, unit), total * scale, envelope * scale, tolerance)


def same_gap(stated: Term, other: Term, tolerance: Tolerance) -> Gap | None:
    """The same figure printed twice: each printed side may be half a unit of its last
    digit off (a figure that is a sum of printed figures goes through ``sum_gap``)."""
    if stated.cell.is_blank and other.cell.is_blank and stated.cell.known and other.cell.known:
        return None
    if not (stated.cell.known and other.cell.known):
        return unknown(stated)
    halves = [term.half_unit_yuan for term in (stated, other) if not term.cell.is_blank]
    return judge(stated, other.yuan, sum(halves, ZERO), tolerance)


def printed_alike(stated: Term, other: Term) -> bool:
    """Both known and the very same figure in one unit: the two agree, and no envelope need be
    worked out (the stated figure is judged as printed, so only the other side's sign counts)."""
    return (stated.cell.value == other.cell.value and stated.unit is other.unit and other.sign == 1
            and stated.cell.known and other.cell.known)


def unknown(stated: Term) -> Gap:
    """An identity that cannot be judged because one of its figures is not known."""
    return Gap(stated.cell.amount, ZERO, ZERO, Verdict.UNKNOWN)


def tidy(value: Decimal) -> Decimal:
    """Drop the noise digits a unit conversion leaves (1636800/10000 -> 163.68)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def scale_factor(a_yuan: Decimal, b_yuan: Decimal) -> int | None:
    """10000 or 1000 when a and b differ by that factor (within 1%), i.e. a unit slip."""
    if a_yuan == 0 or b_yuan == 0 or a_yuan == b_yuan:
        return None
    ratio = abs(a_yuan / b_yuan)
    for factor in (10000, 1000):
        for candidate in (Decimal(factor), 1 / Decimal(factor)):
            if abs(ratio / candidate - 1) <= Decimal("0.01"):
                return factor
    return None


# A rate typed as a number from 2 up is a percentage (2.00 is never 200% in a table of rates).
_PERCENT_NUMBER_FROM = Decimal(2)


def is_percent_number(value: Decimal, exact: Decimal | None) -> bool:
    """Whether a rate typed as a number (1.50, 95.91, 0.9591) is a percentage rather than a
    fraction: from 2 up it is; below, whichever reading is nearer the ``exact`` fraction
    (1.50 beside 7.80 ÷ 520.00 is 1.50%, not 150%)."""
    return abs(value) >= _PERCENT_NUMBER_FROM or (exact is not None and abs(value.scaleb(-2) - exact) < abs(value - exact))


def share_gap(share: Cell, amount: Cell, total: Decimal, total_half_units: Decimal,
              tolerance: Tolerance, summed_half_units: Decimal = ZERO) -> Gap | None:
    """A stated share (a fraction) against amount ÷ total, in percentage points.

    Within half a unit of the share's last shown digit it is simply correctly
    rounded; beyond that, the rounding of the amounts themselves may still
    explain up to (amount's half unit + share × total's half units) ÷ total, and
    a 合计 share that adds up the lines' rounded shares (``summed_half_units``) their rounding.
    """
    if share.is_blank or total == 0:
        return None
    hundred = Decimal(100)
    exact = amount.amount / total
    stated_pp, exact_pp = share.amount * hundred, exact * hundred
    shown = share.half_unit * hundred
    slack = (amount.half_unit + abs(exact) * total_half_units) / abs(total) * hundred + tolerance.share \
        + summed_half_units * hundred
    gap = stated_pp - exact_pp
    verdict = None if abs(gap) <= shown else Verdict.ROUNDING if abs(gap) <= shown + slack else Verdict.MISMATCH
    return Gap(stated_pp, exact_pp.quantize(Decimal("0.0001")), shown + slack, verdict)
