"""One department whose 支出决算表 has about 200,000 rows (issue 10's long-table target):
a consistent 类 → 款 → 项 hierarchy (each line the sum of the lines below it, 合计 the
sum of the 类), five columns, so about a million cells: inside budgetkit's default
--max-cells of two million. A code in budgetkit's subject list carries its listed name,
so the table is clean: what is measured is reading and checking it, not writing findings."""

from __future__ import annotations

import csv
import random
from functools import lru_cache
from pathlib import Path

import xlsxwriter

SUBJECTS = Path(__file__).resolve().parents[1] / "budgetkit" / "data" / "subject_codes.csv"
VERSION = 2  # bump whenever the generated table changes, so that a cached one is rebuilt

HEADER = ("功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出")


def big_table_rows(rows: int, seed: int = 10) -> list[tuple[str, str, int, int]]:
    """(code, name, basic, project) in 分 for about ``rows`` lines: 类 first, then its 款, each
    followed by its 项. Codes are unique: the listed 类 (201, 202 …), 款 01–99, 项 01–99."""
    rng = random.Random(seed)
    lines: list[tuple[str, str, int, int]] = []
    for class_code in sorted(code for code in _listed_names() if len(code) == 3):
        block: list[tuple[str, str, int, int]] = []
        for k in range(1, 100):
            items = [(f"{class_code}{k:02d}{i:02d}", _name(f"{class_code}{k:02d}{i:02d}"),
                      rng.randrange(0, 10_000_00), rng.randrange(0, 10_000_00)) for i in range(1, 100)]
            section = (f"{class_code}{k:02d}", _name(f"{class_code}{k:02d}"),
                       sum(i[2] for i in items), sum(i[3] for i in items))
            block += [section, *items]
            if len(lines) + len(block) + 1 >= rows:
                break
        lines.append((class_code, _name(class_code), sum(s[2] for s in block if len(s[0]) == 5),
                      sum(s[3] for s in block if len(s[0]) == 5)))
        lines += block
        if len(lines) >= rows:
            break
    return lines


@lru_cache(maxsize=None)
def _listed_names() -> dict[str, str]:
    with SUBJECTS.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle) if row["system"] == "function"}


def _name(code: str) -> str:
    return _listed_names().get(code, f"其他事务{code}")


def write_big_table(cache: Path, rows: int = 200_000) -> Path:
    """The workbook, in 元, kept under ``cache`` (made once per version and size); returns its department folder."""
    department = cache / f"big-table-v{VERSION}-{rows}" / "某区大数据局"
    department.mkdir(parents=True, exist_ok=True)
    path = department / "某区大数据局2024年部门决算.xlsx"
    if path.exists():
        return department
    lines = big_table_rows(rows)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    amount = book.add_format({"num_format": "#,##0.00"})
    sheet = book.add_worksheet("支出决算表")
    sheet.write(0, 0, "支出决算表")
    sheet.write(1, 0, "部门：某区大数据局")
    sheet.write(1, 4, "单位：元")
    sheet.write_row(2, 0, HEADER)
    totals = (sum(line[2] for line in lines if len(line[0]) == 3), sum(line[3] for line in lines if len(line[0]) == 3))
    sheet.write_row(3, 0, ("合计", ""))
    for column, cents in ((2, totals[0] + totals[1]), (3, totals[0]), (4, totals[1])):
        sheet.write_number(3, column, cents / 100, amount)
    for r, (code, name, basic, project) in enumerate(lines, start=4):
        sheet.write_string(r, 0, code)
        sheet.write_string(r, 1, name)
        for column, cents in ((2, basic + project), (3, basic), (4, project)):
            sheet.write_number(r, column, cents / 100, amount)
    book.close()
    return department
