"""The 报告用表 and 报告文字 sheets: finished tables and paragraphs to paste into
the 部门整体支出绩效自评报告 (and, where 绩效自评表 were read, the 自评得分 table).

Tables stand one under another from column A, each as caption, unit line,
header, rows and 合计, notes below. Nothing inside a table is merged and every
figure is a literal number (no formulas), so a table copied from Excel or WPS
into Word keeps its borders and number formats.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from budgetkit.money import fmt_amount, fmt_percent
from budgetkit.report.figures import DepartmentReport, Format, Report, ReportTable
from budgetkit.report.narrative import HEADING, paragraphs
from budgetkit.report.selfeval_scores import CAPTION, HEADER, ScoreTable
from budgetkit.report.styles import PARAGRAPH_SIZE, ReportStyles, display_width, wrapped_height

TABLES_SHEET, TEXT_SHEET = "报告用表", "报告文字"
NOTHING_TO_REPORT = "未识别到收入支出决算总表、收入决算表或支出决算表，无法生成报告用表和报告文字。"
TEXT_WIDTH = 66        # characters: about 28 汉字 of 仿宋 12 pt per line, inside an A4 page
MIN_WIDTH, PADDING = 10, 2


def write_report_sheets(book: Workbook, styles: ReportStyles, report: Report) -> None:
    tables, text = book.add_worksheet(TABLES_SHEET), book.add_worksheet(TEXT_SHEET)
    for sheet in (tables, text):
        # Printed for review on A4, one page wide, however many pages tall.
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
    _write_tables(tables, styles, report)
    _write_text(text, styles, report)


def _write_tables(sheet: Worksheet, styles: ReportStyles, report: Report) -> None:
    widths: dict[int, int] = defaultdict(lambda: MIN_WIDTH)
    row = 0
    if not report.departments:
        sheet.write(0, 0, NOTHING_TO_REPORT, styles.note)
        row = 2
    scores = list(report.self_evaluations)
    for department in report.departments:
        year = f"{department.year}年" if department.year else ""
        sheet.write(row, 0, f"{department.department}{year}部门财政资金收支情况报告用表", styles.heading)
        row += 2
        for table in department.tables:
            row = _write_table(sheet, styles, row, table, department, widths)
        row = _write_remarks(sheet, styles, row, department)
        own = [s for s in scores if (s.department, s.year) == (department.department, department.year)]
        for number, score_table in enumerate(own, start=len(department.tables) + 1):
            row = _write_scores(sheet, styles, row, f"表{number} {CAPTION}", score_table, widths)
            scores.remove(score_table)
    for score_table in scores:  # forms of a department without 决算 tables
        year = f"{score_table.year}年" if score_table.year else ""
        row = _write_scores(sheet, styles, row, f"{score_table.department}{year}{CAPTION}", score_table, widths)
    for column, width in widths.items():
        sheet.set_column(column, column, width)


def _write_scores(sheet: Worksheet, styles: ReportStyles, row: int, caption: str, table: ScoreTable,
                  widths: dict[int, int]) -> int:
    """表N 自评得分: 项目 | 分值 | 得分 | 等级, from the 绩效自评表; after the department's remarks,
    which speak of the 收支 tables above them."""
    sheet.write(row, 0, caption, styles.caption)
    sheet.write(row + 1, len(HEADER) - 1, "单位：分", styles.unit)
    sheet.write_row(row + 2, 0, HEADER, styles.header)
    row += 3
    for line in table.rows:
        sheet.write_string(row, 0, line.project, styles.label)
        _fit(widths, 0, [line.project])
        for column, value in ((1, line.weight), (2, line.score)):
            if value is None:
                sheet.write_blank(row, column, None, styles.amount)
            else:
                sheet.write_number(row, column, float(value), styles.amount)
        sheet.write_string(row, 3, line.grade, styles.label)
        row += 1
    for note in table.notes:
        sheet.write_string(row, 0, note, styles.note)
        row += 1
    return row + 1


def _write_table(sheet: Worksheet, styles: ReportStyles, row: int, table: ReportTable,
                 department: DepartmentReport, widths: dict[int, int]) -> int:
    last = len(table.columns)
    sheet.write(row, 0, table.title, styles.caption)
    sheet.write(row + 1, last, f"单位：{department.unit.label}", styles.unit)
    sheet.write_row(row + 2, 0, table.header, styles.header)
    _fit(widths, 0, table.header)
    row += 3
    for line in table.rows:
        label_style = styles.total_label if line.is_total else styles.detail_label if line.is_detail else styles.label
        sheet.write_string(row, 0, line.label, label_style)
        _fit(widths, 0, [line.label + ("  " if line.is_detail else "")])
        for column, (spec, value) in enumerate(zip(table.columns, line.values), start=1):
            style = _number_style(styles, spec.format, line.is_total)
            if value is None:
                sheet.write_blank(row, column, None, style)
            elif isinstance(value, str):  # a rate that cannot be stated ("上年为0")
                sheet.write_string(row, column, value, style)
                _fit(widths, column, [spec.header, value])
            else:
                sheet.write_number(row, column, float(value), style)
                _fit(widths, column, [spec.header, shown(value, spec.format)])
        row += 1
    for note in table.notes:
        sheet.write_string(row, 0, note, styles.note)
        row += 1
    return row + 1


def _number_style(styles: ReportStyles, format: Format, is_total: bool):
    if format == Format.PERCENT:
        return styles.total_percent if is_total else styles.percent
    return styles.total_amount if is_total else styles.amount


def _write_remarks(sheet: Worksheet, styles: ReportStyles, row: int, department: DepartmentReport) -> int:
    """Tables not built, and figures where a stated cell was set aside (取数说明)."""
    lines = [f"未生成{section.value}表：{reason}。" for section, reason in department.missing]
    for figure in department.set_aside:
        lines.append(f"取数说明：{figure.item}采用{figure.adopted.source} {department.shown(figure.yuan)}；未采用"
                     + "、".join(f"{w.source} {department.shown(w.yuan)}" for w in figure.set_aside) + "。")
    for line in lines:
        sheet.write_string(row, 0, line, styles.note)
        row += 1
    return row + 1 if lines else row


def _write_text(sheet: Worksheet, styles: ReportStyles, report: Report) -> None:
    sheet.set_column(0, 0, TEXT_WIDTH)
    if not report.departments:
        sheet.write(0, 0, NOTHING_TO_REPORT, styles.note)
        return
    row = 0
    for department in report.departments:
        if len(report.departments) > 1:
            # Two years of one department are two reports: the year tells them apart.
            year = f"{department.year}年" if department.year else ""
            sheet.write(row, 0, f"{department.department}{year}", styles.heading)
            row += 1
        sheet.write(row, 0, HEADING, styles.caption)
        row += 1
        for paragraph in paragraphs(department):
            sheet.write_string(row, 0, paragraph, styles.paragraph)
            sheet.set_row(row, wrapped_height([(paragraph, TEXT_WIDTH)], PARAGRAPH_SIZE))
            row += 1
        row += 1


def shown(value: Decimal | str, format: Format) -> str:
    """A value as its number format displays it: 1,234.56 or 12.34%; a text as it is."""
    if isinstance(value, str):
        return value
    return fmt_percent(value) if format == Format.PERCENT else fmt_amount(value)


def _fit(widths: dict[int, int], column: int, texts: list[str]) -> None:
    for text in texts:
        widths[column] = max(widths[column], display_width(text) + PADDING)
