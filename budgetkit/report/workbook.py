"""Write the summary workbook: 概览, 问题清单, 已说明 (findings budgetkit.toml
explains), 报告用表 and 报告文字 (``report_sheets``), and an annotated copy of
every source sheet that has open findings, its offending cells filled and commented."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from budgetkit.cells import position
from budgetkit.discover import OUTPUT_MARKER
from budgetkit.model import AcceptedFinding, CellRef, Finding, LoadedFile, RunResult, Severity, SheetGrid, Table
from budgetkit.report.figures import Report, build_report
from budgetkit.report.prose_sheet import write_prose_sheet
from budgetkit.report.report_sheets import write_report_sheets
from budgetkit.report.source_look import SheetLook, read_looks
from budgetkit.report.version_sheet import write_version_sheet
from budgetkit.report.styles import CopyFormats, Styles, display_width, wrapped_height
from budgetkit.rules.base import Rule

if TYPE_CHECKING:
    from budgetkit.pipeline import ListedTable

FINDING_COLUMNS = (("序号", 6), ("严重程度", 9), ("规则", 8), ("文件", 28), ("工作表", 22), ("单元格", 8),
                   ("项目", 30), ("填报值", 14), ("计算值", 14), ("差额", 12), ("单位", 6), ("说明", 70))
DEPARTMENT_COLUMN = ("部门", 24)
SHEET_NAME_LIMIT = 31
# Everything written comes from the user's files or quotes them: a label "=HYPERLINK(…)"
# stored as text must stay text, never become a live formula or link in the file the
# reviewer opens.
TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                   "nan_inf_to_errors": True}
LINKS_PER_SHEET = 65_530  # Excel's limit; xlsxwriter drops the rest with a warning each
_NOT_IN_SHEET_NAMES = str.maketrans({ch: "_" for ch in "[]:*?/\\"})


def write_summary(result: RunResult, path: Path, report: Report | None = None, with_report: bool = True,
                  copies: dict[tuple[str, str], str] | None = None) -> None:
    """``report`` (the 报告用表 figures) is built with default options unless given;
    ``with_report=False`` leaves the 报告用表/报告文字 sheets out (a batch of departments).
    ``copies``: where each (file, sheet)'s annotated copy already is, as a link
    ("external:标注/文件夹/部门.xlsx#'标注1-支出'"); by default the copies are sheets of the summary."""
    report = report if report is not None else build_report(result)
    # Without copies or report sheets every sheet is written row by row: constant memory.
    book = _book(path, constant_memory=copies is not None and not with_report)
    book.set_properties({"title": "budgetkit 核对结果", "comments": "由 budgetkit 生成"})
    styles = Styles.on(book)
    overview = book.add_worksheet("概览")
    issues = book.add_worksheet("问题清单")
    explained = book.add_worksheet("已说明") if result.accepted else None
    if with_report:
        write_report_sheets(book, styles.report, report)
        write_prose_sheet(book, styles, result)
    if result.version_changes is not None:
        write_version_sheet(book, styles, result.version_changes)
    if copies is None:
        copies = {key: f"internal:{sheet_reference(name)}" for key, name in _annotated_copies(book, styles, result).items()}
    department = result.department_of if len(result.groups) > 1 else None
    _write_issues(issues, styles, report.annotated(result.findings), copies, department)
    if explained:
        _write_accepted(explained, styles, result.accepted, department)
    _write_overview(overview, styles, result)
    overview.activate()
    book.close()


def write_copies(result: RunResult, path: Path) -> dict[tuple[str, str], str]:
    """A workbook of the annotated copies of ``result``'s findings (one department's, in a
    batch), which must include one on a ``copyable`` sheet; returns each copied (file,
    sheet)'s sheet name."""
    book = _book(path)
    book.set_properties({"title": "budgetkit 标注副本", "comments": "由 budgetkit 生成"})
    copies = _annotated_copies(book, Styles.on(book), result)
    book.close()
    return copies


def copyable(result: RunResult) -> set[tuple[str, str]]:
    """The (file, sheet)s an annotated copy can be made of: those read into a grid."""
    return {(f.source.relative, name) for f in result.files for name in f.grids}


def _book(path: Path, constant_memory: bool = False) -> xlsxwriter.Workbook:
    """A workbook of ours: text stays text, and the marker that keeps it out of later runs' inputs."""
    book = xlsxwriter.Workbook(str(path), {**TEXT_STAYS_TEXT, "constant_memory": constant_memory})
    book.set_custom_property("generator", OUTPUT_MARKER.decode())
    return book


OVERVIEW_WIDTH_LIMIT = 48


def _write_overview(sheet, styles: Styles, result: RunResult) -> None:
    """With several departments each file's row of 读取的文件 names its tables, in place of a
    row per table: a district's thousands of tables would bury everything after them."""
    tables_by_file = result.department_count > 1
    sheet.write(0, 0, "budgetkit 核对结果", styles.title)
    sheet.write(1, 0, f"检查文件夹：{result.folder}    生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}", styles.note)
    tables = [
        ("问题统计", ("严重程度", "条数", "已说明（不计入）"),
         [(s.label, result.count(s), result.count_accepted(s)) for s in Severity]),
        ("读取的文件", ("文件", "状态", "识别的表格", "说明"),
         [(f.source.relative, _status(f), _tables_named(f) if tables_by_file else len(f.tables), f.reason)
          for f in result.files] +
         # a text holds no tables: its row says what was read of it instead
         [(n.file, "无法读取" if n.reason else "已读取", "", n.reason or f"报告文字，{len(n.paragraphs)} 段")
          for n in result.narratives]),
    ]
    if not tables_by_file:
        tables.append(("识别的表格", ("文件", "工作表", "表格", "单位", "部门", "年度"),
                       [(t.file, t.sheet, t.kind.title, _unit(t), t.department or "", t.year or "")
                        for t in result.tables]))
    if len(result.groups) > 1:
        tables.insert(1, ("各部门", ("部门", "表格数", "错误", "警告", "提示"), _department_counts(result)))
    unrecognised = [(f.source.relative, name) for f in result.files for name in f.unrecognised_sheets]
    if unrecognised:
        tables.append(("未识别为预算/决算表的工作表", ("文件", "工作表"), unrecognised))
    if result.coverage:
        tables.append(("规则覆盖", ("规则", "名称", "所需表格", "状态", "原因", "发现数", "说明"),
                       [(c.rule.code, c.rule.title, _inputs(c.rule), "已运行" if c.ran else "未运行", c.reason,
                         c.findings, "；".join(c.notes)) for c in result.coverage]))
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    widths = _column_widths([(header, *body) for _, header, body in tables])
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    row = 3
    for caption, header, body in tables:
        row = _table(sheet, styles, row, caption, header, body, widths)


def _department_counts(result: RunResult) -> list[tuple]:
    """Per department: its tables and open findings (in tables and report texts) by severity, worst first;
    findings no department holds (a folder's, or UNPLACED) in rows of their own, so that the rows add up
    to the 问题清单."""
    counts = {g.name: [g.name, len(g.tables), 0, 0, 0] for g in result.groups}
    column = {Severity.ERROR: 2, Severity.WARNING: 3, Severity.INFO: 4}
    for finding in result.findings:
        name = result.department_of(finding.ref)
        counts.setdefault(name, [name, 0, 0, 0, 0])[column[finding.severity]] += 1
    return [tuple(row) for row in sorted(counts.values(), key=lambda row: (-row[2], -row[3], row[0]))]


def _inputs(rule: Rule) -> str:
    names = (["报告文字"] if rule.narrative else []) + [k.title for k in rule.tables]
    return "、".join(names) if len(names) <= 3 else "、".join(names[:3]) + f" 等 {len(names)} 种表格"


def _column_widths(tables: list[tuple[tuple, ...]]) -> list[int]:
    """One width per column for all the stacked tables: the widest cell, capped."""
    columns = max(len(row) for rows in tables for row in rows)
    return [min(OVERVIEW_WIDTH_LIMIT, max([8] + [display_width(row[c]) + 2 for rows in tables for row in rows
                                                  if c < len(row)]))
            for c in range(columns)]


def _unit(table: Table | ListedTable) -> str:
    return table.unit.label + ("" if table.unit_stated else "（未注明，按万元）")


def _tables_named(loaded: LoadedFile) -> str | int:
    """A file's tables in one cell: how many, and each one's name and unit."""
    if not loaded.tables:
        return 0
    return f"{len(loaded.tables)} 张：" + "、".join(f"{t.kind.title}（{_unit(t)}）" for t in loaded.tables)


def _status(loaded: LoadedFile) -> str:
    return {"ok": "已读取", "skipped": "已跳过", "failed": "无法读取"}[loaded.status.value]


def _table(sheet, styles: Styles, row: int, caption: str, header: tuple[str, ...], body: list[tuple],
           widths: list[int]) -> int:
    sheet.write(row, 0, caption, styles.title)
    sheet.write_row(row + 1, 0, header, styles.header)
    for offset, values in enumerate(body or [("（无）",) + ("",) * (len(header) - 1)]):
        sheet.write_row(row + 2 + offset, 0, values, styles.wrap)
        sheet.set_row(row + 2 + offset, wrapped_height(list(zip(values, widths))))
    return row + 3 + max(1, len(body)) + 1


def _write_issues(sheet, styles: Styles, findings: list[Finding], copies: dict[tuple[str, str], str],
                  department: Callable[[CellRef], str] | None) -> None:
    """``department``: given when the run holds several departments, it adds a 部门 column to filter on.
    Past Excel's limit of links in one sheet, the cell address is plain text."""
    columns = FINDING_COLUMNS + ((DEPARTMENT_COLUMN,) if department else ())
    _finding_header(sheet, styles, columns)
    for index, finding in enumerate(findings, start=1):
        copy = copies.get((finding.ref.file, finding.ref.sheet)) if index <= LINKS_PER_SHEET else None
        _write_finding(sheet, styles, index, finding, copy)
        if department:
            sheet.write_string(index, len(FINDING_COLUMNS), department(finding.ref), styles.text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(findings)), len(columns) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _write_accepted(sheet, styles: Styles, accepted: list[AcceptedFinding],
                    department: Callable[[CellRef], str] | None) -> None:
    """The 问题清单 columns plus the department's reason; no links, since only
    open findings get an annotated copy."""
    columns = FINDING_COLUMNS + (("说明理由", 40),) + ((DEPARTMENT_COLUMN,) if department else ())
    _finding_header(sheet, styles, columns)
    for index, entry in enumerate(accepted, start=1):
        _write_finding(sheet, styles, index, entry.finding, None)
        sheet.write(index, len(FINDING_COLUMNS), entry.reason, styles.wrap)
        if department:
            sheet.write_string(index, len(FINDING_COLUMNS) + 1, department(entry.finding.ref), styles.text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(accepted), len(columns) - 1)


def _finding_header(sheet, styles: Styles, columns: tuple[tuple[str, int], ...]) -> None:
    for column, (_, width) in enumerate(columns):
        sheet.set_column(column, column, width)
    sheet.write_row(0, 0, [name for name, _ in columns], styles.header)


def _write_finding(sheet, styles: Styles, r: int, finding: Finding, copy: str | None) -> None:
    """Row r: numbered r, its cell linked to the annotated ``copy`` (a link to its sheet) when there is one."""
    ref = finding.ref
    sheet.write_number(r, 0, r, styles.text)
    sheet.write(r, 1, finding.severity.label, styles.severity[finding.severity])
    sheet.write(r, 2, finding.rule, styles.text)
    sheet.write(r, 3, ref.file, styles.text)
    sheet.write(r, 4, ref.sheet, styles.text)
    if copy:
        sheet.write_url(r, 5, f"{copy}!{ref.cell}", styles.link, ref.cell, tip="打开带标注的原表副本")
    else:
        sheet.write(r, 5, ref.cell, styles.text)
    sheet.write(r, 6, finding.item, styles.wrap)
    number = styles.percent if finding.unit == "%" else styles.amount
    for column, value in ((7, finding.stated), (8, finding.expected), (9, finding.difference)):
        if value is None:
            sheet.write_blank(r, column, None, styles.text)
        else:
            shown = value / 100 if finding.unit == "%" else value
            sheet.write_number(r, column, float(shown), number)
    sheet.write(r, 10, finding.unit, styles.text)
    sheet.write(r, 11, finding.message, styles.wrap)
    sheet.set_row(r, wrapped_height([(finding.item, FINDING_COLUMNS[6][1]), (finding.message, FINDING_COLUMNS[11][1])]))


def _annotated_copies(book, styles: Styles, result: RunResult) -> dict[tuple[str, str], str]:
    """One copy per sheet with open findings, numbered in (file, sheet) order without gaps (a report
    text's findings have no sheet to copy); each file's look is read once for all its copied sheets."""
    files = {f.source.relative: f for f in result.files}
    by_sheet: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        loaded = files.get(finding.ref.file)
        if loaded is not None and finding.ref.sheet in loaded.grids:
            by_sheet[(finding.ref.file, finding.ref.sheet)].append(finding)
    formats = CopyFormats(book)
    names: dict[tuple[str, str], str] = {}
    numbered = enumerate(sorted(by_sheet.items()), start=1)
    for file, sheets in groupby(numbered, key=lambda item: item[1][0][0]):
        loaded = files[file]
        copies = [(index, sheet, loaded.grids[sheet].unpack(), found) for index, ((_, sheet), found) in sheets]
        looks = read_looks(loaded.source.path, {sheet for _, sheet, grid, _ in copies if _lookable(grid)}) \
            if copies else {}
        for index, sheet, grid, found in copies:
            names[(file, sheet)] = name = copy_sheet_name(index, sheet)
            _write_copy(book.add_worksheet(name), styles, formats, grid, looks.get(sheet), found)
    return names


# openpyxl holds a parsed sheet at about half a kilobyte a cell: a sheet past this many
# cells (a 200,000-row table) is copied in the plain style rather than parsed again.
LOOK_CELL_LIMIT = 200_000


def _lookable(grid: SheetGrid) -> bool:
    return len(grid.cells) * max((len(row) for row in grid.cells), default=0) <= LOOK_CELL_LIMIT


def copy_sheet_name(index: int, source: str) -> str:
    """The annotated copy's sheet name: numbered, within Excel's 31 characters, without
    the characters Excel forbids (an .ods or a web page may have them) and not ending
    in an apostrophe, which Excel forbids too."""
    return f"标注{index}-{source.translate(_NOT_IN_SHEET_NAMES)}"[:SHEET_NAME_LIMIT].rstrip("'")


def sheet_reference(name: str) -> str:
    """A sheet name as a link or formula names it: quoted, its apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _write_copy(sheet, styles: Styles, formats: CopyFormats, grid: SheetGrid, look: SheetLook | None,
                findings: list[Finding]) -> None:
    """The source sheet at the same addresses, so C12 here is C12 there, in the source's
    look (number formats, fonts, fills, borders, widths, heights) when it could be read;
    each questioned cell highlighted and commented."""
    worst: dict[tuple[int, int], Severity] = {}
    notes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for finding in findings:
        row, column = position(finding.ref.cell)
        at = (row - 1, column - 1)
        notes[at].append(f"[{finding.rule} {finding.severity.label}] {finding.message}")
        if at not in worst or finding.severity.rank < worst[at].rank:
            worst[at] = finding.severity
    cells = grid.cells

    def value_at(r: int, c: int) -> object:
        return cells[r][c] if r < len(cells) and c < len(cells[r]) else None

    def style(at: tuple[int, int], value: object):
        if look is not None:
            return formats.of(look.styles[look.cells[at]] if at in look.cells else {}, worst.get(at))
        if at in worst:
            return styles.flagged[worst[at]]
        return styles.plain_amount if isinstance(value, float) else styles.plain

    for (r, c), hidden in _hidden_in_source(look, worst).items():
        notes[(r, c)].append(f"（此{hidden}在原表中为隐藏状态，副本中已取消隐藏，以便查看。）")
    _dimensions(sheet, look, max((len(row) for row in cells), default=1), worst.keys())
    in_merge = {(r, c) for r0, c0, r1, c1 in grid.merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    spots = {(r, c) for r, row in enumerate(cells) for c, value in enumerate(row) if value not in (None, "")}
    spots |= worst.keys() | (look.cells.keys() if look is not None else set())
    for r, c in spots - in_merge:
        value, cell_format = value_at(r, c), style((r, c), value_at(r, c))
        if value not in (None, ""):
            sheet.write(r, c, value, cell_format)
        elif cell_format is not None:
            sheet.write_blank(r, c, None, cell_format)
    for r0, c0, r1, c1 in grid.merged:
        value = value_at(r0, c0)  # None for a blank box merged below the last value
        sheet.merge_range(r0, c0, r1, c1, "" if value is None else value, style((r0, c0), value))
    for (r, c), lines in notes.items():
        sheet.write_comment(r, c, "\n".join(lines), {"x_scale": 3, "y_scale": 2.5})


PIXELS_PER_CHARACTER = 7  # Excel's column width unit at the default 11-pt font


def _hidden_in_source(look: SheetLook | None, questioned: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The questioned cells the source hides (a hidden row or column): '行' or '列' for each."""
    if look is None:
        return {}
    hidden = {}
    for r, c in questioned:
        if look.heights.get(r, (0, False))[1]:
            hidden[(r, c)] = "行"
        elif look.widths.get(c, (0, False))[1]:
            hidden[(r, c)] = "列"
    return hidden


def _dimensions(sheet, look: SheetLook | None, columns: int, questioned: Iterable[tuple[int, int]]) -> None:
    """The source's column widths and row heights; without them, one readable width. A row or
    column holding a questioned cell is shown even where the source hides it: a highlight
    nobody can see helps nobody."""
    if look is None:
        sheet.set_column(0, columns - 1, 16)
        return
    shown_rows, shown_columns = {r for r, _ in questioned}, {c for _, c in questioned}
    for column, (width, hidden) in look.widths.items():
        # The stored width already holds Excel's padding, which set_column would add again.
        sheet.set_column_pixels(column, column, round(width * PIXELS_PER_CHARACTER) if width else None, None,
                                {"hidden": hidden and column not in shown_columns})
    for row, (height, hidden) in look.heights.items():
        sheet.set_row(row, height, None, {"hidden": hidden and row not in shown_rows})
    if look.default_height:
        sheet.set_default_row(look.default_height)
