"""The typed objects the pipeline stages hand to each other.

discover -> ``SourceFile``; load -> ``LoadedFile`` holding ``Table`` objects whose
every figure is a ``Cell`` that knows where it came from; reconcile -> ``Finding``;
report reads a ``RunResult``.
"""

from __future__ import annotations

import pickle
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from budgetkit.text import strip_enumeration

if TYPE_CHECKING:
    from budgetkit.load.narrative import Narrative
    from budgetkit.reconcile import Coverage
    from budgetkit.rules.base import Group


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Unit(Enum):
    """Money units, each with its size in 元 so that every comparison runs in 元."""

    YUAN = ("元", Decimal(1))
    THOUSAND = ("千元", Decimal(1000))
    WAN = ("万元", Decimal(10000))
    YI = ("亿元", Decimal(100000000))

    def __init__(self, label: str, yuan: Decimal) -> None:
        self.label = label
        self.yuan = yuan


class Stage(str, Enum):
    FINAL = "决算"
    BUDGET = "预算"
    WORKING = "测算"


class TableKind(str, Enum):
    """Canonical table kinds; the value is the standard Chinese title."""

    SUMMARY = "收入支出决算总表"
    INCOME = "收入决算表"
    EXPENDITURE = "支出决算表"
    FISCAL_SUMMARY = "财政拨款收入支出决算总表"
    GP_EXPENDITURE = "一般公共预算财政拨款支出决算表"
    BASIC_EXPENDITURE = "一般公共预算财政拨款基本支出决算表"
    THREE_PUBLIC = "财政拨款“三公”经费支出决算表"
    GOV_FUND = "政府性基金预算财政拨款收入支出决算表"
    STATE_CAPITAL = "国有资本经营预算财政拨款收入支出决算表"
    BUDGET_SUMMARY = "部门收支总表"
    BUDGET_INCOME = "部门收入总表"
    BUDGET_EXPENDITURE = "部门支出总表"
    BUDGET_FISCAL_SUMMARY = "财政拨款收支总表"
    BUDGET_GP_EXPENDITURE = "一般公共预算支出表"
    BUDGET_BASIC = "一般公共预算基本支出表"
    BUDGET_THREE_PUBLIC = "“三公”经费预算表"
    BUDGET_GOV_FUND = "政府性基金预算支出表"
    BUDGET_STATE_CAPITAL = "国有资本经营预算支出表"
    # The 绩效自评表 forms (``SelfEvalForm``); kept before the staff's working sheets, which stay last.
    PROJECT_SELF_EVAL = "项目支出绩效自评表"
    DEPARTMENT_SELF_EVAL = "部门整体支出绩效自评表"
    EXECUTION_RATES = "预算执行率测算表"
    SHARES = "金额占比表"

    @property
    def title(self) -> str:
        return self.value

    @property
    def stage(self) -> Stage:
        if self in (TableKind.SHARES, TableKind.EXECUTION_RATES):
            return Stage.WORKING
        return Stage.BUDGET if self.name.startswith("BUDGET_") else Stage.FINAL


# Shown decimals stop at 8 (4 for 万元 amounts, plus 2 more for a percentage held as a fraction, plus margin).
_HALF_UNITS = tuple(Decimal(5).scaleb(-(decimals + 1)) for decimals in range(12))


class Level(str, Enum):
    """Depth of a 科目编码: 类 (3 digits), 款 (5), 项 (7)."""

    CLASS = "类"
    SECTION = "款"
    ITEM = "项"


class Scope(str, Enum):
    """Whose money a figure counts (its 口径 of funds)."""

    ALL = "全部资金"
    FISCAL = "财政拨款"
    GENERAL = "一般公共预算财政拨款"
    GOV_FUND = "政府性基金预算财政拨款"
    STATE_CAPITAL = "国有资本经营预算财政拨款"


class Side(str, Enum):
    INCOME = "收入"
    EXPENDITURE = "支出"


# What the 部门 column says of a finding no department holds (a text beside two departments of its year,
# naming neither).
UNPLACED = "（未归属部门）"


@dataclass(frozen=True, slots=True)
class CellRef:
    file: str
    sheet: str
    cell: str

    def __init__(self, file: str, sheet: str, cell: str) -> None:
        # Set through the slots: a workbook makes a CellRef per figure, and the generated
        # frozen __init__ (object.__setattr__ by name) takes twice as long.
        _set_file(self, file)
        _set_sheet(self, sheet)
        _set_cell(self, cell)

    def __reduce__(self):  # positional, several times faster to pickle than slots' default
        return CellRef, (self.file, self.sheet, self.cell)


_set_file, _set_sheet, _set_cell = CellRef.file.__set__, CellRef.sheet.__set__, CellRef.cell.__set__


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure as the workbook shows it, with its source cell.

    ``value`` is None for a printed blank (or dash); ``decimals`` is how many
    decimals the figure is taken to be rounded to, which sets its rounding envelope.
    Two blanks are not zeros but unknowns, and no identity is judged on them:
    ``unreadable`` holds the text of a figure cell that is not a number ("1l.31"), and
    ``unstated`` marks a blank breakdown cell of a row that states only its total.
    """

    value: Decimal | None
    ref: CellRef
    decimals: int = 2
    unreadable: str | None = None
    unstated: bool = False

    def __init__(self, value: Decimal | None, ref: CellRef, decimals: int = 2, unreadable: str | None = None,
                 unstated: bool = False) -> None:
        # Set through the slots, as CellRef is: one Cell per figure.
        _set_value(self, value)
        _set_ref(self, ref)
        _set_decimals(self, decimals)
        _set_unreadable(self, unreadable)
        _set_unstated(self, unstated)

    def __reduce__(self):  # workers send thousands of these per workbook
        if self.unreadable is None and not self.unstated:
            return Cell, (self.value, self.ref, self.decimals)
        return Cell, (self.value, self.ref, self.decimals, self.unreadable, self.unstated)

    @property
    def known(self) -> bool:
        """A figure or a printed blank (zero); not an unreadable or unstated cell."""
        return self.unreadable is None and not self.unstated

    @property
    def amount(self) -> Decimal:
        return self.value if self.value is not None else Decimal(0)

    @property
    def is_blank(self) -> bool:
        return self.value is None

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last shown digit: the most rounding can move it."""
        return _HALF_UNITS[self.decimals]


_set_value, _set_ref, _set_decimals, _set_unreadable, _set_unstated = (
    Cell.value.__set__, Cell.ref.__set__, Cell.decimals.__set__, Cell.unreadable.__set__, Cell.unstated.__set__)


# A line's figure, whichever way its table prints it: in its only column ('amount'), or in the
# 合计 column of a table that splits it (a 总表 with 基本支出 | 项目支出, a 基本支出表 by 人员 | 公用).
LINE_FIGURE = ("amount", "total")
# Ratios printed beside the amounts (a share, a year-on-year 增长率): no sum of their lines.
RATIOS = ("share", "previous_share", "change_rate", "rate")
# A subtotal line of a 金额占比表 (财政拨款小计) has a key starting so; the lines it sums name that key as their parent.
SUBTOTAL_KEY = "subtotal@"


@dataclass(frozen=True, slots=True)
class Row:
    """One body line of a table.

    ``key`` names a known line of a two-sided table (e.g. ``income_total``);
    ``code`` is the full 科目编码 of a classified line; ``parent_key`` is the
    label of the line an indented sub-line (1. / （一） / 其中：) details.
    """

    label: str
    values: dict[str, Cell]
    label_ref: CellRef
    code: str | None = None
    key: str | None = None
    side: Side | None = None
    is_total: bool = False
    parent_key: str | None = None

    def __reduce__(self):
        """A worker sends a long table's million cells: a row whose figures are all plain
        and on its label's sheet goes as one string ("value:decimals:address" each), not
        a Cell, CellRef and Decimal each, which pickles in half the time; the pickler keeps
        everything it wrote until the end (a 200,000-row table took the worker from 690 MB
        to 955 MB)."""
        ref, cells = self.label_ref, self.values.values()
        if all(c.known and c.ref.file == ref.file and c.ref.sheet == ref.sheet and " " not in c.ref.cell
               for c in cells):
            measures = tuple(self.values)
            figures = " ".join(f"{'' if c.value is None else c.value}:{c.decimals}:{c.ref.cell}" for c in cells)
            return _packed_row, (self.label, ref.file, ref.sheet, ref.cell, self.code, self.key, self.side,
                                 self.is_total, self.parent_key, _MEASURES.setdefault(measures, measures), figures)
        return Row, (self.label, self.values, ref, self.code, self.key, self.side, self.is_total, self.parent_key)

    @property
    def level(self) -> Level | None:
        if self.code is None:
            return None
        return {3: Level.CLASS, 5: Level.SECTION, 7: Level.ITEM}.get(len(self.code))

    @property
    def figure(self) -> Cell | None:
        """A line's figure (LINE_FIGURE): its only column, or its 合计 column."""
        for measure in LINE_FIGURE:
            if measure in self.values:
                return self.values[measure]
        return None

    @property
    def item(self) -> str:
        """How the finding list names this line: code and name when both exist."""
        if self.code and self.label and self.label != self.code:
            return f"{self.code} {strip_enumeration(self.label)}"
        return self.label or self.code or ""


# One tuple per set of measures, so that a table's rows share it in the pickle and after.
_MEASURES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _packed_row(label: str, file: str, sheet: str, address: str, code: str | None, key: str | None,
                side: Side | None, is_total: bool, parent_key: str | None, measures: tuple[str, ...],
                figures: str) -> Row:
    """A row as ``Row.__reduce__`` packed it: str(Decimal) gives back the very Decimal."""
    cells = {}
    for measure, figure in zip(measures, figures.split(" ")):
        value, shown, cell = figure.split(":", 2)  # a value or a count of decimals holds no ":"
        cells[measure] = Cell(Decimal(value) if value else None, CellRef(file, sheet, cell), int(shown))
    return Row(label, cells, CellRef(file, sheet, address), code, key, side, is_total, parent_key)


@dataclass
class Table:
    """A recognised table in canonical form: kind, unit and rows of cells."""

    kind: TableKind
    file: str
    sheet: str
    title: str
    unit: Unit
    rows: list[Row]
    columns: dict[str, str]
    department: str | None = None
    year: int | None = None
    unit_stated: bool = True
    anchor: str = "A1"
    notes: tuple[str, ...] = ()
    # A group column's measure and its sub-columns' ('basic': ('personnel', 'public')), from
    # the header's hierarchy; the group itself may be printed or not.
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def sheets(self) -> tuple[str, ...]:
        """The sheets the table is printed on: its own, then any it is continued on (续表)."""
        return tuple(dict.fromkeys([self.sheet, *(row.label_ref.sheet for row in self.rows)]))

    def rows_on(self, side: Side | None) -> list[Row]:
        return [row for row in self.rows if row.side == side]

    def line(self, key: str, side: Side | None = None) -> Row | None:
        return next((r for r in self.rows if r.key == key and (side is None or r.side == side)), None)

    def total_row(self) -> Row | None:
        return next((r for r in self.rows if r.is_total), None)

    def coded(self) -> dict[str, Row]:
        return {r.code: r for r in self.rows if r.code}

    @property
    def anchor_ref(self) -> CellRef:
        """Where a finding about the whole table points: its title cell."""
        return CellRef(self.file, self.sheet, self.anchor)

    def top_rows(self) -> list[Row]:
        """The highest-level coded rows (the 类, or the 款 where no 类 is listed), so that
        类, 款 and 项 are never added together."""
        coded = [r for r in self.rows if r.code]
        top = min((len(r.code) for r in coded), default=0)
        return [r for r in coded if len(r.code) == top]

    @property
    def is_empty(self) -> bool:
        return all(cell.is_blank for row in self.rows for cell in row.values.values())


@dataclass(frozen=True)
class FundLine:
    """One row of a 自评表's 资金 block: 年度资金总额, or one of its parts (其中：财政拨款,
    上年结转, 基本支出 …). ``values`` by measure: initial (年初预算数), adjusted (全年/调整后
    预算数), executed (全年执行数), weight (分值), rate (执行率, a fraction), score (得分)."""

    label: str
    label_ref: CellRef
    values: dict[str, Cell]
    is_total: bool = False
    reason: str = ""  # the row's own 原因 cell (四川), if the form has one
    # Which breakdown of the total a part belongs to (the total's own is 0): a form may list the
    # total by 收入性质 and again by 支出性质, each breakdown adding up to it on its own.
    breakdown: int = 0


@dataclass(frozen=True)
class StatedValue:
    """A 指标值 or 完成值 as printed ("≥95%", "100人次", "按时完成"): its number, if it
    states one, and the direction (≥, ≤, =) the text or the 指标性质 column gives."""

    text: str
    ref: CellRef
    number: Decimal | None = None
    direction: str = ""
    suffix: str = ""  # what follows the number: "%", "人次", "万元"


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 row of a 自评表's 绩效指标 block."""

    level1: str
    level2: str
    name: str
    label_ref: CellRef
    target: StatedValue | None = None
    actual: StatedValue | None = None
    weight: Cell | None = None
    score: Cell | None = None
    reason: str = ""
    reason_ref: CellRef | None = None


@dataclass
class SelfEvalForm(Table):
    """A 项目支出 or 部门整体支出绩效自评表.

    A form is a Table for everything a table is to the pipeline (file, sheet, title,
    部门 and year, unit, anchor; grouping with the 决算 of its department; annotated
    copies; the generic per-cell rules through ``rows``), but its body is not lines of
    amounts by measure: it is a 资金 block, a list of indicators with text targets and
    a score. Those are typed here instead of being squeezed into ``Row.values``; ``rows``
    repeats their figure cells so that table-wide rules (unreadable figures, empty
    tables) see them.
    """

    project: str = ""
    funds: tuple[FundLine, ...] = ()
    denominator: str = "adjusted"  # the fund measure the form's 执行率 divides by
    indicators: tuple[Indicator, ...] = ()
    level1_weights: dict[str, Cell] = field(default_factory=dict)  # "产出指标（50分）" -> 50
    total_score: Cell | None = None
    total_weight: Cell | None = None
    grade: StatedValue | None = None
    # its own words outside the indicator rows (年度总体目标, 实际完成情况, notes), each with its cell
    prose: tuple[tuple[str, CellRef], ...] = ()
    scope: Scope = Scope.ALL  # the 口径 of its money: all funds, or 财政拨款 where the form says so

    @property
    def fund_total(self) -> FundLine | None:
        return next((f for f in self.funds if f.is_total), None)


@dataclass(frozen=True)
class ExecutionBand:
    """The 执行率 (决算数 ÷ 年初预算数, in %) a department need not explain: 90%–100% by
    default (budgetkit.toml [execution] low/high sets others)."""

    low: Decimal = Decimal(90)
    high: Decimal = Decimal(100)

    def describe(self) -> str:
        return f"{self.low.normalize():f}%–{self.high.normalize():f}%"


@dataclass(frozen=True)
class GradeBands:
    """The 等级 a 自评 总分 earns: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below (财政部预算司's bands;
    budgetkit.toml [selfeval] bands sets others)."""

    floors: tuple[tuple[str, Decimal], ...] = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)))
    lowest: str = "差"

    def grade(self, score: Decimal) -> str:
        return next((name for name, floor in self.floors if score >= floor), self.lowest)

    def describe(self) -> str:
        bands = [f"{name} ≥ {floor}" for name, floor in self.floors]
        return "，".join(bands + [f"{self.lowest} < {self.floors[-1][1]}"] if self.floors else bands)


class Uncomputed(str):
    """A grid cell holding a formula saved without its result that budgetkit could not work
    out either: its text is the formula. The figure is unknown (not zero): no identity is
    judged on it."""

    __slots__ = ()


@dataclass(frozen=True)
class SheetGrid:
    """The raw values of one sheet, as read."""

    name: str
    cells: list[list[object]]
    merged: list[tuple[int, int, int, int]]

    def unpack(self) -> SheetGrid:
        """The grid itself: a sheet kept as read, where ``PackedSheet`` keeps it compressed."""
        return self


@dataclass(frozen=True)
class PackedSheet:
    """A sheet's values kept compressed until the report shows its annotated copy:
    a batch keeps every table sheet, but annotates only the few with findings.
    ``data`` may hold other sheets of the workbook too; this sheet's pickle is ``span`` of it."""

    name: str
    data: bytes
    merged: list[tuple[int, int, int, int]]
    span: tuple[int, int]

    def unpack(self) -> SheetGrid:
        start, end = self.span
        return SheetGrid(self.name, pickle.loads(memoryview(zlib.decompress(self.data))[start:end]), self.merged)


_PACKED_TOGETHER = 1 << 20  # bytes of pickle compressed as one


def pack(sheets: list[SheetGrid]) -> dict[str, PackedSheet]:
    """A workbook's sheets by name, compressed a few at a time: compressing a sheet of a
    few kB costs mostly zlib's set-up. A group stops at a megabyte, so that unpacking one
    sheet never inflates a long table beside it."""
    groups: list[list[tuple[SheetGrid, bytes]]] = []
    size = 0
    for sheet in sheets:
        data = pickle.dumps(sheet.cells, protocol=5)
        if not groups or size + len(data) > _PACKED_TOGETHER:
            groups.append([])
            size = 0
        groups[-1].append((sheet, data))
        size += len(data)
    packed = {}
    for group in groups:
        data = zlib.compress(b"".join(pickled for _, pickled in group), 1)
        start = 0
        for sheet, pickled in group:
            packed[sheet.name] = PackedSheet(sheet.name, data, sheet.merged, (start, start + len(pickled)))
            start += len(pickled)
    return packed


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str


@lru_cache(maxsize=4096)
def folder_of(relative: str) -> str:
    """The department folder of a file named by its path relative to the checked folder ("." at the
    top): departments never span folders, so grouping, versions and the batch split files by it.
    A subfolder is its parent's where it repeats its parent's name (区财政局/区财政局/, as unzipping
    leaves it) or names only a year or a stage (区民政局/2024决算/, 区民政局/预算/)."""
    parts: list[str] = []
    for part in PurePosixPath(relative).parent.parts:
        if parts and (part == parts[-1] or _PART_OF_PARENT.match(part)):
            continue
        parts.append(part)
    return str(PurePosixPath(*parts)) if parts else "."


# A folder named by a year or a stage alone: 2024决算, 2025年度部门预算, 决算, 2024
_PART_OF_PARENT = re.compile(r"^(?:(?:19|20)\d{2}\s*年?度?)?\s*(?:部门)?(?:预决算|决算|预算)?(?:公开)?(?:表|材料|文件)?$")


class FileStatus(str, Enum):
    OK = "ok"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class LoadedFile:
    source: SourceFile
    status: FileStatus
    reason: str = ""
    tables: list[Table] = field(default_factory=list)
    # The table sheets by name, for their annotated copies: as read while the file stays in the
    # process that read it, compressed (``pack``) when it is sent to another.
    grids: dict[str, SheetGrid | PackedSheet] = field(default_factory=dict)
    unrecognised_sheets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """One inconsistency, positioned on the cell that states the questioned figure."""

    rule: str
    severity: Severity
    ref: CellRef
    item: str
    message: str
    stated: Decimal | None = None
    expected: Decimal | None = None
    unit: str = ""
    related: tuple[CellRef, ...] = ()

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.expected is None:
            return None
        return self.stated - self.expected


@dataclass(frozen=True)
class AcceptedFinding:
    """A finding the department has explained in budgetkit.toml ([[accept]])."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class VersionChange:
    """One figure that differs between an old and a new version of a table, in the new
    version's unit (--compare-versions)."""

    old_file: str
    new_file: str
    table: str
    line: str
    measure: str
    old: Decimal | None
    new: Decimal | None
    unit: str

    @property
    def change(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass
class RunResult:
    """Everything a report needs; computed once, rendered by every writer."""

    folder: Path
    files: list[LoadedFile]
    findings: list[Finding]
    coverage: list[Coverage] = field(default_factory=list)
    # Explained findings: kept out of ``findings``, so they never count toward the exit code.
    accepted: list[AcceptedFinding] = field(default_factory=list)
    # One group per department (and year): the unit of cross-table checks and of batch reports.
    groups: tuple[Group, ...] = ()
    # The report texts (表文) read beside the workbooks.
    narratives: tuple[Narrative, ...] = ()
    # Each report text's department: the group its figures were held against.
    text_groups: dict[str, str] = field(default_factory=dict)
    # What changed between the versions of a table set aside and the versions checked;
    # None when not asked for (--compare-versions).
    version_changes: list[VersionChange] | None = None

    def department_of(self, ref: CellRef) -> str:
        """The group a cell's table belongs to; for a report text, the group the text rules
        held it against; for a sheet without a table, its folder; else UNPLACED, so that a
        finding of a text no department's tables could be told for is never left unnamed."""
        group = self.group_by_sheet.get((ref.file, ref.sheet))
        found = self.text_groups.get(ref.file) or (group.name if group is not None else None)
        folder = folder_of(ref.file)
        return found if found is not None else (folder if folder != "." else UNPLACED)

    @cached_property
    def group_by_sheet(self) -> dict[tuple[str, str], Group]:
        """The group of each (file, sheet) that holds a table, or part of one: a table continued
        on the next sheet (续表) lists its rows' sheets."""
        return {(t.file, sheet): g for g in self.groups for t in g.tables for sheet in t.sheets}

    @property
    def tables(self) -> list[Table]:
        return [t for f in self.files for t in f.tables]

    @property
    def department_count(self) -> int:
        """Departments, each once whatever its years (a group is one department's year)."""
        return len({(g.folder, g.department) for g in self.groups})

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def count_accepted(self, severity: Severity) -> int:
        return sum(1 for a in self.accepted if a.finding.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0
