"""The 报告核对 sheet: the report texts' findings sentence by sentence, each with the sentence as
written and as it should read, for the person who edits the draft.

The sentence and its correction are the ones the finding's message quotes ("原文：“…”，应改为：“…”").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetkit.load.narrative import SHEET
from budgetkit.model import Finding, RunResult
from budgetkit.report.styles import Styles, wrapped_height

SHEET_NAME = "报告核对"
COLUMNS = (("序号", 6), ("文件", 18), ("段落/页", 8), ("原句", 60), ("严重程度", 9), ("规则", 8), ("项目", 22),
           ("文中", 12), ("应为", 12), ("说明", 50), ("改为", 60))
_QUOTED = re.compile(r"原文：“(?P<sentence>.*?)”(?:，应改为：“(?P<corrected>.*)”)?$", re.DOTALL)
_PARAGRAPH = re.compile(r"^第(\d+)段$")
_PAGE = re.compile(r"^第\d+页$")  # a PDF's paragraph names its page where a text's says 报告文字


@dataclass(frozen=True)
class ProseRow:
    """One finding of a report text, with the sentence it quotes and the sentence corrected."""

    finding: Finding
    paragraph: int
    sentence: str
    corrected: str
    explanation: str  # the message without the quoted sentences


def prose_rows(result: RunResult) -> list[ProseRow]:
    """Every finding on a report text, by file, paragraph and sentence, in the order the text reads."""
    rows = []
    for finding in result.findings:
        number = _PARAGRAPH.match(finding.ref.cell)
        if number is None or not (finding.ref.sheet == SHEET or _PAGE.match(finding.ref.sheet)):
            continue
        quoted = _QUOTED.search(finding.message)
        sentence, corrected = (quoted["sentence"], quoted["corrected"] or "") if quoted else ("", "")
        explanation = finding.message[:quoted.start()].rstrip("。 ") + "。" if quoted else finding.message
        rows.append(ProseRow(finding, int(number.group(1)), sentence, corrected, explanation))
    order = {id(f): index for index, f in enumerate(result.findings)}
    rows.sort(key=lambda r: (r.finding.ref.file, r.paragraph, r.sentence, order[id(r.finding)]))
    return rows


def write_prose_sheet(book, styles: Styles, result: RunResult):
    """Add the 报告核对 sheet to an xlsxwriter workbook when the run has report-text findings;
    the sheet, or None. A sentence with several findings is written on its first row only."""
    rows = prose_rows(result)
    if not rows:
        return None
    sheet = book.add_worksheet(SHEET_NAME)
    for column, (_, width) in enumerate(COLUMNS):
        sheet.set_column(column, column, width)
    sheet.write_row(0, 0, [name for name, _ in COLUMNS], styles.header)
    previous = None
    for r, row in enumerate(rows, start=1):
        finding = row.finding
        at = (finding.ref.file, row.paragraph, row.sentence)
        sentence = row.sentence if at != previous else ""
        previous = at
        sheet.write_number(r, 0, r, styles.text)
        sheet.write_string(r, 1, finding.ref.file, styles.text)
        place = finding.ref.cell if finding.ref.sheet == SHEET else f"{finding.ref.sheet}{finding.ref.cell}"
        sheet.write_string(r, 2, place, styles.text)
        sheet.write_string(r, 3, sentence, styles.wrap)
        sheet.write_string(r, 4, finding.severity.label, styles.severity[finding.severity])
        sheet.write_string(r, 5, finding.rule, styles.text)
        sheet.write_string(r, 6, finding.item, styles.wrap)
        number = styles.percent if finding.unit == "%" else styles.amount
        for column, value in ((7, finding.stated), (8, finding.expected)):
            if value is None:
                sheet.write_blank(r, column, None, styles.text)
            else:
                sheet.write_number(r, column, float(value / 100 if finding.unit == "%" else value), number)
        sheet.write_string(r, 9, row.explanation, styles.wrap)
        sheet.write_string(r, 10, row.corrected, styles.wrap)
        sheet.set_row(r, wrapped_height([(sentence, COLUMNS[3][1]), (row.explanation, COLUMNS[9][1]),
                                         (row.corrected, COLUMNS[10][1])]))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    return sheet
