"""Turn a located region into a canonical ``Table``: rows, codes, measures, cells."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from itertools import takewhile
from pathlib import PurePosixPath
from decimal import Decimal
from typing import NamedTuple

from budgetkit import subjects
from budgetkit import lines
from budgetkit.load.kinds import (AMOUNT_TOKENS, CARRY_GROUPS, ECONOMIC_MEASURES, SHARE_TOKENS, KindSpec, Layout,
                                  column_groups, is_budget_measure, measure_for, placing_path, three_public_item,
                                  unnamed_part)
from budgetkit.load.regions import CONTINUED, Region, SheetView
from budgetkit.text import (core_label, is_sub_line, names_total, normalize, numbering_level, strip_enumeration,
                            year_in, year_in_name)
from budgetkit.money import NotANumber, is_percent_text, looks_like_a_figure, parse_figure
from budgetkit.model import LINE_FIGURE, RATIOS, SUBTOTAL_KEY, Cell, CellRef, Row, Side, Table, TableKind, Uncomputed, Unit

# A code cell: 3, 5 or 7 digits, or a mistyped length (4, 6, 8) kept so that BK511 can name it.
_CODE_ONLY = re.compile(r"^\d{3,8}$")
# A code and its name in one cell: "2080505机关…", and as exports spell it, "2080505-机关…", "[2080505]机关…".
_CODE_AND_NAME = re.compile(r"^[\[【]?(\d{7}|\d{5}|\d{3})(?!\d)[\]】]?[-—–_:.、]*(.*)$")
_MAX_DECIMALS = 4
# Figures of a table whose number formats may be read: a sheet's formats cost about 200 bytes and 4 µs
# a cell, so a long table (600,000 figures: 120 MB, 2.6 s) keeps the digits its values show.
_FORMATS_READ_UP_TO = 100_000
_PRINTED_DECIMALS = 2  # what published tables print when no figure shows it
_FUND_KEYS = ("general_budget", "gov_fund", "state_capital")
_BALANCE_KEYS = ("opening_balance", "closing_balance")


class _Reading(NamedTuple):
    """What a figure cell states, before its table's print format is known."""

    value: Decimal | None
    decimals: int
    unreadable: str | None  # the text of a figure that cannot be read ("1l.31")
    percent_text: bool  # typed as text with its own % sign ("37.5%")
    unstated: bool = False  # a formula without its result: the file does not state the figure


_UNCOMPUTED = _Reading(None, 0, None, False, True)


def _read(raw: object) -> _Reading:
    if isinstance(raw, Uncomputed):
        return _UNCOMPUTED
    try:
        value, decimals = parse_figure(raw)
    except NotANumber:
        return _Reading(None, 0, str(raw).strip() if looks_like_a_figure(raw) else None, is_percent_text(raw))
    return _Reading(value, decimals, None, is_percent_text(raw))


# Floats and short texts read so far (never an int: 1, 1.0 and True are one key, and True is no figure).
_readings: dict[float | str, _Reading] = {}
_READINGS_KEPT = 1 << 12
_CACHED_TEXT = 32  # a longer text in a figure column is a stray note: not kept


def _reading(raw: object) -> _Reading:
    """Floats and short texts are read by cache: a workbook prints its dashes, and each
    of its figures, in several tables."""
    if raw.__class__ is float or (raw.__class__ is str and len(raw) <= _CACHED_TEXT):
        reading = _readings.get(raw)
        if reading is None:
            if len(_readings) >= _READINGS_KEPT:
                _readings.clear()
            reading = _readings[raw] = _read(raw)
        return reading
    return _read(raw)


class _Figures:
    """Collects read figures, then fixes the shown decimals at once: a float does
    not remember its format, so 30.0 in a table of 95.43 is 30.00. Amounts of one
    table share one print format; a share column has its own."""

    def __init__(self, file: str, view: SheetView) -> None:
        self.file, self.sheet, self.formats = file, view.grid.name, view.formats
        # One entry per figure in each, not a tuple per figure: a long table has a million.
        self.columns: list[str] = []
        self.readings: list[_Reading] = []
        self.addresses: list[str] = []

    def add(self, column: str, raw: object, address: str) -> int:
        self.columns.append(column)
        self.readings.append(_reading(raw))
        self.addresses.append(address)
        return len(self.readings) - 1

    def add_row(self, view: SheetView, r: int, columns: list[int], names: list[str]) -> int:
        """Row r's figures in ``columns``, named ``names``; returns the index of the first."""
        first = len(self.readings)
        self.columns.extend(names)
        self.readings.extend(map(_reading, view.raws(r, columns)))
        self.addresses.extend(view.addresses(r, columns))
        return first

    def cells(self, scale_percent: set[str] = frozenset()) -> list[Cell]:
        """``scale_percent``: columns of percentage numbers (12.5 for 12.5%); a cell
        there typed with its own % sign is already a fraction."""
        if scale_percent or any(column in RATIOS for column in self.columns):
            return self._cells_with_shares(scale_percent)
        # Amounts only, the usual table: one print format for every cell, or each cell's own
        # where the values leave it in doubt and the file keeps its formats.
        decimals = [reading.decimals for reading in self.readings if reading.value is not None]
        shown = _print_format(decimals, _MAX_DECIMALS)
        formats = self._formats(decimals, _MAX_DECIMALS)
        file, sheet = self.file, self.sheet
        return [Cell(reading.value, CellRef(file, sheet, address), formats.get(address, shown), reading.unreadable,
                     reading.unstated)
                for reading, address in zip(self.readings, self.addresses)]

    def _cells_with_shares(self, scale_percent: set[str]) -> list[Cell]:
        decimals: dict[str, list[int]] = {_group(column): [] for column in {"amount", *self.columns}}
        for column, reading in zip(self.columns, self.readings):
            if reading.value is not None:
                own = reading.decimals - 2 if reading.percent_text and column in scale_percent else reading.decimals
                decimals[_group(column)].append(own)
        # A fraction prints two more decimals than its percentage: 12.34% is 0.1234.
        printed_at_most = {group: _MAX_DECIMALS + (0 if group == "amount" or group in scale_percent else 2)
                           for group in decimals}
        shown = {group: _print_format(found, printed_at_most[group]) for group, found in decimals.items() if found}
        formats = {group: self._formats(found, printed_at_most[group]) for group, found in decimals.items()}
        # Worked out once per column, not per cell: a long table has a million cells.
        columns = set(self.columns)
        scaled = {c: 2 if c in scale_percent else 0 for c in columns}
        decimals_of = {c: shown.get(_group(c), _PRINTED_DECIMALS) + scaled[c] for c in columns}
        for column in columns & _FRACTIONS:
            decimals_of[column] = max(decimals_of[column], 2)  # a fraction shown as a whole percent: 0.01
        file, sheet = self.file, self.sheet
        return [Cell(_scaled(reading) if scaled[column] else reading.value, CellRef(file, sheet, address),
                     formatted + scaled[column] if (formatted := formats[_group(column)].get(address)) is not None
                     else decimals_of[column], reading.unreadable, reading.unstated)
                for column, reading, address in zip(self.columns, self.readings, self.addresses)]

    def _formats(self, decimals: list[int], printed_at_most: int) -> dict[str, int]:
        """Each cell's shown decimals by its number format, where the values leave them in doubt:
        every figure whole (19.0 may print 19.00, so a gap of 1.00 is no rounding) or one with
        more decimals than tables print (a formula's 1.2345678 may print 1.23)."""
        in_doubt = bool(decimals) and not _PRINTED_DECIMALS <= max(decimals) <= printed_at_most
        if not in_doubt or self.formats is None or len(self.readings) > _FORMATS_READ_UP_TO:
            return {}
        return self.formats.of(self.sheet)


def _print_format(decimals: list[int], printed_at_most: int) -> int:
    """A table's shown decimals by its values: the most its figures show, leaving out those with
    more than a printed table shows (a formula's 1.2345678, shown as the others are). Beside such
    unrounded results (万元 lines worked out as =元/10000, totals typed to the 分), figures of three or
    four decimals are more of them, not a finer print: the table shows what published tables do."""
    printed = [d for d in decimals if d <= printed_at_most]
    if printed and len(printed) < len(decimals) and printed_at_most == _MAX_DECIMALS:
        return min(max(printed), _PRINTED_DECIMALS)
    if printed:
        return max(printed)
    return min(_MAX_DECIMALS + 2, max(decimals)) if decimals else _PRINTED_DECIMALS


def _scaled(reading: _Reading) -> Decimal | None:
    """A percentage number (12.5) as the fraction it means; a cell typed with its own % sign already is one."""
    if reading.value is None or reading.percent_text:
        return reading.value
    return reading.value.scaleb(-2)


def _unstated(values: dict[str, Cell], total: str, parts: Iterable[str]) -> dict[str, Cell]:
    """A row that states its total but leaves its whole breakdown blank does not state
    the breakdown (a 总计 row filled only in its 合计 column): those blanks are unknowns,
    not zeros. Blanks beside stated parts keep meaning zero."""
    stated = values.get(total)
    if stated is None or stated.is_blank:
        return values
    parts = [m for m in parts if m in values]
    if not parts or any(not values[m].is_blank or not values[m].known for m in parts):
        return values
    return {**values, **{m: replace(values[m], unstated=True) for m in parts}}


def _group(column: str) -> str:
    """A share or a rate prints in its own format, never the amounts' (a 元 table of whole
    figures keeps its half-yuan rounding beside a 增长率 of 7.53), nor each other's: shares typed as
    percentage numbers (92.31) beside a 增长率 typed as a fraction (0.0652), or last year's shares to a
    tenth of a point beside this year's to a hundredth, keep their own digits."""
    if column in _SHARE_MEASURES:
        return column
    return "rate" if column in RATIOS else "amount"


def build_table(view: SheetView, region: Region, file: str) -> Table | None:
    builder = {Layout.TWO_SIDED: _two_sided, Layout.CLASSIFIED: _classified, Layout.BLOCKS: _blocks,
               Layout.SINGLE_ROW: _single_row, Layout.SHARES: _shares, Layout.RATES: _rates}
    layout = region.spec.layout
    if layout == Layout.CLASSIFIED and (_side_by_side_blocks(region.header_paths) or (
            region.spec.measures is ECONOMIC_MEASURES and _headings_repeated(region.header_paths))):
        # Read as one classified table, the blocks' code columns would be taken for split 类|款|项,
        # or one block's codes for the lines of the other block's figures.
        layout = Layout.BLOCKS
    rows, columns = builder[layout](view, region, file)
    if not rows:
        return None
    year = region.year or year_in_name(file)
    return Table(
        kind=_kind_by_stage(region, columns, file), file=file, sheet=view.grid.name, title=region.title,
        unit=region.unit or Unit.WAN, rows=rows, columns=columns,
        department=region.department, year=year, unit_stated=region.unit is not None,
        anchor=view.a1(region.title_row, 0), notes=region.notes,
        groups=column_groups(region.spec, columns) if layout == Layout.CLASSIFIED else {},
    )


def _kind_by_stage(region: Region, columns: dict[str, str], file: str) -> TableKind:
    """A "三公" title naming no stage ('一般公共预算“三公”经费支出情况表', the 2016 财政部 sample budget's, as
    much as a 决算's '…支出情况表') is the budget's table where it prints no 决算数 (its figures are all 预算数)
    and its file is not named a 决算 (by its own name: the same file reads alike from any folder)."""
    named_final = "决算" in region.title or "决算" in PurePosixPath(file).name
    if region.spec.kind == TableKind.THREE_PUBLIC and not named_final \
            and not any(measure.endswith(".final") for measure in columns):
        return TableKind.BUDGET_THREE_PUBLIC
    return region.spec.kind


def _headings_repeated(paths: dict[int, str]) -> bool:
    """Whether two columns are headed 科目名称, or two figure columns alike (决算数 | 决算数): an
    economic table's 人员经费 | 公用经费 blocks, told so even where a damaged or unusual header
    leaves a block without its code or name heading."""
    codes = set(_code_columns(paths))
    names = [c for c, p in paths.items() if c not in codes and "名称" in p.split("/")[-1]]
    figures = [p for c, p in paths.items() if c not in codes and c not in names]
    return len(names) > 1 or len(set(figures)) < len(figures)


def _side_by_side_blocks(paths: dict[int, str]) -> bool:
    """Whether a header holds two or more 'code | name | amount' blocks side by side (a budget
    基本支出表 printed as 人员经费 | 公用经费, like the 决算 one): runs of code columns that are
    not adjacent, each followed by its own name column and an amount column."""
    code_cols = _code_columns(paths)
    starts = [c for c in code_cols if c - 1 not in code_cols]
    if len(starts) < 2:
        return False
    bounds = starts + [max(paths) + 1]
    for start, end in zip(starts, bounds[1:]):
        rest = [paths[c] for c in range(start, end) if c in paths and c not in code_cols]
        names = [p for p in rest if "名称" in p.split("/")[-1]]
        if not names or len(rest) == len(names):
            return False
    return True


# Measures that are not a part of a row's 合计: carry-overs (and their parts, 'opening.basic') and the
# single 'amount' column; nor are the budgets a 决算 prints beside it (kinds.is_budget_measure:
# 年初预算数, 调整预算数, a bare 预算数, and their 基本支出/项目支出 columns).
_NOT_BREAKDOWN = {"total", "amount", *CARRY_GROUPS, "previous", "change", "change_rate"}


def _breakdown(measures: Iterable[str]) -> list[str]:
    """The measures a row's 合计 is the sum of."""
    return [m for m in measures if m.split(".", 1)[0] not in _NOT_BREAKDOWN and not is_budget_measure(m)]


def _ref(view: SheetView, file: str, r: int, c: int) -> CellRef:
    return CellRef(file, view.grid.name, view.address(r, c))


def _label(view: SheetView, r: int, c: int) -> str:
    raw = view.raw(*view.owner.get((r, c), (r, c)))
    return _without_spaces(raw) if isinstance(raw, str) else ""


@lru_cache(maxsize=1 << 13)  # the same labels recur in every workbook of a batch
def _without_spaces(text: str) -> str:
    return "".join(text.split())


# A column of last year's figures (上年预算数, 上年决算数; '上年结转', an income of this year, is not one), or of
# the change from them (增减, 比上年增长 …).
_LAST_YEAR = r"上年(?!结转)"
_CHANGE = r"增减|增长|增幅|变动|同比|比上年|较上年"
_OTHER_PERIOD = re.compile(f"{_LAST_YEAR}|{_CHANGE}")


def _value_columns(spec: KindSpec, paths: dict[int, str], exclude: set[int],
                   sub_columns: bool = False, year: int | None = None) -> dict[int, str]:
    """Amount columns and the measure each names; a lone unnamed column is 'amount'. A column
    of last year's figures (or of a year other than the table's own ``year``), of the change, or
    of a rate or share (完成预算%, 执行率, 占比), is none of this year's amounts: '完成全年预算%'
    names a budget's words, not a budget.
    With ``sub_columns``, columns that share a group heading but name no measure of their own
    are that group's parts (kinds.unnamed_part), not a second copy of the group."""
    candidates = _this_years({c: p for c, p in paths.items() if c not in exclude and "行次" not in p}, year)
    named = {c: measure_for(spec, p) for c, p in candidates.items()}
    if sub_columns:
        placed = {c: placing_path(spec, p) for c, p in candidates.items()}
        siblings = Counter(p.rsplit("/", 1)[0] for p in placed.values() if "/" in p)
        named.update({c: part for c, p in placed.items()
                      if "/" in p and siblings[p.rsplit("/", 1)[0]] > 1 and (part := unnamed_part(spec, p))})
    if len(candidates) == 1:
        chosen = {c: m or "amount" for c, m in named.items()}
    else:
        if sub_columns:
            named.update(_repeated_in_groups(placed, named))
        # Two columns naming one measure (a block whose own 项目 heading is missing):
        # the first is the block's, so a later one never overwrites it.
        chosen = {}
        for c, m in sorted(named.items()):
            if m and m not in chosen.values():
                chosen[c] = m
    if any(m in LINE_FIGURE for m in chosen.values()):
        chosen.update(_year_on_year({c: p for c, p in paths.items() if c not in exclude and c not in chosen}, year))
    return chosen


def _this_years(paths: dict[int, str], year: int | None) -> dict[int, str]:
    """The columns of this year's figures: not last year's, the change, a rate or share (_beside_the_figures),
    nor a year other than the table's. A table whose columns all name another year keeps them: its
    own year is in doubt."""
    candidates = {c: p for c, p in paths.items() if not _beside_the_figures(p)}
    return {c: p for c, p in candidates.items() if year_in(p) in (None, year)} or candidates


# Beside this year's figure: last year's (上年预算数, or the year before the table's), the change
# (增减额) and its rate (增长率（%）, 增减%). Not a rate of completion (完成预算%) nor a share.
_CHANGE_WORDS = re.compile(_CHANGE)
_RATE_WORDS = re.compile(r"率|%|幅度|百分")
_PREVIOUS = re.compile(_LAST_YEAR)
_NOT_A_FIGURE = ("行次", "原因", "说明", "备注")  # 增减变动原因 is words


def _year_on_year(paths: dict[int, str], year: int | None) -> dict[int, str]:
    """Last year's figure, the change and the rate, each where the table prints one column of
    it: a group of last year's columns (上年 合计 | 基本支出 | 项目支出) is not compared."""
    found: dict[str, list[int]] = defaultdict(list)
    for c, path in paths.items():
        # 增减（百分点） is a change of shares, never of the amounts
        if any(word in path for word in _NOT_A_FIGURE) or any(token in path for token in SHARE_TOKENS if token != "%") \
                or "百分点" in path:
            continue
        if _CHANGE_WORDS.search(path):
            found["change_rate" if _RATE_WORDS.search(path) else "change"].append(c)
        elif _of_last_year(path, year):
            found["previous"].append(c)
    return {columns[0]: measure for measure, columns in found.items() if len(columns) == 1}


def _of_last_year(path: str, year: int | None) -> bool:
    return bool(_PREVIOUS.search(path)) or (year is not None and year_in(path) == year - 1)


def _two_sided(view: SheetView, region: Region, file: str) -> tuple[list[Row], dict[str, str]]:
    blocks = []
    for index, (start, block_paths) in enumerate(_blocks_of(region.header_paths)):
        side = _side_of(block_paths[start], index)
        values = _value_columns(region.spec, block_paths, {start})
        blocks.append((start, side, values))
    if not blocks:
        return [], {}
    figures = _Figures(file, view)
    drafts = []
    block_sides: dict[int, set[Side]] = {}
    for start, first_side, values in blocks:
        side, parent, parent_key, balance, listing = first_side, None, None, None, False
        made_up = _MadeUp()
        block_sides[start] = {first_side}
        value_cols, measures = list(values), list(values.values())
        names, parts = _side_names(side, measures), _breakdown(measures)
        for r in region.body_rows:
            text = normalize(view.text[r][start])
            if not text:
                continue
            if strip_enumeration(text) in _SIDE_HEADINGS and not view.has_figure(r):
                # A 总表 laid out top to bottom: its 支出 block starts under a heading row.
                side = _SIDE_HEADINGS[strip_enumeration(text)]
                block_sides[start].add(side)
                names = _side_names(side, measures)
                continue
            label = _label(view, r, start)
            core = core_label(text)
            key, code = lines.classify(side, core)
            heading, year_total = _YEAR_HEADINGS[side]
            if key is None and core == heading and _prints_a_figure(view, r, value_cols):
                key = year_total
            if key is None and balance:
                # The 支出 side names its 年末 carry-over's funds as the 收入 side names its 年初 one's.
                key = next((k for k in [lines.classify(Side.INCOME, core)[0]] if k in _FUND_KEYS), None)
            # '其中：' opens a list whose later lines carry no mark of their own ('其中：基本支出结转',
            # '项目支出结转和结余'): an unnumbered line that names no line of the 总表 (no key, no 类) goes
            # on with it, until its lines make up the line they detail and a line prints more. A fund
            # under 财政拨款收入 ('政府性基金预算财政拨款' after '其中：一般公共预算财政拨款') is one of its parts.
            listing = text.startswith("其中") or (
                listing and code is None and numbering_level(text) is None
                and ((key in _FUND_KEYS and parent_key == "fiscal")
                     or (key is None and not (made_up.complete() and _prints_a_figure(view, r, value_cols)))))
            detail_of = parent if is_sub_line(text) or listing else None
            if key in _BALANCE_KEYS:
                balance = (label, key)
            elif key in _FUND_KEYS and balance:
                # '年初财政拨款结转和结余' is followed by its per-fund lines, which
                # carry the same enumeration ('一、一般公共预算财政拨款') as top lines.
                detail_of, key = balance[0], f"{balance[1]}.{key}"
            else:
                balance = None
            if detail_of is None:
                parent, parent_key = label, key
            first = figures.add_row(view, r, value_cols, names)
            made_up.add(figures.readings[first] if value_cols else None, of_a_detail=detail_of is not None)
            drafts.append((label, side, key, code, detail_of, measures, parts, first, _ref(view, file, r, start)))
    cells = figures.cells()
    rows = [Row(label=label, values=_unstated(dict(zip(measures, cells[first:first + len(measures)])), "total", parts),
                label_ref=ref, code=code, key=key, side=side, parent_key=parent)
            for label, side, key, code, parent, measures, parts, first, ref in drafts]
    columns = {f"{side.value}:{m}": region.header_paths[c] for start, _, values in blocks
               for side in Side if side in block_sides[start] for c, m in values.items()}  # in one order, every run
    return rows, columns


class _MadeUp:
    """Whether the detail lines read so far make up the line they detail, by their first figures,
    within the rounding of each printed one."""

    def __init__(self) -> None:
        self.detailed: _Reading | None = None
        self.listed: list[_Reading] = []

    def add(self, reading: _Reading | None, of_a_detail: bool) -> None:
        if of_a_detail:
            self.listed += [reading] if reading is not None else []
        else:
            self.detailed, self.listed = reading, []

    def complete(self) -> bool:
        return self.detailed is not None and self.detailed.value is not None and _adds_up_to(self.detailed, self.listed)


def _half(reading: _Reading) -> Decimal:
    """Half a unit of the last digit a reading shows: the most its rounding can move it (nothing for a blank)."""
    return Decimal(5).scaleb(-(reading.decimals + 1)) if reading.value is not None else Decimal(0)


def _adds_up_to(total: _Reading, parts: Iterable[_Reading]) -> bool:
    """Whether printed figures add up to a printed total, within the rounding of each."""
    printed = [part for part in parts if part.value is not None]
    gap = sum((part.value for part in printed), Decimal(0)) - total.value
    return abs(gap) <= sum(map(_half, printed), _half(total))


def _prints_a_figure(view: SheetView, r: int, columns: list[int]) -> bool:
    return any(_reading(raw).value is not None for raw in view.raws(r, columns))


def _side_names(side: Side, measures: list[str]) -> list[str]:
    """The table's names of a block's measures on one side."""
    return [f"{side}:{m}" for m in measures]


# A heading over the year's lines that prints figures of its own ('一、本年收入 582.24' over （一）…（三）,
# Sichuan 财政拨款收支总表) is the year's total; with none it only starts a side (_SIDE_HEADINGS).
_YEAR_HEADINGS = {Side.INCOME: ("本年收入", "income_total"), Side.EXPENDITURE: ("本年支出", "expenditure_total")}
_SIDE_HEADINGS = {"收入": Side.INCOME, "本年收入": Side.INCOME, "财政拨款收入": Side.INCOME,
                  "支出": Side.EXPENDITURE, "本年支出": Side.EXPENDITURE, "财政拨款支出": Side.EXPENDITURE}


def _blocks_of(paths: dict[int, str]) -> list[tuple[int, dict[int, str]]]:
    """Split a two-sided header into (label column, its columns) blocks: a block starts
    at each column headed 项目 (or 收入项目, 支出项目), or headed by a side alone (a one-row
    '收入 | 金额 | 支出 | 金额'; a stacked table's '收入' row under its '项目'), and also where the
    top heading turns from 收入 to 支出 (so a block whose 项目 cell is missing is not read as
    part of its neighbour)."""
    starts = []
    previous_side, previous_own = None, None
    for c in sorted(paths):
        levels = paths[c].split("/")
        side = _SIDE_HEADINGS.get(levels[0])
        own = levels[-1]
        if own.endswith("项目") or (own in _SIDE_HEADINGS and own != previous_own) \
                or (side and previous_side and side != previous_side):
            starts.append(c)  # a side heading merged across a block's columns starts it once
        previous_side, previous_own = side or previous_side, own
    bounds = starts + [max(paths) + 1] if starts else []
    return [(start, {c: p for c, p in paths.items() if start <= c < bounds[i + 1]}) for i, start in enumerate(starts)]


def _side_of(label_path: str, index: int) -> Side:
    if "收入" in label_path:
        return Side.INCOME
    if "支出" in label_path:
        return Side.EXPENDITURE
    return Side.INCOME if index == 0 else Side.EXPENDITURE


def _classified(view: SheetView, region: Region, file: str) -> tuple[list[Row], dict[str, str]]:
    paths = region.header_paths
    code_cols = _code_columns(paths)
    name_col = next((c for c, p in sorted(paths.items()) if "名称" in p.split("/")[-1] and c not in code_cols),
                    None)
    label_col = name_col if name_col is not None else min(paths)
    # A table by 单位 (单位编码 | 单位名称 | 合计 …) lists 单位, whose codes are no 科目编码.
    by_unit = not code_cols and paths[min(paths)].split("/")[-1].startswith("单位")
    values = _value_columns(region.spec, paths, set(code_cols) | {label_col}, sub_columns=True,
                            year=region.year or year_in_name(file))
    value_cols, measures = list(values), list(values.values())
    figures = _Figures(file, view)
    drafts = []
    parts_seen: list[str] = []
    economic = region.spec.measures is ECONOMIC_MEASURES
    for r in region.body_rows:
        label = _label(view, r, label_col)
        code, parts_seen = (None, parts_seen) if by_unit else _code_of(view, r, code_cols, label_col, parts_seen)
        if not label and code is None:
            # '合计' is often typed in the code column only, unmerged.
            label = next((text for c in code_cols if (text := _label(view, r, c))), "")
        if code is not None and not code_cols:
            label = _CODE_AND_NAME.match(normalize(label)).group(2)
        if code is None and not label:
            continue
        # A row's figures are the pending ones from ``first`` on, one per column, in the
        # columns' order: a long table keeps one index per row rather than a dict.
        first = figures.add_row(view, r, value_cols, measures)
        # A 基本支出表 by 经济分类 may head each group of its lines with its 人员经费 / 公用经费 subtotal.
        key = found if economic and code is None and (found := _footer_key(normalize(label))) in _SUBTOTAL_KEYS \
            and _prints_a_figure(view, r, value_cols) else None  # a group's heading printing nothing is no subtotal
        is_total = code is None and key is None and _names_total(label)  # 人员经费合计 is a group's, not the table's
        anchor_col = code_cols[0] if code_cols and code else label_col
        drafts.append((label or (code or ""), code, is_total, key, first, _ref(view, file, r, anchor_col)))
    cells = figures.cells()
    count, parts = len(measures), _breakdown(measures)
    totals = _table_totals([draft[2] for draft in drafts])
    rows = [Row(label=label, values=_unstated(dict(zip(measures, cells[first:first + count])), "total", parts),
                label_ref=ref, code=code, is_total=index in totals, key=key)
            for index, (label, code, _, key, first, ref) in enumerate(drafts)]
    return rows, {m: paths[c] for c, m in values.items()}


def _table_totals(named_total: list[bool]) -> set[int]:
    """Which lines naming a total are the table's 合计: the first or last line's, where one of them is;
    a 测算合计 / 核对合计 among the lines is a working line (often hidden), no second 合计 of the table."""
    named = {index for index, is_total in enumerate(named_total) if is_total}
    ends = named & {0, len(named_total) - 1}
    return ends or named


def _code_columns(paths: dict[int, str]) -> list[int]:
    """The columns holding 科目编码, by their own heading: one test for the classified and
    the blocks readers and for the choice between them."""
    return sorted(c for c, p in paths.items() if _is_code_heading(p.split("/")[-1]))


def _is_code_heading(heading: str) -> bool:
    """'科目编码' or '类/款/项' cells hold codes; '科目编码及名称' holds code and name together, and
    '单位编码' a 单位's code (a table by 单位), no 科目."""
    return ("编码" in heading and "名称" not in heading and not heading.startswith("单位")) or heading in ("类", "款", "项")


def _code_of(view: SheetView, r: int, code_cols: list[int], label_col: int,
             parts_seen: list[str]) -> tuple[str | None, list[str]]:
    """The full 科目编码 of a row: one cell, split 类|款|项 cells (款/项 holding only
    their 2-digit suffix, blank parents inherited from the rows above, or the whole code in
    its level's column), or a code that prefixes the name."""
    if not code_cols:
        match = _CODE_AND_NAME.match(normalize(_label(view, r, label_col)))
        return (match.group(1) if match else None), parts_seen
    if len(code_cols) == 1:
        code = _code_text(view.raw(r, code_cols[0]))
        return (code if _CODE_ONLY.match(code) else None), parts_seen
    parts = [_code_text(view.raw(r, c)) for c in code_cols]
    # A split part stored as a number lost its leading zero (款 02 printed as 2): pad it to its level's width.
    parts = [part.zfill(3 if index == 0 else 2) if part.isdigit() and len(part) < (3 if index == 0 else 2) else part
             for index, part in enumerate(parts)]
    if not any(p.isdigit() for p in parts):
        return None, parts_seen
    deepest = max(i for i, p in enumerate(parts) if p.isdigit())
    if deepest and len(parts[deepest]) == 3 + 2 * deepest:
        # The whole code printed in its level's column (208 | 20805 | 2080505), not its suffix.
        code = parts[deepest]
        return (code if _CODE_ONLY.match(code) else None), [code[:3], *(code[i:i + 2] for i in range(3, len(code), 2))]
    filled = []
    for index, part in enumerate(parts):
        if part.isdigit():
            filled.append(part)
        elif any(p.isdigit() for p in parts[index + 1:]) and index < len(parts_seen):
            filled.append(parts_seen[index])
        else:
            break
    code = "".join(filled)
    return (code if _CODE_ONLY.match(code) else None), filled


def _code_text(raw: object) -> str:
    """A code cell's digits as printed; a code stored as a number keeps its digits (30101.0 -> '30101')."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(int(raw))
    return normalize(raw)


def _blocks(view: SheetView, region: Region, file: str) -> tuple[list[Row], dict[str, str]]:
    """Side-by-side 'code | name | amount' blocks (人员经费 | 公用经费); the footer
    '人员经费合计 | 公用经费合计' becomes keyed lines. A footer label merged across blocks
    is the last one's: its value is right of the merge, not in the blocks it passes over."""
    paths = region.header_paths
    code_cols = _code_columns(paths)
    starts = [c for c in code_cols if c - 1 not in code_cols]
    bounds = starts + [max(paths) + 1]
    span_ends = {(r0, c0): c1 for r0, c0, _, c1 in view.grid.merged}
    figures = _Figures(file, view)
    drafts = []
    for index, start in enumerate(starts):
        block = [c for c in sorted(paths) if start <= c < bounds[index + 1]]
        codes = [c for c in block if c in code_cols]
        name_col = next((c for c in block if "名称" in paths[c]), codes[-1])
        # the block's figures, not its line numbers (行次 within each block of an internal 财决 export)
        value_col = next((c for c in block if c not in codes and c != name_col
                          and not any(word in paths[c] for word in _NOT_A_FIGURE)), None)
        if value_col is None:
            continue
        parts_seen: list[str] = []
        for r in region.body_rows:
            code, parts_seen = _code_of(view, r, codes, name_col, parts_seen)
            label_col = name_col if _label(view, r, name_col) else codes[0]
            label = _label(view, r, label_col)
            if code is None and not label:
                continue
            if code is None and index + 1 < len(starts) \
                    and _span_end(view, span_ends, r, label_col) >= bounds[index + 1]:
                continue  # a footer label merged on into a later block: its value is that block's
            key = _footer_key(normalize(label)) if code is None else None
            slot = figures.add("amount", view.raw(r, value_col), view.address(r, value_col))
            drafts.append((label, code, key, slot, _ref(view, file, r, codes[0])))
    cells = figures.cells()
    rows = [Row(label=label, values={"amount": cells[slot]}, label_ref=ref, code=code, key=key)
            for label, code, key, slot, ref in drafts]
    value_path = next((p for c, p in paths.items() if c not in code_cols and "名称" not in p), "决算数")
    return rows, {"amount": value_path}


def _span_end(view: SheetView, span_ends: dict[tuple[int, int], int], r: int, c: int) -> int:
    """The last column of the merged range holding (r, c); c itself when not merged."""
    return span_ends.get(view.owner.get((r, c), (r, c)), c)


_SUBTOTAL_KEYS = ("personnel_total", "public_total")


def _footer_key(label: str) -> str | None:
    if "人员经费" in label:
        return "personnel_total"
    if "公用经费" in label:
        return "public_total"
    return "total" if "合计" in label else None


def _single_row(view: SheetView, region: Region, file: str) -> tuple[list[Row], dict[str, str]]:
    """The "三公" table as rows of "item.stage" values (出国, 公务用车 … at 预算数 / 决算数),
    whether it is printed across (an item and stage per column) or vertically (an item
    per row, a stage per column). The first row is the department's; a table printed by
    单位 adds a row for each 单位."""
    read = _items_down if region.labelled else _items_across
    lines, columns = read(view, region, file)
    rows = []
    for label, values, label_ref in lines:
        for stage in ("budget", "final"):
            values = _unstated(values, f"total.{stage}",
                               (f"{item}.{stage}" for item in ("abroad", "car_total", "car_purchase", "car_operation",
                                                               "reception")))
            values = _unstated(values, f"car_total.{stage}", (f"car_purchase.{stage}", f"car_operation.{stage}"))
        rows.append(Row(label=label, values=values, label_ref=label_ref))
    return rows, columns


class _ThreePublicLine(NamedTuple):
    """One row of "三公" figures: the department's (labelled by the table's title) or one 单位's."""

    label: str
    values: dict[str, Cell]
    label_ref: CellRef


_ThreePublic = tuple[list[_ThreePublicLine], dict[str, str]]


def _items_across(view: SheetView, region: Region, file: str) -> _ThreePublic:
    """Each column an item at a stage. One body row holds the department's figures; a table
    by 单位 (单位编码 | 单位名称 | 合计 | 因公出国（境）费 …) holds a row per 单位 and a 合计
    row, which is the department's wherever it stands, the 单位 rows following it as its
    breakdown. Without a 合计 row, several 单位 rows leave the department's figures unstated
    (unknown, never the first 单位's). A budget table without that split is all 预算数. Groups of
    last year's figures, of the change or rate (上年预算数 | 本年预算数 | 增减), and of a year other
    than the table's (the latest named where the table names none) are not its figures."""
    items = {c: path for c, path in region.header_paths.items() if three_public_item(path)}
    named_years = {year_in(path) for path in items.values()} - {None}
    year = region.year or year_in_name(file) or max(named_years, default=None)
    columns = {c: f"{three_public_item(path)}.{_stage_of(path)}" for c, path in _this_years(items, year).items()}
    first_figure = min(columns)
    filled = [r for r in region.body_rows if any(view.raw(r, c) not in (None, "") for c in columns)]
    labels = {r: _unit_label(view, r, first_figure) for r in filled}
    total = next((r for r in filled if _names_total(labels[r])), None)
    unstated = total is None and len(filled) > 1 and all(labels[r] for r in filled)
    if unstated:
        rows = filled
    elif total is None:
        rows = [filled[0] if filled else min(region.body_start, view.height - 1)]
    else:
        rows = [total] + [r for r in filled if r != total]
    figures = _Figures(file, view)
    slots = [{m: figures.add(m, view.raw(r, c), view.address(r, c)) for c, m in columns.items()} for r in rows]
    cells = figures.cells()
    lines = [_ThreePublicLine(labels[r] if index or unstated else region.title,
                              {m: cells[i] for m, i in row_slots.items()},
                              CellRef(file, view.grid.name, view.a1(r, first_figure)))
             for index, (r, row_slots) in enumerate(zip(rows, slots))]
    if unstated:
        first = rows[0]
        lines.insert(0, _ThreePublicLine(region.title, {m: Cell(None, CellRef(file, view.grid.name, view.address(first, c)),
                                                                  unstated=True) for c, m in columns.items()},
                                         CellRef(file, view.grid.name, view.a1(first, first_figure))))
    return lines, {m: region.header_paths[c] for c, m in columns.items()}


def _unit_label(view: SheetView, r: int, first_figure: int) -> str:
    """The texts left of a row's figures, as printed: a 单位's code and name, or 合计."""
    return " ".join(dict.fromkeys(t for c in range(first_figure) if (t := _label(view, r, c))))


def _names_total(label: str) -> bool:
    return names_total(normalize(label))


# A money line of a vertical "三公" table; the counts printed among them (团组数, 人次, 保有量 …) are not.
# Its label ends in 费, or in a car line's words without it (（1）公务用车购置, （2）公务用车运行维护).
_MONEY_LINE = re.compile(r"(?:费|费用|合计|小计|购置|运行|运行维护)(?:支出)?$")


def _items_down(view: SheetView, region: Region, file: str) -> _ThreePublic:
    """An item per row (labelled '一、因公出国（境）费', '其中：公务用车购置费' …), a stage per column."""
    stages = _stage_columns(region.header_paths)
    if not stages:
        return [], {}
    # The label column is left of the figures: the one naming most items (a 序号 column names none).
    labels = ((c, [(r, item) for r in region.body_rows if (item := _item_of(view, r, c))])
              for c in range(min(stages)))
    label_col, rows = max(labels, key=lambda column: len(column[1]), default=(0, []))
    figures = _Figures(file, view)
    slots, columns, seen = {}, {}, set()
    for r, item in rows:
        if item in seen:
            continue
        seen.add(item)
        for c, stage in stages.items():
            slots[f"{item}.{stage}"] = figures.add(stage, view.raw(r, c), view.address(r, c))
            name = core_label(normalize(_label(view, r, label_col)))
            columns[f"{item}.{stage}"] = f"{name}/{region.header_paths[c]}"
    if not slots:
        return [], {}
    cells = figures.cells()
    return [_ThreePublicLine(region.title, {m: cells[i] for m, i in slots.items()},
                             _ref(view, file, rows[0][0], label_col))], columns


def _item_of(view: SheetView, r: int, c: int) -> str | None:
    core = core_label(normalize(_label(view, r, c)))
    return three_public_item(core) if _MONEY_LINE.search(core) else None


def _repeated_in_groups(paths: dict[int, str], named: dict[int, str | None]) -> dict[int, str]:
    """A measure printed under each of several group headings that name no measure of their own
    (本年收入安排 {基本支出 | 项目支出} | 上年结转安排 {基本支出 | 项目支出}, or 一般公共预算 {基本支出 |
    项目支出} | 政府性基金 {项目支出}) is a different figure in each group, not one figure printed twice.
    Every column under such a group is named ``measure@heading``: no group's share stands for the
    whole measure, and how the groups make up the row's 合计 is left unknown. A group headed 其中 is a
    part of the others; where just one group is left besides those, its columns keep their measures
    (本年支出 {基本支出 | …} beside 其中：财政拨款 {基本支出 | …})."""
    heading_of = {c: p.rsplit("/", 1)[0].rsplit("/", 1)[-1] for c, p in paths.items() if "/" in p}
    under: dict[str, list[int]] = {}
    for c, m in named.items():
        if m and m != "total":
            under.setdefault(m, []).append(c)
    split: set[str] = set()  # group headings a measure is split across
    for measure, columns in under.items():
        headings = [heading_of.get(c, "") for c in columns]
        if len(columns) < 2 or "" in headings or len(set(headings)) < len(headings):
            continue
        whole = [heading for heading in headings if not heading.startswith("其中")]
        split.update(heading for heading in headings if len(whole) != 1 or heading not in whole)
    return {c: f"{m}@{heading_of[c]}" for c, m in named.items()
            if m and m != "total" and heading_of.get(c) in split}


def _beside_the_figures(path: str) -> bool:
    """A column of last year's figures, of the change, or of a rate or share (完成率, 占比)."""
    return bool(_OTHER_PERIOD.search(path)) or "率" in path or any(token in path for token in SHARE_TOKENS)


def _stage_columns(paths: dict[int, str]) -> dict[int, str]:
    """A vertical "三公" table's figure column of each stage: the one naming 预算/决算 (the
    latest year where several do); a lone amount column naming neither is the 预算数."""
    named = [(c, _stage_of(path), year_in(path) or 0) for c, path in sorted(paths.items())
             if ("预算" in path or "决算" in path) and not _beside_the_figures(path)]
    if not named:
        amounts = [c for c, path in paths.items() if any(token in path for token in AMOUNT_TOKENS)]
        return {amounts[0]: "budget"} if len(amounts) == 1 else {}
    chosen: dict[str, tuple[int, int]] = {}
    for c, stage, year in named:
        if stage not in chosen or year > chosen[stage][1]:
            chosen[stage] = (c, year)
    return {c: stage for stage, (c, _) in sorted(chosen.items(), key=lambda item: item[1][0])}


def _stage_of(path: str) -> str:
    """The deepest 预算/决算 word in the path: '决算数/合计' and '合计/决算数' are both final."""
    for level in reversed(path.split("/")):
        if "决算" in level:
            return "final"
        if "预算" in level:
            return "budget"
    return "budget"


def _shares(view: SheetView, region: Region, file: str) -> tuple[list[Row], dict[str, str]]:
    paths = region.header_paths
    year = _sheet_year(paths, region.year or year_in_name(file))
    pairs = _share_pairs(region.spec, paths, year)
    this_year = [pair for pair in pairs if not _of_last_year(paths[pair[0]], year)]
    # This year's amounts where a sheet also prints last year's (上年金额 | 本年金额 | 占比, or a group per year).
    chosen = next((pair for pair in this_year if year is not None and year_in(paths[pair[0]]) == year),
                  next((pair for pair in this_year if "本年" in paths[pair[0]]), this_year[0] if this_year else None))
    if chosen is None:
        return [], {}
    amount_col, share_col = chosen
    shares = {s for _, s in pairs}
    # The label column is often left without a heading: the first other column of the sheet that
    # heads no figures and no numbering (序号).
    label_col = next((c for c in range(view.width) if c not in (share_col, amount_col)
                      and not _heads_no_label(region.spec, paths.get(c, ""))), None)
    if label_col is None:
        return [], {}
    # Last year's amount (and its share, where it has one), the change and its rate beside this year's (与上年对比):
    # BK106/BK107 and BK301–BK303 hold them.
    beside = _year_on_year({c: p for c, p in paths.items() if c not in (*shares, amount_col, label_col)}, year)
    last_year = [pair for pair in pairs if pair not in this_year]
    if len(last_year) == 1:
        beside = {c: m for c, m in beside.items() if m != "previous"}
        beside.update({last_year[0][0]: "previous", last_year[0][1]: "previous_share"})
    figures = _Figures(file, view)
    drafts: list[_ShareLine] = []
    parent = None
    for r, label in _sheet_lines(view, region, label_col):
        slots = {"amount": figures.add("amount", view.raw(r, amount_col), view.address(r, amount_col)),
                 "share": figures.add("share", view.raw(r, share_col), view.address(r, share_col)),
                 **{m: figures.add(m, view.raw(r, c), view.address(r, c)) for c, m in beside.items()}}
        is_total = _names_total(label) or _SUBTOTAL in label
        detail = not is_total and parent is not None and _details(normalize(label), normalize(parent),
                                                                  after_detail=drafts[-1].parent is not None)
        if not detail:
            parent = None if is_total else label
        drafts.append(_ShareLine(label, is_total, slots, _ref(view, file, r, label_col), parent if detail else None,
                                 figures.readings[slots["amount"]]))
    drafts = _share_structure(drafts)
    lines = [(figures.readings[d.slots["amount"]], figures.readings[d.slots["share"]]) for d in drafts]
    whole = next((d.amount.value for d in drafts if d.is_total and d.key is None), None)
    cells = figures.cells(set(_SHARE_MEASURES) if _holds_percent_numbers(lines, whole) else set())
    side = _side_named(paths.get(label_col, "")) or _side_named(region.title)
    rows = [Row(label=d.label, values={m: cells[i] for m, i in d.slots.items()}, label_ref=d.ref,
                key=d.key, is_total=d.is_total and d.key is None, side=side,
                code=subjects.class_code(core_label(normalize(d.label))), parent_key=d.parent)
            for d in drafts]
    return rows, {"amount": paths[amount_col], "share": paths[share_col], **{m: paths[c] for c, m in beside.items()}}


def _sheet_lines(view: SheetView, region: Region, label_col: int) -> Iterator[tuple[int, str]]:
    """A staff sheet's lines, (row, label): a blank row between groups of lines does not end the table;
    words under a blank row are a note, not a line."""
    spaced = seen = False
    for r in region.body_rows:
        label = _label(view, r, label_col)
        if not label:
            spaced = seen
            continue
        if spaced and not view.has_figure(r):
            return
        seen = True
        yield r, label


_SUBTOTAL = "小计"


class _ShareLine(NamedTuple):
    label: str
    is_total: bool  # names a 合计, 总计 or 小计
    slots: dict[str, int]
    ref: CellRef
    parent: str | None
    amount: _Reading
    key: str | None = None  # SUBTOTAL_KEY… for a subtotal


def _share_structure(drafts: list[_ShareLine]) -> list[_ShareLine]:
    """Which total line is the table's whole and which are subtotals, and the lines each subtotal sums.

    Staff sheets print subtotals among the lines (财政拨款小计, 非财政拨款合计; 本年收入合计 above
    年初结转和结余 and 收入总计): the whole is a 合计 heading the table, else the last line naming a 总计,
    else the last naming a 合计; every other total line is a subtotal of the fewest lines next to it, above
    it or else below it (printed over its lines), that add up to it within their rounding. A subtotal no
    run of lines adds up to sums lines that cannot be told: it is no line of the whole and is not checked.
    Then, where lines numbered 一、二、 are followed by unnumbered ones and only reading those as their
    details makes the lines add up to the whole, they are (an indent that calamine cannot see)."""
    totals = [i for i, d in enumerate(drafts) if d.is_total]
    if not totals:
        return drafts
    named_grand = [i for i in totals if _SUBTOTAL not in drafts[i].label]
    first_line = next((i for i, d in enumerate(drafts) if not d.is_total), len(drafts))
    heading = next((i for i in named_grand if i < first_line), None)
    grand = heading if heading is not None else next(
        (i for i in reversed(named_grand) if "总计" in drafts[i].label), named_grand[-1] if named_grand else None)
    drafts = list(drafts)
    since, over_lines = 0, False  # where the lines after the last subtotal start; whether subtotals head their lines
    for s in (i for i in totals if i != grand):
        key = f"{SUBTOTAL_KEY}{drafts[s].ref.cell}"
        above = [j for j in range(s - 1, -1, -1) if _top(drafts[j])]
        below = [j for j in takewhile(lambda j: not drafts[j].is_total, range(s + 1, len(drafts))) if _top(drafts[j])]
        run = _adding_up(drafts, s, above)
        if not run and (run := _adding_up(drafts, s, below)):
            over_lines = True
        if not run and not over_lines:
            run = [j for j in above if j >= since]  # a subtotal under its lines that is off them: held to them
        drafts[s] = drafts[s]._replace(key=key, parent=None if run else _UNTOLD)
        for j in run:
            drafts[j] = drafts[j]._replace(parent=key)
        since = s + 1
    return _indented_details(drafts, grand)


# The parent of a subtotal no run of lines next to it adds up to: it stands for lines that cannot be told.
_UNTOLD = "untold"


def _top(draft: _ShareLine) -> bool:
    return draft.parent is None and not (draft.is_total and draft.key is None)


def _adding_up(drafts: list[_ShareLine], s: int, lines: list[int]) -> list[int]:
    """The fewest of ``lines`` (nearest first) that add up to line ``s`` within their rounding, or none."""
    target = drafts[s].amount
    if target.value is None:
        return []
    return next((lines[:n] for n in range(1, len(lines) + 1) if drafts[lines[n - 1]].amount.value is not None
                 and _adds_up_to(target, (drafts[j].amount for j in lines[:n]))), [])


def _adds_up(drafts: list[_ShareLine], grand: int | None) -> bool:
    return grand is None or drafts[grand].amount.value is None or \
        _adds_up_to(drafts[grand].amount, (d.amount for d in drafts if _top(d)))


def _indented_details(drafts: list[_ShareLine], grand: int | None) -> list[_ShareLine]:
    if _adds_up(drafts, grand):
        return drafts
    indented, numbered = list(drafts), None
    for i, draft in enumerate(drafts):
        if draft.is_total:
            numbered = None
        elif draft.parent is None and numbering_level(normalize(draft.label)) is not None:
            numbered = i
        elif draft.parent is None and numbered is not None:
            indented[i] = draft._replace(parent=drafts[numbered].label)
    return indented if _adds_up(indented, grand) else drafts


def _rates(view: SheetView, region: Region, file: str) -> tuple[list[Row], dict[str, str]]:
    """A staff sheet of budget execution: label | 预算数 | 执行数（决算数） | 执行率 (a fraction shown as a
    percentage, or a percentage number, by which fits the figures), lines down to the first words
    under a blank row."""
    paths = region.header_paths
    named = {measure: next((c for c, p in sorted(paths.items()) if any(t in p.rsplit("/", 1)[-1] for t in tokens)
                            and not _OTHER_PERIOD.search(p)), None)
             for measure, tokens in region.spec.measures if measure in ("rate", "actual")}
    rate, actual = named["rate"], named["actual"]
    budgets = [c for c, p in sorted(paths.items()) if c not in (rate, actual) and "预算" in p.rsplit("/", 1)[-1]
               and not _OTHER_PERIOD.search(p)]
    if rate is None or actual is None or rate == actual or not budgets:
        return [], {}
    # 年初预算数 | 调整预算数 | 决算数 | 执行率: the budget the rates are worked out against
    budget = min(budgets, key=lambda c: _misfit(view, region, actual, c, rate))
    columns = {"budget": budget, "actual": actual, "rate": rate}
    label_col = next((c for c in range(view.width) if c not in columns.values()
                      and not _heads_no_label(region.spec, paths.get(c, ""))), None)
    if label_col is None:
        return [], {}
    figures = _Figures(file, view)
    drafts = []
    for r, label in _sheet_lines(view, region, label_col):
        slots = {m: figures.add(m, view.raw(r, c), view.address(r, c)) for m, c in columns.items()}
        drafts.append((label, slots, _ref(view, file, r, label_col)))
    pairs = [(_ratio(figures.readings[d[1]["actual"]], figures.readings[d[1]["budget"]]), figures.readings[d[1]["rate"]])
             for d in drafts]
    cells = figures.cells({"rate"} if _holds_percent_numbers(pairs, Decimal(1)) else set())
    rows = [Row(label=label, values={m: cells[i] for m, i in slots.items()}, label_ref=ref,
                is_total=_names_total(label), code=subjects.class_code(core_label(normalize(label))))
            for label, slots, ref in drafts]
    return rows, {m: paths[c] for m, c in columns.items()}


# The ratios a sheet prints as fractions of one (a share, an execution rate), shown as percentages.
_SHARE_MEASURES = ("share", "previous_share")
_FRACTIONS = frozenset((*_SHARE_MEASURES, "rate"))


def _misfit(view: SheetView, region: Region, actual: int, budget: int, rate: int) -> Decimal:
    """How far a column's rates are from actual ÷ budget, row by row (as a fraction or a percentage number)."""
    misfit = Decimal(0)
    for r in region.body_rows:
        figures = [_reading(view.raw(r, c)).value for c in (actual, budget, rate)]
        if None not in figures and figures[1]:
            spent, planned, stated = figures
            misfit += min(abs(stated - spent / planned), abs(stated - 100 * spent / planned))
    return misfit


def _ratio(actual: _Reading, budget: _Reading) -> _Reading:
    """actual ÷ budget as a reading (no figure where either is missing or the budget is nil), for
    telling fractions from percentage numbers as a share is told by its amount."""
    if actual.value is None or not budget.value:
        return _Reading(None, 0, None, False)
    return _Reading(actual.value / budget.value, 0, None, False)


# Share headings by how surely they name a share: a word first, then a bare "%" ("比例（%）").
_SHARE_WORDS = tuple(token for token in SHARE_TOKENS if token != "%")
_NUMBERING = ("序号", "行次", "栏次", "编号")


def _details(label: str, parent: str, after_detail: bool) -> bool:
    """Whether a line of a 构成表 details the line it follows (its amount is inside that line's,
    so counted once in the whole): a 其中 line, a line numbered a level below, and where the
    lines are numbered, an unnumbered line after a detail line ('其中：一般公共预算拨款' then
    '政府性基金预算拨款')."""
    level, parent_level = numbering_level(label), numbering_level(parent)
    if label.startswith("其中"):
        return True
    if level is None:
        return after_detail and parent_level is not None
    return parent_level is not None and level > parent_level


def _side_named(text: str) -> Side | None:
    """The side a heading names: '收入项目', '支出构成'; neither where it names both ('收入支出构成')."""
    income, spending = "收入" in text, "支出" in text
    return None if income == spending else Side.INCOME if income else Side.EXPENDITURE


# A rate of change or of completion, never a share ('增减率（%）', '完成率', '完成预算比例', '执行进度（%）'); a 比率
# is one, and so is '占执行数比重'.
_RATE_OF_CHANGE = re.compile(r"(?:增减|增长|变动|下降|降低|完成|执行)率|执行进度|完成(?:预算)?(?:的)?比例")


def _sheet_year(paths: dict[int, str], own: int | None) -> int | None:
    """The year of a staff sheet's figures: its title's (or file's), unless its headings name years and not
    that one (2023年决算 | 2024年决算 in a workbook named for the 2025 budget): then the latest they name."""
    named = {year for path in paths.values() if (year := year_in(path)) is not None}
    return max(named) if named and own not in named else own


def _share_pairs(spec: KindSpec, paths: dict[int, str], year: int | None) -> list[tuple[int, int]]:
    """Each 占比 column with the amount column it is the share of: among the amount columns left of it (past any
    share column before it), the nearest of its own year (金额 | 占比 under one heading, 2023年决算数 | 占比 |
    2024年决算数 | 占比 in one row, 本年金额 | 上年金额 | 占比), else the nearest; where none is left of it, the
    first after it. Never a rate of change or completion ('增减率（%）', '完成预算比例')."""
    named = [c for c, p in sorted(paths.items()) if not _CHANGE_WORDS.search(p) and not _RATE_OF_CHANGE.search(p)]
    shares = [c for c in named if any(t in paths[c] for t in _SHARE_WORDS)] or [c for c in named if "%" in paths[c]]
    amounts = [c for c, p in sorted(paths.items())
               if c not in shares and not _beside_the_figures(p) and measure_for(spec, p)]
    pairs = []
    for before, share, after in zip([-1, *shares], shares, [*shares[1:], max(paths) + 1]):
        left = [c for c in amounts if before < c < share]
        own = [c for c in left if _of_last_year(paths[c], year) == _of_last_year(paths[share], year)]
        # a share printed before its amount (项目 | 占比 | 金额): the amount after it
        beside = (own or left)[-1:] or [c for c in amounts if share < c < after][:1]
        pairs.extend((amount, share) for amount in beside)
    return pairs


def _heads_no_label(spec: KindSpec, path: str) -> bool:
    """A heading over figures or over line numbers, not over the lines' names."""
    return any(word in path for word in _NUMBERING) or _beside_the_figures(path) or bool(measure_for(spec, path))



# Above this, a share is no fraction (one of fractions rounded to add up to 1 may print 1.0001).
_FRACTION_AT_MOST = Decimal("1.5")


def _holds_percent_numbers(lines: list[tuple[_Reading, _Reading]], whole: Decimal | None) -> bool:
    """Whether a share column holds percentage numbers (12.5 for 12.5%) rather than fractions
    (0.125, shown as 12.5% by its number format): whichever reading puts the shares nearer
    their amounts' part of the whole (the 合计 row's amount, or the lines' sum). A share
    typed with its own % sign is a fraction either way. Without amounts to go by, only a
    share well above 1 is a percentage number."""
    pairs = [(amount.value, share.value) for amount, share in lines
             if share.value is not None and not share.percent_text]
    known = [(amount, share) for amount, share in pairs if amount is not None]
    if whole is None:
        whole = sum(amount for amount, _ in known)
    if known and whole:
        as_fractions = sum(abs(share - amount / whole) for amount, share in known)
        as_percent = sum(abs(share - 100 * amount / whole) for amount, share in known)
        return as_percent < as_fractions
    return any(abs(share) > _FRACTION_AT_MOST for _, share in pairs)


def joined_continuations(tables: list[Table]) -> list[Table]:
    """A table titled as continued ('支出决算表（续）', or a repeated header with no title)
    is the rest of the nearest table of its kind before it in the workbook: one table. So is
    one printed again under the same title on the next sheet (see ``_reprinted``)."""
    joined: list[Table] = []
    for table in tables:
        place = next((i for i in range(len(joined) - 1, -1, -1) if joined[i].kind == table.kind), None)
        if place is not None and (CONTINUED.search(normalize(table.title)) or _reprinted(joined[place], table, joined)):
            head = joined[place]
            joined[place] = replace(head, rows=head.rows + table.rows, notes=head.notes + table.notes)
        else:
            joined.append(table)
    return joined


def _reprinted(head: Table, table: Table, read: list[Table]) -> bool:
    """Whether ``table`` is the rest of ``head`` printed under its title again, as Excel's print
    titles repeat the title rows and header on every page: ``head`` is the last table read, on
    another sheet, ends with no 注 (a table that does is whole), has the same title, 部门 and
    columns, no line (code or 总表 line) is on both pages, and only one page prints the 合计."""
    return (head is read[-1] and head.sheet != table.sheet and not head.notes and head.title == table.title
            and head.department == table.department and head.columns == table.columns
            and not ({r.code or r.key for r in head.rows} & {r.code or r.key for r in table.rows}) - {None}
            and not (head.total_row() and table.total_row()))
