"""Every way a file can fail ends in a plain Chinese reason, and the other files are still read.

Each test writes the bad file it talks about (see ``bad_files``): an encrypted
workbook, a truncated package, a zip bomb, a workbook whose formulas have no
saved results, a reader crash, a file the system will not open.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import bad_files
from bad_files import SAMPLE_XLS, SAMPLE_XLSX
from standard_tables import expenditure_sheet
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.load import ReadOptions, load_file
from budgetkit.model import FileStatus, SourceFile, TableKind

SAMPLE_SHEETS = ["收入支出决算总表", "收入决算表", "支出决算表"]


def load(path: Path, **options):
    return load_file(SourceFile(path, path.name), ReadOptions(**options))


def column(table, measure: str) -> dict[str | None, Decimal | None]:
    return {row.code: row.values[measure].value for row in table.rows}


# -- password ---------------------------------------------------------------------------------

def test_an_encrypted_workbook_says_it_needs_a_password_and_how_to_give_it(tmp_path):
    loaded = load(bad_files.encrypted(tmp_path / "加密.xlsx"))
    assert (loaded.status, loaded.reason) == (
        FileStatus.FAILED, "文件设有打开密码，无法读取；可用 --password 提供密码，或另存为无密码的副本后再检查")


def test_the_right_password_opens_the_encrypted_workbook_with_its_tables(tmp_path):
    loaded = load(bad_files.encrypted(tmp_path / "加密.xlsx", "secret"), password="secret")
    assert (loaded.status, [t.sheet for t in loaded.tables]) == (FileStatus.OK, SAMPLE_SHEETS)
    assert column(loaded.tables[2], "total")["2080505"] == Decimal("13.44")


def test_a_wrong_password_is_named_as_wrong(tmp_path):
    loaded = load(bad_files.encrypted(tmp_path / "加密.xlsx", "secret"), password="guess")
    assert (loaded.status, loaded.reason) == (FileStatus.FAILED, "文件设有打开密码，--password 提供的密码不正确")


# -- damaged and foreign files ------------------------------------------------------------------

def test_a_zero_byte_file_is_called_empty(tmp_path):
    (tmp_path / "空.xlsx").write_bytes(b"")
    assert load(tmp_path / "空.xlsx").reason == "文件为空（0 字节）"


@pytest.mark.parametrize("keep", [0.3, 0.9])
def test_a_truncated_download_is_called_incomplete(tmp_path, keep):
    loaded = load(bad_files.truncated(tmp_path / "半截.xlsx", keep))
    assert (loaded.status, loaded.reason) == (FileStatus.FAILED, "文件已损坏：ZIP 结构不完整（可能下载或复制不完整）")


def test_a_part_whose_bytes_were_damaged_fails_its_checksum(tmp_path):
    path = Path(shutil.copy(SAMPLE_XLSX, tmp_path / "坏块.xlsx"))
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet3.xml")
    data = bytearray(path.read_bytes())
    middle = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    data[middle:middle + 8] = bytes(8)
    path.write_bytes(data)
    assert load(path).reason == "文件已损坏：ZIP 结构不完整或数据校验失败（可能下载或复制不完整）"


def test_a_part_flagged_as_zip_encrypted_is_called_damaged(tmp_path):
    """Excel never encrypts single parts (its passwords encrypt the whole file); the flag means damage."""
    data = bytearray(SAMPLE_XLSX.read_bytes())
    data[data.find(b"PK\x01\x02") + 8] |= 1  # bit 0 of the first central directory entry's flags
    (tmp_path / "标志.xlsx").write_bytes(data)
    assert load(tmp_path / "标志.xlsx").reason == "文件已损坏：ZIP 结构不完整或数据校验失败（可能下载或复制不完整）"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("说明.xls", "这不是表格".encode(), "文件不是 Excel 工作簿，实际是纯文本文件"),
    ("扫描件.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "文件不是 Excel 工作簿，实际是 PDF 文件"),
    ("网页存档.xls", b"MIME-Version: 1.0\r\nContent-Type: multipart/related",
     "文件不是 Excel 工作簿，实际是网页存档（MHT/MIME）文件"),
    ("随机.xls", bytes(range(256)) * 4, "文件不是 Excel 工作簿（内容无法识别为任何表格格式）"),
    ("导出.xls", b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
               b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>',
     "文件实际是 XML 电子表格 2003 格式（扩展名写作 .xls），请在 Excel/WPS 中另存为 .xlsx 后再检查"),
])
def test_a_file_that_is_not_a_workbook_says_what_it_is(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    assert load(tmp_path / name).reason == reason


@pytest.mark.parametrize(("parts", "reason"), [
    ({"报表/说明.txt": "见附件"}, "文件不是 Excel 工作簿，实际是 ZIP 压缩包；请解压后把其中的工作簿放进文件夹"),
    ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}, "文件不是 Excel 工作簿，实际是 Word 文档（.docx）"),
])
def test_a_zip_that_is_not_an_excel_workbook_says_what_it_is(tmp_path, parts, reason):
    with zipfile.ZipFile(tmp_path / "改名.xlsx", "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    assert load(tmp_path / "改名.xlsx").reason == reason


def test_an_opendocument_spreadsheet_is_read_by_content_even_under_an_xls_name(tmp_path):
    shutil.copy(Path(__file__).parent / "fixtures" / "区科协2022年部门决算.ods", tmp_path / "另存.xls")
    loaded = load(tmp_path / "另存.xls")
    assert [t.kind for t in loaded.tables] == [TableKind.SUMMARY, TableKind.INCOME, TableKind.EXPENDITURE]
    spending = loaded.tables[2]
    assert spending.coded()["2080505"].values["total"].value == Decimal("13.44")
    assert spending.coded()["2080505"].values["total"].ref.cell == "C13"


def test_a_damaged_opendocument_spreadsheet_has_a_reason(tmp_path):
    with zipfile.ZipFile(tmp_path / "坏.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    loaded = load(tmp_path / "坏.ods")
    assert loaded.status.value == "failed" and "损坏" in loaded.reason


def test_an_ole2_file_without_a_workbook_stream_is_not_taken_for_xls(tmp_path):
    """An encrypted .xlsx whose EncryptionInfo stream is renamed: valid OLE2, no workbook."""
    data = bytearray(bad_files.encrypted(tmp_path / "x.xlsx").read_bytes())
    name = "EncryptionInfo".encode("utf-16-le")
    at = data.find(name)
    data[at:at + len(name)] = "EncryptionJunk".encode("utf-16-le")
    (tmp_path / "不明.xls").write_bytes(data)
    assert load(tmp_path / "不明.xls").reason == "文件不是 Excel 工作簿（OLE2 复合文档中没有工作簿数据）"


def test_a_reader_that_dies_on_a_damaged_xls_costs_that_file_only(tmp_path):
    crashed = load(bad_files.crashing_xls(tmp_path / "崩溃.xls"))
    after = load(SAMPLE_XLS)
    assert (crashed.status, crashed.reason) == (
        FileStatus.FAILED, "读取程序在读取此文件时异常退出：文件很可能已损坏（或单个工作表大到无法放入内存）")
    assert (after.status, [t.sheet for t in after.tables]) == (FileStatus.OK, ["收支构成", "收支构成"])


# -- hostile packages -----------------------------------------------------------------------------

def test_an_xml_bomb_workbook_is_refused_quickly(tmp_path):
    started = time.perf_counter()
    loaded = load(bad_files.xml_bomb(tmp_path / "炸弹.xlsx"))
    assert time.perf_counter() - started < 5
    assert (loaded.status, loaded.reason) == (
        FileStatus.FAILED,
        "文件中含有 XML 文档类型声明（DTD）：Excel 不会写出这种内容，这是可能耗尽内存的恶意构造（XML 炸弹），已拒绝读取")


def test_defusedxml_refuses_entities_in_the_parts_budgetkit_parses_itself(tmp_path):
    bomb = bad_files.rewrite_part(tmp_path / "炸弹.xlsx", "xl/workbook.xml",
                                  lambda xml: xml.replace(b"<workbook", b'<!DOCTYPE w [<!ENTITY a "b">]><workbook', 1))
    assert load(bomb).reason == "文件中含有 XML 实体或文档类型声明（可能是 XML 炸弹），已拒绝读取"


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    bomb = bad_files.zip_bomb(tmp_path / "压缩炸弹.xlsx", 3 << 20)
    assert bomb.stat().st_size < 100_000
    assert load(bomb, max_bytes=2 << 20).reason == (
        "文件解压后超过 2 MB 的上限（可能是恶意构造的压缩炸弹，也可能是文件已损坏），已拒绝读取；如确是这么大的工作簿，请拆分后再检查")


def test_a_zip_bomb_that_understates_its_size_is_refused_without_being_inflated(tmp_path):
    """zipfile stops a part at its declared size and then fails its CRC check."""
    bomb = bad_files.lying_zip_bomb(tmp_path / "压缩炸弹.xlsx", 3 << 20)
    with zipfile.ZipFile(bomb) as archive:
        assert sum(info.file_size for info in archive.infolist()) < 2 << 20
    assert load(bomb, max_bytes=2 << 20).reason == "文件已损坏：ZIP 结构不完整或数据校验失败（可能下载或复制不完整）"


# -- sheets left out --------------------------------------------------------------------------------

def test_a_sheet_over_the_cell_cap_is_listed_and_the_other_sheets_are_read(tmp_path):
    loaded = load(bad_files.with_stray_far_cell(tmp_path / "大表.xlsx"))
    assert [t.sheet for t in loaded.tables] == SAMPLE_SHEETS
    assert loaded.unrecognised_sheets == [
        "草稿（工作表过大：1,048,576 行 × 16,384 列，超过 2,000,000 个单元格的上限，未读取；可用 --max-cells 调高上限）"]


def test_the_cell_cap_is_configurable_and_applies_to_xls_too():
    loaded = load(SAMPLE_XLS, max_cells=50)
    assert loaded.status == FileStatus.SKIPPED
    assert loaded.unrecognised_sheets == [
        "收支构成（工作表过大：17 行 × 3 列，超过 50 个单元格的上限，未读取；可用 --max-cells 调高上限）"]


def test_hidden_sheets_are_listed_and_skipped_unless_asked_for(tmp_path):
    path = bad_files.hidden_table(tmp_path / "隐藏.xlsx")
    default = load(path)
    assert (default.status, default.tables) == (FileStatus.SKIPPED, [])
    assert default.unrecognised_sheets == ["封面", "支出决算表（隐藏工作表，未读取；加 --include-hidden 可读取）"]
    assert default.reason == "未在文件中找到可识别的预算/决算表格；支出决算表（隐藏工作表，未读取；加 --include-hidden 可读取）"

    included = load(path, include_hidden=True)
    assert [t.sheet for t in included.tables] == ["支出决算表"]
    assert column(included.tables[0], "basic")["2080506"] == Decimal("6.72")


# -- formulas without results -----------------------------------------------------------------------

def test_formulas_saved_without_results_are_computed_and_named(tmp_path):
    loaded = load(bad_files.uncached_formulas(tmp_path / "公式.xlsx"))
    table = loaded.tables[0]
    assert column(table, "total")[None] == Decimal("145.58")      # C5 =SUM(C6:C11)-C7-…-C10, C6 a formula too
    assert column(table, "basic")[None] == Decimal("115.58")      # D5 =SUM(D6,D11)
    assert column(table, "project")[None] == Decimal("30.0")      # E5 =$E$6-0
    assert column(table, "total")["206"] == Decimal("125.43")     # C6 =D6+E6
    assert column(table, "total")["20805"] is None                # C12 =VLOOKUP(…)
    unknown = next(r for r in table.rows if r.code == "20805").values["total"]
    assert (unknown.ref.cell, unknown.known, unknown.unstated) == ("C12", False, True)
    assert loaded.reason == (
        "工作表“支出决算表”有 4 个公式单元格没有保存计算结果（C5、D5、E5、C6），"
        "已按公式算出；在 Excel/WPS 中打开并保存一次即可写入结果；"
        "工作表“支出决算表”有 1 个公式单元格没有保存计算结果且无法计算（C12；只计算同一工作表内的 SUM 和加减），涉及它们的核对未进行")


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#VALUE!"])
def test_a_figure_saved_as_an_excel_error_is_named_as_unreadable_not_read_as_zero(tmp_path, error):
    """The 合计 row's 本年支出合计 (C5) is a formula broken by a deleted row, saved as #REF!:
    calamine gives such a cell as empty, which read as 0.00 made three wrong claims (BK101,
    BK102 and a 总表 mismatch); it is one BK105 at C5 instead, and nothing is judged on it."""
    from standard_tables import expenditure_sheet
    from workbook_builder import write_workbook

    plain = write_workbook(tmp_path / "plain.xlsx", {"支出决算表": expenditure_sheet()})
    broken = re.compile(rb'<c r="C5"[^>]*>.*?</c>')
    (tmp_path / "in").mkdir()
    bad_files.rewrite_part(tmp_path / "in" / "决算.xlsx", "xl/worksheets/sheet1.xml",
                           lambda xml: broken.sub(f'<c r="C5" t="e"><f>SUM(#REF!)</f><v>{error}</v></c>'.encode(), xml),
                           source=plain)
    result = pipeline.run(tmp_path / "in")
    total = next(r for r in result.tables[0].rows if r.is_total).values["total"]
    assert (total.ref.cell, total.value, total.unreadable, total.known) == ("C5", None, error, False)
    assert [(f.rule, f.ref.cell, f.severity.value) for f in result.findings] == [("BK105", "C5", "error")]
    assert f"“{error}”不是可识别的数字" in result.findings[0].message


def test_a_formula_that_cannot_be_worked_out_is_unknown_and_no_check_is_judged_on_it(tmp_path):
    """C12 (20805 本年支出合计) is =VLOOKUP(…) saved without its result: read as zero it would
    break 20805's row and 208's sum of its 款; unknown, those checks are noted as not made."""
    bad_files.uncached_formulas(tmp_path / "公式.xlsx")
    result = pipeline.run(tmp_path)
    assert [(f.rule, f.ref.cell) for f in result.findings if f.severity.value != "info"] == []
    noted = [note for c in result.coverage for note in c.notes if "C12" in note]
    assert noted and all("20805" in note or "208 " in note for note in noted)


# -- files that move or lock ---------------------------------------------------------------------

def test_a_file_that_disappears_before_it_is_read_is_named(tmp_path):
    path = Path(shutil.copy(SAMPLE_XLSX, tmp_path / "临时.xlsx"))
    os.remove(path)
    assert load(path).reason == "文件在读取前被移动或删除"


def test_a_file_the_system_will_not_open_is_called_locked_or_unreadable(tmp_path):
    loaded = load(bad_files.unreadable(tmp_path / "占用.xlsx"))
    assert (loaded.status, loaded.reason) == (
        FileStatus.FAILED, "文件被其他程序占用或没有读取权限；请关闭正在使用它的 Excel/WPS 后重试")


# -- spreadsheets in disguise, and ordinary ones ---------------------------------------------------

@pytest.mark.parametrize("writer", [bad_files.html_as_xls, bad_files.csv_as_xls])
def test_a_web_page_or_csv_saved_as_xls_is_read_as_the_table_it_holds(tmp_path, writer):
    loaded = load(writer(tmp_path / "下载.xls"))
    assert (loaded.status, loaded.reason, [t.kind.title for t in loaded.tables]) == (FileStatus.OK, "", ["支出决算表"])
    assert column(loaded.tables[0], "total") == {
        None: Decimal("145.58"), "206": Decimal("125.43"), "20601": Decimal("95.43"), "2060101": Decimal("95.43"),
        "20607": Decimal("30.0"), "2060702": Decimal("30.0"), "208": Decimal("20.15"), "20805": Decimal("20.15"),
        "2080505": Decimal("13.43"), "2080506": Decimal("6.72")}


def test_a_web_page_without_lxml_says_what_it_is(monkeypatch):
    import importlib.util

    from budgetkit.load.errors import UnreadableWorkbook
    from budgetkit.load.text_grids import html_grids

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "lxml" else real(name, *a))
    with pytest.raises(UnreadableWorkbook, match="^文件实际是网页（HTML）格式，扩展名写作 .xls；读取它需要 lxml"):
        html_grids(b"<html><table><tr><td>1</td></tr></table></html>")


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_ordinary_workbooks_load_with_no_reason(tmp_path, suffix):
    loaded = load(write_workbook(tmp_path / f"支出{suffix}", {"支出决算表": expenditure_sheet()}))
    assert (loaded.status, loaded.reason) == (FileStatus.OK, "")
    assert column(loaded.tables[0], "total")["2060702"] == Decimal("30.0")
