"""Text from the user's files stays text in every output: a label, a sheet name or a
file name that reads like a formula ("=HYPERLINK(…)") is written as a string, never as
a live formula or link in the files the reviewer opens."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from standard_tables import expenditure_sheet
from typer.testing import CliRunner

from budgetkit.cli import app

LABEL = '=HYPERLINK("http://example.com/x","行政事业单位养老支出")'
SHEET = '=HYPERLINK("#A1","支出")'
FILE = '=HYPERLINK("#A1","打开")2022年决算.xlsx'
TEXT_FILE = "=1+1说明.txt"


def formula_like_folder(tmp_path: Path) -> Path:
    """One 支出决算表 with an error at D12, whose 20805 label, sheet name and file name
    are formula-like text stored as strings, and a report text whose name is one too."""
    folder = tmp_path / "in"
    folder.mkdir()
    rows, merges = expenditure_sheet(overrides={("2080505", "basic"): "13.00"})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    sheet["B12"] = LABEL
    sheet["B12"].data_type = "s"  # as the user's workbook has it: text, not a formula
    book.save(folder / FILE)
    (folder / TEXT_FILE).write_text("一、部门概况。本部门2022年支出145.58万元。", encoding="utf-8")
    return folder


def every_cell(book: openpyxl.Workbook):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_formula_like_label_sheet_and_file_names_are_strings_in_every_output(tmp_path):
    folder = formula_like_folder(tmp_path)
    out, report, word = tmp_path / "out" / "s.xlsx", tmp_path / "out" / "s.json", tmp_path / "out" / "s.docx"
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--json", str(report),
                                      "--docx", str(word), "--report"])
    assert result.exit_code == 1, result.output

    book = openpyxl.load_workbook(out)
    assert [c.coordinate for c in every_cell(book) if c.data_type == "f"] == []
    links = [c.hyperlink for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.hyperlink]
    assert links and all(link.target is None and link.location for link in links)  # only links into the book
    strings = {c.value for c in every_cell(book) if c.data_type == "s"}
    assert {LABEL, SHEET, FILE, TEXT_FILE} <= strings
    copy = book[f"标注1-{SHEET}"]
    assert (copy["B12"].value, copy["B12"].data_type) == (LABEL, "s")
    issues = book["问题清单"]
    flagged = next(row for row in issues.iter_rows(min_row=2) if row[5].value == "D12")
    assert (flagged[3].value, flagged[4].value) == (FILE, SHEET)
    assert LABEL in flagged[6].value

    data = json.loads(report.read_text(encoding="utf-8"))
    assert [f["path"] for f in data["files"]] == [FILE] and data["texts"][0]["path"] == TEXT_FILE
    d12 = next(f for f in data["findings"] if f["cell"] == "D12")
    assert (d12["file"], d12["sheet"]) == (FILE, SHEET) and LABEL in d12["item"]

    with zipfile.ZipFile(word) as package:
        document = package.read("word/document.xml").decode()
    assert "instrText" not in document and "fldSimple" not in document  # no Word field either
