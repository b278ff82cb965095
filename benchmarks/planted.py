"""Deliberate errors planted in a few workbooks of the corpus, each one that a
reviewer meets in real disclosures and that a budgetkit rule must report."""

from __future__ import annotations

from collections.abc import Callable

from disclosure import Sheet

Plant = Callable[[Sheet, int], None]


def _header_column(sheet: Sheet, *labels: str) -> int:
    for row in sheet.rows[2:sheet.header_end]:
        for c, value in enumerate(row):
            if c >= 2 and value in labels:
                return c
    raise LookupError(f"{sheet.kind}: no column {labels}")


def _is_code(value: object, digits: int) -> bool:
    return isinstance(value, str) and value.isdigit() and len(value) == digits


def _bump(sheet: Sheet, r: int, c: int, delta: int) -> None:
    value = sheet.rows[r][c]
    if isinstance(value, str):  # a text figure ("1,234.56") or a dash
        value = float(value.replace(",", "")) if value.replace(",", "").replace(".", "").isdigit() else 0.0
    sheet.rows[r][c] = round((value or 0.0) + delta / 100, 2)


def _body(sheet: Sheet) -> range:
    return range(sheet.header_end, sheet.body_end)


def item_off_its_row_sum(sheet: Sheet, delta: int) -> None:
    """支出决算表: one 项's 基本支出 changed, its 合计 and its 款 not (BK101, BK103)."""
    column = _header_column(sheet, "基本支出")
    for r in _body(sheet):
        row = sheet.rows[r]
        if _is_code(row[0], 7) or (_is_code(row[0], 3) and _is_code(row[2], 2)):
            _bump(sheet, r, column, delta)
            return


def grand_total_unbalanced(sheet: Sheet, delta: int) -> None:
    """总表: 收入总计 no longer equals 本年收入合计 + 年初结转 nor 支出总计 (BK112, BK113)."""
    column = 2 if sheet.width == 6 else 1
    r = next(r for r in _body(sheet) if sheet.rows[r][0] == "总计")
    _bump(sheet, r, column, delta)


def three_public_total_off(sheet: Sheet, delta: int) -> None:
    """"三公": the 合计 决算数 is not the sum of its items (BK141)."""
    central = sheet.rows[2][0] == "预算数"
    _bump(sheet, sheet.header_end, 6 if central else 1, delta)


def personnel_total_off(sheet: Sheet, delta: int) -> None:
    """基本支出表: 人员经费合计 differs from its 类 (BK131) and from the 一般公共预算 table (BK206)."""
    r = next(r for r in _body(sheet) if sheet.rows[r][0] == "人员经费合计")
    _bump(sheet, r, 2 if sheet.width == 6 else 3, delta)


def class_off_its_sections(sheet: Sheet, delta: int) -> None:
    """一般公共预算 table: a 类 total that is not the sum of its 款 (BK103, BK205)."""
    column = _header_column(sheet, "合计", "小计")
    split = sheet.rows[2 + 2][0] == "类"
    for r in _body(sheet):
        row = sheet.rows[r]
        if _is_code(row[0], 3) and (not split or row[1] is None):
            _bump(sheet, r, column, delta)
            return


def pension_lines_swapped(sheet: Sheet, delta: int) -> None:
    """一般公共预算 table: 2080505 and 2080506 swapped, the classic slip (BK502, BK503, BK209)."""
    split = sheet.rows[2 + 2][0] == "类"
    width = 4 if split else 2

    def find(code: str) -> int | None:
        for r in _body(sheet):
            row = sheet.rows[r]
            if (row[0] == code) if not split else ("".join(p or "" for p in row[:3]) == code):
                return r
        return None
    pension, annuity = find("2080505"), find("2080506")
    if pension is None or annuity is None:
        class_off_its_sections(sheet, delta)
        return
    a, b = sheet.rows[pension], sheet.rows[annuity]
    a[width:], b[width:] = b[width:], a[width:]


PLANTS: dict[str, tuple[str, Plant]] = {
    "item_off_its_row_sum": ("expenditure", item_off_its_row_sum),
    "grand_total_unbalanced": ("summary", grand_total_unbalanced),
    "three_public_total_off": ("three_public", three_public_total_off),
    "personnel_total_off": ("basic", personnel_total_off),
    "class_off_its_sections": ("general", class_off_its_sections),
    "pension_lines_swapped": ("general", pension_lines_swapped),
}


def plant(sheets: list[Sheet], kind: str, delta: int) -> str:
    """Plant error ``kind`` (``delta`` cents where a figure changes); returns the sheet's name."""
    target, apply = PLANTS[kind]
    sheet = next(s for s in sheets if s.kind == target)
    apply(sheet, delta)
    return sheet.name
