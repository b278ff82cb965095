"""Write rendered sheets as .xlsx (xlsxwriter) or legacy .xls (xlwt), styled like a
department's own attachment: bold title, bordered header and body (blank cells keep
their border), amounts as numbers with the format #,##0.00, codes as text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import xlsxwriter

from disclosure import Sheet

XLSX_FORMATS = {
    "title": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "plain": {},
    "header": {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True},
    "cell": {"border": 1},
    "amount": {"border": 1, "num_format": "#,##0.00"},
    "note": {"align": "left"},
}
_XLS_BORDER = "borders: left thin, right thin, top thin, bottom thin"
XLS_STYLES = {
    "title": ("font: bold on, height 320; align: horiz center, vert center", None),
    "plain": ("", None),
    "header": (f"font: bold on; align: horiz center, vert center, wrap on; {_XLS_BORDER}", None),
    "cell": (_XLS_BORDER, None),
    "amount": (_XLS_BORDER, "#,##0.00"),
    "note": ("align: horiz left", None),
}
COLUMN_WIDTH = 16


def write_workbook(path: Path, sheets: list[Sheet]) -> None:
    if path.suffix == ".xls":
        _write_xls(path, sheets)
    else:
        _write_xlsx(path, sheets)


def style_of(sheet: Sheet, r: int, value: object) -> str:
    if r == 0:
        return "title"
    if r == 1:
        return "plain"
    if r < sheet.header_end:
        return "header"
    if r < sheet.body_end:
        return "amount" if isinstance(value, float) else "cell"
    return "note"


def _cells(sheet: Sheet):
    """(r, c, value, style) of every cell to write outside merged ranges; blank cells
    inside the table are written too, so they keep their border."""
    covered = {(r, c) for r0, c0, r1, c1 in sheet.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            style = style_of(sheet, r, value)
            if value is not None or style in ("header", "cell"):
                yield r, c, value, style


def _write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    book = xlsxwriter.Workbook(str(path))
    formats = {name: book.add_format(props) for name, props in XLSX_FORMATS.items()}
    for sheet in sheets:
        page = book.add_worksheet(sheet.name)
        page.set_column(0, sheet.width - 1, COLUMN_WIDTH)
        for r0, c0, r1, c1 in sheet.merges:
            value = sheet.rows[r0][c0]
            page.merge_range(r0, c0, r1, c1, "" if value is None else value, formats[style_of(sheet, r0, value)])
        for r, c, value, style in _cells(sheet):
            if value is None:
                page.write_blank(r, c, None, formats[style])
            else:
                page.write(r, c, value, formats[style])
    book.close()


@lru_cache(maxsize=1)
def _xls_styles() -> dict:
    import xlwt

    return {name: xlwt.easyxf(spec, num_format_str=number_format) if number_format else xlwt.easyxf(spec)
            for name, (spec, number_format) in XLS_STYLES.items()}


def _write_xls(path: Path, sheets: list[Sheet]) -> None:
    import xlwt

    styles = _xls_styles()
    book = xlwt.Workbook(encoding="utf-8")
    for sheet in sheets:
        page = book.add_sheet(sheet.name)
        for c in range(sheet.width):
            page.col(c).width = 256 * COLUMN_WIDTH
        for r0, c0, r1, c1 in sheet.merges:
            value = sheet.rows[r0][c0]
            page.write_merge(r0, r1, c0, c1, "" if value is None else value, styles[style_of(sheet, r0, value)])
        for r, c, value, style in _cells(sheet):
            page.write(r, c, "" if value is None else value, styles[style])
    book.save(str(path))
