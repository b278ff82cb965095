"""Load stage: one workbook file in, recognised tables with cell provenance out.

A file that cannot be read becomes a ``LoadedFile`` with a Chinese reason;
nothing raised here reaches the user. The traceback behind a reason is logged
at DEBUG level, which ``budgetkit run --debug`` shows.
"""

from __future__ import annotations

import atexit
import logging

from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.grid import ReadOptions, WorkbookGrids
from budgetkit.load.isolation import IsolatedReader
from budgetkit.load.regions import SheetView, find_regions
from budgetkit.load.tables import build_table
from budgetkit.model import FileStatus, LoadedFile, SourceFile

__all__ = ["ReadOptions", "load_file"]

log = logging.getLogger("budgetkit")

# One worker process serves every file a process loads (see isolation.py).
_reader = IsolatedReader()
atexit.register(_reader.close)


def load_file(source: SourceFile, options: ReadOptions = ReadOptions()) -> LoadedFile:
    try:
        read = _reader.read(source.path, options)
    except UnreadableWorkbook as exc:
        log.debug("无法读取 %s：%s", source.relative, exc, exc_info=True)
        return LoadedFile(source, FileStatus.FAILED, str(exc))
    except Exception as exc:  # a reader bug must cost one file, not the run
        log.debug("读取 %s 时出现意外错误", source.relative, exc_info=True)
        return LoadedFile(source, FileStatus.FAILED, _unexpected(exc))
    return _tables_of(source, read)


def _tables_of(source: SourceFile, read: WorkbookGrids) -> LoadedFile:
    loaded = LoadedFile(source, FileStatus.OK, "；".join(read.warnings))
    for grid in read.sheets:
        view = SheetView(grid)
        try:
            tables = [t for region in find_regions(view) if (t := build_table(view, region, source.relative))]
        except Exception as exc:  # one odd sheet must not cost the file's other tables
            log.debug("分析 %s 的工作表 %s 时出错", source.relative, grid.name, exc_info=True)
            loaded.unrecognised_sheets.append(f"{grid.name}（{_unexpected(exc)}）")
            continue
        if tables:
            loaded.tables.extend(tables)
            loaded.grids[grid.name] = grid.pack()
        else:
            loaded.unrecognised_sheets.append(grid.name)
    loaded.unrecognised_sheets.extend(read.not_read)
    if not loaded.tables:
        loaded.status = FileStatus.SKIPPED
        found = "未在文件中找到可识别的预算/决算表格" if read.sheets else "工作簿中没有可读取的工作表"
        loaded.reason = "；".join([found, *read.not_read, *read.warnings])
    return loaded


def _unexpected(exc: Exception) -> str:
    return f"处理时出现意外错误（{type(exc).__name__}）；加 --debug 运行可查看详细信息"
