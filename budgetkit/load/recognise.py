"""Turn a workbook's sheet grids into recognised tables (the part of loading that
runs in the reader worker, next to the read itself)."""

from __future__ import annotations

import logging
from dataclasses import replace

from budgetkit.cells import a1, position
from budgetkit.load.forms import build_form
from budgetkit.load.grid import ReadOptions, WorkbookGrids, read_grids
from budgetkit.load.kinds import Layout, match_title
from budgetkit.load.regions import (NOTE_PREFIX, Region, SheetView, continuation_region, find_regions,
                                    shares_side_by_side, side_by_side)
from budgetkit.load.tables import build_table, joined_continuations
from budgetkit.model import FileStatus, LoadedFile, SelfEvalForm, SourceFile, Table

log = logging.getLogger("budgetkit")


def read_tables(source: SourceFile, options: ReadOptions) -> LoadedFile:
    """The file read and its tables recognised: a loading job's work, wherever it runs."""
    return tables_of(source, read_grids(source.path, options))


def tables_of(source: SourceFile, read: WorkbookGrids) -> LoadedFile:
    loaded = LoadedFile(source, FileStatus.OK, "；".join(read.warnings))
    previous: tuple[SheetView, Region] | None = None
    for grid in read.sheets:
        view = SheetView(grid, formats=read.formats)
        try:
            placed = _placed(view)
            forms = forms_of(view, source.relative)
            if not placed and not forms and previous is not None:
                # A sheet that only repeats the previous sheet's header carries on its table.
                placed = [(view, r) for r in [continuation_region(view, *previous)] if r]
            built = [(seen, region, t) for seen, region in placed
                     if (t := build_table(seen, region, source.relative))]
        except Exception as exc:  # one odd sheet must not cost the file's other tables
            log.debug("分析 %s 的工作表 %s 时出错", source.relative, grid.name, exc_info=True)
            loaded.unrecognised_sheets.append(f"{grid.name}（{unexpected(exc)}）")
            previous = None
            continue
        if built or forms:
            loaded.tables.extend(sorted([t for _, _, t in built] + forms, key=_sheet_order))
            loaded.grids[grid.name] = grid
            # A table read in a window carries on in no other sheet: its columns are the window's.
            previous = built[-1][:2] if built and built[-1][0] is view else None
        else:
            loaded.unrecognised_sheets.append(grid.name)
            previous = None
    loaded.tables = joined_continuations(loaded.tables)
    loaded.unrecognised_sheets.extend(read.not_read)
    if not loaded.tables:
        loaded.status = FileStatus.SKIPPED
        found = "未在文件中找到可识别的预算/决算表格" if read.sheets else "工作簿中没有可读取的工作表"
        loaded.reason = "；".join([found, *read.not_read, *read.warnings])
    return loaded


def _placed(view: SheetView) -> list[tuple[SheetView, Region]]:
    """Each table's region on the sheet with the view to read it in: the sheet's own, or, for
    tables printed side by side, a window on their columns (the tables above and below them
    keep the sheet)."""
    regions = [r for r in find_regions(view) if r.spec.layout != Layout.FORM]
    beside = side_by_side(view, (r.title_row for r in regions))
    whole = [r for r in regions if r.title_row not in beside]
    shares_beside = shares_side_by_side(view, whole)
    return [(view, r) for r in whole if not (r.header_rows and r.header_rows[0] in shares_beside)] + \
        [(window, r) for row, windows in beside.items() for window in windows for r in find_regions(window)
         if r.spec.layout != Layout.FORM and r.title_row == row] + \
        [(window, _titled_as(r, across)) for row, (across, windows) in shares_beside.items() for window in windows
         for r in find_regions(window) if r.spec.layout == Layout.SHARES and r.header_rows[:1] == (row,)]


def _titled_as(region: Region, across: Region) -> Region:
    """A table beside another under one title block (the sheet's title, unit and 部门 over both):
    what its own columns do not say, the block does."""
    return replace(region, title=region.title or across.title, unit=region.unit or across.unit,
                   department=region.department or across.department, year=region.year or across.year)


def forms_of(view: SheetView, file: str) -> list[SelfEvalForm]:
    """The 绩效自评表 on a sheet, each read from its title down to the next title (of any kind)."""
    # Texts hold no white space, so a tab between cells never joins two into "自评".
    if not any("自评" in "\t".join(row) for row in view.text):
        return []  # the usual sheet, at the cost of one substring test per row
    titles = []
    for r in range(view.height):
        texts = [t for t in view.texts(r) if not NOTE_PREFIX.match(t)]
        spec = next((s for t in texts if (s := match_title(t))), None)
        if spec is not None and not view.has_figure(r):
            titles.append((r, spec, next(t for t in texts if match_title(t) is spec)))
    forms = []
    for index, (r, spec, title) in enumerate(titles):
        if spec.layout == Layout.FORM:
            end = titles[index + 1][0] if index + 1 < len(titles) else view.height
            projects = _projects_after_the_first(view, r, end)
            # A form reads the rows under its title row; a later project under the shared title reads from its
            # 项目名称 row (the row above stands for its title row) and is anchored there.
            for top, bottom in zip([r, *(p - 1 for p in projects)], [*projects, end]):
                form = build_form(view, spec, title, top, bottom, file)
                if form is not None:
                    forms.append(form if top == r else replace(form, anchor=a1(top + 1, 0)))
    return forms


def _projects_after_the_first(view: SheetView, top: int, end: int) -> list[int]:
    """The 项目名称 rows that begin a second, third … project under one title (a 附表 listing every project
    of the department in one sheet): each project is a form of its own, from its 项目名称 row down."""
    named = [r for r in range(top, end) if next(iter(view.texts(r)), "").startswith("项目名称")]
    bounds = [*named, end]
    # each a whole form: its own 资金 block (a second 项目名称 inside one form starts nothing)
    if len(named) < 2 or not all(_executes(view, a, b) for a, b in zip(bounds, bounds[1:])):
        return []
    return named[1:]


def _executes(view: SheetView, top: int, end: int) -> bool:
    return any("执行数" in t or "执行率" in t for r in range(top, end) for t in view.texts(r))


def _sheet_order(table: Table) -> tuple[int, int]:
    return position(table.anchor)


def unexpected(exc: Exception) -> str:
    return f"处理时出现意外错误（{type(exc).__name__}）；加 --debug 运行可查看详细信息"
