"""Load stage: one workbook file in, recognised tables with cell provenance out.

A file that cannot be read becomes a ``LoadedFile`` with a Chinese reason;
nothing raised here reaches the user.
"""

from __future__ import annotations

from budgetkit.load.grid import UnreadableWorkbook, read_grids
from budgetkit.load.regions import SheetView, find_regions
from budgetkit.load.tables import build_table
from budgetkit.model import FileStatus, LoadedFile, SourceFile


def load_file(source: SourceFile) -> LoadedFile:
    try:
        grids, hidden = read_grids(source.path)
    except UnreadableWorkbook as exc:
        return LoadedFile(source, FileStatus.FAILED, str(exc))
    except OSError as exc:
        return LoadedFile(source, FileStatus.FAILED, f"文件无法打开（{exc.strerror or exc}）")
    loaded = LoadedFile(source, FileStatus.OK)
    for grid in grids:
        view = SheetView(grid)
        tables = [t for region in find_regions(view) if (t := build_table(view, region, source.relative))]
        if tables:
            loaded.tables.extend(tables)
            loaded.grids[grid.name] = grid
        else:
            loaded.unrecognised_sheets.append(grid.name)
    if hidden:
        loaded.unrecognised_sheets.extend(f"{name}（隐藏工作表，未读取）" for name in hidden)
    if not loaded.tables:
        loaded.status = FileStatus.SKIPPED
        loaded.reason = "未在文件中找到可识别的预算/决算表格" if grids else "工作簿中没有可读取的工作表"
    return loaded
