"""Read a workbook's sheets into plain value grids with python-calamine.

calamine reads .xlsx/.xlsm/.xls/.ods values and merged ranges an order of
magnitude faster than openpyxl, and never writes to the file.
"""

from __future__ import annotations

from pathlib import Path

import python_calamine as calamine

from budgetkit.model import SheetGrid


class UnreadableWorkbook(Exception):
    """The file cannot be opened as a workbook; the message is for the user, in Chinese."""


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def read_grids(path: Path) -> tuple[list[SheetGrid], list[str]]:
    """All visible sheets as grids, and the names of hidden sheets (not read)."""
    _check_signature(path)
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise UnreadableWorkbook("文件设有密码保护，无法读取；请另存为无密码的副本后再检查") from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError, OSError) as exc:
        raise UnreadableWorkbook(f"文件已损坏或不是有效的 Excel 工作簿（{_short(exc)}）") from exc
    grids, hidden = [], []
    for meta in workbook.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != calamine.SheetVisibleEnum.Visible:
            hidden.append(meta.name)
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            cells = sheet.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        except (calamine.CalamineError, ValueError) as exc:
            raise UnreadableWorkbook(f"工作表“{meta.name}”无法读取（{_short(exc)}）") from exc
        grids.append(SheetGrid(meta.name, [list(row) for row in cells], merged))
    return grids, hidden


def _check_signature(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise UnreadableWorkbook("文件为空（0 字节）")
    if head.startswith(_ZIP) or head == _OLE2:
        if head == _OLE2 and _is_encrypted_ooxml(path):
            raise UnreadableWorkbook("文件设有密码保护，无法读取；请另存为无密码的副本后再检查")
        return
    raise UnreadableWorkbook("文件不是 Excel 工作簿（文件内容既不是 .xlsx 也不是 .xls 格式）")


def _is_encrypted_ooxml(path: Path) -> bool:
    """An encrypted .xlsx is an OLE2 container holding an 'EncryptionInfo' stream."""
    with path.open("rb") as handle:
        data = handle.read(1 << 16)
    return "EncryptionInfo".encode("utf-16-le") in data


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
