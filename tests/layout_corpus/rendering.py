"""Lay the blocks out on sheets and files, and print their figures.

Above each block go its title lines (an optional "公开01表" code line, the title, the
部门 line with the unit on the right), below it its notes; blocks sit one per sheet
or three to a sheet, one under the other or side by side. Each figure is printed from 分 in the table's unit, rounded half
up to two decimals on its own, as published tables are; its cell carries the rendering's number format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from layout_corpus.accounts import DEPARTMENT, Accounts, accounts_for, in_whole_wan
from layout_corpus.tables import Block, Figure, render_tables, table_order
from layout_corpus.traits import Traits

FEN_PER_UNIT = {"元": 100, "千元": 100_000, "万元": 1_000_000}
GAP_BETWEEN_TABLES = 2
NUMBER_FORMATS = {"general": None, "two_decimals": "#,##0.00"}   # None: the cells stay General

Sheet = tuple[list[list[object]], list[str]]   # as tests/workbook_builder.py writes it


@dataclass(frozen=True)
class Expected:
    """The finding a planted error must produce: its rule, at the cell that states the figure."""

    rule: str
    severity: str
    file: str
    sheet: str
    cell: str
    alone: bool = False   # the rendering's only error or warning (a unit slip is one finding)


@dataclass(frozen=True)
class Place:
    """Where a table landed: its sheet, rows (zero-based, title lines to notes) and columns."""

    file: str
    sheet: str
    first: int
    last: int
    left: int = 0
    right: int = 1 << 14


@dataclass
class Rendering:
    traits: Traits
    stage: str
    files: dict[str, dict[str, Sheet]]
    addresses: dict[tuple[str, tuple], tuple[str, str, str]]   # (table, figure key) -> (file, sheet, cell)
    places: dict[str, Place]
    planted: Expected | None = None
    plant: str | None = None

    def table_at(self, file: str, sheet: str, cell: str) -> str | None:
        """The table a cell belongs to (by its place on the sheet)."""
        row, column = _row_of(cell), _column_of(cell)
        for table, place in self.places.items():
            if (place.file, place.sheet) == (file, sheet) and place.first <= row <= place.last \
                    and place.left <= column <= place.right:
                return table
        return None

    def write(self, folder: Path) -> list[Path]:
        from workbook_builder import write_workbook

        number_format = NUMBER_FORMATS[self.traits.number_format]
        return [write_workbook(folder / name, sheets, number_format) for name, sheets in self.files.items()]


def render_blocks(traits: Traits, stage: str, accounts: Accounts | None = None) -> dict[str, Block]:
    accounts = accounts or accounts_for(stage)
    if traits.whole_three_public:
        accounts = replace(accounts, three_public=in_whole_wan(accounts.three_public))
    return render_tables(accounts, traits)


def file_name(stage: str, traits: Traits, year: int | None = None) -> str:
    year = year or accounts_for(stage).year
    stem = f"{DEPARTMENT}{year}年度部门决算" if stage == "决算" else f"{DEPARTMENT}{year}年部门预算"
    return f"{stem}.{traits.file_format}"


def sheet_name(block: Block, stage: str) -> str:
    """Each table's sheet is named by its title (a budget title without its "2025年部门")."""
    return block.title if stage == "决算" else block.title.split("年", 1)[1].removeprefix("部门")


def lay_out(blocks: dict[str, Block], traits: Traits, stage: str, *, names: dict[str, str] | None = None,
            reverse: bool = False, blank_rows_above: int = 0, year: int | None = None) -> tuple[dict, dict, dict]:
    """Files, figure addresses and table places. ``names`` renames sheets, ``reverse``
    reverses their order, ``blank_rows_above`` inserts blank rows above every table;
    ``year`` is the accounts' year when they are not the stage's usual ones."""
    order = table_order(stage, traits)
    chunks = [order[k:k + traits.tables_per_sheet] for k in range(0, len(order), traits.tables_per_sheet)]
    sheets: list[tuple[str, list[str]]] = []
    for index, chunk in enumerate(chunks, start=1):
        default = sheet_name(blocks[chunk[0]], stage) if len(chunk) == 1 else f"Sheet{index}"
        sheets.append((default, list(chunk)))
    if reverse:
        sheets.reverse()
    name = file_name(stage, traits, year)
    printer = _Printer(traits)
    written: dict[str, Sheet] = {}
    addresses: dict[tuple[str, tuple], tuple[str, str, str]] = {}
    places: dict[str, Place] = {}
    across = traits.arrangement == "across"
    for default, chunk in sheets:
        title = (names or {}).get(default, default)
        rows: list[list[object]] = []
        merges: list[str] = []
        left = 0
        for table in chunk:
            grid, grid_merges = _grid(blocks[table], order.index(table) + 1, traits)
            if across:  # beside the one before, an empty column between, the titles on one row
                first = blank_rows_above
            else:
                if rows:
                    rows += [[] for _ in range(GAP_BETWEEN_TABLES)]
                rows += [[] for _ in range(blank_rows_above)]
                first = len(rows)
            rows += [[] for _ in range(first + len(grid) - len(rows))]
            for r, row in enumerate(grid):
                printed = []
                for c, cell in enumerate(row):
                    if isinstance(cell, Figure):
                        addresses[(table, cell.key)] = (name, title,
                                                        f"{get_column_letter(left + c + 1)}{first + r + 1}")
                        cell = printer(cell, blocks[table].print_unit or blocks[table].unit)
                    printed.append(cell)
                line = rows[first + r]
                line += [None] * (left - len(line))
                line[left:] = printed
            merges += [_a1(r0 + first, c0 + left, r1 + first, c1 + left) for r0, c0, r1, c1 in grid_merges]
            width = blocks[table].width
            places[table] = Place(name, title, first, first + len(grid) - 1, left, left + width - 1)
            if across:
                left += width + 1
        written[title] = (rows, merges)
    return {name: written}, addresses, places


def _grid(block: Block, number: int, traits: Traits) -> tuple[list[list[object]], list]:
    width = block.width
    rows: list[list[object]] = []
    merges = []
    if traits.code_line:
        rows.append([None] * (width - 1) + [f"公开{number:02d}表"])
    merges.append((len(rows), 0, len(rows), width - 1))
    rows.append([block.title] + [None] * (width - 1))
    label = "部门：" if "决算" in block.title else "编制部门："
    if width > 2:
        merges.append((len(rows), 0, len(rows), width - 2))
    rows.append([label + DEPARTMENT] + [None] * (width - 2) + [block.unit_text + block.unit])
    top = len(rows)
    rows += [list(row) for row in block.rows]
    merges += [(r0 + top, c0, r1 + top, c1) for r0, c0, r1, c1 in block.merges]
    for note in block.notes:
        merges.append((len(rows), 0, len(rows), width - 1))
        rows.append([note] + [None] * (width - 1))
    return rows, merges


class _Printer:
    """A figure as the sheet shows it: blank or 0.00 for zero, a number or text with separators."""

    def __init__(self, traits: Traits) -> None:
        self.traits = traits

    def __call__(self, figure: Figure, unit: str) -> object:
        if figure.fen == 0 and figure.bump == 0:
            if self.traits.zeros == "blank":
                return None
            value = Decimal("0.00")
        else:
            value = printed(figure.fen, unit) + figure.bump
        return f"{value:,.2f}" if self.traits.text_numbers else float(value)


def printed(fen: int, unit: str) -> Decimal:
    """分 in ``unit``, rounded half up to two decimals."""
    return (Decimal(fen) / FEN_PER_UNIT[unit]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _a1(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"


def _row_of(cell: str) -> int:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) - 1


def _column_of(cell: str) -> int:
    return column_index_from_string("".join(ch for ch in cell if ch.isalpha())) - 1
