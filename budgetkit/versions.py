"""Which file is current: a department's corrected workbook replaces the one it corrects.

Reviewers receive corrected versions (决算.xlsx and 决算（修改后）.xlsx). Two workbooks of
one department, year and stage that both hold a table of the same kind are two
versions of that table: the newer is checked, the older is set aside and listed as
"旧版本，未核对" with the reason. The choice is made per table kind, so a corrected
file holding only the 支出决算表 replaces that table and leaves the other tables of
the full disclosure checked. A table that repeats another file's figure for figure is
a copy, not a version: checked once, the other said to be a copy.

Newer means, in order: a version marker in the file name (修改后, 调整, 最终, 定稿,
批复 … outrank none; 送审稿 ranks below none), a higher version number (v2, 第3版), a later
date in the name (20240315, 2024-03-15), and last the file's modification time.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

from budgetkit.grouping import group_tables
from budgetkit.names import VERSION_MARKERS, VERSION_NUMBER, entity_in_name
from budgetkit.model import FileStatus, LoadedFile, Row, Stage, Table, TableKind, VersionChange, folder_of
from budgetkit.text import normalize
from budgetkit.tolerance import tidy

# Working sheets and 自评表 come several to a department by nature: never versions.
_NOT_VERSIONED = (*(kind for kind in TableKind if kind.stage == Stage.WORKING), TableKind.PROJECT_SELF_EVAL,
                  TableKind.DEPARTMENT_SELF_EVAL)
_CHINESE_NUMBERS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}
_DATE = re.compile(r"(?<!\d)(20\d{2})[-._年]?(\d{2})[-._月]?(\d{2})日?(?!\d)")


@dataclass(frozen=True)
class Version:
    """How new a file says it is, and why."""

    marker: int
    number: int
    date: str
    modified: float
    marker_word: str = ""

    @property
    def rank(self) -> tuple:
        return self.marker, self.number, self.date, self.modified


@dataclass(frozen=True)
class SetAside:
    """A table replaced by the same table of a newer version of its workbook, or by an
    identical table of another workbook (``duplicate``)."""

    table: Table
    by: Table
    reason: str
    duplicate: bool = False


def version_of(loaded: LoadedFile) -> Version:
    stem = normalize(PurePosixPath(loaded.source.relative).stem)
    marker, word = 0, ""
    for level, words in VERSION_MARKERS:
        found = next((w for w in words if w in stem), None)
        if found:
            marker, word = level, found
            break
    numbers = [_number(a or b) for a, b in VERSION_NUMBER.findall(stem)]
    dates = ["".join(m) for m in _DATE.findall(stem) if 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31]
    try:
        modified = os.stat(loaded.source.path).st_mtime
    except OSError:
        modified = 0.0
    return Version(marker, max(numbers, default=0), max(dates, default=""), modified, word)


def _number(written: str) -> int:
    """A version number in digits or in Chinese (第二稿, 第十二版)."""
    if written.isdigit():
        return int(written)
    if "十" not in written:
        return _CHINESE_NUMBERS.get(written, 0)
    tens, _, units = written.rpartition("十")
    return (_CHINESE_NUMBERS.get(tens, 1) if tens else 1) * 10 + _CHINESE_NUMBERS.get(units, 0)


def keep_current(files: list[LoadedFile], compare_versions: bool = False) -> list[VersionChange] | None:
    """Set aside the copies, then the older versions, among ``files``; with ``compare_versions``
    what changed between the versions (the 版本差异 sheet), else None: the older tables are
    then let go at once, not kept through the run."""
    set_aside_copies(files)
    date_yearless(files)
    set_aside = set_aside_old_versions(files)
    return version_changes(set_aside) if compare_versions else None


def set_aside_copies(files: list[LoadedFile]) -> None:
    """A workbook whose tables repeat another's figure for figure (the .xls and the .xlsx
    of one disclosure, a copy made before editing) is read but not checked again:
    otherwise every cross-table identity would be compared across the two copies."""
    seen: dict[tuple, str] = {}
    # Copies in different folders are different departments' files: never compared anyway. A
    # copy has the same kinds of table with as many rows: only such files are compared in full.
    outline = Counter(_outline(f) for f in files if f.tables)
    # The original is kept, its copies set aside: '…决算 - 副本.xlsx' and '…决算(1).xlsx' sort before it.
    for loaded in sorted(files, key=lambda f: bool(_COPY_NAME.search(PurePosixPath(f.source.relative).stem))):
        if not loaded.tables or outline[_outline(loaded)] < 2:
            continue
        content = (folder_of(loaded.source.relative), *sorted(map(table_content, loaded.tables)))
        if content in seen:
            loaded.status = FileStatus.SKIPPED
            loaded.reason = f"与 {seen[content]} 的表格内容完全相同（同一份表格的副本），未重复核对"
            loaded.tables, loaded.grids = [], {}
        else:
            seen[content] = loaded.source.relative


# What a file manager or a download adds to a copy's name: '- 副本', '副本', '(1)', '（2）', ' - Copy', 'copy of'.
_COPY_NAME = re.compile(r"副本|[(（]\d{1,2}[)）]\s*$|\bcopy\b", re.I)


def _outline(loaded: LoadedFile) -> tuple:
    return folder_of(loaded.source.relative), tuple(sorted((t.kind.value, len(t.rows)) for t in loaded.tables))


def date_yearless(files: list[LoadedFile]) -> None:
    """Give a workbook that names no year the year it is of: last year's, where its name says so
    (``date_last_years``); else, beside several years of its department, the year whose figures it
    repeats: a revision (区民政局部门决算（修改后）.xlsx, titles without a year, beside the 2023 and
    2024 决算) keeps most figures of the year it revises and few of another year's. Without a year
    it would be checked on its own and the original it replaces checked too. A tie or a weak
    likeness leaves it yearless (and apart)."""
    tables = [t for f in files for t in f.tables]
    if all(t.year is not None for t in tables):
        return
    date_last_years(files)
    groups = group_tables(tables)
    for yearless in (g for g in groups if g.year is None and g.department and not g.unplaced):
        years = [g for g in groups if g.year is not None and (g.folder, g.department) == (yearless.folder, yearless.department)]
        own = _figures(yearless.tables)
        shared = {g.year: len(own & _figures(g.tables)) for g in years}
        best = max(shared.values(), default=0)
        if len(years) < 2 or list(shared.values()).count(best) > 1 or 2 * best <= len(own):
            continue
        year = next(y for y, count in shared.items() if count == best)
        for table in yearless.tables:
            table.year = year
        dated = {t.file for t in yearless.tables}
        for loaded in files:
            if loaded.source.relative in dated:
                loaded.reason = "；".join(filter(None, (
                    loaded.reason, f"文件名与表题未写年度，其数字多与 {year} 年度的表格相同，按 {year} 年度核对")))


# "…上年部门决算.xlsx", "去年决算", "上一年度…": the year before the department's own; not "上年结转…", "上年对比…"
_LAST_YEAR_NAMED = re.compile(r"(?:上年|去年|上一年|前一年)(?!度?(?:结转|结余|对比|同期|数))度?")


def date_last_years(files: list[LoadedFile]) -> None:
    """A workbook whose name says it is last year's (某区农业农村委员会上年部门决算.xlsx) and whose
    titles name no year is of the year before the newest its department's other workbooks name, of
    its own stage where one does (a 2024 决算 beside it: 2023; only the 2025 预算: 2024). Joined to
    this year's, it was taken for a newer version of this year's 决算 and held to this year's 预算."""
    tables = [t for f in files for t in f.tables]
    groups = group_tables(tables)
    group_of = {id(t): g for g in groups for t in g.tables}
    for loaded in files:
        mine = [t for t in loaded.tables if t.kind not in _NOT_VERSIONED]
        if not mine or any(t.year is not None for t in loaded.tables) \
                or not (named := _LAST_YEAR_NAMED.search(normalize(PurePosixPath(loaded.source.relative).stem))):
            continue
        homes = {(group_of[id(t)].folder, group_of[id(t)].department) for t in mine}
        others = [t for g in groups if (g.folder, g.department) in homes for t in g.tables
                  if t.year is not None and t.file != loaded.source.relative]
        stages = {t.kind.stage for t in mine}
        years = [t.year for t in others if t.kind.stage in stages] or [t.year for t in others]
        if not years:
            continue
        year = max(years) - 1
        for table in loaded.tables:
            table.year = year
        loaded.reason = "；".join(filter(None, (
            loaded.reason, f"文件名写“{named.group()}”，表题未写年度，按 {year} 年度核对")))


def _figures(tables: tuple[Table, ...]) -> set[tuple]:
    """Every non-zero figure of ``tables`` with the line and column it stands in, in 元."""
    return {(table.kind, row.side, row.code or row.key or row.label, measure, cell.amount * table.unit.yuan)
            for table in tables for row in table.rows for measure, cell in row.values.items()
            if cell.known and cell.amount}


def set_aside_old_versions(files: list[LoadedFile]) -> list[SetAside]:
    """Take each older version's tables out of its file (see the module doc); say why in
    the file's reason, and mark a file with nothing left to check as skipped."""
    # Versions lie in one folder and share a kind of table: only such folders are grouped.
    holders: dict[tuple[str, TableKind], set[int]] = defaultdict(set)
    for loaded in files:
        for table in loaded.tables:
            if table.kind not in _NOT_VERSIONED:
                holders[(folder_of(loaded.source.relative), table.kind)].add(id(loaded))
    folders = {folder for (folder, _), owners in holders.items() if len(owners) > 1}
    candidates = [f for f in files if f.tables and folder_of(f.source.relative) in folders]
    file_of = {id(t): f for f in candidates for t in f.tables}
    versions = {id(f): version_of(f) for f in candidates}
    set_aside: list[SetAside] = []
    # Files whose names say they hold other accounts (…（本级）, …（汇总）, …（信息中心）) are never versions of each other.
    by_entity: dict[str | None, list[Table]] = defaultdict(list)
    for loaded in candidates:
        by_entity[entity_in_name(loaded.source.relative)] += loaded.tables
    for group in (g for tables in by_entity.values() for g in group_tables(tables)):
        by_kind: dict[TableKind, list[Table]] = defaultdict(list)
        for table in group.tables:
            if table.kind not in _NOT_VERSIONED:
                by_kind[table.kind].append(table)
        for kind, tables in by_kind.items():
            owners = {id(file_of[id(t)]): file_of[id(t)] for t in tables}
            if len(owners) < 2:
                continue
            newest = max(owners.values(), key=lambda f: (versions[id(f)].rank, f.source.relative))
            kept = next(t for t in tables if file_of[id(t)] is newest)
            for table in tables:
                if file_of[id(table)] is not newest:
                    duplicate = table_content(table) == table_content(kept)
                    reason = "" if duplicate else _why(versions[id(newest)], versions[id(file_of[id(table)])])
                    set_aside.append(SetAside(table, kept, reason, duplicate))
    by_file: dict[int, list[SetAside]] = defaultdict(list)
    for aside in set_aside:
        by_file[id(file_of[id(aside.table)])].append(aside)
    for loaded in files:
        if id(loaded) in by_file:
            _take_out(loaded, by_file[id(loaded)])
    return set_aside


def _why(newer: Version, older: Version) -> str:
    if newer.marker != older.marker:
        return f"文件名标注“{newer.marker_word}”" if newer.marker_word and newer.marker > 0 else \
            f"本文件标注“{older.marker_word}”，为较早的稿"
    if newer.number != older.number:
        return f"版本号较高（第 {newer.number} 版）"
    if newer.date != older.date:
        return f"文件名中的日期较晚（{newer.date}）"
    if newer.modified != older.modified:
        return "文件修改时间较晚"
    return "无法判断新旧，按文件名顺序取后者"


def _take_out(loaded: LoadedFile, set_aside: list[SetAside]) -> None:
    """One sentence per newer file: which of this file's tables it replaces, and why."""
    gone = {id(a.table) for a in set_aside}
    tables = len(loaded.tables)
    loaded.tables = [t for t in loaded.tables if id(t) not in gone]
    said = []
    for newer, asides in _by_newer(set_aside).items():
        titles = "、".join(a.table.kind.title for a in asides)
        versions = [a for a in asides if not a.duplicate]
        if not versions:
            said.append(f"{titles}与 {newer} 中的表内容相同（副本），未重复核对")
        else:  # tables the newer file repeats unchanged are part of the version it replaces
            which = "" if len(asides) == tables else "：" + titles
            said.append(f"旧版本，未核对{which}（以 {newer} 为准，{versions[0].reason}）")
    loaded.reason = "；".join(filter(None, (loaded.reason, *said)))
    if not loaded.tables:
        loaded.status = FileStatus.SKIPPED
        loaded.grids = {}


def _by_newer(set_aside: list[SetAside]) -> dict[str, list[SetAside]]:
    grouped: dict[str, list[SetAside]] = defaultdict(list)
    for aside in set_aside:
        grouped[aside.by.file].append(aside)
    return grouped


def table_content(table: Table) -> tuple:
    """What a table prints, figure for figure, with its title and 部门 line: equal for a copy
    of it, whatever its file or sheet (and the year its file name adds)."""
    return (table.kind.value, table.unit.label, table.title, table.department or "",
            tuple((row.label, row.code or "", tuple(sorted((m, str(c.value)) for m, c in row.values.items())))
                  for row in table.rows))


def version_changes(set_aside: list[SetAside]) -> list[VersionChange]:
    """Every figure that differs between each set-aside table and the table that replaced
    it, keyed by 科目编码 (or the line's name) and column, in the new table's order."""
    changes = []
    for aside in (a for a in set_aside if not a.duplicate):
        old_rows = {_row_key(r): r for r in aside.table.rows}
        seen = set()
        for row in aside.by.rows:
            key = _row_key(row)
            seen.add(key)
            old_row = old_rows.get(key)
            for measure in dict.fromkeys([*row.values, *(old_row.values if old_row else {})]):
                new_cell = row.values.get(measure)
                old_cell = old_row.values.get(measure) if old_row else None
                new = _shown_in(new_cell, aside.by, aside.by)
                old = _shown_in(old_cell, aside.table, aside.by)
                if new != old:
                    changes.append(_change(aside, row, measure, old, new))
        for key, row in old_rows.items():
            if key not in seen:
                for measure, cell in row.values.items():
                    if (old := _shown_in(cell, aside.table, aside.by)) is not None:
                        changes.append(_change(aside, row, measure, old, None))
    return changes


def _row_key(row: Row) -> tuple:
    return row.side, row.code or row.key or normalize(row.label)


def _shown_in(cell, table: Table, new: Table) -> Decimal | None:
    """A figure in the new version's unit, so versions printed in different units compare;
    blank is 0, an unreadable figure None."""
    if cell is None or not cell.known:
        return None
    return tidy(cell.amount * table.unit.yuan / new.unit.yuan)


def _change(aside: SetAside, row: Row, measure: str, old: Decimal | None, new: Decimal | None) -> VersionChange:
    keys = (measure, f"{row.side.value}:{measure}" if row.side else measure)
    column = next((t.columns[k] for t in (aside.by, aside.table) for k in keys if k in t.columns), measure)
    return VersionChange(aside.table.file, aside.by.file, aside.by.kind.title, row.item, column, old, new,
                         aside.by.unit.label)
