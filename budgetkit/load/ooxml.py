"""Look inside an .xlsx/.xlsm package before any reader trusts it.

One pass over every part, holding at most one part of up to 8 MB, or a chunk of a larger one
(the few parts parsed to find the worksheets are read whole):

* the declared uncompressed size is held against a cap, so a zip bomb is refused
  before any reader inflates it; a package that understates its sizes cannot get
  past either, because no part is inflated beyond its declared size, and a part
  cut short there fails its CRC check;
* CRC errors and truncated parts surface here, with a plain reason;
* a DTD in any part is refused: Excel never writes one, and entity declarations
  are how XML bombs work;
* each worksheet's extent is measured, because python-calamine allocates the
  whole rectangle up to the farthest cell and aborts the process (an
  uncatchable Rust OOM) when one stray cell sits at XFD1048576;
* formula cells saved without a result are listed, since calamine drops them;
* cells whose saved result is an error (#REF!, #DIV/0! …) are listed with it, since calamine
  gives them as empty: a broken formula is not a blank that reads as zero.
"""

from __future__ import annotations

import functools
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple
from xml.parsers import expat

from budgetkit.cells import column_index, column_letters
from budgetkit.load.errors import UnreadableWorkbook

_CHUNK = 1 << 20
_DTD = b"<!DOCTYPE"
# A namespace prefix: any XML name ('x:', 'a-b.c:', non-ASCII too), not only word characters.
_PREFIX = rb"""(?:[^\s<>/:="']+:)"""
_ROW_OR_CELL = re.compile(
    rb"<" + _PREFIX + rb"?row\b([^>]*)>"                                        # a row start tag
    rb"|<" + _PREFIX + rb"?c\b([^>]*?)(?:/>|>(.*?)</" + _PREFIX + rb"?c>)", re.S)  # a whole cell element
_REF = re.compile(rb"""\br=["']([A-Z]{1,3})?(\d+)["']""")
_VALUE = re.compile(rb"<" + _PREFIX + rb"?v>[^<]|<" + _PREFIX + rb"?is\b")
_FORMULA = re.compile(rb"<" + _PREFIX + rb"?f\b")
_ERROR_TYPE = re.compile(rb"""\bt=["']e["']""")
_ERROR_TYPE_ANYWHERE = re.compile(rb"""t="e"|t='e'""")
_VALUE_TEXT = re.compile(rb"<" + _PREFIX + rb"?v>([^<]*)<")
# The layout Excel, WPS and every common library write: '<row r="5" …>', '<c r="B5" …>'.
_PLAIN_ROW = re.compile(rb'<row r="(\d+)"')
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})\d')
# A formula, or a cell tag _PLAIN_CELL would miss ('<c>', '<c\tr=', 'r' not first), or either behind a prefix.
_FORMULA_OR_ODD_CELL = re.compile(rb'<(?:f|c(?! r="[A-Z]{1,3}\d))\b')
_PREFIXED_FORMULA_OR_CELL = re.compile(rb"<" + _PREFIX + rb"[cf]\b")
_WHOLE_PART = 8 << 20  # a part up to this size is read and checked in one piece
_FAST_BOUND = 100_000  # cells; a larger bound is measured exactly before any cap is applied
_OFFICE_DOCUMENT = "/officeDocument"
_STYLES = "/styles"
_CELL_TAG = re.compile(rb"<" + _PREFIX + rb"?c\b([^>]*)>")
_CELL_ATTRIBUTE = re.compile(rb"""\b([rst])=["']([^"']*)["']""")
# The built-in number formats a style may name by id alone (ECMA-376 18.8.30) that show a number's digits.
_BUILTIN_FORMATS = {"1": "0", "2": "0.00", "3": "#,##0", "4": "#,##0.00", "9": "0%", "10": "0.00%",
                    "37": "#,##0 ;(#,##0)", "38": "#,##0 ;[Red](#,##0)", "39": "#,##0.00;(#,##0.00)",
                    "40": "#,##0.00;[Red](#,##0.00)"}
# A local file header: signature, flags, file name length, extra field length (the fields read here).
_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_UTF8_NAME = 1 << 11
_ZIPFILE_ONLY = 0x61  # encrypted, patched or strongly encrypted: zipfile refuses these with its own error
_DAMAGED = "文件已损坏：ZIP 结构不完整或数据校验失败（可能下载或复制不完整）"


@dataclass(frozen=True)
class SheetScan:
    """What one worksheet part holds: the rectangle from A1 to its farthest value,
    and the formula cells saved without a cached result."""

    rows: int
    columns: int
    uncached_formulas: tuple[str, ...]
    errors: tuple[tuple[str, str], ...] = ()  # (address, the error shown: '#REF!') of cells saved as errors

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def inspect_package(handle: BinaryIO, max_bytes: int) -> dict[str, SheetScan]:
    """Worksheet name -> scan; UnreadableWorkbook for a damaged, oversized or unsafe package."""
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            _within_size(infos, max_bytes)
            parsed: set[str] = set()  # parts already read whole, and checked, to find the worksheets
            package = _Package(archive, handle, _part_ends(archive, infos))
            sheet_parts = _workbook_parts(package, parsed)[0]
            scans = {}
            for info in infos:
                if info.filename in parsed and info.filename not in sheet_parts:
                    continue
                scanner = _CellScanner() if info.filename in sheet_parts else None
                _stream(package, info, scanner)
                if scanner is not None:
                    scans[sheet_parts[info.filename]] = scanner.result()
            return scans
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, KeyError, RuntimeError) as exc:
        # KeyError: a part the workbook names is missing; ValueError: a malformed name or header;
        # RuntimeError: a part flagged as ZIP-encrypted, which Excel never writes
        raise UnreadableWorkbook(_DAMAGED) from exc
    finally:
        handle.seek(0)


def check_size(handle: BinaryIO, max_bytes: int) -> None:
    """The zip-bomb cap alone, for packages budgetkit does not inspect part by part (.ods)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            _within_size(archive.infolist(), max_bytes)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableWorkbook(_DAMAGED) from exc
    finally:
        handle.seek(0)


def _within_size(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    if sum(info.file_size for info in infos) > max_bytes:
        raise UnreadableWorkbook(_too_big(max_bytes))


def _stream(package: _Package, info: zipfile.ZipInfo, scanner: _CellScanner | None) -> None:
    if info.file_size <= _WHOLE_PART:
        data = _read_part(package, info)
        _refuse_dtd(data)
        if scanner is not None:
            scanner.take_whole(data)
        return
    tail = b""
    with package.archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            _refuse_dtd(tail[-len(_DTD):] + chunk)
            tail = chunk
            if scanner is not None:
                scanner.feed(chunk)
    if scanner is not None:
        scanner.finish()


class _Package(NamedTuple):
    archive: zipfile.ZipFile
    handle: BinaryIO  # the file under the archive, read directly for small parts
    ends: dict[zipfile.ZipInfo, int]  # where each part's data must end: at the next part's header, or the directory


def _part_ends(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[zipfile.ZipInfo, int]:
    """A part whose data runs into the next part is refused, as zipfile in current Python
    releases refuses it ("Overlapped entries"): overlapping parts are how the smallest zip bombs
    are built. Worked out as zipfile does, parts sharing a header included."""
    ends, end = {}, archive.start_dir
    for info in sorted(infos, key=lambda info: info.header_offset, reverse=True):
        ends[info] = end
        end = info.header_offset
    return ends


def _read_part(package: _Package, info: zipfile.ZipInfo) -> bytes:
    """What ``archive.read(info)`` gives, or fails on (as current Python releases have it), read and inflated
    in one call: a package is mostly small parts, for which zipfile's per-part reader costs more
    than inflating them. zipfile reads the unusual parts itself (other compressions, flagged
    encryption, and empty parts, since zlib takes a zero output limit as none)."""
    archive, handle = package.archive, package.handle
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & _ZIPFILE_ONLY \
            or not info.file_size:
        return archive.read(info)
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        raise zipfile.BadZipFile("truncated local file header")
    signature, flags, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    name = handle.read(name_length).decode("utf-8" if flags & _UTF8_NAME else "cp437")
    if signature != _LOCAL_SIGNATURE or name != info.orig_filename:
        raise zipfile.BadZipFile(f"local file header of {info.orig_filename!r} does not match the directory")
    if info.header_offset + _LOCAL_HEADER.size + name_length + extra_length + info.compress_size \
            > package.ends[info]:
        raise zipfile.BadZipFile(f"Overlapped entries: {info.orig_filename!r} (possible zip bomb)")
    handle.seek(extra_length, 1)
    stored = handle.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_STORED:
        data, ended = stored[:info.file_size], False
    else:
        inflater = zlib.decompressobj(-15)
        data, ended = inflater.decompress(stored, info.file_size), inflater.eof
    # As zipfile: the file ending before the part did is an error; else the CRC of what the
    # part gives, up to its declared size or to the end of its deflate stream, decides.
    if len(stored) < info.compress_size and len(data) < info.file_size and not ended:
        raise EOFError(f"{info.orig_filename!r} is cut short")
    if zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"CRC of {info.orig_filename!r} does not match")
    return data


def _refuse_dtd(data: bytes) -> None:
    # "!" is rare in a part and memchr finds it at memory speed: the longer search runs only where one is
    if b"!" in data and _DTD in data:
        raise UnreadableWorkbook("文件中含有 XML 文档类型声明（DTD）：Excel 不会写出这种内容，"
                                 "这是可能耗尽内存的恶意构造（XML 炸弹），已拒绝读取")


class _Element(NamedTuple):
    depth: int  # 0 for the root
    tag: str  # "namespace}local", or "local" outside any namespace
    attributes: dict[str, str]


def _parse(package: _Package, name: str, parsed: set[str]) -> list[_Element]:
    """The elements of a small part in document order, parsed by expat directly: an ElementTree
    costs more than the few attributes read here. A DTD is refused before any declaration in it is
    read, as defusedxml refuses it, so no entity can be defined and none expands."""
    parsed.add(name)
    data = _read_part(package, package.archive.getinfo(name))
    elements: list[_Element] = []
    depth = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        elements.append(_Element(depth, tag, attributes))
        depth += 1

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = \
        parser.ExternalEntityRefHandler = _refuse_declarations
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, LookupError) as exc:  # LookupError: a declared encoding no codec reads
        raise UnreadableWorkbook(f"文件已损坏：{name} 不是完整的 XML") from exc
    return elements


def _refuse_declarations(*_: object) -> None:
    raise UnreadableWorkbook("文件中含有 XML 实体或文档类型声明（可能是 XML 炸弹），已拒绝读取")


def _workbook_parts(package: _Package, parsed: set[str]) -> tuple[dict[str, str], str | None]:
    """Part path -> sheet name, and the styles part, following the package relationships as Excel does."""
    workbook = next((_target("", rel) for rel in _parse(package, "_rels/.rels", parsed)
                     if rel.depth == 1 and rel.attributes.get("Type", "").endswith(_OFFICE_DOCUMENT)),
                    "xl/workbook.xml")
    folder, name = posixpath.split(workbook)
    relations = [rel for rel in _parse(package, posixpath.join(folder, "_rels", name + ".rels"), parsed)
                 if rel.depth == 1]
    rels = {rel.attributes.get("Id"): _target(folder, rel) for rel in relations}
    styles = next((_target(folder, rel) for rel in relations if rel.attributes.get("Type", "").endswith(_STYLES)),
                  None)
    parts = {}
    for sheet in _parse(package, workbook, parsed):
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next((v for k, v in sheet.attributes.items() if _local(k) == "id"), None)
        if rel_id in rels:
            parts[rels[rel_id]] = sheet.attributes.get("name", "")
    return parts, styles


def number_format_codes(handle: BinaryIO, sheet: str) -> dict[str, str]:
    """The number format code of each of the sheet's cells that sets one, by A1 address (a cell
    placed by position, without its own address, is left out); the package has been inspected."""
    try:
        with zipfile.ZipFile(handle) as archive:
            package = _Package(archive, handle, _part_ends(archive, archive.infolist()))
            parts, styles = _workbook_parts(package, set())
            part = next(part for part, name in parts.items() if name == sheet)
            formats = _cell_formats(package, styles) if styles in archive.NameToInfo else {}
            codes = {}
            for attributes in _CELL_TAG.findall(_read_part(package, archive.getinfo(part))):
                found = dict(_CELL_ATTRIBUTE.findall(attributes))
                code = formats.get(found.get(b"s", b"0"))
                if code and b"r" in found and found.get(b"t", b"n") == b"n":
                    codes[found[b"r"].decode()] = code
            return codes
    finally:
        handle.seek(0)


def _cell_formats(package: _Package, styles: str) -> dict[bytes, str]:
    """Cell style index (as the s attribute writes it) -> its number format code."""
    codes = dict(_BUILTIN_FORMATS)
    by_style: dict[bytes, str] = {}
    group = ""
    for element in _parse(package, styles, set()):
        local = _local(element.tag)
        if element.depth == 1:
            group = local
        elif local == "numFmt" and group == "numFmts":
            codes[element.attributes.get("numFmtId", "")] = element.attributes.get("formatCode", "")
        elif local == "xf" and group == "cellXfs" and element.depth == 2:
            by_style[str(len(by_style)).encode()] = element.attributes.get("numFmtId", "0")
    return {style: codes[number] for style, number in by_style.items() if number in codes}


def _target(folder: str, rel: _Element) -> str:
    target = rel.attributes.get("Target", "")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _CellScanner:
    """Follows rows and cells through a worksheet's XML as it streams past.

    Cells without an ``r`` attribute take the next position, as calamine places them.
    Text after the last complete row tag or cell is kept for the next chunk; no cell
    Excel can write comes near a chunk in length, so keeping one chunk is enough.
    """

    def __init__(self) -> None:
        self.pending = b""
        self.row = 0
        self.column = 0
        self.max_row = 0
        self.max_column = 0
        self.uncached: list[str] = []
        self.errors: list[tuple[str, str]] = []

    def take_whole(self, data: bytes) -> None:
        """A whole worksheet part. Its rectangle is bounded in C-speed passes when every
        row and cell tag is plain, no cell is addressed below the last row tag, and no
        formula or error is present (nearly every file); else the exact walk below runs.
        The bound counts styled empty cells too, so it can only be larger than the exact
        extent, never smaller."""
        rows = _PLAIN_ROW.findall(data)
        cells = _PLAIN_CELL.findall(data)
        max_row = max(map(int, rows), default=0)
        plain = cells and len(rows) == data.count(b"<row") and not _FORMULA_OR_ODD_CELL.search(data) \
            and not _PREFIXED_FORMULA_OR_CELL.search(data) and not _cells_below(max_row).search(data)
        if plain and not _may_hold_error(data):
            max_column = max(map(column_index, (c.decode() for c in set(cells))))
            if max_row * max_column <= _FAST_BOUND:
                self.max_row, self.max_column = max_row, max_column
                return
        self._scan(data)

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        done = self._scan(data)
        self.pending = data[max(done, len(data) - _CHUNK):]

    def finish(self) -> None:
        self._scan(self.pending)
        self.pending = b""

    def result(self) -> SheetScan:
        return SheetScan(self.max_row, self.max_column, tuple(self.uncached), tuple(self.errors))

    def _scan(self, data: bytes) -> int:
        done = 0
        for match in _ROW_OR_CELL.finditer(data):
            done = match.end()
            row_attrs, cell_attrs, content = match.groups()
            if row_attrs is not None:
                ref = _REF.search(row_attrs)
                self.row = int(ref.group(2)) if ref else self.row + 1
                self.column = 0
                continue
            ref = _REF.search(cell_attrs)
            if ref and ref.group(1):
                self.column = column_index(ref.group(1).decode())
                self.row = int(ref.group(2))
            else:
                self.column += 1
            if content and self._holds_value(content):
                self.max_row = max(self.max_row, self.row)
                self.max_column = max(self.max_column, self.column)
                if _ERROR_TYPE.search(cell_attrs) and (shown := _VALUE_TEXT.search(content)):
                    self.errors.append((f"{column_letters(self.column)}{self.row}", shown.group(1).decode()))
        return done

    def _holds_value(self, content: bytes) -> bool:
        """True for a cell with a value, or with a formula whose value budgetkit will compute."""
        if _VALUE.search(content):
            return True
        if _FORMULA.search(content):
            self.uncached.append(f"{column_letters(self.column)}{self.row}")
            return True
        return False


def _may_hold_error(data: bytes) -> bool:
    return _ERROR_TYPE_ANYWHERE.search(data) is not None  # one pass, where two substring searches took two


@functools.lru_cache(maxsize=1024)
def _cells_below(row: int) -> re.Pattern[bytes]:
    """Finds a plain cell tag addressed below ``row``. calamine places a cell by its own
    address, not by its row tag, so one such cell reaches past a bound taken from the rows."""
    digits = str(row)
    longer = rf"[1-9]\d{{{len(digits)},}}"
    as_long_and_greater = [rf"{digits[:i]}[{int(d) + 1}-9]\d{{{len(digits) - i - 1}}}"
                           for i, d in enumerate(digits) if d != "9"]
    return re.compile(rf'<c r="[A-Z]{{1,3}}0*+(?:{"|".join([longer, *as_long_and_greater])})'.encode())


def _too_big(limit: int) -> str:
    return (f"文件解压后超过 {limit >> 20} MB 的上限（可能是恶意构造的压缩炸弹，也可能是文件已损坏），已拒绝读取；"
            "如确是这么大的工作簿，请拆分后再检查")
