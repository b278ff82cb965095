"""Turn a workbook's sheet grids into recognised tables (the part of loading that
runs in the reader worker, next to the read itself)."""

from __future__ import annotations

import logging

from budgetkit.load.grid import WorkbookGrids
from budgetkit.load.regions import Region, SheetView, continuation_region, find_regions
from budgetkit.load.tables import build_table, joined_continuations
from budgetkit.model import FileStatus, LoadedFile, SourceFile

log = logging.getLogger("budgetkit")


def tables_of(source: SourceFile, read: WorkbookGrids) -> LoadedFile:
    loaded = LoadedFile(source, FileStatus.OK, "；".join(read.warnings))
    previous: tuple[SheetView, Region] | None = None
    for grid in read.sheets:
        view = SheetView(grid)
        try:
            regions = find_regions(view)
            if not regions and previous is not None:
                # A sheet that only repeats the previous sheet's header carries on its table.
                regions = [r for r in [continuation_region(view, *previous)] if r]
            built = [(region, t) for region in regions if (t := build_table(view, region, source.relative))]
        except Exception as exc:  # one odd sheet must not cost the file's other tables
            log.debug("分析 %s 的工作表 %s 时出错", source.relative, grid.name, exc_info=True)
            loaded.unrecognised_sheets.append(f"{grid.name}（{unexpected(exc)}）")
            previous = None
            continue
        if built:
            loaded.tables.extend(t for _, t in built)
            loaded.grids[grid.name] = grid.pack()
            previous = (view, built[-1][0])
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


def unexpected(exc: Exception) -> str:
    return f"处理时出现意外错误（{type(exc).__name__}）；加 --debug 运行可查看详细信息"
