"""Grids from files that are text, not workbooks: HTML pages and CSV/TSV saved as .xls."""

from __future__ import annotations

import csv
import importlib.util
import io

from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.model import SheetGrid


def html_grids(data: bytes) -> list[SheetGrid]:
    """One grid per <table>. pandas expands colspan/rowspan by repeating the text,
    which is what header matching needs."""
    if importlib.util.find_spec("lxml") is None:
        raise UnreadableWorkbook("文件实际是网页（HTML）格式，扩展名写作 .xls；读取它需要 lxml（pip install lxml），"
                                 "或在 Excel/WPS 中打开后另存为 .xlsx")
    import pandas

    try:
        # extract_links="all" hands back each cell's text untouched: without it pandas
        # turns "01" into 1 and drops the leading zero of 款/项 codes.
        frames = pandas.read_html(io.BytesIO(data), flavor="lxml", header=None, extract_links="all")
    except ValueError as exc:  # pandas says "No tables found"
        raise UnreadableWorkbook("文件实际是网页（HTML）格式，但网页中没有表格") from exc
    return [SheetGrid(f"网页表格{index}", [[_text(cell) for cell in row] for row in frame.itertuples(index=False)], [])
            for index, frame in enumerate(frames, start=1)]


def text_grid(data: bytes, name: str) -> SheetGrid:
    """A CSV or TSV file as one grid; the delimiter is whichever the first lines use more."""
    text = decode_text(data)
    head = "\n".join(text.splitlines()[:20])
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    rows = [[cell.strip() or None for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return SheetGrid(name, rows, [])


def _text(cell: object) -> str | None:
    text = cell[0] if isinstance(cell, tuple) else None
    return text.strip() or None if isinstance(text, str) else None


def decode_text(data: bytes) -> str:
    """Text files from Chinese offices are UTF-8 or GB18030 (a superset of GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableWorkbook("文件是文本格式，但编码既不是 UTF-8 也不是 GBK，无法读取")
