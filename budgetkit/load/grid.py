"""Read a workbook's sheets into plain value grids.

What the file really is decides the reader (see ``sniff``): python-calamine
reads the values of .xlsx/.xlsm/.xls and never writes to the file; openpyxl is
opened only when a sheet holds formulas saved without a result; HTML and CSV
saved as .xls are read as text. Every way a file can fail ends here as an
``UnreadableWorkbook`` whose message tells the user, in Chinese, what happened.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import msoffcrypto
import python_calamine as calamine
from msoffcrypto.exceptions import InvalidKeyError

from budgetkit.cells import position
from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.formulas import evaluate
from budgetkit.load.number_formats import NumberFormats
from budgetkit.load.ooxml import SheetScan, check_size, inspect_package
from budgetkit.load.sniff import Format, sniff
from budgetkit.load.text_grids import html_grids, text_grid
from budgetkit.model import SheetGrid, Uncomputed

__all__ = ["ReadOptions", "UnreadableWorkbook", "WorkbookGrids", "read_grids"]

log = logging.getLogger("budgetkit")

_NEEDS_PASSWORD = "文件设有打开密码，无法读取；可用 --password 提供密码，或另存为无密码的副本后再检查"
_SHOWN_ADDRESSES = 8


@dataclass(frozen=True)
class ReadOptions:
    """How to read: a password for encrypted files, whether hidden sheets are read,
    and the caps that keep one hostile file from exhausting memory."""

    password: str | None = None
    include_hidden: bool = False
    max_cells: int = 2_000_000      # per sheet, counted from A1 to the farthest value
    max_bytes: int = 512 << 20      # a package uncompressed, or a text file as stored


@dataclass
class WorkbookGrids:
    """The sheets read, the sheets left out with why ("名称（原因）"), and warnings."""

    sheets: list[SheetGrid]
    not_read: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Its number formats, read only if a table's values leave its printed digits in doubt; None where
    # the file keeps none (.ods, a web page or CSV saved as .xls).
    formats: NumberFormats | None = None


def read_grids(path: Path, options: ReadOptions = ReadOptions()) -> WorkbookGrids:
    """The file's sheets as grids; UnreadableWorkbook (reason in Chinese) when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return _read(handle, path, options)
    except FileNotFoundError as exc:
        raise UnreadableWorkbook("文件在读取前被移动或删除") from exc
    except PermissionError as exc:
        raise UnreadableWorkbook("文件被其他程序占用或没有读取权限；请关闭正在使用它的 Excel/WPS 后重试") from exc
    except OSError as exc:
        raise UnreadableWorkbook(f"文件无法读取（{exc.strerror or exc}）") from exc


def _read(handle: BinaryIO, path: Path, options: ReadOptions) -> WorkbookGrids:
    kind = sniff(handle)
    if kind is Format.HTML:
        return _within_cap(html_grids(_whole(handle, options)), options)
    if kind is Format.TEXT:
        return _within_cap([text_grid(_whole(handle, options), path.stem)], options)
    decrypted = kind is Format.ENCRYPTED_OOXML
    if decrypted:
        handle = _decrypt(handle, options.password)
        kind = sniff(handle)
    if kind is Format.ODS:
        check_size(handle, options.max_bytes)  # calamine reads .ods values (merged ranges it does not give)
    scans = inspect_package(handle, options.max_bytes) if kind is Format.OOXML else {}
    workbook = _open(handle, options.password)
    formulas = _formula_texts(handle, {name: scan for name, scan in scans.items() if scan.uncached_formulas})
    formats = NumberFormats(kind, path, handle.getvalue() if decrypted else None) \
        if kind in (Format.OOXML, Format.XLS) else None
    result = WorkbookGrids([], formats=formats)
    for meta in workbook.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != calamine.SheetVisibleEnum.Visible and not options.include_hidden:
            result.not_read.append(f"{meta.name}（隐藏工作表，未读取；加 --include-hidden 可读取）")
            continue
        scan = scans.get(meta.name)
        if scan is not None and scan.cells > options.max_cells:
            result.not_read.append(_too_large(meta.name, scan.rows, scan.columns, options))
            continue
        _read_sheet(workbook, meta.name, scan, formulas.get(meta.name, {}), options, result)
    return result


def _read_sheet(workbook: calamine.CalamineWorkbook, name: str, scan: SheetScan | None, formulas: dict[str, str],
                options: ReadOptions, result: WorkbookGrids) -> None:
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
        if rows * columns > options.max_cells:
            result.not_read.append(_too_large(name, rows, columns, options))
            return
        cells = sheet.to_python(skip_empty_area=False)  # fresh lists, ours to fill in
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except BaseException as exc:
        if not _is_reader_failure(exc):
            raise
        log.debug("工作表 %s 无法读取", name, exc_info=True)
        result.not_read.append(f"{name}（工作表已损坏，未读取）")
        return
    if scan is not None and scan.uncached_formulas:
        result.warnings.extend(_fill_formulas(name, cells, scan.uncached_formulas, formulas))
    if scan is not None and scan.errors:
        _place(cells, {position(address): shown for address, shown in scan.errors})
    result.sheets.append(SheetGrid(name, cells, merged))


def _open(handle: BinaryIO, password: str | None) -> calamine.CalamineWorkbook:
    try:
        try:
            return calamine.CalamineWorkbook.from_filelike(handle)
        except calamine.PasswordError:  # an encrypted .xls: calamine finds the FILEPASS record
            return calamine.CalamineWorkbook.from_filelike(_decrypt(handle, password))
    except UnreadableWorkbook:
        raise
    except BaseException as exc:
        if not _is_reader_failure(exc):
            raise
        raise UnreadableWorkbook("文件已损坏，不是完整的 Excel 工作簿（可能下载或复制不完整，或被其他程序改坏）") from exc
    finally:
        handle.seek(0)


def _decrypt(handle: BinaryIO, password: str | None) -> BinaryIO:
    if password is None:
        raise UnreadableWorkbook(_NEEDS_PASSWORD)
    handle.seek(0)
    decrypted = io.BytesIO()
    try:
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=password)
        office.decrypt(decrypted)
    except InvalidKeyError as exc:
        raise UnreadableWorkbook("文件设有打开密码，--password 提供的密码不正确") from exc
    except Exception as exc:  # msoffcrypto raises assorted types for schemes it cannot undo
        raise UnreadableWorkbook("文件设有打开密码，但其加密方式无法解密；请另存为无密码的副本后再检查") from exc
    decrypted.seek(0)
    return decrypted


def _formula_texts(handle: BinaryIO, scans: dict[str, SheetScan]) -> dict[str, dict[str, str]]:
    """Sheet -> address -> formula text, for the cells saved without a result.
    calamine gives nothing for such .xlsx cells; openpyxl (read-only, opened only
    for a workbook that has them) gives the formula."""
    if not scans:
        return {}
    try:
        import openpyxl  # only for the rare file with uncached formulas

        book = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        try:
            return {name: _formulas_of(book[name], set(scan.uncached_formulas)) for name, scan in scans.items()}
        finally:
            book.close()
    except Exception:  # openpyxl rejects some packages calamine reads; the cells are then reported as not computed
        return {}
    finally:
        handle.seek(0)


def _formulas_of(sheet, wanted: set[str]) -> dict[str, str]:
    sheet.reset_dimensions()  # WPS writes a wrong <dimension>; read the cells that are there
    return {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row
            if getattr(cell, "coordinate", None) in wanted and isinstance(cell.value, str)}


def _fill_formulas(name: str, cells: list[list[object]], uncached: tuple[str, ...],
                   texts: dict[str, str]) -> list[str]:
    values = evaluate(cells, texts)
    done = [a for a in uncached if values.get(a) is not None]
    failed = [a for a in uncached if values.get(a) is None]
    positions = {position(address): values[address] for address in done}
    # What could not be worked out stays unknown, never a blank that reads as zero.
    positions.update({position(address): Uncomputed(texts.get(address) or "=") for address in failed})
    _place(cells, positions)
    warnings = []
    if done:
        warnings.append(f"工作表“{name}”有 {len(done)} 个公式单元格没有保存计算结果（{_addresses(done)}），"
                        "已按公式算出；在 Excel/WPS 中打开并保存一次即可写入结果")
    if failed:
        warnings.append(f"工作表“{name}”有 {len(failed)} 个公式单元格没有保存计算结果且无法计算（{_addresses(failed)}；"
                        "只计算同一工作表内的 SUM 和加减），涉及它们的核对未进行")
    return warnings


def _place(cells: list[list[object]], values: dict[tuple[int, int], object]) -> None:
    """Put values at their 1-based (row, column) positions, growing the grid as needed."""
    _pad(cells, max((r for r, _ in values), default=0), max((c for _, c in values), default=0))
    for (row, column), value in values.items():
        cells[row - 1][column - 1] = value


def _pad(cells: list[list[object]], rows: int, columns: int) -> None:
    """Grow the grid to hold computed values: calamine's grid ends at the last cell
    it had a value for, and a formula without a result has none."""
    width = max([columns] + [len(line) for line in cells])
    cells.extend([] for _ in range(rows - len(cells)))
    for line in cells:
        line.extend([None] * (width - len(line)))


def _whole(handle: BinaryIO, options: ReadOptions) -> bytes:
    data = handle.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise UnreadableWorkbook(f"文件超过 {options.max_bytes >> 20} MB 的上限，未读取")
    return data


def _within_cap(sheets: list[SheetGrid], options: ReadOptions) -> WorkbookGrids:
    result = WorkbookGrids([])
    for sheet in sheets:
        rows, columns = len(sheet.cells), max((len(r) for r in sheet.cells), default=0)
        if rows * columns > options.max_cells:
            result.not_read.append(_too_large(sheet.name, rows, columns, options))
        else:
            result.sheets.append(sheet)
    return result


def _too_large(name: str, rows: int, columns: int, options: ReadOptions) -> str:
    return (f"{name}（工作表过大：{rows:,} 行 × {columns:,} 列，超过 {options.max_cells:,} 个单元格的上限，未读取；"
            "可用 --max-cells 调高上限）")


def _addresses(addresses: list[str]) -> str:
    shown = "、".join(addresses[:_SHOWN_ADDRESSES])
    return shown + (f" 等 {len(addresses)} 个" if len(addresses) > _SHOWN_ADDRESSES else "")


def _is_reader_failure(exc: BaseException) -> bool:
    """calamine's own errors, the ValueError/OSError it raises on bad input, and a
    Rust panic, which pyo3 raises as PanicException, a BaseException not importable by name."""
    return isinstance(exc, (calamine.CalamineError, ValueError, OSError, EOFError)) \
        or type(exc).__name__ == "PanicException"
