"""How a source sheet looks, read from the user's file for its annotated copy: each
cell's number format, font, fill, border and alignment, the column widths and row
heights.

An .xlsx/.xlsm is read with openpyxl, parsing only the sheets asked for; an .xls with
xlrd (``formatting_info=True``), which python-calamine does not offer. Anything else
(.ods, a web page or CSV saved as .xls, an encrypted file, a file changed or gone since
it was read) has no look, and its copy shows the values in budgetkit's plain style.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field
from pathlib import Path

from budgetkit.load.sniff import Format, sniff

log = logging.getLogger("budgetkit")

Look = dict[str, object]  # xlsxwriter format properties


@dataclass
class SheetLook:
    """One sheet's look: ``styles`` holds each distinct cell look once, ``cells`` maps a
    (row, column), 0-based, to its index there; widths in characters, heights in points."""

    styles: list[Look] = field(default_factory=list)
    cells: dict[tuple[int, int], int] = field(default_factory=dict)
    widths: dict[int, tuple[float, bool]] = field(default_factory=dict)   # column -> (width, hidden)
    heights: dict[int, tuple[float, bool]] = field(default_factory=dict)  # row -> (height, hidden)
    default_height: float | None = None


def read_looks(path: Path, sheets: Collection[str]) -> dict[str, SheetLook]:
    """The look of each named sheet of the file; {} when it cannot be read."""
    try:
        with path.open("rb") as handle:
            kind = sniff(handle)
            if kind is Format.OOXML:
                return _xlsx_looks(handle, sheets)
            if kind is Format.XLS:
                return _xls_looks(handle.read(), sheets)
    except Exception:  # a copy without the source's look is still a copy
        log.debug("无法读取 %s 的格式，标注副本按默认格式写出", path, exc_info=True)
    return {}


class _Styles:
    """Distinct looks numbered in order of first use, each computed once per source style."""

    def __init__(self, look: SheetLook, describe: Callable[[object], Look]) -> None:
        self._look, self._describe, self._index = look, describe, {}

    def index(self, key: Hashable, source: object) -> int:
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self._look.styles)
            self._look.styles.append(self._describe(source))
        return found


# --- .xlsx -------------------------------------------------------------------------------

_HORIZONTAL = {"left": "left", "center": "center", "right": "right", "fill": "fill", "justify": "justify",
               "centerContinuous": "center_across", "distributed": "distributed"}
_VERTICAL = {"top": "top", "center": "vcenter", "bottom": "bottom", "justify": "vjustify",
             "distributed": "vdistributed"}
# Border styles in the order xlsxwriter numbers them (1 thin … 13 slantDashDot), as BIFF does.
_BORDERS = ("thin", "medium", "dashed", "dotted", "thick", "double", "hair", "mediumDashed", "dashDot",
            "mediumDashDot", "dashDotDot", "mediumDashDotDot", "slantDashDot")
_SIDES = ("left", "right", "top", "bottom")


def _xlsx_looks(handle, sheets: Collection[str]) -> dict[str, SheetLook]:
    from openpyxl.reader.excel import ExcelReader

    class OnlyTheseSheets(ExcelReader):
        """openpyxl's reader, parsing only the wanted sheets: a disclosure has a dozen."""

        def read_worksheets(self) -> None:
            every = self.parser.find_sheets
            self.parser.find_sheets = lambda: (s for s in every() if s[0].name in sheets)
            super().read_worksheets()

    reader = OnlyTheseSheets(handle, read_only=False, keep_vba=False, data_only=True, keep_links=False)
    reader.read()
    return {ws.title: _xlsx_sheet(ws) for ws in reader.wb.worksheets}


def _xlsx_sheet(ws) -> SheetLook:
    look = SheetLook()
    styles = _Styles(look, _xlsx_cell_look)
    for (row, column), cell in ws._cells.items():
        look.cells[(row - 1, column - 1)] = styles.index(tuple(cell._style), cell)
    for dimension in ws.column_dimensions.values():
        if dimension.width or dimension.hidden:
            for column in range(dimension.min - 1, dimension.max):
                look.widths[column] = (dimension.width, bool(dimension.hidden))
    for row, dimension in ws.row_dimensions.items():
        if dimension.ht is not None or dimension.hidden:
            look.heights[row - 1] = (dimension.ht, bool(dimension.hidden))
    if ws.sheet_format.customHeight:
        look.default_height = ws.sheet_format.defaultRowHeight
    return look


def _xlsx_cell_look(cell) -> Look:
    font, fill, border, alignment = cell.font, cell.fill, cell.border, cell.alignment
    look: Look = {"font_name": font.name, "font_size": font.sz, "bold": bool(font.b), "italic": bool(font.i),
                  "font_strikeout": bool(font.strike), "underline": {"single": 1, "double": 2}.get(font.u, 0),
                  "font_color": _rgb(font.color)}
    if cell.number_format and cell.number_format != "General":
        look["num_format"] = cell.number_format
    if fill is not None and fill.fill_type == "solid":
        look.update(pattern=1, bg_color=_rgb(fill.fgColor))
    for side in _SIDES:
        line = getattr(border, side)
        if line is not None and line.style in _BORDERS:
            look[side] = _BORDERS.index(line.style) + 1
            look[f"{side}_color"] = _rgb(line.color)
    look.update(align=_HORIZONTAL.get(alignment.horizontal), valign=_VERTICAL.get(alignment.vertical),
                text_wrap=bool(alignment.wrap_text), indent=int(alignment.indent or 0),
                rotation=_rotation(int(alignment.text_rotation or 0)))
    return {key: value for key, value in look.items() if value not in (None, False, 0)}


def _rgb(color) -> str | None:
    """An openpyxl colour as #RRGGBB; theme colours (a palette lookup) are left to the default."""
    from openpyxl.styles.colors import COLOR_INDEX

    if color is None:
        return None
    if color.type == "rgb" and isinstance(color.rgb, str) and len(color.rgb) == 8:
        return "#" + color.rgb[2:]
    if color.type == "indexed" and color.indexed < len(COLOR_INDEX) - 2:  # 64, 65: system colours
        return "#" + COLOR_INDEX[color.indexed][2:]
    return None


def _rotation(degrees: int) -> int:
    """OOXML and BIFF say 91–180 for text turned clockwise; xlsxwriter wants −1…−90 (255: stacked)."""
    if degrees == 255:
        return 270
    return -(degrees - 90) if degrees > 90 else degrees


# --- .xls --------------------------------------------------------------------------------

_XLS_HORIZONTAL = {1: "left", 2: "center", 3: "right", 4: "fill", 5: "justify", 6: "center_across",
                   7: "distributed"}
_XLS_VERTICAL = {0: "top", 1: "vcenter", 3: "vjustify", 4: "vdistributed"}  # 2, bottom, is the default
_TWIPS = 20  # per point


def _xls_looks(data: bytes, sheets: Collection[str]) -> dict[str, SheetLook]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    try:
        return {name: _xls_sheet(book, book.sheet_by_name(name)) for name in book.sheet_names() if name in sheets}
    finally:
        book.release_resources()


def _xls_sheet(book, sheet) -> SheetLook:
    look = SheetLook()
    styles = _Styles(look, lambda xf_index: _xls_cell_look(book, book.xf_list[xf_index]))
    for row in range(sheet.nrows):
        for column in range(sheet.row_len(row)):
            xf_index = sheet.cell_xf_index(row, column)
            look.cells[(row, column)] = styles.index(xf_index, xf_index)
    for column, info in sheet.colinfo_map.items():
        look.widths[column] = (info.width / 256, bool(info.hidden))
    for row, info in sheet.rowinfo_map.items():
        look.heights[row] = (info.height / _TWIPS, bool(info.hidden))
    return look


def _xls_cell_look(book, xf) -> Look:
    font = book.font_list[xf.font_index]
    alignment, border, background = xf.alignment, xf.border, xf.background
    number_format = book.format_map[xf.format_key].format_str
    look: Look = {"font_name": font.name, "font_size": font.height / _TWIPS, "bold": bool(font.bold),
                  "italic": bool(font.italic), "font_strikeout": bool(font.struck_out),
                  "underline": {1: 1, 2: 2, 0x21: 33, 0x22: 34}.get(font.underline_type, 0),
                  "font_color": _xls_rgb(book, font.colour_index)}
    if number_format and number_format != "General":
        look["num_format"] = number_format
    if background.fill_pattern == 1:
        look.update(pattern=1, bg_color=_xls_rgb(book, background.pattern_colour_index))
    for side in _SIDES:
        style = getattr(border, f"{side}_line_style")
        if style:
            look[side] = style
            look[f"{side}_color"] = _xls_rgb(book, getattr(border, f"{side}_colour_index"))
    look.update(align=_XLS_HORIZONTAL.get(alignment.hor_align), valign=_XLS_VERTICAL.get(alignment.vert_align),
                text_wrap=bool(alignment.text_wrapped), indent=alignment.indent_level,
                rotation=_rotation(alignment.rotation))
    return {key: value for key, value in look.items() if value not in (None, False, 0)}


def _xls_rgb(book, index: int) -> str | None:
    rgb = book.colour_map.get(index)
    return "#{:02X}{:02X}{:02X}".format(*rgb) if rgb else None
