"""What a rule is, how it is registered, and what it sees.

A rule is a small generator function that yields ``Discrepancy`` objects; its
code, name, severity, input tables and Chinese message live on the registration,
so that ``budgetkit rules``, the docs and the findings all read one source.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from budgetkit.model import Cell, CellRef, ExecutionBand, Severity, Table, TableKind
from budgetkit.subjects import SubjectList, builtin
from budgetkit.tolerance import Gap, Term, Tolerance, Verdict

if TYPE_CHECKING:
    from budgetkit.load.narrative import Narrative


@dataclass(frozen=True)
class Discrepancy:
    """A questioned figure, before the engine dresses it as a ``Finding``."""

    ref: CellRef
    item: str
    stated: Decimal | None
    expected: Decimal | None
    unit: str
    verdict: Verdict
    envelope: Decimal = Decimal(0)
    decimals: int = 2
    related: tuple[CellRef, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, stated: Term, gap: Gap, item: str, related: Iterable[CellRef] = (), **fields: str) -> Discrepancy:
        return cls(stated.cell.ref, item, gap.stated, gap.expected, stated.unit.label, gap.verdict, gap.envelope,
                   stated.cell.decimals, tuple(related), fields)

    @classmethod
    def of_share(cls, share: Cell, gap: Gap, item: str, related: Iterable[CellRef] = (), **fields: str) -> Discrepancy:
        """A share's gap in percentage points; a fraction's decimals less two are the points' decimals."""
        return cls(share.ref, item, gap.stated, gap.expected, "%", gap.verdict, gap.envelope,
                   max(0, share.decimals - 2), tuple(related), fields)

    @classmethod
    def flag(cls, ref: CellRef, item: str, stated: Decimal | None = None, unit: str = "", **fields: str) -> Discrepancy:
        """A finding about wording or presence, with no computed figure to set against it."""
        return cls(ref, item, stated, None, unit, Verdict.MISMATCH, fields=fields)


@dataclass(frozen=True)
class Group:
    """The tables of one department's disclosure (one folder/部门/year)."""

    name: str
    tables: tuple[Table, ...]
    # Tables whose department could not be told (no 部门 line, no name in the file name)
    # in a folder holding several departments: kept apart, and said so once (BK230).
    unplaced: bool = False
    folder: str = ""
    department: str | None = None
    year: int | None = None

    def of(self, kind: TableKind) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]

    def follows(self, other: Group) -> bool:
        """Whether this group is the same department's next year after ``other``."""
        return (not self.unplaced and not other.unplaced
                and (self.folder, self.department) == (other.folder, other.department)
                and None not in (self.year, other.year) and self.year == other.year + 1)


class SummingNote(str):
    """A coverage note that sums up a rule's whole run ("比对 12 个…", the codes the code list
    lacks). A batch checked folder by folder hears it once from every folder; ``merged`` makes
    two folders' notes of one ``key`` the note one run over both would have said. It is a
    ``str``, the note as said, so that every reader of coverage reads it as any other note."""

    @property
    def key(self) -> tuple:
        raise NotImplementedError

    def merged(self, other: SummingNote) -> SummingNote:
        raise NotImplementedError


class Counted(SummingNote):
    """"比对 12 个年初数与上年年末数": the counts of several folders add up."""

    def __new__(cls, count: int, what: str) -> Counted:
        note = super().__new__(cls, f"比对 {count} {what}")
        note.count, note.what = count, what
        return note

    def __getnewargs__(self) -> tuple[int, str]:
        return self.count, self.what

    @property
    def key(self) -> tuple:
        return Counted, self.what

    def merged(self, other: Counted) -> Counted:
        return Counted(self.count + other.count, self.what)


class Listed(SummingNote):
    """A note that names things (the figures compared, the codes the list lacks): several
    folders' names are joined, each once, in the order heard or, with ``sort``, sorted."""

    sort = False

    def __new__(cls, names: tuple[str, ...]) -> Listed:
        note = super().__new__(cls, cls.said(names))
        note.names = names
        return note

    def __getnewargs__(self) -> tuple[tuple[str, ...]]:
        return (self.names,)

    @staticmethod
    def said(names: tuple[str, ...]) -> str:
        raise NotImplementedError

    @property
    def key(self) -> tuple:
        return (type(self),)

    def merged(self, other: Listed) -> Listed:
        names = tuple(dict.fromkeys(self.names + other.names))
        return type(self)(tuple(sorted(names)) if self.sort else names)


def merged_notes(said: Iterable[str]) -> tuple[str, ...]:
    """Several folders' notes on one rule as one run over all of them says them: each plain
    note once, in the order heard, then each summing note merged across the folders."""
    plain: dict[str, None] = {}
    summing: dict[tuple, SummingNote] = {}
    for note in said:
        if isinstance(note, SummingNote):
            summing[note.key] = summing[note.key].merged(note) if note.key in summing else note
        else:
            plain[note] = None
    return (*plain, *summing.values())


@dataclass(frozen=True)
class Context:
    groups: tuple[Group, ...]
    tolerance: Tolerance = Tolerance()
    subjects: SubjectList = field(default_factory=builtin)
    narratives: tuple[Narrative, ...] = ()  # the report texts (表文) found beside the workbooks
    execution_band: ExecutionBand = ExecutionBand()
    # What a rule wants the coverage table to say besides its findings (what it compared,
    # what it skipped and why), by rule code.
    notes: dict[str, list[str]] = field(default_factory=dict)
    # Work several rules share, done once per run (the fact ledger).
    memo: dict[str, object] = field(default_factory=dict)
    # Every group's tables of each kind, in group order: rules ask for a kind thousands of times a run.
    _by_kind: dict[TableKind, list[Table]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_kind: dict[TableKind, list[Table]] = defaultdict(list)
        for group in self.groups:
            for table in group.tables:
                by_kind[table.kind].append(table)
        object.__setattr__(self, "_by_kind", dict(by_kind))

    def note(self, code: str, text: str) -> None:
        """Say once, in the rule's coverage line, something a reviewer should know about its run."""
        said = self.notes.setdefault(code, [])
        if text not in said:
            said.append(text)

    def tables(self, kind: TableKind) -> Iterator[Table]:
        return iter(self._by_kind.get(kind, ()))

    def consecutive_years(self) -> Iterator[tuple[Group, Group]]:
        """(last year, this year) for every department that has both."""
        for current in self.groups:
            for previous in self.groups:
                if current.follows(previous):
                    yield previous, current

    def pairs(self, kind_a: TableKind, kind_b: TableKind) -> Iterator[tuple[Table, Table]]:
        for group in self.groups:
            for a in group.of(kind_a):
                for b in group.of(kind_b):
                    yield a, b


Check = Callable[[Context], Iterable[Discrepancy]]
# Why a rule cannot run on these groups ("缺少…"), or "" when it can: for rules whose
# inputs are not one group's tables (two years of a department, a year's 预算 and 决算).
Requirement = Callable[[Context], str]


def lacking_any(kinds: Iterable[TableKind]) -> str:
    """Why a rule that runs on any one of ``kinds`` did not run: none of them was found."""
    return "缺少" + "或".join(kind.title for kind in kinds)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    title: str
    severity: Severity
    tables: tuple[TableKind, ...]
    message: str
    check: Check
    # A cross-table rule needs all its tables in one department's group; any
    # other rule runs on whichever of its tables are present.
    cross_table: bool = False
    # A text rule needs a report text, and then any of its tables (or none).
    narrative: bool = False
    requires: Requirement | None = None

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.title


CATALOG: dict[str, Rule] = {}


def rule(code: str, name: str, title: str, severity: Severity, tables: tuple[TableKind, ...], message: str,
         cross_table: bool = False, narrative: bool = False,
         requires: Requirement | None = None) -> Callable[[Check], Check]:
    """Register a check under a stable code; codes never change meaning once shipped."""

    def register(check: Check) -> Check:
        if code in CATALOG:
            raise ValueError(f"rule code {code} registered twice")
        CATALOG[code] = Rule(code, name, title, severity, tables, message, check, cross_table, narrative, requires)
        return check

    return register
