"""Write the awkward files real folders hold, one function per kind, for the robustness tests.

Each writer takes the target path, writes a real file there and returns the path.
They start from the shipped sample workbooks or from ``standard_tables``.
"""

from __future__ import annotations

import csv
import html
import io
import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlwt
from conftest import REPO
from msoffcrypto.format.ooxml import OOXMLFile
from standard_tables import expenditure_sheet

SAMPLE_XLSX = REPO / "workbooks" / "区科协2022年部门决算.xlsx"
SAMPLE_XLS = REPO / "workbooks" / "区科协2022年收支构成测算表.xls"
# procfs refuses to read a write-only entry even to root, for whom permission bits do not bind
_WRITE_ONLY = Path("/proc/sys/vm/drop_caches")


def encrypted(path: Path, password: str = "secret") -> Path:
    with SAMPLE_XLSX.open("rb") as plain, path.open("wb") as secret:
        OOXMLFile(plain).encrypt(password, secret)
    return path


def truncated(path: Path, keep: float = 0.6) -> Path:
    data = SAMPLE_XLSX.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes], source: Path = SAMPLE_XLSX) -> Path:
    """A copy of ``source`` with one part's bytes passed through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == part else data)
    return path


def _billion_laughs(sheet_xml: bytes) -> bytes:
    entities = "".join(f'<!ENTITY l{k} "{("&l%d;" % (k - 1)) * 10}">' for k in range(1, 10))
    doctype = f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{entities}]>'.encode()
    head, root = sheet_xml.split(b"<worksheet", 1)
    return head + doctype + b"<worksheet" + root.replace(b"<v>", b"<v>&l9;", 1)


def xml_bomb(path: Path) -> Path:
    """The sample with a billion-laughs entity expanding to 3 GB in its first sheet."""
    return rewrite_part(path, "xl/worksheets/sheet1.xml", _billion_laughs)


def zip_bomb(path: Path, inflated: int) -> Path:
    """The sample plus a part of ``inflated`` zero bytes, which compresses a thousandfold."""
    with zipfile.ZipFile(SAMPLE_XLSX) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("xl/media/padding.bin", b"\x00" * inflated)
    return path


def lying_zip_bomb(path: Path, inflated: int) -> Path:
    """A zip bomb whose central directory claims the padding inflates to 1000 bytes."""
    data = bytearray(zip_bomb(path, inflated).read_bytes())
    name = b"xl/media/padding.bin"
    entry = data.rindex(name) - 46          # the central directory header, 46 bytes before its name
    assert data[entry:entry + 4] == b"PK\x01\x02"
    data[entry + 24:entry + 28] = struct.pack("<I", 1000)  # uncompressed size
    path.write_bytes(data)
    return path


def with_stray_far_cell(path: Path) -> Path:
    """The sample plus a sheet whose one stray cell sits at XFD1048576."""
    book = openpyxl.load_workbook(SAMPLE_XLSX)
    stray = book.create_sheet("草稿")
    stray["A1"], stray["XFD1048576"] = "草稿", 1
    book.save(path)
    return path


def _fill(sheet, rows: list, merges: list) -> None:
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)


def hidden_table(path: Path) -> Path:
    """A visible cover sheet and the 支出决算表 on a hidden sheet."""
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active["A1"] = "2022年部门决算"
    hidden = book.create_sheet("支出决算表")
    _fill(hidden, *expenditure_sheet())
    hidden.sheet_state = "hidden"
    book.save(path)
    return path


def uncached_formulas(path: Path) -> Path:
    """The 支出决算表 written by openpyxl with formulas, which it saves without results.
    Rows 5–13 hold 合计, 206, 20601, 2060101, 20607, 2060702, 208, 20805, 2080505,
    2080506; C–E are 本年支出合计, 基本支出, 项目支出."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "支出决算表"
    _fill(sheet, *expenditure_sheet())
    sheet["C6"] = "=D6+E6"
    sheet["D5"] = "=SUM(D6,D11)"
    sheet["E5"] = "=$E$6-0"
    sheet["C5"] = "=SUM(C6:C11)-C7-C8-C9-C10"
    sheet["C12"] = "=VLOOKUP(A12,A:E,3,0)"
    book.save(path)
    return path


def crashing_xls(path: Path) -> Path:
    """An .xls whose NUMBER record claims row 65535, column 65535: python-calamine
    then allocates 137 GB and aborts the process."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    sheet.write(0, 0, "A1 holds text, so the rectangle spans the whole sheet")
    sheet.write(1, 0, 12345.678)
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    value = data.find(struct.pack("<d", 12345.678))
    data[value - 6:value - 2] = b"\xff\xff\xff\xff"  # row and column sit just before the xf index
    path.write_bytes(data)
    return path


def html_as_xls(path: Path) -> Path:
    """The 支出决算表 as the GBK web page a portal serves under an .xls name."""
    rows, _ = expenditure_sheet()
    cells = "".join("<tr>" + "".join(f"<td>{'' if v is None else html.escape(str(v))}</td>" for v in row) + "</tr>"
                    for row in rows)
    page = f'<html><head><meta charset="gbk"></head><body><table>{cells}</table></body></html>'
    path.write_bytes(page.encode("gbk"))
    return path


def csv_as_xls(path: Path) -> Path:
    """The 支出决算表 as GB18030 CSV text under an .xls name."""
    rows, _ = expenditure_sheet()
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(text.getvalue().encode("gb18030"))
    return path


def unreadable(path: Path) -> Path:
    """A workbook the operating system refuses to open, as Windows does while Excel
    holds it. Permission bits do that for an ordinary user; root ignores them, so
    as root the name points to an entry that even root may not read."""
    if os.name == "nt":
        pytest.skip("Windows permission bits do not stop a read; Excel's lock is what does")
    if os.geteuid() != 0:
        shutil.copy(SAMPLE_XLSX, path)
        path.chmod(0o000)
    elif _WRITE_ONLY.exists():
        path.symlink_to(_WRITE_ONLY)
    else:
        pytest.skip("no way to make a file unreadable to root on this system")
    return path
