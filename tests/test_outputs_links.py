"""Every link in the summary resolves, and the 各部门 counts are the departments' whole
counts: findings in their tables and in their report texts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from conftest import REPO
from districts import two_departments
from standard_tables import expenditure_sheet
from openpyxl.utils import coordinate_to_tuple
from typer.testing import CliRunner
from workbook_builder import write_workbook

from budgetkit.cli import app

QUOTED_SHEET = "支出决算表'修订"
_LOCATION = re.compile(r"^'((?:[^']|'')+)'!([A-Z]+[0-9]+)$")


def follow(summary: Path, link):
    """The cell a hyperlink leads to, as a spreadsheet follows it: the workbook its
    relative target names beside the summary (none: the summary itself), then a quoted
    sheet name with its apostrophes doubled, then the address."""
    path = summary.parent / unquote(link.target.replace("\\", "/")) if link.target else summary
    assert path.is_file(), link.target
    quoted = _LOCATION.match(link.location)
    assert quoted, f"not a quoted sheet reference: {link.location}"
    sheet_name, address = quoted.group(1).replace("''", "'"), quoted.group(2)
    book = openpyxl.load_workbook(path)
    assert sheet_name in book.sheetnames, link.location
    sheet = book[sheet_name]
    row, column = coordinate_to_tuple(address)
    assert row <= sheet.max_row and column <= sheet.max_column, link.location
    return path, sheet[address]


def test_every_link_reaches_its_flagged_cell_from_a_copied_output_folder(tmp_path):
    out = tmp_path / "out" / "全区汇总.xlsx"
    assert CliRunner().invoke(app, ["run", str(two_departments(tmp_path, QUOTED_SHEET)), "--out", str(out)]).exit_code == 1
    moved = shutil.copytree(out.parent, tmp_path / "别处" / "out")  # as a reviewer unzips it elsewhere
    summary = moved / out.name
    book = openpyxl.load_workbook(summary)
    assert book.sheetnames == ["概览", "问题清单"]
    rows = [row for row in book["问题清单"].iter_rows(min_row=2) if row[5].hyperlink]
    assert len(rows) == 6  # two in 甲部门's sheet, two in 区科协's 测算表, two 尾差 in its 决算
    reached = set()
    for row in rows:
        path, target = follow(summary, row[5].hyperlink)
        assert target.coordinate == row[5].value and target.comment is not None
        assert path.parent.parent == moved / "标注" and path.stem == row[12].value  # the finding's department
        reached.add((path.stem, target.parent.title))
    assert ("甲部门 2022", f"标注1-{QUOTED_SHEET}") in reached


def test_batch_summary_and_an_annotated_workbook_convert_to_pdf_with_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH; .ci/run installs libreoffice-calc-nogui")
    out = tmp_path / "out" / "全区汇总.xlsx"
    CliRunner().invoke(app, ["run", str(two_departments(tmp_path, QUOTED_SHEET)), "--out", str(out)])
    for workbook in (out, out.parent / "标注" / "甲部门" / "甲部门 2022.xlsx"):
        converted = subprocess.run(
            [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp_path / "pdf"), str(workbook)], capture_output=True, text=True, timeout=300)
        pdf = tmp_path / "pdf" / f"{workbook.stem}.pdf"
        assert converted.returncode == 0 and pdf.read_bytes().startswith(b"%PDF"), converted.stdout + converted.stderr


def test_department_counts_include_report_text_findings(tmp_path):
    out = tmp_path / "out" / "汇总.xlsx"
    CliRunner().invoke(app, ["run", str(two_departments(tmp_path, QUOTED_SHEET)), "--out", str(out)])
    book = openpyxl.load_workbook(out)
    rows = [[c.value for c in row][:5] for row in book["概览"].iter_rows()]
    start = rows.index(["各部门", None, None, None, None])
    # 区科协: BK301 and BK303 in its 测算表, BK601, BK602 and BK611 in its report text.
    counts = [[name, *severities] for name, _, *severities in rows[start + 2:start + 4]]
    assert counts == [["乐山市市中区科学技术协会 2022", 5, 0, 2], ["甲部门 2022", 2, 0, 0]]
    issues = book["问题清单"]
    texts = [row[12].value for row in issues.iter_rows(min_row=2) if row[4].value == "报告文字"]
    assert texts == ["乐山市市中区科学技术协会 2022"] * 3


def test_past_excels_link_limit_the_address_is_plain_text_without_a_warning(tmp_path, monkeypatch, recwarn):
    from budgetkit.report import workbook

    monkeypatch.setattr(workbook, "LINKS_PER_SHEET", 5)
    out = tmp_path / "out" / "全区汇总.xlsx"
    CliRunner().invoke(app, ["run", str(two_departments(tmp_path, QUOTED_SHEET)), "--out", str(out)])
    cells = [row[5] for row in openpyxl.load_workbook(out)["问题清单"].iter_rows(min_row=2)]
    # Rows 3 to 5 are report-text findings (nothing to link); rows 6 to 9 are past the limit.
    assert [bool(c.hyperlink) for c in cells] == [True, True] + [False] * 7 and all(c.value for c in cells)
    assert not [w for w in recwarn if "URL" in str(w.message)]


def test_two_folders_holding_a_department_of_one_name_keep_their_own_annotated_workbooks(tmp_path):
    """The same department and year in two folders (two districts' 甲部门, or a department filed
    twice) once wrote one 标注 workbook over the other, and the first folder's links led nowhere."""
    folder = tmp_path / "区财政局"
    for group, sheet in (("一组", "支出决算表"), ("二组", "支出")):
        rows, merges = expenditure_sheet(overrides={("2080505", "basic"): "13.00"})
        rows = [list(r) for r in rows]
        rows[1][0] = "部门：甲部门"
        write_workbook(folder / group / "2022年决算.xlsx", {sheet: (rows, merges)})
    out = tmp_path / "out" / "全区汇总.xlsx"
    assert CliRunner().invoke(app, ["run", str(folder), "--out", str(out)]).exit_code == 1
    summary = openpyxl.load_workbook(out)["问题清单"]
    reached = sorted((follow(out, row[5].hyperlink)[0].relative_to(out.parent).as_posix(), row[3].value, row[5].value)
                     for row in summary.iter_rows(min_row=2))
    assert reached == [(f"标注/{group}/甲部门 2022.xlsx", f"{group}/2022年决算.xlsx", cell)
                       for group in ("一组", "二组") for cell in ("C13", "D12")]  # the 类 row and the 项 column


def test_the_annotated_copies_are_numbered_without_a_gap_for_a_report_texts_findings(tmp_path):
    """The samples' findings lie on the 测算表, the report text and the 支出决算表: the two sheets are copied
    as 标注1 and 标注2 (the text, which has no sheet to copy, used to take number 2)."""
    out = tmp_path / "s.xlsx"
    assert CliRunner().invoke(app, ["run", str(REPO / "workbooks"), "--out", str(out)]).exit_code == 1
    assert [n for n in openpyxl.load_workbook(out).sheetnames if n.startswith("标注")] == ["标注1-收支构成",
                                                                                        "标注2-支出决算表"]
