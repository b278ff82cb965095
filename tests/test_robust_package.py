"""The package check and the formula evaluator, on the XML shapes and formulas real writers produce."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import bad_files
import openpyxl
import pytest
from bad_files import SAMPLE_XLSX

from budgetkit.load import ReadOptions, load_file
from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.formulas import evaluate
from budgetkit.load.ooxml import SheetScan, inspect_package
from budgetkit.model import SourceFile

_TAGS = rb"worksheet|sheetData|row|c|v|f|is|t|dimension|sheetViews|sheetView|selection|sheetFormatPr|cols|col|" \
        rb"mergeCells|mergeCell|pageMargins|sheetPr|outlinePr|pageSetUpPr"


def scan(path: Path) -> dict[str, SheetScan]:
    with path.open("rb") as handle:
        return inspect_package(handle, 64 << 20)


def with_prefix(xml: bytes) -> bytes:
    """The same sheet as some exporters write it: every element in an 'x:' prefix."""
    xml = xml.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="')
    return re.sub(rb"<(/?)(" + _TAGS + rb")\b", rb"<\1x:\2", xml)


def test_the_sample_sheets_measure_to_their_farthest_value():
    assert scan(SAMPLE_XLSX) == {"收入支出决算总表": SheetScan(33, 4, ()), "收入决算表": SheetScan(21, 9, ()),
                                 "支出决算表": SheetScan(21, 8, ())}


def test_an_in_memory_package_is_inspected_like_a_file():
    assert inspect_package(io.BytesIO(SAMPLE_XLSX.read_bytes()), 64 << 20) == scan(SAMPLE_XLSX)


def test_a_package_stored_without_compression_is_inspected_like_a_deflated_one(tmp_path):
    with zipfile.ZipFile(SAMPLE_XLSX) as old, zipfile.ZipFile(tmp_path / "存储.xlsx", "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
    assert scan(tmp_path / "存储.xlsx") == scan(SAMPLE_XLSX)


def test_a_part_whose_local_header_names_another_part_is_called_damaged(tmp_path):
    data = bytearray(SAMPLE_XLSX.read_bytes())
    name = b"xl/worksheets/sheet2.xml"
    local = data.index(name)  # the local header's copy comes first; the central directory's stays
    data[local:local + len(name)] = b"xl/worksheets/sheet9.xml"
    (tmp_path / "错名.xlsx").write_bytes(data)
    with pytest.raises(UnreadableWorkbook, match="数据校验失败"):
        scan(tmp_path / "错名.xlsx")


def test_a_stray_far_cell_is_found_behind_a_namespace_prefix(tmp_path):
    """Missing it would let python-calamine allocate the 17-billion-cell rectangle and abort."""
    def far_cell(xml: bytes) -> bytes:
        return with_prefix(xml).replace(b"</x:sheetData>",
                                        b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
                                        b"</x:sheetData>")
    path = bad_files.rewrite_part(tmp_path / "前缀.xlsx", "xl/worksheets/sheet3.xml", far_cell)
    assert scan(path)["支出决算表"] == SheetScan(1048576, 16384, ())
    loaded = load_file(SourceFile(path, path.name))
    assert [t.sheet for t in loaded.tables] == ["收入支出决算总表", "收入决算表"]
    assert loaded.unrecognised_sheets[0].startswith("支出决算表（工作表过大：1,048,576 行 × 16,384 列")


@pytest.mark.parametrize("stray", [
    b'<c r="XFD1048576"><v>1</v></c>',          # addressed far below the row tag it sits in
    b'<c\tr="XFD1048576"><v>1</v></c>',         # a tab, not a space, after the tag name
    b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD1048576"><x:v>1</x:v></x:c>',
    # A prefix is any XML name, '-' and '.' included.
    b'<a-b.c:c xmlns:a-b.c="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD1048576">'
    b'<a-b.c:v>1</a-b.c:v></a-b.c:c>',
])
def test_a_stray_far_cell_in_an_otherwise_plain_small_sheet_is_found(tmp_path, stray):
    """A sheet of a few rows passes the quick bound unless the stray cell sends it to the exact walk;
    python-calamine would place the cell by its own address and abort on the rectangle."""
    book = openpyxl.Workbook()
    for row in ([["项目", "金额"], ["甲", 1], ["乙", 2]]):
        book.active.append(row)
    book.save(tmp_path / "小.xlsx")
    path = bad_files.rewrite_part(tmp_path / "零星.xlsx", "xl/worksheets/sheet1.xml",
                                  lambda xml: xml.replace(b"</row>", stray + b"</row>", 1), source=tmp_path / "小.xlsx")
    assert scan(path)["Sheet"] == SheetScan(1048576, 16384, ())

def test_a_part_whose_data_runs_into_the_next_part_is_refused_as_damaged(tmp_path):
    """Overlapping parts are how the smallest zip bombs are built; zipfile refuses them in current
    Python releases, and the package check refuses them on every release."""
    data = bytearray(SAMPLE_XLSX.read_bytes())
    first = min(zipfile.ZipFile(io.BytesIO(bytes(data))).infolist(), key=lambda info: info.header_offset)
    directory = data.index(b"PK\x01\x02")  # the first part's central directory record
    assert data[directory + 46:directory + 46 + len(first.orig_filename)] == first.orig_filename.encode()
    (size,) = struct.unpack_from("<L", data, directory + 20)
    struct.pack_into("<L", data, directory + 20, size + 16)  # its data said to run 16 bytes into the next part
    path = tmp_path / "重叠.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableWorkbook, match="文件已损坏：ZIP 结构不完整或数据校验失败"):
        scan(path)


def test_a_workbook_part_declaring_an_unknown_encoding_is_called_damaged(tmp_path):
    path = bad_files.rewrite_part(tmp_path / "编码.xlsx", "xl/workbook.xml",
                                  lambda xml: b'<?xml version="1.0" encoding="x-nonexistent"?>' + xml.split(b"?>", 1)[-1])
    with pytest.raises(UnreadableWorkbook, match="xl/workbook.xml 不是完整的 XML"):
        scan(path)


def test_cells_without_a_position_take_the_next_one(tmp_path):
    def unnumbered(xml: bytes) -> bytes:
        return re.sub(rb'(<(?:row|c)\b[^>]*?) r="[A-Z]*\d+"', rb"\1", xml)
    path = bad_files.rewrite_part(tmp_path / "无坐标.xlsx", "xl/worksheets/sheet3.xml", unnumbered)
    with zipfile.ZipFile(path) as archive:
        assert b' r="' not in archive.read("xl/worksheets/sheet3.xml").split(b"<sheetData>")[1]
    assert scan(path)["支出决算表"] == SheetScan(21, 8, ())


def test_a_sheet_larger_than_one_read_chunk_is_measured_across_chunk_boundaries(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("大表")
    for r in range(1, 30001):
        sheet.append([f"项目{r}", r, r * 2, r * 3])
    sheet.append(["合计", "=SUM(B1:B30000)", None, None, None, None, "=B30001-1"])
    book.save(tmp_path / "大.xlsx")
    assert scan(tmp_path / "大.xlsx")["大表"] == SheetScan(30001, 7, ("B30001", "G30001"))
    loaded = load_file(SourceFile(tmp_path / "大.xlsx", "大.xlsx"), ReadOptions())
    assert "（B30001、G30001），已按公式算出" in loaded.reason


# -- formulas ------------------------------------------------------------------------------------

GRID = [
    ["项目", "金额", "备注"],
    ["甲", 95.43, "1,234.50"],
    ["乙", 30.0, None],
    ["丙", "20.15", "说明"],
    [None, None, None],
]


@pytest.mark.parametrize(("formula", "value"), [
    ("=B2+B3", Decimal("125.43")),
    ("=SUM(B2:B3)", Decimal("125.43")),
    ("=SUM(B2:B4)", Decimal("125.43")),          # SUM skips the number typed as text in B4, as Excel does
    ("=B2+B3+B4", Decimal("145.58")),            # + reads it, as Excel does
    ("=SUM(B2,B3)-C2", Decimal("-1109.07")),
    ("=-B3+(B2-0.43)", Decimal("65.00")),
    ("=SUM(B2:XFD1048576)", Decimal("125.43")),  # a whole-sheet range costs no more than the sheet
    ("=sum($B$2:$B$3)", Decimal("125.43")),
    ("=B5+1", Decimal("1")),                     # a blank is 0
    ("=B2*2", None),
    ("=C4+1", None),                             # text that is not a number: #VALUE! in Excel
    ("=Sheet2!B2", None),
    ("=ROUND(B2,1)", None),
    ("=SUM(B2:B3", None),
])
def test_simple_formulas_are_computed_and_anything_else_is_left_alone(formula, value):
    assert evaluate(GRID, {"D1": formula}) == {"D1": value}


def test_formulas_may_use_other_uncomputed_formulas_but_not_themselves():
    results = evaluate(GRID, {"D1": "=D2+1", "D2": "=SUM(B2:B3)", "E1": "=E2", "E2": "=E1"})
    assert results == {"D1": Decimal("126.43"), "D2": Decimal("125.43"), "E1": None, "E2": None}


def test_a_very_long_chain_of_formulas_is_refused_not_crashed():
    formulas = {f"A{r}": f"=A{r + 1}+1" for r in range(1, 3001)} | {"A3001": "=1"}
    assert evaluate([], formulas)["A1"] is None
