"""The 报告用表 and 报告文字 sheets, the Word export and the options of `budgetkit run`,
read back from the files a user opens."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import REPO
from report_crafted import crafted_folder
from typer.testing import CliRunner

from budgetkit import pipeline
from budgetkit.cli import app
from budgetkit.report.figures import Section, build_report
from budgetkit.report.narrative import paragraphs

runner = CliRunner()

SAMPLE_TEXT = [
    "（一）部门财政资金收入情况。乐山市市中区科学技术协会2022年收入总计164.52万元，其中：年初结转和结余0.84万元，占0.51%；"
    "一般公共预算财政拨款收入163.68万元，占99.49%。",
    "（二）部门财政资金支出情况。2022年本年支出合计163.68万元。按支出功能分类，科学技术支出125.43万元，占76.63%；"
    "社会保障和就业支出20.15万元，占12.31%；卫生健康支出5.95万元，占3.64%；住房保障支出12.15万元，占7.42%。"
    "按支出性质，基本支出133.68万元，占81.67%；项目支出30.00万元，占18.33%。",
    "（三）部门财政资金结转结余情况。年初结转和结余0.84万元，本年收入163.68万元，本年支出163.68万元，年末结转和结余0.84万元。",
]
SAMPLE_INCOME = [["项目", "金额", "占比"], ["年初结转和结余", 0.84, 0.0051], ["一般公共预算财政拨款收入", 163.68, 0.9949],
                 ["合计", 164.52, 1]]


@pytest.fixture
def samples(tmp_path) -> Path:
    folder = tmp_path / "workbooks"
    shutil.copytree(REPO / "workbooks", folder)
    return folder


def run(folder: Path, out: Path, *options: str):
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), *options])
    assert result.exit_code in (0, 1), result.output
    return openpyxl.load_workbook(out)


def values(sheet, first: int, last: int, width: int) -> list[list]:
    return [[sheet.cell(r, c).value for c in range(1, width + 1)] for r in range(first, last + 1)]


def test_report_sheets_follow_the_issue_list(samples, tmp_path):
    book = run(samples, tmp_path / "s.xlsx")
    assert book.sheetnames[:4] == ["概览", "问题清单", "报告用表", "报告文字"]


def test_a_text_in_the_files_read_says_how_many_paragraphs_were_read_and_names_no_tables(samples, tmp_path):
    # It showed 0 tables recognised and the bare word 报告文字: a text holds no tables.
    overview = run(samples, tmp_path / "s.xlsx")["概览"]
    row = next(r for r in overview.iter_rows(values_only=True) if r[0] == "区科协2022年整体绩效自评报告.txt")
    assert row[1:4] == ("已读取", None, "报告文字，4 段")  # its four non-empty lines


def test_report_tables_sheet_has_captioned_bordered_tables_in_report_fonts(samples, tmp_path):
    sheet = run(samples, tmp_path / "s.xlsx")["报告用表"]
    assert sheet["A1"].value == "乐山市市中区科学技术协会2022年部门财政资金收支情况报告用表"
    assert (sheet["A3"].value, sheet["C4"].value) == ("表1 收入情况", "单位：万元")
    assert values(sheet, 5, 8, 3) == SAMPLE_INCOME
    assert [sheet[f"A{r}"].value for r in (10, 19, 26)] == ["表2 支出情况（按支出功能分类）", "表3 支出情况（按支出性质）",
                                                          "表4 收支及结转结余情况"]
    assert values(sheet, 13, 17, 3) == [["科学技术支出", 125.43, 0.7663], ["社会保障和就业支出", 20.15, 0.1231],
                                        ["卫生健康支出", 5.95, 0.0364], ["住房保障支出", 12.15, 0.0742], ["合计", 163.68, 1]]
    assert values(sheet, 28, 29, 5) == [["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"],
                                        ["合计", 0.84, 163.68, 163.68, 0.84]]
    assert sheet["A30"].value == "注：未提供财政拨款收入支出决算总表，未按资金性质分列。"
    assert [sheet[f"A{r}"].value for r in (32, 33, 34, 35, 36)] == [
        "未生成基本支出情况（人员经费和公用经费）表：未提供一般公共预算财政拨款基本支出决算表。",
        "未生成预算执行情况表：未提供同一部门的部门收支总表或部门支出总表（预算）。",
        "未生成“三公”经费情况表：未提供财政拨款“三公”经费支出决算表。",
        "未生成与上年对比情况表：文件夹中没有本部门上年（2021年）的决算。",
        "取数说明：收入总计采用表中各项之和 164.52万元；未采用2022年部门财政资金收入构成（收支构成!B8） 163.68万元。",
    ]
    amount, share, total = sheet["B6"], sheet["C6"], sheet["B8"]
    assert (amount.number_format, share.number_format) == ("#,##0.00", "0.00%")
    assert (amount.font.name, amount.font.sz, sheet["A3"].font.sz) == ("宋体", 10.5, 12)
    assert all(getattr(amount.border, side).style == "thin" for side in ("left", "right", "top", "bottom"))
    assert total.font.b and not amount.font.b
    assert not sheet.merged_cells.ranges
    assert sheet.column_dimensions["A"].width >= 26  # "一般公共预算财政拨款收入" is 12 汉字


def test_report_text_sheet_has_one_wrapped_paragraph_per_cell(samples, tmp_path):
    sheet = run(samples, tmp_path / "s.xlsx")["报告文字"]
    assert [sheet[f"A{r}"].value for r in range(1, 5)] == ["二、部门财政资金收支情况", *SAMPLE_TEXT]
    assert sheet["A5"].value is None
    assert sheet["A2"].alignment.wrap_text and sheet["A2"].font.name == "仿宋"


def test_issue_list_says_which_stated_figure_the_report_set_aside(samples, tmp_path):
    issues = run(samples, tmp_path / "s.xlsx")["问题清单"]
    row = next(r for r in issues.iter_rows(min_row=2, values_only=True) if (r[2], r[5]) == ("BK303", "B8"))
    assert row[11].endswith("报告用表和报告文字未采用此数：收入总计采用表中各项之和 164.52万元。")


def test_paragraphs_quote_every_figure_and_share_of_the_tables(tmp_path):
    for folder in (REPO / "workbooks", crafted_folder(tmp_path)):
        for report in build_report(pipeline.run(folder)).departments:
            text = "".join(paragraphs(report))
            for table in report.tables:
                for row in table.body:
                    if table.header[1:] == ("金额", "占比"):
                        assert f"{row.label}{row.values[0]:,.2f}万元，占{row.values[1] * 100:.2f}%" in text
                    elif table.section in (Section.EXECUTION, Section.THREE_PUBLIC) and not row.is_detail:
                        assert f"{row.label.removeprefix('其中：')}预算{row.values[0]:,.2f}万元、决算{row.values[1]:,.2f}万元" \
                            in text


def test_crafted_paragraphs_cover_carryover_by_fund_budget_execution_and_three_public(tmp_path):
    report = build_report(pipeline.run(crafted_folder(tmp_path))).departments[0]
    assert paragraphs(report)[2:] == [
        "（三）部门财政资金结转结余情况。年初结转和结余20.00万元，本年收入253.33万元，本年支出240.00万元，年末结转和结余33.33万元。"
        "年末结转和结余中，一般公共预算财政拨款25.00万元；非财政拨款8.33万元。",
        "（四）预算执行情况。2023年年初预算支出243.33万元，决算支出240.00万元，预算执行率98.63%，决算数比预算数减少3.33万元。"
        "其中：科学技术支出预算110.00万元、决算100.00万元、执行率90.91%；社会保障和就业支出预算46.67万元、决算46.67万元、"
        "执行率100.00%；卫生健康支出预算40.00万元、决算46.67万元、执行率116.68%；住房保障支出预算46.66万元、决算46.66万元、"
        "执行率100.00%。",
        "（五）“三公”经费情况。“三公”经费预算5.00万元，决算4.20万元，完成预算的84.00%。其中：因公出国（境）费预算0.00万元、"
        "决算0.00万元；公务用车购置及运行维护费预算3.00万元、决算2.80万元；公务接待费预算2.00万元、决算1.40万元。",
    ]


def test_unit_yuan_and_keep_zero_change_the_report_sheets(tmp_path):
    folder = crafted_folder(tmp_path)
    book = run(folder, tmp_path / "s.xlsx", "--unit", "元", "--keep-zero")
    sheet = book["报告用表"]
    assert (sheet["A3"].value, sheet["C4"].value) == ("表1 收入情况", "单位：元")
    assert values(sheet, 6, 8, 3) == [["年初结转和结余", 200000, 0.0732], ["一般公共预算财政拨款收入", 2000000, 0.7317],
                                      ["政府性基金预算财政拨款收入", 0, 0]]
    assert book["报告文字"]["A2"].value.startswith("（一）部门财政资金收入情况。测试县科技馆2023年收入总计2,733,333.00元，其中：")


def test_unknown_unit_is_refused(samples, tmp_path):
    result = runner.invoke(app, ["run", str(samples), "--out", str(tmp_path / "s.xlsx"), "--unit", "千元"])
    assert result.exit_code == 2


def test_word_export_holds_the_paragraphs_and_real_tables_with_the_shown_figures(samples, tmp_path):
    path = tmp_path / "报告.docx"
    run(samples, tmp_path / "s.xlsx", "--docx", str(path))
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["二、部门财政资金收支情况", *SAMPLE_TEXT]
    assert [t for t in texts if t.startswith("表")] == ["表1 收入情况", "表2 支出情况（按支出功能分类）", "表3 支出情况（按支出性质）",
                                                        "表4 收支及结转结余情况", "表5 自评得分"]
    assert len(document.tables) == 5
    income = document.tables[0]
    assert income.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in income.rows] == [
        ["项目", "金额", "占比"], ["年初结转和结余", "0.84", "0.51%"], ["一般公共预算财政拨款收入", "163.68", "99.49%"],
        ["合计", "164.52", "100.00%"]]
    assert [[c.text for c in row.cells] for row in document.tables[3].rows] == [
        ["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"], ["合计", "0.84", "163.68", "163.68", "0.84"]]
    run_font = income.cell(1, 1).paragraphs[0].runs[0].font
    assert (run_font.name, run_font.size.pt) == ("宋体", 10.5)
    assert income.cell(1, 1).paragraphs[0].runs[0]._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_word_export_in_yuan_has_the_three_public_table_with_its_detail_rows(tmp_path):
    path = tmp_path / "报告.docx"
    run(crafted_folder(tmp_path), tmp_path / "s.xlsx", "--docx", str(path), "--unit", "元")
    three_public = docx.Document(str(path)).tables[-1]
    assert [[c.text for c in row.cells] for row in three_public.rows] == [
        ["项目", "预算数", "决算数", "完成预算"], ["因公出国（境）费", "0.00", "0.00", ""],
        ["公务用车购置及运行维护费", "30,000.00", "28,000.00", "93.33%"], ["　　其中：公务用车购置费", "0.00", "0.00", ""],
        ["　　公务用车运行维护费", "30,000.00", "28,000.00", "93.33%"], ["公务接待费", "20,000.00", "14,000.00", "70.00%"],
        ["合计", "50,000.00", "42,000.00", "84.00%"]]


def test_summary_workbook_converts_to_pdf_with_libreoffice(samples, tmp_path):
    """Opening without a repair prompt, checked for real: LibreOffice refuses what it cannot open."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH; .ci/run installs libreoffice-calc-nogui")
    summary = tmp_path / "summary.xlsx"
    run(samples, summary)
    # A private profile, so the test neither waits for nor disturbs a LibreOffice already running.
    converted = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(summary)],
        capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "pdf" / "summary.pdf"
    assert converted.returncode == 0 and pdf.exists(), converted.stdout + converted.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
