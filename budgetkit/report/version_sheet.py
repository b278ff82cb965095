"""The 版本差异 sheet (--compare-versions): every figure that changed between a table's
version set aside and the version checked, keyed by 科目编码 or line and column — the
diff a reviewer needs between a 送审稿 and a 批复稿."""

from __future__ import annotations

from budgetkit.model import VersionChange
from budgetkit.report.styles import Styles

SHEET_NAME = "版本差异"
COLUMNS = (("序号", 6), ("旧版本文件", 32), ("新版本文件", 32), ("表", 26), ("科目编码/项目", 30), ("栏目", 22),
           ("旧版本", 14), ("新版本", 14), ("变动", 14), ("单位", 6))
NO_VERSIONS = "未发现同一部门、同一年度、同一表格的两个版本。"


def write_version_sheet(book, styles: Styles, changes: list[VersionChange]) -> None:
    """Add the 版本差异 sheet to an xlsxwriter workbook; with no versions, it says so."""
    sheet = book.add_worksheet(SHEET_NAME)
    for column, (_, width) in enumerate(COLUMNS):
        sheet.set_column(column, column, width)
    sheet.write_row(0, 0, [name for name, _ in COLUMNS], styles.header)
    if not changes:
        sheet.write(1, 0, NO_VERSIONS, styles.note)
        return
    for row, change in enumerate(changes, start=1):
        texts = (change.old_file, change.new_file, change.table, change.line, change.measure)
        sheet.write_number(row, 0, row, styles.text)
        for column, text in enumerate(texts, start=1):
            sheet.write_string(row, column, text, styles.text)
        for column, value in enumerate((change.old, change.new, change.change), start=6):
            if value is None:
                sheet.write_string(row, column, "（无）", styles.text)
            else:
                sheet.write_number(row, column, value, styles.amount)
        sheet.write_string(row, 9, change.unit, styles.text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(changes), len(COLUMNS) - 1)
