"""Find the tables on a sheet: title, title block (部门, 单位, year), header band.

Nothing here depends on sheet names, positions or 行次: a table starts at a
title that names a known kind (or, for working sheets, at a header row with an
amount and a share column), and its header band is read off the merged ranges
and the rows that carry header words but no figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from budgetkit.cells import column_name
from budgetkit.load import kinds
from budgetkit.load.kinds import SHARES_SPEC, KindSpec
from budgetkit.text import names_total, normalize, strip_enumeration, year_in
from budgetkit.money import UNIT_WORDS, is_figure
from budgetkit.load.number_formats import NumberFormats
from budgetkit.model import SheetGrid, Unit

HEADER_WORDS = ("项目", "科目", "编码", "名称", "合计", "决算数", "预算数", "金额", "行次", "收入", "支出", "栏次")
NOTE_PREFIX = re.compile(r"^(注|说明|备注|本表|填表说明)")
CODE_PREFIX = re.compile(r"^[\[【]?\d{3}(\d{2}){0,2}(?!\d)")
_UNIT = re.compile(r"单位[:]?(?:人民币)?(万元|千元|亿元|元)|[(](?:人民币)?(万元|千元|亿元|元)[)]")
_DEPARTMENT = re.compile(r"^(?:部门|编制单位|编制部门|单位名称|填报单位|预算单位|部门名称)[:](.+)$")
_TITLE_MAX = 80


@dataclass(frozen=True)
class Region:
    """Where one table sits on a sheet, before its body is parsed."""

    spec: KindSpec
    title: str
    title_row: int
    header_rows: tuple[int, ...]
    body_start: int
    body_end: int
    header_paths: dict[int, str]
    body_rows: tuple[int, ...]
    unit: Unit | None
    department: str | None
    year: int | None
    notes: tuple[str, ...]
    # Whether body rows carry labels: every kind's do but a "三公" table printed across, whose
    # one row of figures is labelled by its columns (decided once, from the header, here).
    labelled: bool = True


class SheetView:
    """A grid with merged ranges expanded for text matching and provenance."""

    def __init__(self, grid: SheetGrid, first_column: int = 0, formats: NumberFormats | None = None) -> None:
        self.grid = grid
        self.first_column = first_column  # of the sheet, for a window on some of its columns
        self.formats = formats  # its workbook's, for figures whose values leave their shown digits in doubt
        self.height = len(grid.cells)
        self.width = max((len(row) for row in grid.cells), default=0)
        # calamine gives "" for every empty cell inside the sheet's range: nothing to normalise there.
        self.text = [[normalize(v) if isinstance(v, str) and v else "" for v in row] + [""] * (self.width - len(row))
                     for row in grid.cells]
        # Every step of finding a table asks whether a row holds a figure: answered once per row.
        self._figure_rows = [_row_has_figure(row) for row in grid.cells]
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in grid.merged:
            rows, columns = range(r0, min(r1, self.height - 1) + 1), range(c0, min(c1, self.width - 1) + 1)
            if not rows or not columns:
                continue
            first, text = (r0, c0), self.text[r0][c0]
            for r in rows:
                row_text = self.text[r]
                for c in columns[1:] if r == r0 else columns:
                    self.owner[(r, c)] = first
                    row_text[c] = text
        self._covered_rows = {r for r, _ in self.owner}  # rows where a range started elsewhere covers a cell
        self._letters = [column_name(first_column + c) for c in range(self.width)]
        self._bottoms: dict[int, int] = {}  # first row of merged ranges -> the last row one of them covers
        for r0, _, r1, _ in grid.merged:
            self._bottoms[r0] = max(r1, self._bottoms.get(r0, r0))
        # Each row's texts, once asked for: the rows above a body are asked about by every step.
        self._texts: dict[int, tuple[str, ...]] = {}

    def raw(self, r: int, c: int) -> object:
        row = self.grid.cells[r]
        return row[c] if c < len(row) else None

    def raws(self, r: int, columns: list[int]) -> list[object]:
        row = self.grid.cells[r]
        length = len(row)
        return [row[c] if c < length else None for c in columns]

    def has_figure(self, r: int) -> bool:
        return self._figure_rows[r]

    def texts(self, r: int) -> tuple[str, ...]:
        """The row's distinct texts in order (a merged cell's text once)."""
        texts = self._texts.get(r)
        if texts is None:
            distinct = dict.fromkeys(self.text[r])
            distinct.pop("", None)
            texts = self._texts[r] = tuple(distinct)
        return texts

    def first_text(self, r: int) -> str:
        """The row's first text, "" for a row without one."""
        return next(filter(None, self.text[r]), "")

    def address(self, r: int, c: int) -> str:
        """The A1 address of the cell (of the merged range's first cell) holding (r, c) on the sheet."""
        if r in self._covered_rows:
            r, c = self.owner.get((r, c), (r, c))
        return self._letters[c] + str(r + 1)

    def addresses(self, r: int, columns: list[int]) -> list[str]:
        """``address`` of row r's cells in ``columns``, made a row at a time."""
        if r in self._covered_rows:
            return [self.address(r, c) for c in columns]
        number, letters = str(r + 1), self._letters
        return [letters[c] + number for c in columns]

    def reach(self, width: int) -> None:
        """Let addresses go as far right as ``width`` columns: a table continued on a sheet
        whose last columns are empty is still read with all of its columns."""
        self._letters += [column_name(self.first_column + c) for c in range(len(self._letters), width)]

    def a1(self, r: int, c: int) -> str:
        """The A1 address of (r, c) on the sheet, whatever range it is merged into."""
        return self._letters[c] + str(r + 1)

    def window(self, start: int, end: int, rows: int) -> SheetView:
        """Columns start … end − 1 of the first ``rows`` rows as a view of their own, addressed as
        on the sheet: one of several tables printed side by side. Merged ranges are cut at its edges."""
        cells = [row[start:end] for row in self.grid.cells[:rows]]
        merged = [(r0, max(c0, start) - start, min(r1, rows - 1), min(c1, end - 1) - start)
                  for r0, c0, r1, c1 in self.grid.merged if c0 < end and c1 >= start and r0 < rows]
        return SheetView(SheetGrid(self.grid.name, cells, merged), self.first_column + start, self.formats)

    def merged_bottom(self, r: int) -> int:
        """The last row a merged range starting on row r covers (a damaged file may
        claim a range beyond the sheet: it is cut at the last row)."""
        return min(self.height - 1, self._bottoms.get(r, r))


_NUMBER_TYPES = frozenset((float, int))


def _row_has_figure(row: list[object]) -> bool:
    """Numbers first, cheaply by type; then text that reads as a figure (an empty cell never does)."""
    if not _NUMBER_TYPES.isdisjoint(map(type, row)):
        return True
    return any(map(is_figure, filter(None, row)))


def side_by_side(view: SheetView, title_rows: Iterable[int]) -> dict[int, list[SheetView]]:
    """Where the sheet prints tables side by side: each of ``title_rows`` (its regions') that
    names two or more tables, each over its own columns with an empty column before the next
    title, with a window on each table's columns and rows (down to the next title row), the
    first from column A. A title row whose second title-like text sits over the first table's
    columns (a note) is no such row: that table stays whole."""
    rows = sorted(set(title_rows))
    found = {}
    for r, below in zip(rows, rows[1:] + [view.height]):
        titles = [t for t in view.texts(r) if _titles_a_table(t)]
        windows = _windows(view, r, below, [view.text[r].index(t) for t in titles])
        if windows:
            found[r] = windows
    return found


def shares_side_by_side(view: SheetView, regions: Iterable[Region]) -> dict[int, tuple[Region, list[SheetView]]]:
    """Working sheets' 构成表 printed side by side under one header row (收入项目 | 金额 | 占比 | |
    支出项目 | 金额 | 占比): by header row, the region read across them all and a window on each
    table's columns, an empty column between each share column and the next."""
    found = {}
    for region in regions:
        if region.spec.kind is not SHARES_SPEC.kind or not region.header_rows:
            continue
        header = region.header_rows[0]
        shares = [c for c, text in enumerate(view.text[header])
                  if text and _share_heading(text) == _SHARE and (c == 0 or view.text[header][c - 1] != text)]
        windows = _windows(view, header, region.body_end, shares)
        if windows:
            found[header] = (region, windows)
    return found


def _windows(view: SheetView, first: int, end: int, anchors: list[int]) -> list[SheetView]:
    """Windows on the columns of tables side by side, each holding one of ``anchors`` (two or
    more columns of row ``first``), split at the last column left empty from ``first`` down to
    ``end`` before each anchor after the first; none where such a column is missing."""
    if len(anchors) < 2:
        return []
    bounds = [0]
    for before, anchor in zip(anchors, anchors[1:]):
        empty = [c for c in range(before + 1, anchor) if _empty_between(view, first, end, c)]
        if not empty:
            return []
        bounds.append(empty[-1] + 1)
    bounds.append(view.width)
    return [view.window(start, stop, end) for start, stop in zip(bounds, bounds[1:])]


def _empty_between(view: SheetView, first: int, end: int, c: int) -> bool:
    return all(view.raw(r, c) in (None, "") for r in range(first, end))


def find_regions(view: SheetView) -> list[Region]:
    anchors = _standard_anchors(view)
    # A working sheet's table counts only above every titled one, and its title is at most
    # _TITLE_REACH rows above its header: no header further down needs looking for.
    below = anchors[0][0] + _TITLE_REACH if anchors else view.height
    anchors += [a for a in _share_anchors(view, min(below, view.height)) if not any(s[0] <= a[0] for s in anchors)]
    anchors.sort(key=lambda a: a[0])
    regions = []
    for index, (row, spec, title, header_start) in enumerate(anchors):
        end = anchors[index + 1][0] if index + 1 < len(anchors) else view.height
        region = _build_region(view, spec, title, row, header_start, end) if spec is not None else None
        if region is not None:
            regions.append(region)
    return regions


def continuation_region(view: SheetView, previous_view: SheetView, previous: Region) -> Region | None:
    """A sheet with no title whose header repeats ``previous``'s header row, or that goes
    straight on with its body: the rest of that table, printed on the next page (its title
    is the table's, marked 续)."""
    if _titled(view, _CONTINUATION_REACH):  # another table's, one budgetkit may not read
        return None
    header = set(previous_view.texts(previous.header_rows[0])) if previous.header_rows else set()
    for r in range(min(view.height, _CONTINUATION_REACH)):
        if len(header) >= 2 and set(view.texts(r)) == header:
            return _build_region(view, previous.spec, f"{previous.title}（续）", r, r, view.height)
        if view.has_figure(r) or _is_data_label(view.first_text(r)):
            return _bare_continuation(view, previous, r)
    return None


_CONTINUATION_REACH = 10  # rows of a sheet searched for the repeated header of a table continued on it
# A title marked as continued ('支出决算表（续）', '…(续表)'), or a mark alone ('续表') above its lines.
CONTINUED = re.compile(r"[(]?续表?[)]?$|[(]续[)]")


def _bare_continuation(view: SheetView, previous: Region, start: int) -> Region | None:
    """The rest of ``previous``'s body with no header of its own (a PDF's next page pasted as a
    sheet), read with ``previous``'s columns. Only when that table stops at the end of its
    sheet without its notes (a table that ends with its 注 is whole), nothing but a 续 mark
    stands above, the first row is a line of a table (a code, 一、, 合计) or has figures, and
    every figure of the sheet sits in one of the table's columns."""
    if previous.notes or any(not CONTINUED.fullmatch(t) for r in range(start) for t in view.texts(r)):
        return None
    columns = previous.header_paths
    if not columns:
        return None
    body_end, statements, notes = _body_end(view, start, view.height)
    if any(c not in columns and is_figure(value) for r in range(start, body_end)
           for c, value in enumerate(view.grid.cells[r])):
        return None
    view.reach(max(columns) + 1)
    return Region(spec=previous.spec, title=f"{previous.title}（续）", title_row=start, header_rows=(),
                  body_start=start, body_end=body_end, header_paths=columns,
                  body_rows=tuple(r for r in range(start, body_end) if r not in statements),
                  unit=previous.unit, department=previous.department, year=previous.year, notes=notes,
                  labelled=previous.labelled)


def _standard_anchors(view: SheetView) -> list[tuple[int, KindSpec | None, str, int | None]]:
    """Each table's title row, its kind and title; a narrower table budgetkit does not read has
    no kind, but ends the table above it all the same."""
    anchors = []
    for r in range(view.height):
        if view.has_figure(r):
            continue
        titles = [text for text in view.texts(r) if _may_title(text)]
        spec, title = next(((spec, text) for text in titles if (spec := kinds.match_title(text)) is not None),
                           (None, None))
        if spec is None:
            title = next((text for text in titles if kinds.names_a_narrower_table(text)), None)
        if title is not None:
            anchors.append((r, spec, title, None))
    return anchors


def _may_title(text: str) -> bool:
    """A note or a long sentence titles no table."""
    return len(text) <= _TITLE_MAX and not NOTE_PREFIX.match(text)


def _titles_a_table(text: str) -> bool:
    """A table's title, whether budgetkit reads that table or not (a narrower one)."""
    return _may_title(text) and (kinds.match_title(text) is not None or kinds.names_a_narrower_table(text))


def _titled(view: SheetView, rows: int) -> bool:
    """Whether a table's title stands in the sheet's first ``rows`` rows."""
    return any(_titles_a_table(text) for r in range(min(rows, view.height)) for text in view.texts(r))


def _share_anchors(view: SheetView, end: int) -> list[tuple[int, KindSpec, str, int | None]]:
    """Working sheets' tables whose header row is above ``end``."""
    anchors = []
    for r in range(end):
        if view.has_figure(r):  # a header row holds no figure: most rows go no further
            continue
        headings = [_share_heading(text) for text in view.texts(r)]
        spec = kinds.RATES_SPEC if _RATE in headings and headings.count(_AMOUNT) >= 2 else \
            kinds.SHARES_SPEC if _SHARE in headings and _AMOUNT in headings else None
        if spec is not None:
            start = r - 1 if r and _groups_columns_below(view, r - 1, r) else r
            title_row, title = _title_above(view, start)
            anchors.append((title_row, spec, title, start))
    return anchors


def _groups_columns_below(view: SheetView, r: int, header: int) -> bool:
    """Whether row r heads groups of the header row's columns (2024年决算 over 金额 | 占比, 2023年决算 over
    金额 | 占比, 增减额 …): two headings or more, none of them a title, unit or 部门 line, one of them over two
    or more columns the header row names as amounts or shares."""
    texts = view.texts(r)
    if len(texts) < 2 or view.has_figure(r) or any(_UNIT.search(t) or _DEPARTMENT.match(t) for t in texts):
        return False
    over = Counter(view.text[r][c] for c in range(view.width)
                   if view.text[r][c] and _share_heading(view.text[header][c]) in (_AMOUNT, _SHARE))
    return any(count >= 2 for count in over.values())  # a heading over a group of them, not a note over one


_SHARE, _AMOUNT, _RATE = "share", "amount", "rate"


@lru_cache(maxsize=1 << 12)  # keyed by a heading's text, which recurs in every workbook
def _share_heading(text: str) -> str | None:
    """Whether a working sheet's heading names an execution rate, a share column, an amount column, or none."""
    if any(token in text for token in kinds.RATE_TOKENS):
        return _RATE
    if any(token in text for token in kinds.SHARE_TOKENS):
        return _SHARE
    return _AMOUNT if any(token in text for token in kinds.AMOUNT_TOKENS) else None


_TITLE_REACH = 3  # rows above a working sheet's header searched for its title


def _title_above(view: SheetView, header_row: int) -> tuple[int, str]:
    for r in range(header_row - 1, max(-1, header_row - _TITLE_REACH - 1), -1):
        texts = view.texts(r)
        if not texts or view.has_figure(r):
            break
        if len(texts) == 1 and not _UNIT.search(texts[0]) and not _DEPARTMENT.match(texts[0]):
            return r, texts[0]
    return header_row, ""


def _build_region(view: SheetView, spec: KindSpec, title: str, start: int,
                  header_start: int | None, end: int) -> Region | None:
    header_start = header_start if header_start is not None else _find_header_start(view, start + 1, end)
    if header_start is None:
        return None
    block = [t for r in range(start, header_start) for t in view.texts(r)] + [title]
    labelled = spec.layout != kinds.Layout.SINGLE_ROW
    header_rows = _header_band(view, header_start, end, labelled)
    paths = _header_paths(view, header_rows)
    if not labelled and not kinds.items_across(paths):
        # A "三公" table printed vertically: its rows are labelled by item after all.
        labelled = True
        header_rows = _header_band(view, header_start, end, labelled)
        paths = _header_paths(view, header_rows)
    body_start = header_rows[-1] + 1
    paths = _absorb_header_continuation(view, body_start, paths)
    body_end, statements, notes = _body_end(view, body_start, end)
    unit = _find_unit(block) or _find_unit(list(paths.values())) or _unit_above(view, start)
    header_texts = {t for r in header_rows for t in view.texts(r)}
    body_rows = tuple(r for r in range(body_start, body_end)
                      if r not in statements and not _repeats_header(view, r, header_texts))
    return Region(
        spec=spec, title=title, title_row=start, header_rows=header_rows,
        body_start=body_start, body_end=body_end, header_paths=paths, body_rows=body_rows,
        unit=unit, department=_find_department(block), year=_find_year(block), notes=notes, labelled=labelled,
    )


def _unit_above(view: SheetView, title_row: int) -> Unit | None:
    """A 单位 printed on one of the two lines over the title ("公开03表 … 单位：万元" as some templates'
    top line), where nothing between them holds a figure or a note."""
    for r in range(title_row - 1, max(-1, title_row - 3), -1):
        texts = view.texts(r)
        if view.has_figure(r) or any(NOTE_PREFIX.match(t) for t in texts):
            return None
        if unit := _find_unit(list(texts)):
            return unit
    return None


def _find_header_start(view: SheetView, start: int, end: int) -> int | None:
    for r in range(start, min(end, start + 10)):
        texts = view.texts(r)
        if view.has_figure(r):
            return None
        if any(_DEPARTMENT.match(t) for t in texts) or (len(texts) == 1 and _UNIT.search(texts[0])):
            continue
        if len(texts) >= 2 and any(map(_has_header_word, texts)):
            return r
    return None


@lru_cache(maxsize=1 << 12)  # keyed by a heading's text, which recurs in every workbook
def _has_header_word(text: str) -> bool:
    return any(word in text for word in HEADER_WORDS)


def _header_band(view: SheetView, start: int, end: int, labelled: bool) -> tuple[int, ...]:
    """Header rows: merged ranges from the first header row, then rows with header
    words and no figures. In a table whose rows have labels, a row starting with a
    data label ('合计', '一、', a code) is body; a "三公" table printed across has no
    label column, so '合计' there is a column heading, unless it is the row's only
    word (an empty table's 合计 row). A note under the header is never header."""
    label_col = next((c for c, t in enumerate(view.text[start]) if t), 0) if labelled else None
    # No header reaches a row of figures, whatever a (damaged) merged range claims.
    before_figures = next((r for r in range(start + 1, end) if view.has_figure(r) and not _is_lanci(view, r)),
                          end) - 1
    last = min(view.merged_bottom(start), before_figures)
    r = last + 1
    while r < end:
        if not _is_header_like(view, r, label_col):
            break
        last = max(r, min(view.merged_bottom(r), before_figures))
        r = last + 1
    return tuple(range(start, last + 1))


def _is_header_like(view: SheetView, r: int, label_col: int | None) -> bool:
    texts = view.texts(r)
    if not texts:
        return False
    if _is_lanci(view, r):
        return True
    if view.has_figure(r) or NOTE_PREFIX.match(texts[0]) or _of_the_table(texts):
        return False
    if label_col is None:
        return not _is_total_line(texts)
    if _is_total_line(texts) and view.text[r].index(texts[0]) < _LABEL_COLUMNS:
        return False  # an empty table's 合计 row, its word under 科目名称 beside the code column
    label = view.text[r][label_col]
    return not (label and _is_data_label(label))


_LABEL_COLUMNS = 4  # a classified table's label columns reach this far at most: 类 | 款 | 项 | 科目名称


def _is_total_line(texts: tuple[str, ...]) -> bool:
    """A 合计 / 总计 row without figures: its label is its only word, the rest blank or dashes."""
    return names_total(texts[0]) and not any(ch.isalpha() for t in texts[1:] for ch in t)


def _is_lanci(view: SheetView, r: int) -> bool:
    """The 栏次 row under a header numbers its columns: '栏次 | | 1 | 2 …', or the bare
    numbers alone (1, 2, 3 … as text or numbers), or formulas such as '1=2+3'; the label
    columns may carry 甲/乙 or 行次 instead of a number."""
    if view.first_text(r).startswith("栏次"):
        return True
    numbers = []
    for value in view.grid.cells[r]:
        if value is None:
            continue
        number = _lanci_text(value) if isinstance(value, str) else _column_number(value)
        if number is None:
            return False
        if number != _PASSED:
            numbers.append(number)
    # One number is a 栏次 row when a column letter says so ('甲 | 1' over a one-column block).
    enough = len(numbers) >= 2 or (len(numbers) == 1 and not _COLUMN_LETTERS.isdisjoint(view.texts(r)))
    return enough and all(b - a == 1 for a, b in zip(numbers, numbers[1:])) and numbers[0] <= 2


_COLUMN_LETTERS = frozenset("甲乙丙丁戊己庚辛壬癸")  # how accounts letter the label columns
_NUMBERING_HEADINGS = {"行次", "项目"}  # the headings a 栏次 row may carry in its label columns
_LANCI_MARKERS = _COLUMN_LETTERS | _NUMBERING_HEADINGS | {"栏次"}
_COLUMN_FORMULA = re.compile(r"^(\d{1,2})(?:=\d{1,2}(?:[+\-]\d{1,2})+)?$")


_PASSED = -1  # a 栏次 row's cell that numbers no column but belongs there: empty, 甲, 行次 …


def _column_number(value: object) -> int | None:
    """A column number: 3 or 3.0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value) if 0 < value < 100 else None
    return None


@lru_cache(maxsize=1 << 12)  # keyed by a cell's text: the labels and codes of body rows recur
def _lanci_text(text: str) -> int | None:
    """A text cell of a 栏次 row: its column number ('3', or the '3=4+5' that states how
    column 3 is built), _PASSED, or None for a text no 栏次 row holds."""
    normal = normalize(text)
    if not text or normal in _LANCI_MARKERS:
        return _PASSED
    match = _COLUMN_FORMULA.match(normal)
    return int(match.group(1)) if match else None


def _is_data_label(label: str) -> bool:
    return bool(CODE_PREFIX.match(label)) or label != strip_enumeration(label) or names_total(label)


def _header_paths(view: SheetView, header_rows: tuple[int, ...]) -> dict[int, str]:
    """Each column's headings, top down. A 栏次 row numbers the columns ('甲 | 乙 | 1 | 2'):
    of it only a 项目 or 行次 heading counts, never a column's number or letter."""
    numbering = {r for r in header_rows if _is_lanci(view, r)}
    paths = {}
    for c in range(view.width):
        levels: list[str] = []
        for r in header_rows:
            t = view.text[r][c]
            if r in numbering and t not in _NUMBERING_HEADINGS:
                continue
            if t and t != "栏次" and not t.isdigit() and (not levels or levels[-1] != t):
                levels.append(t)
        if levels:
            paths[c] = "/".join(levels)
    return paths


def _absorb_header_continuation(view: SheetView, row: int, paths: dict[int, str]) -> dict[int, str]:
    """A first body row that also carries sub-headings in its amount columns (a template
    quirk: '合计 | … | 合计 | 基本支出 | 项目支出') adds those words to the column paths."""
    if row >= view.height or view.has_figure(row):
        return paths
    label_cols = {c for c, p in paths.items() if p.split("/")[-1] in ("项目", "科目名称") or "编码" in p
                  or "名称" in p}
    extra = {c: t for c, t in enumerate(view.text[row])
             if t and c not in label_cols and c in paths and t not in paths[c] and (row, c) not in view.owner}
    if len(extra) < 2:
        return paths
    return {c: (f"{p}/{extra[c]}" if c in extra else p) for c, p in paths.items()}


def _repeats_header(view: SheetView, r: int, header_texts: set[str]) -> bool:
    """A table printed over pages repeats its header (and 栏次 row) above each continuation."""
    if _is_lanci(view, r):
        return True
    if view.has_figure(r):
        return False
    texts = view.texts(r)
    return len(texts) >= 2 and set(texts) <= header_texts


def _body_end(view: SheetView, start: int, end: int) -> tuple[int, frozenset[int], tuple[str, ...]]:
    """Where the body ends: at the first note (注：…, 说明：…); the rows before it that hold a sentence
    about the table without such a word, in a line of their own (本部门无国有资本经营预算拨款收支，本表为空。),
    no line of the table; and the notes, those sentences first."""
    statements: list[int] = []
    body_end, notes = end, ()
    for r in range(start, end):
        if view.has_figure(r):
            continue
        if NOTE_PREFIX.match(view.first_text(r)):
            body_end, notes = r, tuple(t for rr in range(r, end) for t in view.texts(rr))
            break
        if _titles_another_table(view, r, end):
            body_end = r
            break
        if _of_the_table(view.texts(r)):
            statements.append(r)
    return body_end, frozenset(statements), tuple(view.texts(r)[0] for r in statements) + notes


def _titles_another_table(view: SheetView, r: int, end: int) -> bool:
    """Row r titles a table budgetkit does not read, printed under this one on the sheet (政府采购情况表,
    国有资产占用情况表): a title of its own, not this table's continuation, over its own 部门 or 单位 line."""
    texts = view.texts(r)
    if len(texts) != 1 or not texts[0].rstrip("）)").endswith("表") or CONTINUED.search(texts[0]) or r + 1 >= end:
        return False
    below = list(view.texts(r + 1))
    return not view.has_figure(r + 1) and (_find_unit(below) is not None or _find_department(below) is not None)


# What a sentence says of the table it stands in, not a line's name ...
_OF_THE_TABLE = ("本表", "此表", "该表", "空表")
# ... or of the department having nothing to show in it (本单位本年度无国有资本经营预算财政拨款收支。)
_NOTHING_TO_SHOW = re.compile(r"^(?:本|我|该)(?:单位|部门|机关).*(?:无|没有|不涉及|未发生|未安排)")


def _of_the_table(texts: tuple[str, ...]) -> bool:
    """A line holding one sentence about the table itself."""
    return len(texts) == 1 and (any(w in texts[0] for w in _OF_THE_TABLE) or bool(_NOTHING_TO_SHOW.match(texts[0])))



def _find_unit(texts: list[str]) -> Unit | None:
    for text in texts:
        match = _UNIT.search(text)
        if match:
            return UNIT_WORDS[match.group(1) or match.group(2)]
    return None


# Another field printed on the 部门 line after the name: 编制日期：…, 单位：…, 填报人：….
_NEXT_FIELD = re.compile(r"(?:编制日期|填报日期|日期|金额单位|计量单位|单位|填报人|制表人|负责人|联系电话|电话)[:]")


def _find_department(texts: list[str]) -> str | None:
    for text in texts:
        match = _DEPARTMENT.match(text)
        if match:
            return _NEXT_FIELD.split(_UNIT.sub("", match.group(1)), 1)[0].strip() or None
    return None


def _find_year(texts: list[str]) -> int | None:
    return next((year for text in texts if (year := year_in(text))), None)
