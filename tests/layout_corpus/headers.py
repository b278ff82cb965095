"""Header bands of any height from one description of a table's columns.

Each column lists its header words top to bottom, each with a role: a 收入/支出
``side`` heading, a ``banner`` over several columns ("项目" over 编码 | 名称, "支出预算"
over the amounts), a ``group`` ("本年支出" over 合计 | 基本支出 | 项目支出, "功能分类科目编码"
over 类 | 款 | 项), the column's own ``leaf`` word and a ``stage`` word ("决算数") under it.
A table names the roles it may leave out; they are added back, in that order, until
the header is as tall as asked (or as tall as the table's real layouts go). The leaf
stretches over the rows its column does not use, and words shared by neighbouring
columns are merged across them, as published tables print them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Merge = tuple[int, int, int, int]  # r0, c0, r1, c1 (zero-based, inclusive)


@dataclass(frozen=True)
class Level:
    text: str
    role: str = "leaf"
    flat: str | None = None  # the leaf's words when its group is left out ("本年支出合计")


Column = tuple[Level, ...]


def header(columns: list[Column], height: int, optional: tuple[str, ...]) -> tuple[list[list[object]], list[Merge]]:
    """The header rows and their merged ranges."""
    kept = _levels(columns, height, optional)
    depth = max(len(levels) for levels in kept)
    cells: list[list[tuple]] = []   # per column: (r0, r1, text, ancestors, has_below)
    for levels in kept:
        leaf = next(i for i, level in enumerate(levels) if level.role == "leaf")
        spans = []
        for i, level in enumerate(levels):
            if i < leaf:
                r0 = r1 = i
            elif i == leaf:
                r0, r1 = i, depth - (len(levels) - leaf)
            else:
                r0 = r1 = depth - (len(levels) - i)
            spans.append((r0, r1, level.text, tuple(lv.text for lv in levels[:i]), i < len(levels) - 1))
        cells.append(spans)
    rows: list[list[object]] = [[None] * len(columns) for _ in range(depth)]
    merges: list[Merge] = []
    for c, spans in enumerate(cells):
        for r0, r1, text, ancestors, has_below in spans:
            if c > 0 and has_below and (r0, r1, text, ancestors, True) in cells[c - 1]:
                continue  # merged into the range its left neighbour opened
            c1 = c
            while has_below and c1 + 1 < len(cells) and (r0, r1, text, ancestors, True) in cells[c1 + 1]:
                c1 += 1
            rows[r0][c] = text
            if (r0, c) != (r1, c1):
                merges.append((r0, c, r1, c1))
    return rows, merges


def _levels(columns: list[Column], height: int, optional: tuple[str, ...]) -> list[list[Level]]:
    """Mandatory levels first, then optional roles in order while the header is shorter
    than ``height`` and adding the role keeps it within ``height``."""
    present: set[str] = set()

    def build(roles: set[str]) -> list[list[Level]]:
        built = []
        for column in columns:
            levels = [level for level in column if level.role not in optional or level.role in roles]
            if "group" in optional and "group" not in roles:
                levels = [replace(level, text=level.flat) if level.flat else level for level in levels]
            built.append(levels)
        return built

    kept = build(present)
    for role in optional:
        if max(map(len, kept)) >= height:
            break
        candidate = build(present | {role})
        if max(map(len, candidate)) <= height:
            present.add(role)
            kept = candidate
    return kept
