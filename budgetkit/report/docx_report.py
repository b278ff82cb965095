"""The report paragraphs and tables as a Word document (``budgetkit run --docx``).

Real Word tables (style "Table Grid", so every cell has a thin border) with the
figures written as the summary workbook displays them (1,234.56 and 12.34%), so
a user can paste from Word into Word without retyping or reformatting.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

from budgetkit.report.figures import DepartmentReport, Report, ReportTable
from budgetkit.report.narrative import HEADING, paragraphs
from budgetkit.report.report_sheets import NOTHING_TO_REPORT, shown
from budgetkit.report.selfeval_scores import CAPTION, HEADER, ScoreTable
from budgetkit.report.styles import PARAGRAPH_FONT, REPORT_FONT
from budgetkit.report.docx_annotate import OUTPUT_COMMENT

TEXT_SIZE, TABLE_SIZE = Pt(12), Pt(10.5)  # 小四 for text, 五号 for tables


def write_docx(report: Report, path: Path) -> None:
    document = Document()
    document.core_properties.title = "部门财政资金收支情况"
    document.core_properties.comments = OUTPUT_COMMENT
    if not report.departments:
        _paragraph(document, NOTHING_TO_REPORT)
    for department in report.departments:
        _write_department(document, department, titled=len(report.departments) > 1)
        own = [s for s in report.self_evaluations if (s.department, s.year) == (department.department, department.year)]
        for number, score_table in enumerate(own, start=len(department.tables) + 1):
            _write_scores(document, f"表{number} {CAPTION}", score_table)
    document.save(str(path))


def _write_scores(document: WordDocument, caption: str, table: ScoreTable) -> None:
    """The 自评得分 table (项目 | 分值 | 得分 | 等级), as on the 报告用表 sheet."""
    _paragraph(document, caption, font=REPORT_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "单位：分", font=REPORT_FONT, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(HEADER))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, text in enumerate(HEADER):
        _cell(grid.cell(0, column), text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for index, line in enumerate(table.rows, start=1):
        texts = (line.project, *("" if v is None else f"{v.normalize():f}" for v in (line.weight, line.score)),
                 line.grade)
        for column, text in enumerate(texts):
            _cell(grid.cell(index, column), text, bold=False,
                  align=WD_ALIGN_PARAGRAPH.LEFT if column == 0 else WD_ALIGN_PARAGRAPH.CENTER)
    for note in table.notes:
        _paragraph(document, note, font=REPORT_FONT, size=TABLE_SIZE)


def _write_department(document: WordDocument, department: DepartmentReport, titled: bool) -> None:
    if titled:
        _paragraph(document, department.department, bold=True, size=Pt(14))
    _paragraph(document, HEADING, bold=True)
    for text in paragraphs(department):
        _paragraph(document, text, first_line_indent=True)
    for table in department.tables:
        _write_table(document, table, department.unit.label)


def _write_table(document: WordDocument, table: ReportTable, unit: str) -> None:
    _paragraph(document, table.title, font=REPORT_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"单位：{unit}", font=REPORT_FONT, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, text in enumerate(table.header):
        _cell(grid.cell(0, column), text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for index, line in enumerate(table.rows, start=1):
        label_align = WD_ALIGN_PARAGRAPH.CENTER if line.is_total else WD_ALIGN_PARAGRAPH.LEFT
        label = f"　　{line.label}" if line.is_detail else line.label  # two full-width spaces indent a 其中 row
        _cell(grid.cell(index, 0), label, bold=line.is_total, align=label_align)
        for column, (spec, value) in enumerate(zip(table.columns, line.values), start=1):
            text = "" if value is None else shown(value, spec.format)
            _cell(grid.cell(index, column), text, bold=line.is_total, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for note in table.notes:
        _paragraph(document, note, font=REPORT_FONT, size=TABLE_SIZE)


def _cell(cell, text: str, bold: bool, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _font(paragraph.add_run(text), REPORT_FONT, TABLE_SIZE, bold)


def _paragraph(document: WordDocument, text: str, font: str = PARAGRAPH_FONT, size: Pt = TEXT_SIZE,
               bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None, first_line_indent: bool = False) -> None:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if first_line_indent:
        paragraph.paragraph_format.first_line_indent = size * 2  # two 汉字, as report paragraphs are set
    _font(paragraph.add_run(text), font, size, bold)


def _font(run: Run, name: str, size: Pt, bold: bool) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    # Word takes the font of 汉字 from the East Asian slot, which font.name leaves unset.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
