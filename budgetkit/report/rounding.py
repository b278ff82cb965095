"""Shares that add up to exactly 100.00 % when shown with two decimals.

Rounding each share on its own can leave the column at 99.99 % or 100.01 %,
which a reader of the 自评报告 takes for an error. The largest-remainder method
floors every share to 0.01 %, then gives the missing hundredths to the shares
whose floors cut off the most; the result differs from plain rounding by at
most 0.01 % per share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

STEP = Decimal("0.0001")  # 0.01 % as a fraction
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Shares:
    """Each amount's share of their sum, as fractions (0.7663 is shown 76.63 %)."""

    values: tuple[Decimal, ...]
    adjusted: bool  # True when some share differs from its plainly rounded value


def largest_remainder(amounts: Sequence[Decimal]) -> Shares | None:
    """Shares of ``amounts`` that sum to exactly 1; None when there is no positive
    whole to share (a zero sum, or a negative amount)."""
    total = sum(amounts, Decimal(0))
    if total <= 0 or any(a < 0 for a in amounts):
        return None
    exact = [a / total for a in amounts]
    floors = [e.quantize(STEP, rounding=ROUND_FLOOR) for e in exact]
    missing = int((1 - sum(floors, Decimal(0))) / STEP)
    # Ties go to the larger amount, then to the earlier row, so the result is stable.
    order = sorted(range(len(amounts)), key=lambda i: (floors[i] - exact[i], -amounts[i], i))
    values = list(floors)
    for i in order[:missing]:
        values[i] += STEP
    plain = [e.quantize(STEP, rounding=ROUND_HALF_UP) for e in exact]
    return Shares(tuple(values), values != plain)


def to_cents(value: Decimal) -> Decimal:
    """An amount as a report shows it: two decimals, halves rounded up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
