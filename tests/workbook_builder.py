"""Write small real workbooks for tests: the same rows as .xlsx (openpyxl) or .xls (xlwt)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlwt
from openpyxl.utils import range_boundaries

Sheet = tuple[list[list[object]], list[str]]  # rows, merged ranges like "A1:D1"


def write_workbook(path: Path, sheets: dict[str, Sheet], number_format: str | None = None) -> Path:
    """``number_format``: the format of every number cell ('#,##0.00'); None leaves them General."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xls":
        _write_xls(path, sheets, number_format)
    else:
        _write_xlsx(path, sheets, number_format)
    return path


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _write_xlsx(path: Path, sheets: dict[str, Sheet], number_format: str | None) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if number_format:
            for cell in (cell for line in sheet.iter_rows() for cell in line if _is_number(cell.value)):
                cell.number_format = number_format
        for merge in merges:
            sheet.merge_cells(merge)
    book.save(path)


def _write_xls(path: Path, sheets: dict[str, Sheet], number_format: str | None) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    style = xlwt.easyxf(num_format_str=number_format) if number_format else xlwt.Style.default_style
    for name, (rows, merges) in sheets.items():
        sheet = book.add_sheet(name)
        merged_tails = set()
        for merge in merges:
            c0, r0, c1, r1 = range_boundaries(merge)
            value = rows[r0 - 1][c0 - 1] if c0 - 1 < len(rows[r0 - 1]) else None
            sheet.write_merge(r0 - 1, r1 - 1, c0 - 1, c1 - 1, value)
            merged_tails |= {(r, c) for r in range(r0 - 1, r1) for c in range(c0 - 1, c1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None and (r, c) not in merged_tails:
                    sheet.write(r, c, value, style if _is_number(value) else xlwt.Style.default_style)
    book.save(str(path))
