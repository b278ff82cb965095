"""Which tables belong together: one group per folder, department and year, the unit of
every cross-table rule and of a batch report. A department is told by the 部门 line of a
table (or its workbook) and by the department a file name gives."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

from budgetkit.model import Stage, Table, folder_of
from budgetkit.names import department_in_name, ends_with_department
from budgetkit.rules.base import Group

GroupKey = tuple[str, "str | None", "int | None"]  # folder, 部门, year


def group_tables(tables: Iterable[Table]) -> tuple[Group, ...]:
    """One group per folder, 部门 and year, so cross-table rules never pair two
    departments or two years.

    A table is known by its 部门 line (or its workbook's) and by the department its
    file name gives (区民政局2024年部门决算.xlsx). Two 部门 lines are one department only
    when they are the same, with or without the city or district before it (``same_department``):
    a department and its subordinate unit (…城市管理局 and …城市管理局信息中心) each have their own.
    A file name names the department of a workbook that prints no 部门 line when it equals another file's name or ends a
    部门 line (区民政局 ends 上海市普陀区民政局, not 区民政局社会福利院, its unit). A table
    with no name at all (a staff working sheet) joins the only group of its folder that
    agrees with the year it names; where several departments could be its home, it stays
    apart. Two groups of one name in different folders (two districts' 区农业农村局) are
    named with their folders."""
    tables = list(tables)
    line_of_file: dict[str, str] = {}
    for table in tables:
        if table.department:
            line_of_file.setdefault(table.file, table.department)
    names = {id(t): _Names(t.department or line_of_file.get(t.file), department_in_name(t.file)) for t in tables}
    department = _departments(tables, names)
    by_key: dict[GroupKey, list[Table]] = defaultdict(list)
    for table in tables:
        by_key[(folder_of(table.file), department.get(id(table)), table.year)].append(table)
    unplaced = set()
    for key in [k for k in by_key if None in k[1:]]:
        homes = [k for k in by_key if k[0] == key[0] and None not in k[1:]
                 and all(mine is None or mine == theirs for mine, theirs in zip(key[1:], k[1:]))
                 and (key[2] is not None or _of_a_stage_in(by_key[key], by_key[k]))]
        if len(homes) == 1:
            by_key[homes[0]].extend(by_key.pop(key))
        elif len({home[1] for home in homes}) > 1 and key[1] is None:
            unplaced.add(key)
    return named_apart(tuple(Group(_group_name(key), tuple(members), key in unplaced, *key)
                             for key, members in by_key.items()))


def _of_a_stage_in(yearless: list[Table], dated: list[Table]) -> bool:
    """Whether yearless tables may take the year of a group: a staff sheet any year's, a 决算 or 预算 only
    one holding its stage (a 决算 naming no year beside only the 2025 预算 is most likely 2024's)."""
    stages = {t.kind.stage for t in yearless} - {Stage.WORKING}
    return not stages or bool(stages & {t.kind.stage for t in dated})


def named_apart(groups: tuple[Group, ...]) -> tuple[Group, ...]:
    """The groups, those sharing a name across folders (two districts' 区农业农村局 2024) named with
    their folder, so that a batch's 各部门 rows and 部门 column tell them apart."""
    shared = {name for name, count in Counter(g.name for g in groups).items() if count > 1}
    return tuple(replace(g, name=_group_name((g.folder, g.department, g.year), with_folder=True))
                 if g.name in shared else g for g in groups)


class _Names(NamedTuple):
    line: str | None  # the 部门 line
    in_file_name: str | None


@dataclass
class _Department:
    lines: set[str]
    file_names: set[str]
    tables: list[int]

    def takes(self, names: _Names) -> bool:
        if names.line and self.lines:
            return any(same_department(names.line, line) for line in self.lines)
        if names.in_file_name in self.file_names:
            return True
        if names.line:
            return any(ends_with_department(names.line, name) for name in self.file_names)
        return names.in_file_name is not None and any(ends_with_department(line, names.in_file_name) for line in self.lines)

    @property
    def name(self) -> str:
        return max(sorted(self.lines or self.file_names), key=len)


# Where a 部门 line written without its city or district ends: 普陀区民政局 (上海市 left out), 区民政局.
_ADMINISTRATIVE = ("省", "市", "区", "县", "州", "旗", "盟")
# ... but not a word that merely ends or starts with one of those characters: 社区, 园区, 市场, 市政 …
_NO_PLACE_BEFORE = ("社", "园", "景", "校", "小", "片", "矿", "林", "牧", "库", "街", "城", "都", "超")
_NO_PLACE_OPENING = ("市场", "市政", "市容", "区域", "县域", "州立")


def same_department(line: str, other: str) -> bool:
    """Whether two 部门 lines name one department, written with and without the city or district before
    it (上海市普陀区民政局, 普陀区民政局, 区民政局); never a department and its unit (…局, …局信息中心, …社区
    文化活动中心 beside 区文化活动中心), nor two notes in brackets (…（本级）, …（汇总）)."""
    if line == other:
        return True
    short, long = sorted((line, other), key=len)
    if len(short) < 4 or not long.endswith(short):
        return False
    before = long[:len(long) - len(short)]
    place_before = before.endswith(_ADMINISTRATIVE) and not before[:-1].endswith(_NO_PLACE_BEFORE)
    place_opening = short.startswith(_ADMINISTRATIVE) and not short.startswith(_NO_PLACE_OPENING) \
        and not before.endswith(_NO_PLACE_BEFORE)
    return place_before or place_opening


def _departments(tables: list[Table], names: dict[int, _Names]) -> dict[int, str]:
    """Each named table's department, built up table by table: a table joins every
    department of its folder that takes its names (and they become one), except where
    that would put two different 部门 lines together."""
    by_folder: dict[str, list[_Department]] = defaultdict(list)  # departments never span folders
    for table in tables:
        own = names[id(table)]
        if not (own.line or own.in_file_name):
            continue
        folder = folder_of(table.file)
        departments = by_folder[folder]
        joined = [d for d in departments if d.takes(own)]
        lines = {line for d in joined for line in d.lines} | ({own.line} if own.line else set())
        if not all(same_department(a, b) for a in lines for b in lines):
            # a name that fits several departments joins none of them
            joined = [d for d in joined if not d.lines]
            lines = set()
        file_names = {own.in_file_name} if own.in_file_name else set()
        merged = _Department(lines, file_names.union(*(d.file_names for d in joined)),
                             [id(table)] + [i for d in joined for i in d.tables])
        by_folder[folder] = [d for d in departments if all(d is not j for j in joined)] + [merged]
    return {table_id: d.name for departments in by_folder.values() for d in departments for table_id in d.tables}


def _group_name(key: GroupKey, with_folder: bool = False) -> str:
    folder, department, year = key
    named = f"{folder}/{department}" if with_folder and department and folder else department or folder
    return " ".join(str(part) for part in (named, year) if part)
