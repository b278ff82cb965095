"""A district's folder of two departments, for the batch tests: 区科协 (the shipped
samples: table and report-text findings) and 甲部门 (one 支出决算表 whose 20805 line is
off by 0.43)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO
from standard_tables import expenditure_sheet
from workbook_builder import write_workbook

SAMPLES = ("区科协2022年部门决算.xlsx", "区科协2022年收支构成测算表.xls", "区科协2022年整体绩效自评报告.txt")


def two_departments(tmp_path: Path, sheet: str = "支出决算表") -> Path:
    """The district folder; ``sheet`` names 甲部门's sheet (a name with an apostrophe, for the links)."""
    folder = tmp_path / "区财政局"
    (folder / "区科协").mkdir(parents=True)
    for name in SAMPLES:
        shutil.copy(REPO / "workbooks" / name, folder / "区科协" / name)
    rows, merges = expenditure_sheet(overrides={("2080505", "basic"): "13.00"})
    rows = [list(r) for r in rows]
    rows[1][0] = "部门：甲部门"
    write_workbook(folder / "甲部门" / "2022年决算.xlsx", {sheet: (rows, merges)})
    return folder
