"""Attack the loader with damaged copies of the sample workbooks.

Whatever is done to a file — bytes overwritten, the file cut short, a sheet's
XML garbled, sheets reordered, header cells deleted — loading it ends in a
clear reason or in figures that are right. It never raises, never crashes the
run, and never reads a figure the original does not hold.
"""

from __future__ import annotations

import functools
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import REAL, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_builder import write_workbook

from budgetkit.load import load_file
from budgetkit.model import FileStatus, LoadedFile, Side, SourceFile

SAMPLES = [REPO / "workbooks" / "区科协2022年部门决算.xlsx", REPO / "workbooks" / "区科协2022年收支构成测算表.xls",
           REAL / "putuo_social_work_2024_final.xlsx", REAL / "putuo_social_work_2024_final.xls"]
XLSX_SAMPLES = [p for p in SAMPLES if p.suffix == ".xlsx"]
INTERNAL_ERROR = "处理时出现意外错误"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

Key = tuple[str, str, object, str, str]


def figures(loaded: LoadedFile) -> dict[Key, Decimal]:
    """Every figure read, keyed by sheet, table kind, side, line and measure; a line is
    named by its code, its key (总表 lines) or else its label."""
    return {(t.sheet, t.kind.value, row.side, row.code or row.key or row.label, measure): cell.value
            for t in loaded.tables for row in t.rows for measure, cell in row.values.items()
            if cell.value is not None}


@functools.cache
def original(sample: Path) -> dict[Key, Decimal]:
    loaded = load_file(SourceFile(sample, sample.name))
    assert loaded.status == FileStatus.OK
    return figures(loaded)


@functools.cache
def truth(sample: Path) -> dict[Key, set[Decimal]]:
    """The original figures under every name a line can go by: its code or key, and its label,
    which is all a line has left when a damaged header hides the code column."""
    loaded = load_file(SourceFile(sample, sample.name))
    names: dict[Key, set[Decimal]] = {}
    for t in loaded.tables:
        for row in t.rows:
            for measure, cell in row.values.items():
                for line in {row.code or row.key or row.label, row.label}:
                    names.setdefault((t.sheet, t.kind.value, row.side, line, measure), set()).add(cell.value)
    return names


def load_bytes(tmp_path: Path, name: str, data: bytes) -> LoadedFile:
    path = tmp_path / name
    path.write_bytes(data)
    return load_file(SourceFile(path, name))


def assert_clear(loaded: LoadedFile) -> None:
    """A reason in plain words, never an internal error passed off as one."""
    if loaded.status == FileStatus.FAILED:
        assert loaded.reason and "Traceback" not in loaded.reason
    assert INTERNAL_ERROR not in loaded.reason
    assert not any(INTERNAL_ERROR in sheet for sheet in loaded.unrecognised_sheets)


samples = st.sampled_from(SAMPLES)


@SETTINGS
@given(sample=samples, at=st.floats(0, 1, exclude_max=True), junk=st.binary(min_size=1, max_size=64))
def test_overwritten_bytes_end_in_a_reason_or_a_load(tmp_path, sample, at, junk):
    data = bytearray(sample.read_bytes())
    start = int(at * len(data))
    data[start:start + len(junk)] = junk
    assert_clear(load_bytes(tmp_path, sample.name, bytes(data)))


@SETTINGS
@given(sample=samples, keep=st.floats(0, 1, exclude_max=True))
def test_a_file_cut_short_ends_in_a_reason_or_a_load(tmp_path, sample, keep):
    data = sample.read_bytes()
    assert_clear(load_bytes(tmp_path, sample.name, data[: int(keep * len(data))]))


def rezip(sample: Path, change) -> bytes:
    """The package with its parts passed through ``change(name, data)``, properly re-zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(sample) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, change(info.filename, old.read(info)))
    return buffer.getvalue()


@SETTINGS
@given(sample=st.sampled_from(XLSX_SAMPLES), sheet=st.integers(1, 3), at=st.floats(0, 1, exclude_max=True),
       junk=st.binary(min_size=1, max_size=32) | st.sampled_from([b"<", b">", b"</c>", b'r="XFD1048576"', b"&lol;"]))
def test_garbled_sheet_xml_inside_a_sound_package_ends_in_a_reason_or_a_load(tmp_path, sample, sheet, at, junk):
    part = f"xl/worksheets/sheet{sheet}.xml"

    def garble(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        start = int(at * len(data))
        return data[:start] + junk + data[start + len(junk):]

    assert_clear(load_bytes(tmp_path, sample.name, rezip(sample, garble)))


@pytest.mark.parametrize("sample", XLSX_SAMPLES, ids=lambda p: p.name)
def test_sheets_in_another_order_give_the_same_figures(tmp_path, sample):
    book = openpyxl.load_workbook(sample)
    book._sheets.reverse()  # openpyxl has no public reorder; move_sheet one by one says the same
    book.save(tmp_path / sample.name)
    loaded = load_file(SourceFile(tmp_path / sample.name, sample.name))
    assert figures(loaded) == original(sample)


def header_cells(sample: Path) -> list[tuple[str, str]]:
    """(sheet, cell) of every text cell above each sheet's first figure: titles, units, headings."""
    book = openpyxl.load_workbook(sample)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            if any(isinstance(c.value, (int, float)) for c in row):
                break
            found += [(sheet.title, c.coordinate) for c in row if isinstance(c.value, str)]
    return found


# Deleting the 项目 heading of a 总表's expenditure block must not merge the two
# blocks: the expenditure amounts would then be read as the income lines'.
HEADER_CASES = [pytest.param(sample, sheet, cell, id=f"{sample.stem}-{sheet}-{cell}")
                for sample in XLSX_SAMPLES for sheet, cell in header_cells(sample)]


@pytest.mark.parametrize(("sample", "sheet", "cell"), HEADER_CASES)
def test_a_deleted_header_cell_never_yields_a_figure_the_original_does_not_hold(tmp_path, sample, sheet, cell):
    """A table may be lost, or a column; what is read is still right."""
    book = openpyxl.load_workbook(sample)
    book[sheet][cell].value = None
    book.save(tmp_path / sample.name)
    loaded = load_file(SourceFile(tmp_path / sample.name, sample.name))
    assert_clear(loaded)
    known = truth(sample)
    assert {key: value for key, value in figures(loaded).items() if value not in known.get(key, set())} == {}


def test_a_summary_whose_expenditure_block_has_no_heading_does_not_read_its_amounts_as_income(tmp_path):
    rows = [["收入支出决算总表", None, None, None], ["项目", "决算数", None, "决算数"],
            ["一、一般公共预算财政拨款收入", 100.0, "一、一般公共服务支出", 60.0],
            ["本年收入合计", 100.0, "本年支出合计", 60.0]]
    path = write_workbook(tmp_path / "总表.xlsx", {"s": (rows, [])})
    [table] = load_file(SourceFile(path, path.name)).tables
    assert table.line("general_budget", Side.INCOME).values["amount"].value == Decimal("100")
