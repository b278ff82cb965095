"""An annotated copy looks like the sheet the user knows: the source's number formats,
column widths, row heights, merged ranges, fonts, fills and borders, then the highlight
and the comment on each questioned cell. Read back from the written summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from typer.testing import CliRunner

from budgetkit.cli import app

SHARES = "区科协2022年收支构成测算表"
ERROR_FILL = "F8CBAD"
HEADER_FILL = "FFD9E1F2"
THIN = Side(style="thin", color="FF000000")


def shares_workbook(path: Path) -> Path:
    """The sample 测算表 as an .xlsx a finance officer formats by hand: 宋体, a bold title
    merged over the table, a filled header, thin borders, 0% and 0.00% shares (the 上年结转
    share wrongly 0%, the 合计 missing it), set widths and a tall title row; plus a sheet
    with nothing to annotate."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收支构成"
    rows = [["2022年部门财政资金收入构成"], [None, None, "单位：万元"], ["项目", "金额", "占比"],
            ["上年结转", 0.84, 0], ["一般公共预算拨款收入", 163.68, 1], ["政府性基金预算拨款收入", 0, 0],
            ["事业收入", 0, 0], ["合计", 163.68, 1], [],
            ["2022年部门财政资金支出构成"], [None, None, "单位：万元"], ["项目", "金额", "占比"],
            ["科学技术支出", 125.43, 0.7663], ["社会保障和就业支出", 20.15, 0.1231], ["卫生健康支出", 5.95, 0.0364],
            ["住房保障支出", 12.15, 0.0742], ["合计", 163.68, 1]]
    for row in rows:
        sheet.append(row)
    for first in (1, 10):
        sheet.merge_cells(f"A{first}:C{first}")
        sheet[f"A{first}"].font = Font(name="宋体", size=16, bold=True)
        sheet[f"A{first}"].alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[first].height = 30
        for cell in sheet[first + 2]:
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.font = Font(name="宋体", size=12, bold=True)
        share_format = "0%" if first == 1 else "0.00%"
        for row in sheet.iter_rows(min_row=first + 2, max_row=first + 7, max_col=3):
            for cell in row:
                cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            row[1].number_format, row[2].number_format = "#,##0.00", share_format
    for column, width in (("A", 30), ("B", 14), ("C", 10)):
        sheet.column_dimensions[column].width = width
    book.create_sheet("说明")["A1"] = "测算表由财务科编制"
    book.save(path)
    return path


def annotated(out: Path, source_sheet: str):
    book = openpyxl.load_workbook(out)
    names = [n for n in book.sheetnames if n.startswith("标注") and n.endswith(source_sheet)]
    assert len(names) == 1, book.sheetnames
    return book[names[0]]


@pytest.fixture
def xlsx_copy(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shares_workbook(folder / f"{SHARES}.xlsx")
    out = tmp_path / "s.xlsx"
    assert CliRunner().invoke(app, ["run", str(folder), "--out", str(out)]).exit_code == 1
    return annotated(out, "收支构成"), openpyxl.load_workbook(out).sheetnames


def test_xlsx_copy_keeps_the_questioned_share_cells_number_format(xlsx_copy):
    copy, _ = xlsx_copy
    assert copy["C4"].comment is not None and "BK301" in copy["C4"].comment.text
    assert (copy["C4"].value, copy["C4"].number_format) == (0, "0%")
    assert copy["C4"].fill.fgColor.rgb.endswith(ERROR_FILL)
    assert [copy[a].number_format for a in ("B4", "C13", "B8")] == ["#,##0.00", "0.00%", "#,##0.00"]


def test_xlsx_copy_keeps_widths_heights_merges_fonts_fills_and_borders(xlsx_copy):
    copy, sheet_names = xlsx_copy
    assert {str(r) for r in copy.merged_cells.ranges} == {"A1:C1", "A10:C10"}
    assert [round(copy.column_dimensions[c].width) for c in "ABC"] == [30, 14, 10]
    assert copy.row_dimensions[1].height == 30
    title, header, amount = copy["A1"], copy["A3"], copy["B5"]
    assert (title.font.name, title.font.sz, title.font.b, title.alignment.horizontal) == ("宋体", 16, True, "center")
    assert header.fill.fgColor.rgb == HEADER_FILL and header.font.b
    assert all(getattr(amount.border, side).style == "thin" for side in ("left", "right", "top", "bottom"))
    assert not [n for n in sheet_names if n.endswith("说明")]  # only sheets with findings are copied


def test_xls_copy_keeps_the_sources_formats_merges_and_widths(tmp_path):
    import xlrd

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPO / "workbooks" / f"{SHARES}.xls", folder)
    out = tmp_path / "s.xlsx"
    assert CliRunner().invoke(app, ["run", str(folder), "--out", str(out)]).exit_code == 1
    copy = annotated(out, "收支构成")
    source = xlrd.open_workbook(str(folder / f"{SHARES}.xls"), formatting_info=True).sheet_by_index(0)
    assert (copy["C4"].number_format, copy["B8"].number_format, copy["C13"].number_format) == \
        ("0%", "#,##0.00", "0.00%")
    assert copy["C4"].comment is not None and copy["C4"].fill.fgColor.rgb.endswith(ERROR_FILL)
    assert {str(r) for r in copy.merged_cells.ranges} == {"A1:C1", "A10:C10"}
    assert round(copy.column_dimensions["A"].width) == round(source.colinfo_map[0].width / 256)
    font = source.book.font_list[source.book.xf_list[source.cell_xf_index(3, 0)].font_index]
    assert copy["A4"].font.name == font.name


def test_a_questioned_cell_on_a_hidden_row_is_shown_in_the_copy_and_its_comment_says_so(tmp_path):
    """The 上年结转 line (row 4, its share C4 questioned) hidden in the source: the copy shows it,
    the comment says it was hidden; the 政府性基金 line (row 6), hidden and not questioned, stays hidden."""
    folder = tmp_path / "in"
    folder.mkdir()
    source = shares_workbook(folder / f"{SHARES}.xlsx")
    book = openpyxl.load_workbook(source)
    for row in (4, 6):
        book["收支构成"].row_dimensions[row].hidden = True
    book.save(source)
    out = tmp_path / "s.xlsx"
    assert CliRunner().invoke(app, ["run", str(folder), "--out", str(out)]).exit_code == 1
    copy = annotated(out, "收支构成")
    assert (copy.row_dimensions[4].hidden, copy.row_dimensions[6].hidden) == (False, True)
    assert "BK301" in copy["C4"].comment.text
    assert "此行在原表中为隐藏状态，副本中已取消隐藏" in copy["C4"].comment.text
    assert copy["C5"].comment is None or "隐藏" not in copy["C5"].comment.text
