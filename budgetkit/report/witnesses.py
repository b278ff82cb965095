"""Reconciled figures: one amount per quantity, chosen among what the tables state.

The same quantity is usually printed more than once: 科学技术支出 is a line of
the 收入支出决算总表, a 类 row of the 支出决算表, and the sum of that row's
款. Each such figure is a ``Witness``. The report adopts the value that the
most witnesses agree on exactly; on a tie the earliest witness wins, and
callers list the 总表 first. So the 总表 figure stands unless a detail table
and its own sum agree on another value, which outvotes it two to one.

Witnesses are compared exactly, in 元: a 0.01 difference is a difference. A
set-aside figure is kept so that the 问题清单 can say which stated cell was
not used. Figures of the staff's own working sheets (金额占比表) do not vote:
they are what the report replaces, so they are only ever set aside.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from budgetkit.model import Cell, CellRef, Row, Table

ZERO = Decimal(0)


@dataclass(frozen=True)
class Witness:
    """One figure for a quantity, in 元: a stated cell, or a sum of cells (``ref`` None)."""

    yuan: Decimal
    source: str
    ref: CellRef | None = None
    votes: bool = True


@dataclass(frozen=True)
class Figure:
    """The adopted amount of one quantity and the stated figures that were not used."""

    item: str
    yuan: Decimal
    adopted: Witness
    set_aside: tuple[Witness, ...] = ()


def choose(item: str, witnesses: Sequence[Witness]) -> Figure | None:
    """The value most voting witnesses state; ties go to the earliest. None without a voter."""
    voters = [w for w in witnesses if w.votes]
    if not voters:
        return None
    support = Counter(w.yuan for w in voters)
    best = max(voters, key=lambda w: support[w.yuan])
    return Figure(item, best.yuan, best, _differing(witnesses, best.yuan))


def computed(item: str, yuan: Decimal, source: str, stated: Iterable[Witness]) -> Figure:
    """A figure the report derives (e.g. a 合计 as the sum of its rows), with the
    stated figures for the same quantity that differ from it."""
    witness = Witness(yuan, source)
    return Figure(item, yuan, witness, _differing(list(stated), yuan))


def _differing(witnesses: Sequence[Witness], yuan: Decimal) -> tuple[Witness, ...]:
    return tuple(w for w in witnesses if w.yuan != yuan and w.ref is not None)


def yuan_of(figure: Figure | None) -> Decimal:
    """A figure's amount; zero for a quantity no table lists."""
    return figure.yuan if figure else ZERO


def stated(table: Table, cell: Cell | None, votes: bool = True) -> list[Witness]:
    """A stated cell as a witness (a printed blank counts as zero); [] when the cell does not exist."""
    if cell is None:
        return []
    source = f"{table.title}（{cell.ref.sheet}!{cell.ref.cell}）"
    return [Witness(cell.amount * table.unit.yuan, source, cell.ref, votes)]


def summed(table: Table, rows: Sequence[Row], measure: str, what: str) -> list[Witness]:
    """The sum of ``measure`` over ``rows`` as a witness; [] when no row has the column."""
    cells = [r.values[measure] for r in rows if measure in r.values]
    if not cells:
        return []
    return [Witness(sum((c.amount for c in cells), ZERO) * table.unit.yuan, f"{table.title}{what}")]
