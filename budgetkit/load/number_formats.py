"""The decimals a cell's number format shows: the printed digit a figure's rounding is half a unit of.

python-calamine reads values only, and a float does not remember its format: 19.0 under
``#,##0.00`` is printed 19.00, and a formula's 1.2345678 under ``0.00`` is printed 1.23. Where a
table's values alone leave its printed digits in doubt (every figure whole, or one carrying a
formula's fifteen digits), the formats are read from the file: the styles and the sheet's cell tags
of an .xlsx/.xlsm, xlrd for an .xls. That is rare, so they are read when first asked for, once per sheet.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import BinaryIO

from budgetkit.cells import column_name
from budgetkit.load.ooxml import number_format_codes
from budgetkit.load.sniff import Format

log = logging.getLogger("budgetkit")

# Parts of a format code that show no digit: quoted text, an escaped character, [colour] or
# [condition], the space of "_)" and the fill of "*-".
_NO_DIGIT = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DIGIT = re.compile(r"[0#?]")
_DECIMALS = re.compile(r"\.([0#?]*)")


def format_decimals(code: str) -> int | None:
    """The decimals a number format shows a positive number with ('#,##0.00' → 2, '0%' → 2 of
    the fraction, '0.0%' → 3); None for a format that fixes none (General, text, dates, 0.00E+00)."""
    section = _NO_DIGIT.sub("", code.split(";")[0])
    if not _DIGIT.search(section) or "E" in section.upper():
        return None
    decimals = _DECIMALS.search(section)
    return (len(decimals.group(1)) if decimals else 0) + (2 if "%" in section else 0)


class NumberFormats:
    """The shown decimals of a workbook's numeric cells, by sheet and A1 address, read on first
    use. ``data`` holds a decrypted file's content (the file itself needs the password)."""

    def __init__(self, kind: Format, path: Path, data: bytes | None = None) -> None:
        self.kind, self.path, self.data = kind, path, data
        self._sheets: dict[str, dict[str, int]] = {}

    def __reduce__(self):  # what was read stays with the process that read it
        return NumberFormats, (self.kind, self.path, self.data)

    def of(self, sheet: str) -> dict[str, int]:
        """Address → decimals of the sheet's numbers whose format fixes them; {} when unreadable."""
        found = self._sheets.get(sheet)
        if found is None:
            try:
                with self._open() as handle:
                    found = _xlsx(handle, sheet) if self.kind is Format.OOXML else _xls(handle.read(), sheet)
            except Exception:  # without the formats, the figures' own digits decide, as before
                log.debug("无法读取 %s 中“%s”的数字格式", self.path, sheet, exc_info=True)
                found = {}
            self._sheets[sheet] = found
        return found

    def _open(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")


def _xlsx(handle: BinaryIO, sheet: str) -> dict[str, int]:
    return {address: decimals for address, code in number_format_codes(handle, sheet).items()
            if (decimals := format_decimals(code)) is not None}


def _xls(data: bytes, sheet: str) -> dict[str, int]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    try:
        cells = book.sheet_by_name(sheet)
        shown: dict[str, int] = {}
        for r in range(cells.nrows):
            for c in range(cells.row_len(r)):
                if cells.cell_type(r, c) != xlrd.XL_CELL_NUMBER:
                    continue
                code = book.format_map[book.xf_list[cells.cell_xf_index(r, c)].format_key].format_str
                if (decimals := format_decimals(code)) is not None:
                    shown[f"{column_name(c)}{r + 1}"] = decimals
        return shown
    finally:
        book.release_resources()
